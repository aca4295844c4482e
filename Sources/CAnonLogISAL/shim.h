#ifndef CANONLOG_ISAL_SHIM_H
#define CANONLOG_ISAL_SHIM_H
#include <isa-l/igzip_lib.h>
#endif
