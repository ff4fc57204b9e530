#ifndef ANNOTATE_COPENBLAS_SHIM_H
#define ANNOTATE_COPENBLAS_SHIM_H
// OpenBLAS's CBLAS interface (Debian: libopenblas-dev).
#include <cblas.h>

// Stops OpenBLAS's own worker threads (exported by OpenBLAS, not declared in cblas.h).
// With one BLAS thread set they are never used, but they spin on sched_yield for about
// 2^28 cycles after the library loads; a short scan would pay for that.
int blas_thread_shutdown_(void);
#endif
