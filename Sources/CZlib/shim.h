// zlib plus a prefixed wrapper for inflateInit2, a function-like macro Swift cannot import.
#ifndef BLOCKTOP_CZLIB_SHIM_H
#define BLOCKTOP_CZLIB_SHIM_H
#include <zlib.h>

/// inflateInit2(stream, windowBits): 15 reads the zlib format, 31 the gzip format.
static inline int bt_inflate_init2(z_streamp stream, int windowBits) { return inflateInit2(stream, windowBits); }
#endif
