#ifndef CANONLOG_SQLITE_SHIM_H
#define CANONLOG_SQLITE_SHIM_H
#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast of -1 to a function pointer, which Swift cannot import as a macro:
// hand it over through a function so bound text and blobs are copied by SQLite.
static inline sqlite3_destructor_type anonlog_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}
// sqlite3_config is variadic, which Swift cannot call. Memory statistics take a global mutex
// around every allocation SQLite makes (4% of a statistics run); anonlog never reads them.
// Only takes effect before SQLite initializes (before the first connection opens).
static inline int anonlog_sqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
#endif
