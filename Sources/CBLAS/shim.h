// OpenBLAS's CBLAS header: cblas_* kernels plus openblas_set_num_threads,
// openblas_get_num_threads and openblas_get_config. Nothing needs wrapping.
#include <cblas.h>
