#ifndef CANONLOG_DEFLATE_SHIM_H
#define CANONLOG_DEFLATE_SHIM_H
#include <libdeflate.h>
#endif
