// zlib (Debian's zlib1g-dev), for PNG figures (compress2, compressBound, crc32) and .npz members' CRC-32.
#include <zlib.h>
