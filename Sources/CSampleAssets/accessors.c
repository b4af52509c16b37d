#include "CSampleAssets.h"

const unsigned char *_Nonnull dropblock_photograph_bytes(void) { return dropblock_photograph_pgm; }

unsigned long dropblock_photograph_size(void) { return dropblock_photograph_pgm_size; }
