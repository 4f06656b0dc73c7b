// CMathVector: glibc's vector math library (libmvec, package libc6-dev) for HopfieldKit's parallel
// Plefka sweeps. No stable API; internal to hopsim.
//
// libmvec exports the x86-64 vector-function-ABI variants of libm's functions (glibc ≥ 2.35 for
// tanh): _ZGVeN8v_tanh takes and returns 8 doubles in a zmm register (AVX-512), _ZGVdN4v_tanh 4
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

__m512d _ZGVeN8v_tanh(__m512d x);
__m256d _ZGVdN4v_tanh(__m256d x);

/// y[k] = tanh(x[k]) for k < count, 8 at a time (the last block padded with zeros), AVX-512.
static inline __attribute__((target("avx512f"))) void hopsim_tanh_avx512(const double *x, double *y, size_t count) {
    size_t k = 0;
    for (; k + 8 <= count; k += 8) _mm512_storeu_pd(y + k, _ZGVeN8v_tanh(_mm512_loadu_pd(x + k)));
    if (k < count) {
        __mmask8 mask = (__mmask8)((1u << (count - k)) - 1u);
        _mm512_mask_storeu_pd(y + k, mask, _ZGVeN8v_tanh(_mm512_maskz_loadu_pd(mask, x + k)));
    }
}

/// y[k] = tanh(x[k]) for k < count, 4 at a time (the last block padded with zeros), AVX2.
static inline __attribute__((target("avx2"))) void hopsim_tanh_avx2(const double *x, double *y, size_t count) {
    size_t k = 0;
    for (; k + 4 <= count; k += 4) _mm256_storeu_pd(y + k, _ZGVdN4v_tanh(_mm256_loadu_pd(x + k)));
    if (k < count) {
        double in[4] = {0, 0, 0, 0}, out[4];
        for (size_t j = k; j < count; j++) in[j - k] = x[j];
        _mm256_storeu_pd(out, _ZGVdN4v_tanh(_mm256_loadu_pd(in)));
        for (size_t j = k; j < count; j++) y[j] = out[j - k];
    }
}

#endif
#endif
