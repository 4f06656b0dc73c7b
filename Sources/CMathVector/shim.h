// CMathVector: glibc's vector math library (libmvec, package libc6-dev) for HopfieldKit's parallel
// Plefka sweeps and nested 1RSB averages. No stable API; internal to hopsim.
//
// libmvec exports the x86-64 vector-function-ABI variants of libm's functions (glibc ≥ 2.35 for
// tanh, expm1, log1p, erfc): _ZGVeN8v_tanh takes and returns 8 doubles in a zmm register (AVX-512), _ZGVdN4v_tanh 4
// doubles in a ymm register (AVX2); both are accurate to a few ulp. Swift cannot pass vector
// registers to C, so the wrappers below take arrays; they are compiled for the instruction set
// they need (target attribute) and must only be called where the CPU has it (HopfieldKit checks
// HOPSIM_AVX512 / HOPSIM_AVX2, set by Package.swift from the build's target CPU).
#ifndef HOPSIM_CMATHVECTOR_SHIM_H
#define HOPSIM_CMATHVECTOR_SHIM_H

// Only x86-64 Linux (glibc) has these variants; elsewhere the module is empty (and Package.swift links
// libmvec on Linux only), and HopfieldKit uses libm's scalar tanh.
#if defined(__x86_64__) && defined(__linux__)
#include <immintrin.h>
#include <stddef.h>

// The 8-wide (AVX-512) and 4-wide (AVX2) variants of tanh, exp, expm1, log1p, log and erfc, and for each a
// wrapper y[k] = f(x[k]), k < count, over arrays (the last block padded with zeros and masked).
#define HOPSIM_VECTOR_FUNCTION(name)                                                                      \
    __m512d _ZGVeN8v_##name(__m512d x);                                                                   \
    __m256d _ZGVdN4v_##name(__m256d x);                                                                   \
    static inline __attribute__((target("avx512f"))) void hopsim_##name##_avx512(const double *x, double *y, size_t count) { \
        size_t k = 0;                                                                                     \
        for (; k + 8 <= count; k += 8) _mm512_storeu_pd(y + k, _ZGVeN8v_##name(_mm512_loadu_pd(x + k))); \
        if (k < count) {                                                                                  \
            __mmask8 mask = (__mmask8)((1u << (count - k)) - 1u);                                         \
            _mm512_mask_storeu_pd(y + k, mask, _ZGVeN8v_##name(_mm512_maskz_loadu_pd(mask, x + k)));      \
        }                                                                                                 \
    }                                                                                                     \
    static inline __attribute__((target("avx2"))) void hopsim_##name##_avx2(const double *x, double *y, size_t count) { \
        size_t k = 0;                                                                                     \
        for (; k + 4 <= count; k += 4) _mm256_storeu_pd(y + k, _ZGVdN4v_##name(_mm256_loadu_pd(x + k))); \
        if (k < count) {                                                                                  \
            double in[4] = {0, 0, 0, 0}, out[4];                                                          \
            for (size_t j = k; j < count; j++) in[j - k] = x[j];                                          \
            _mm256_storeu_pd(out, _ZGVdN4v_##name(_mm256_loadu_pd(in)));                                  \
            for (size_t j = k; j < count; j++) y[j] = out[j - k];                                         \
        }                                                                                                 \
    }

HOPSIM_VECTOR_FUNCTION(tanh)
HOPSIM_VECTOR_FUNCTION(exp)
HOPSIM_VECTOR_FUNCTION(expm1)
HOPSIM_VECTOR_FUNCTION(log1p)
HOPSIM_VECTOR_FUNCTION(log)
HOPSIM_VECTOR_FUNCTION(erfc)

#endif
#endif
