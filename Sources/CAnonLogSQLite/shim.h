#ifndef CANONLOG_SQLITE_SHIM_H
#define CANONLOG_SQLITE_SHIM_H
#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast of -1 to a function pointer, which Swift cannot import as a macro:
// hand it over through a function so bound text and blobs are copied by SQLite.
static inline sqlite3_destructor_type anonlog_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}
#endif
