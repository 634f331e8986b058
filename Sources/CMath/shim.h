// libm functions that the Glibc module does not import, behind `blocktop_`-prefixed wrappers.
#ifndef BLOCKTOP_CMATH_SHIM_H
#define BLOCKTOP_CMATH_SHIM_H

// A GNU extension, declared in <math.h> only under _GNU_SOURCE.
extern void sincos(double x, double *sine, double *cosine);

/// sincos(x, sine, cosine): sin(x) and cos(x) from one argument reduction.
static inline void blocktop_sincos(double x, double *sine, double *cosine) { sincos(x, sine, cosine); }

#endif
