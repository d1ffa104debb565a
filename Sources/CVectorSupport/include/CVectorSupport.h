#ifndef QUARRY_CVECTORSUPPORT_H
#define QUARRY_CVECTORSUPPORT_H

// What QuarryVector needs from C that Swift does not expose: a software prefetch.
// Swift has no prefetch intrinsic; this inline function compiles to one `prefetcht0`, inlined
// into the Swift caller (the Clang importer emits static inline functions into the module).

/// Asks the CPU to start loading the cache line holding `address` into every cache level. A hint:
/// it never faults, whatever the address.
static inline __attribute__((always_inline)) void quarry_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
