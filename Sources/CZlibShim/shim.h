// zlib (Debian's zlib1g-dev), for PNG figures: compress2, compressBound and crc32 only.
#include <zlib.h>
