// AVX2 and POPCNT versions of hot loops whose portable Swift form is bound by instruction count: Swift
// compiles for baseline x86-64 (SSE2), and cannot enable a wider instruction set per function.
// Each kernel is compiled for its instruction set alone and chosen at run time.
#include "CMaskKernels.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

int dropblock_have_avx2(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? 1 : 0;
}

int dropblock_have_popcnt(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("popcnt") ? 1 : 0;
}

__attribute__((target("popcnt")))
int64_t dropblock_population_popcnt(const uint64_t *words, int64_t count) {
    int64_t total = 0;
    for (int64_t i = 0; i < count; i++) total += __builtin_popcountll(words[i]);
    return total;
}

// Eight units from the eight bits at the bottom of `bits`: one multiply by their entry of `table`.
#define DROPBLOCK_MULTIPLY_EIGHT(xs, bits, table, out) \
    _mm256_storeu_ps((out), _mm256_mul_ps(_mm256_loadu_ps(xs), _mm256_loadu_ps((table) + (((bits) & 255) << 3))))

// One unit from its bit: the factor is lane 0 of the table's entry for the byte 0 or 1.
#define DROPBLOCK_MULTIPLY_ONE(i, unit) \
    (out[(i)] = x[(i)] * table[((words[(unit) >> 6] >> ((unit) & 63)) & 1) << 3])

__attribute__((target("avx2")))
void dropblock_multiply_bits_avx2(const float *x, const uint64_t *words, int64_t first, int64_t count,
                                  const float *table, float *out) {
    int64_t done = 0;
    // Units one at a time until `out` is on a 32-byte boundary: a large Swift array's floats
    // start 16 bytes past one, where every other 32-byte access crosses a cache line (a C
    // sketch's multiply of small's 2 MB: 64 us so, 58 us aligned; small in place: 0.41x the
    // floor to 0.42x in three of four interleaved runs).
    int64_t lead = (int64_t)(((32 - ((uintptr_t)out & 31)) & 31) >> 2);
    if (lead > count) lead = count;
    for (; done < lead; done++) DROPBLOCK_MULTIPLY_ONE(done, first + done);
    // Whole windows of 64 units, from any bit offset, unrolled: eight fixed steps a window.
    for (; done + 64 <= count; done += 64) {
        int64_t unit = first + done, word = unit >> 6, shift = unit & 63;
        // The window's last unit lies in the next word when it starts part way into one.
        uint64_t bits = shift ? (words[word] >> shift) | (words[word + 1] << (64 - shift)) : words[word];
        for (int step = 0; step < 8; step++, bits >>= 8) DROPBLOCK_MULTIPLY_EIGHT(x + done + 8 * step, bits, table, out + done + 8 * step);
    }
    // Then eight at a time, then the last few one at a time.
    for (; done + 8 <= count; done += 8) {
        int64_t unit = first + done, word = unit >> 6, shift = unit & 63;
        uint64_t bits = words[word] >> shift;
        if (shift > 56) bits |= words[word + 1] << (64 - shift);
        DROPBLOCK_MULTIPLY_EIGHT(x + done, bits, table, out + done);
    }
    for (; done < count; done++) DROPBLOCK_MULTIPLY_ONE(done, first + done);
}

#else

int dropblock_have_avx2(void) { return 0; }

int dropblock_have_popcnt(void) { return 0; }

int64_t dropblock_population_popcnt(const uint64_t *words, int64_t count) {
    (void)words; (void)count;
    return 0;
}

void dropblock_multiply_bits_avx2(const float *x, const uint64_t *words, int64_t first, int64_t count,
                                  const float *table, float *out) {
    (void)x; (void)words; (void)first; (void)count; (void)table; (void)out;
}

#endif

int64_t dropblock_survey(const uint32_t *bits, int64_t count, uint32_t *largest) {
    // Unsigned 32-bit lanes: a count of this width cannot wrap within one call of under 2^32.
    uint32_t nonfinite = 0, most = 0;
    for (int64_t i = 0; i < count; i++) {
        uint32_t magnitude = bits[i] & 0x7FFFFFFFu;
        nonfinite += (magnitude >= 0x7F800000u);
        most = magnitude > most ? magnitude : most;
    }
    *largest = most;
    return nonfinite;
}
