// libzstd's one-shot compression calls; nothing needs wrapping.
#ifndef BLOCKTOP_CZSTD_SHIM_H
#define BLOCKTOP_CZSTD_SHIM_H
#include <zstd.h>
#endif
