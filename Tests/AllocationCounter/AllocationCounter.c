// Counts heap allocations for the "no allocation per pass" tests.
//
// The test executable defines malloc and friends, so every allocation in the process (the
// Swift runtime's included) comes through here; each one forwards to glibc's own allocator
// and, while a window is open, bumps one process-wide atomic count. Every thread counts, so
// allocations on the engine's worker threads are seen as well as the caller's. Test-only:
// nothing in the product links this.
#include "AllocationCounter.h"

// Any libc header defines __GLIBC__; errno.h is needed below anyway.
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>

// Sanitizers replace malloc themselves; wrapping it too would hand them memory they did not
// allocate. Under a sanitizer the counter reports itself unavailable and its suites skip.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ALLOCATION_COUNTER_SANITIZED 1
#endif
#endif

#if defined(__linux__) && defined(__GLIBC__) && !defined(ALLOCATION_COUNTER_SANITIZED)

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static atomic_int counting;
static atomic_long counted;
static atomic_size_t largest;

int allocation_counter_available(void) { return 1; }

void allocation_counter_start(void) {
    atomic_store(&counted, 0);
    atomic_store(&largest, 0);
    atomic_store(&counting, 1);
}

long allocation_counter_largest(void) { return (long)atomic_load(&largest); }

long allocation_counter_stop(void) {
    atomic_store(&counting, 0);
    return atomic_load(&counted);
}

static inline void note_allocation(size_t size) {
    // Relaxed: a count and a maximum, not a synchronisation; start and stop are sequentially consistent.
    if (atomic_load_explicit(&counting, memory_order_relaxed)) {
        atomic_fetch_add_explicit(&counted, 1, memory_order_relaxed);
        size_t seen = atomic_load_explicit(&largest, memory_order_relaxed);
        while (size > seen && !atomic_compare_exchange_weak_explicit(&largest, &seen, size, memory_order_relaxed, memory_order_relaxed)) {}
    }
}

void *malloc(size_t size) {
    note_allocation(size);
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    note_allocation(count * size);
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    note_allocation(size);
    return __libc_realloc(pointer, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    note_allocation(size);
    return __libc_memalign(alignment, size);
}

void *memalign(size_t alignment, size_t size) {
    note_allocation(size);
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    // The same checks as glibc: a power of two, a multiple of the pointer size.
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0 || alignment == 0) return EINVAL;
    note_allocation(size);
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *result = pointer;
    return 0;
}

#else

int allocation_counter_available(void) { return 0; }
void allocation_counter_start(void) {}
long allocation_counter_stop(void) { return 0; }
long allocation_counter_largest(void) { return 0; }

#endif
