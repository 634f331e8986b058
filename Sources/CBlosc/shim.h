// c-blosc 1.x, the format numcodecs and zarr-python write; its *_ctx calls are thread-safe.
#ifndef BLOCKTOP_CBLOSC_SHIM_H
#define BLOCKTOP_CBLOSC_SHIM_H
#include <blosc.h>
#endif
