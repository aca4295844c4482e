#ifndef CANONLOG_PREFETCH_H
#define CANONLOG_PREFETCH_H
// Swift has no prefetch of its own; this inline function becomes one instruction in Swift code.
static inline void anonlog_prefetch(const void *address) { __builtin_prefetch(address, 1, 3); }
#endif
