#ifndef QUARRY_COPENBLAS_SHIM_H
#define QUARRY_COPENBLAS_SHIM_H

// OpenBLAS's CBLAS interface plus its openblas_set_num_threads / openblas_get_corename extensions.
// Debian ships the header as <cblas.h> (pkg-config openblas adds the pthread build's include dir).
#include <cblas.h>

#endif
