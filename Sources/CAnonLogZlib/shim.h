#ifndef CANONLOG_ZLIB_SHIM_H
#define CANONLOG_ZLIB_SHIM_H
#include <zlib.h>
#endif
