// Swift cannot import C99 `double _Complex`: LAPACKE and OpenBLAS are told to use structs.
#define HAVE_LAPACK_CONFIG_H 1
#define LAPACK_COMPLEX_STRUCTURE 1
#define FORCE_OPENBLAS_COMPLEX_STRUCT 1
#include <cblas.h>
#include <lapacke.h>
// Stops OpenBLAS's worker threads; its next threaded call starts them again (OpenBLAS's own
// lazy start, as after a fork). Not in cblas.h.
int blas_thread_shutdown_(void);
