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

__attribute__((target("avx2")))
void dropblock_multiply_bits_avx2(const float *x, const uint64_t *words, int64_t first, int64_t count,
                                  const float *table, float *out) {
    int64_t done = 0;
    // A first word entered part way (a streamed chunk's start): up to its end.
    if (first & 63) {
        uint64_t bits = words[first >> 6] >> (first & 63);
        int64_t end = 64 - (first & 63);
        if (end > count) end = count;
        for (; done < end; done += 8, bits >>= 8) DROPBLOCK_MULTIPLY_EIGHT(x + done, bits, table, out + done);
    }
    // Whole words, unrolled: a word's eight steps have a fixed count (measured on the small
    // case in place, interleaved with the floor: 0.40x the floor to 0.42x).
    const uint64_t *word = words + ((first + done) >> 6);
    for (; done + 64 <= count; done += 64) {
        uint64_t bits = *word++;
        for (int step = 0; step < 8; step++, bits >>= 8) DROPBLOCK_MULTIPLY_EIGHT(x + done + 8 * step, bits, table, out + done + 8 * step);
    }
    // The last word's first units.
    if (done < count) {
        uint64_t bits = *word;
        for (; done < count; done += 8, bits >>= 8) DROPBLOCK_MULTIPLY_EIGHT(x + done, bits, table, out + done);
    }
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
