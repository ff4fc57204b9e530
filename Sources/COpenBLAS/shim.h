#ifndef ANNOTATE_COPENBLAS_SHIM_H
#define ANNOTATE_COPENBLAS_SHIM_H
// OpenBLAS's CBLAS interface (Debian: libopenblas-dev).
#include <cblas.h>
#endif
