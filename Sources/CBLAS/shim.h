// OpenBLAS's CBLAS header: cblas_* kernels plus openblas_set_num_threads,
// openblas_get_num_threads and openblas_get_config. Nothing needs wrapping.
#include <cblas.h>

// libm's sincos (one argument reduction for both), a GNU extension that the
// Glibc module does not import; the kernels that call BLAS also call this.
extern void sincos(double x, double *sine, double *cosine);
