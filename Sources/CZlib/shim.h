// CZlib: zlib (Debian's zlib1g-dev) for reading gzip-compressed datasets. Internal to hopsim.
#ifndef HOPSIM_CZLIB_SHIM_H
#define HOPSIM_CZLIB_SHIM_H
#include <zlib.h>
// inflateInit2 is a macro; Swift sees this function instead.
static inline int hopsim_inflate_init_gzip(z_stream *stream) { return inflateInit2(stream, 16 + MAX_WBITS); }
#endif
