// CGSL: the GNU Scientific Library and OpenBLAS for HopfieldKit. No stable API; internal to hopsim.
//
// One module for both, on purpose: GSL's headers declare the CBLAS enums in gsl/gsl_cblas.h, and a
// second module with OpenBLAS's cblas.h would declare them again, differently, so the two cannot be
// imported together. Here GSL's own CBLAS header is used for the declarations, and the modulemap
// links `openblas` (not `gslcblas`), so every cblas_* symbol binds to OpenBLAS at run time.
#ifndef HOPSIM_CGSL_SHIM_H
#define HOPSIM_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_version.h>

// Swift 6 rejects GSL's global type pointers as not concurrency-safe; these accessors return them.
static inline const gsl_root_fsolver_type *hopsim_root_fsolver_brent(void) { return gsl_root_fsolver_brent; }
static inline const gsl_multiroot_fsolver_type *hopsim_multiroot_fsolver_hybrids(void) { return gsl_multiroot_fsolver_hybrids; }
static inline const gsl_multiroot_fdfsolver_type *hopsim_multiroot_fdfsolver_hybridsj(void) { return gsl_multiroot_fdfsolver_hybridsj; }
static inline const gsl_integration_fixed_type *hopsim_integration_fixed_hermite(void) { return gsl_integration_fixed_hermite; }
static inline const gsl_integration_fixed_type *hopsim_integration_fixed_laguerre(void) { return gsl_integration_fixed_laguerre; }
static inline const char *hopsim_gsl_version(void) { return gsl_version; }

#endif
