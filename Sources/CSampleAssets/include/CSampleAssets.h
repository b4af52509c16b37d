#ifndef C_SAMPLE_ASSETS_H
#define C_SAMPLE_ASSETS_H

/// The default photograph (assets/chelsea.pgm), compiled in by photograph.c.
extern const unsigned char dropblock_photograph_pgm[];
/// Its length in bytes (the array holds one more: a string literal's closing zero).
extern const unsigned long dropblock_photograph_pgm_size;

/// The photograph's first byte (for Swift, which does not import arrays of unknown size).
const unsigned char *_Nonnull dropblock_photograph_bytes(void);
/// The photograph's length in bytes.
unsigned long dropblock_photograph_size(void);

#endif
