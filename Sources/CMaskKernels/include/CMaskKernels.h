#ifndef C_MASK_KERNELS_H
#define C_MASK_KERNELS_H

#include <stdint.h>

/// Whether this CPU runs `dropblock_multiply_bits_avx2` (x86-64 with AVX2; always 0 elsewhere).
/// Swift asks once (`MaskBits.hasAVX2`).
int dropblock_have_avx2(void);

/// `out[i] = x[i] * table[8 * byte + lane]` for the `count` units whose mask bits start at bit
/// `first` of `words` (any count and first; Swift passes multiples of 8): eight units per step,
/// their eight bits choosing one 8-float entry of `table` (256 entries of 0 or the scale, one
/// float per bit: `MaskBits.FactorTable`), from the first unit whose output is 32-byte aligned. The same products, bit for bit, as the portable loop in
/// Swift. `x` and `out` may be the same buffer. Call only when `dropblock_have_avx2()`.
void dropblock_multiply_bits_avx2(const float *_Nonnull x, const uint64_t *_Nonnull words, int64_t first, int64_t count,
                                  const float *_Nonnull table, float *_Nonnull out);

/// Whether this CPU runs `dropblock_population_popcnt` (x86-64 with POPCNT; always 0 elsewhere).
int dropblock_have_popcnt(void);

/// The number of set bits in `count` words, by the POPCNT instruction. Call only when
/// `dropblock_have_popcnt()`.
int64_t dropblock_population_popcnt(const uint64_t *_Nonnull words, int64_t count);

/// One pass over `count` floats (read as their bits): returns how many are NaN or infinite (all
/// exponent bits set), and stores in `largest` the largest magnitude's bits (`bits & 0x7FFFFFFF`;
/// above 0x7F7FFFFF for a NaN or an infinity). Portable C that the compiler vectorises: the
/// same loop in Swift called a generic SIMD function per vector and cost more than the multiply.
int64_t dropblock_survey(const uint32_t *_Nonnull bits, int64_t count, uint32_t *_Nonnull largest);

#endif
