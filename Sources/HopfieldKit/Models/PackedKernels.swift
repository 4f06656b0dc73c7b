#if arch(x86_64) && (HOPSIM_AVX512 || HOPSIM_AVX2)
import _Builtin_intrinsics.intel
#endif

/// The two loops of a spin update on bit-packed ±1 rows (``PackedPatterns``), for overlap sums
/// M_μ in `Int16` or `Int32`:
/// ```
/// maskedSum:  A_i = Σ_{μ: ξ_i^μ = +1} M_μ          (then Σ_μ ξ_i^μ M_μ = 2A_i − Σ_μ M_μ)
/// addRow:     M_μ += d ξ_i^μ  for every μ           (d = 2σ_i^new after a flip)
/// ```
/// Each 32-bit word of a row is used directly as a vector lane mask: with AVX-512 (BW) a masked load
/// of 32 Int16 sums (or two of 16 Int32) and a 16→32-bit multiply-add; with AVX2 the mask is
/// expanded from 16 (or 8) bits by a broadcast and a compare. Which one is compiled is decided in
/// Package.swift from the target CPU (`HOPSIM_AVX512`, `HOPSIM_AVX2`); without either the kernels are
/// plain bit loops and the packed layout is not chosen automatically (``PatternLayout``).
///
/// The sums are padded to 32 per row word; lanes beyond P are scratch (`addRow` writes them, the
/// masked sum never reads them because their bits are zero).
///
/// Exactness: Int16 sums are accumulated in Int32 lanes, Int32 sums in wrapping Int32 lanes; both are
/// exact while |A_i| ≤ N·P ≤ Int32.max, which ``PackedKernels/supports(neurons:patterns:)`` requires.
public enum PackedKernels {
    /// The instruction set the packed kernels were compiled for: "avx512", "avx2" or "scalar".
    public static var instructionSet: String {
        #if arch(x86_64) && HOPSIM_AVX512
        "avx512"
        #elseif arch(x86_64) && HOPSIM_AVX2
        "avx2"
        #else
        "scalar"
        #endif
    }

    /// Whether the kernels are vectorised (the scalar fallback is for correctness, not speed).
    public static var isVectorised: Bool { instructionSet != "scalar" }

    /// The packed kernels are exact for these sizes: N·P ≤ Int32.max (and Int16 sums where
    /// ``OverlapWidth/required(neurons:patterns:)`` says so).
    public static func supports(neurons: Int, patterns: Int) -> Bool {
        let product = neurons.multipliedReportingOverflow(by: patterns + 1)
        return !product.overflow && product.partialValue <= Int(Int32.max)
    }
}

extension PackedKernels {
    /// `lanes` + (ξ_ν s_ν)_{ν<8}, ξ_ν = +1 where bit ν of `byte` is set and −1 elsewhere: eight
    /// terms of the dense engine's field Σ_ν a_i^ν A_ν from a packed row. ±s is exact (a sign), so
    /// this is bit for bit `lanes + SIMD8<Double>(a) * s` of the Int16 row.
    @inline(__always)
    public static func addSigned(_ lanes: SIMD8<Double>, _ byte: UInt8, _ s: SIMD8<Double>) -> SIMD8<Double> {
        #if arch(x86_64) && HOPSIM_AVX512
        let v = unsafeBitCast(s, to: __m512d.self)
        let negated = _mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(v), _mm512_set1_epi64(Int64(bitPattern: 1 << 63))))
        return lanes + unsafeBitCast(_mm512_mask_blend_pd(byte, negated, v), to: SIMD8<Double>.self)
        #else
        var signed = s
        for k in 0..<8 where (byte >> UInt8(k)) & 1 == 0 { signed[k] = -s[k] }
        return lanes + signed
        #endif
    }
}

extension PackedKernels {
    /// The kernels without vector instructions: A = Σ over the set bits (wrapping Int32, exact while
    /// |A| ≤ N·P ≤ Int32.max).
    @inline(__always)
    static func scalarMaskedSum<Sum: FixedWidthInteger>(_ row: UnsafePointer<UInt32>, _ sums: UnsafePointer<Sum>, _ words: Int) -> Int32 {
        var acc: Int32 = 0
        for w in 0..<words {
            var word = row[w]
            while word != 0 {
                acc &+= Int32(truncatingIfNeeded: sums[32 * w + word.trailingZeroBitCount])
                word &= word &- 1
            }
        }
        return acc
    }

    /// M_μ += ±d by the bits of the row, one sum at a time.
    @inline(__always)
    static func scalarAddRow<Sum: FixedWidthInteger>(_ row: UnsafePointer<UInt32>, times d: Sum, to sums: UnsafeMutablePointer<Sum>, _ words: Int) {
        for w in 0..<words {
            let word = row[w]
            for k in 0..<32 { sums[32 * w + k] &+= (word >> UInt32(k)) & 1 == 1 ? d : 0 &- d }
        }
    }
}

/// Overlap-sum storage with packed-row kernels (see ``PackedKernels``).
public protocol PackedOverlapSum: OverlapSum {
    /// A = Σ_{μ: bit μ of `row` set} M_μ over `words` 32-bit words of the row.
    static func maskedSum(_ row: UnsafePointer<UInt32>, _ sums: UnsafePointer<Self>, _ words: Int) -> Accumulator
    /// M_μ += d where bit μ is set, M_μ −= d where it is clear, over 32·`words` sums.
    static func addRow(_ row: UnsafePointer<UInt32>, times d: Self, to sums: UnsafeMutablePointer<Self>, _ words: Int)
}

extension Int16: PackedOverlapSum {
    @inline(__always)
    public static func maskedSum(_ row: UnsafePointer<UInt32>, _ sums: UnsafePointer<Int16>, _ words: Int) -> Int32 {
        #if arch(x86_64) && HOPSIM_AVX512
        // Four independent accumulators hide the latency of the multiply-add.
        let ones = _mm512_set1_epi16(1)
        var a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0
        var w = 0
        while w + 4 <= words {
            a0 = _mm512_add_epi32(a0, _mm512_madd_epi16(_mm512_maskz_loadu_epi16(row[w], sums + 32 * w), ones))
            a1 = _mm512_add_epi32(a1, _mm512_madd_epi16(_mm512_maskz_loadu_epi16(row[w + 1], sums + 32 * w + 32), ones))
            a2 = _mm512_add_epi32(a2, _mm512_madd_epi16(_mm512_maskz_loadu_epi16(row[w + 2], sums + 32 * w + 64), ones))
            a3 = _mm512_add_epi32(a3, _mm512_madd_epi16(_mm512_maskz_loadu_epi16(row[w + 3], sums + 32 * w + 96), ones))
            w += 4
        }
        while w < words {
            a0 = _mm512_add_epi32(a0, _mm512_madd_epi16(_mm512_maskz_loadu_epi16(row[w], sums + 32 * w), ones))
            w += 1
        }
        return _mm512_reduce_add_epi32(_mm512_add_epi32(_mm512_add_epi32(a0, a1), _mm512_add_epi32(a2, a3)))
        #elseif arch(x86_64) && HOPSIM_AVX2
        let ones = _mm256_set1_epi16(1)
        let lane = _mm256_setr_epi16(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, -32768)
        var a0 = _mm256_setzero_si256(), a1 = a0
        for w in 0..<words {
            let word = row[w]
            let m0 = _mm256_cmpeq_epi16(_mm256_and_si256(_mm256_set1_epi16(Int16(truncatingIfNeeded: word)), lane), lane)
            let m1 = _mm256_cmpeq_epi16(_mm256_and_si256(_mm256_set1_epi16(Int16(truncatingIfNeeded: word >> 16)), lane), lane)
            let s0 = _mm256_loadu_si256(UnsafeRawPointer(sums + 32 * w).assumingMemoryBound(to: __m256i.self))
            let s1 = _mm256_loadu_si256(UnsafeRawPointer(sums + 32 * w + 16).assumingMemoryBound(to: __m256i.self))
            a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(_mm256_and_si256(m0, s0), ones))
            a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(_mm256_and_si256(m1, s1), ones))
        }
        // (The shuffle intrinsics are macros, which Swift does not import: the sum of the lanes as a
        // SIMD8<Int32>.)
        return unsafeBitCast(_mm256_add_epi32(a0, a1), to: SIMD8<Int32>.self).wrappedSum()
        #else
        return PackedKernels.scalarMaskedSum(row, sums, words)
        #endif
    }

    @inline(__always)
    public static func addRow(_ row: UnsafePointer<UInt32>, times d: Int16, to sums: UnsafeMutablePointer<Int16>, _ words: Int) {
        #if arch(x86_64) && HOPSIM_AVX512
        let plus = _mm512_set1_epi16(d), minus = _mm512_set1_epi16(0 &- d)
        for w in 0..<words {
            let p = sums + 32 * w
            _mm512_storeu_epi16(p, _mm512_add_epi16(_mm512_loadu_epi16(p), _mm512_mask_blend_epi16(row[w], minus, plus)))
        }
        #elseif arch(x86_64) && HOPSIM_AVX2
        let plus = _mm256_set1_epi16(d), minus = _mm256_set1_epi16(0 &- d)
        let lane = _mm256_setr_epi16(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, -32768)
        for w in 0..<words {
            let word = row[w]
            for half in 0..<2 {
                let bits = Int16(truncatingIfNeeded: word >> UInt32(16 * half))
                let mask = _mm256_cmpeq_epi16(_mm256_and_si256(_mm256_set1_epi16(bits), lane), lane)
                let p = UnsafeMutableRawPointer(sums + 32 * w + 16 * half).assumingMemoryBound(to: __m256i.self)
                _mm256_storeu_si256(p, _mm256_add_epi16(_mm256_loadu_si256(p), _mm256_blendv_epi8(minus, plus, mask)))
            }
        }
        #else
        PackedKernels.scalarAddRow(row, times: d, to: sums, words)
        #endif
    }
}

extension Int32: PackedOverlapSum {
    @inline(__always)
    public static func maskedSum(_ row: UnsafePointer<UInt32>, _ sums: UnsafePointer<Int32>, _ words: Int) -> Int64 {
        #if arch(x86_64) && HOPSIM_AVX512
        var a0 = _mm512_setzero_si512(), a1 = a0
        for w in 0..<words {
            let word = row[w]
            a0 = _mm512_add_epi32(a0, _mm512_maskz_loadu_epi32(UInt16(truncatingIfNeeded: word), sums + 32 * w))
            a1 = _mm512_add_epi32(a1, _mm512_maskz_loadu_epi32(UInt16(truncatingIfNeeded: word >> 16), sums + 32 * w + 16))
        }
        return Int64(_mm512_reduce_add_epi32(_mm512_add_epi32(a0, a1)))
        #elseif arch(x86_64) && HOPSIM_AVX2
        let lane = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128)
        var a0 = _mm256_setzero_si256(), a1 = a0
        for w in 0..<words {
            let word = row[w]
            for quarter in stride(from: 0, to: 4, by: 2) {
                let b0 = Int32(truncatingIfNeeded: (word >> UInt32(8 * quarter)) & 0xFF)
                let b1 = Int32(truncatingIfNeeded: (word >> UInt32(8 * quarter + 8)) & 0xFF)
                let m0 = _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_set1_epi32(b0), lane), lane)
                let m1 = _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_set1_epi32(b1), lane), lane)
                let s0 = _mm256_loadu_si256(UnsafeRawPointer(sums + 32 * w + 8 * quarter).assumingMemoryBound(to: __m256i.self))
                let s1 = _mm256_loadu_si256(UnsafeRawPointer(sums + 32 * w + 8 * quarter + 8).assumingMemoryBound(to: __m256i.self))
                a0 = _mm256_add_epi32(a0, _mm256_and_si256(m0, s0))
                a1 = _mm256_add_epi32(a1, _mm256_and_si256(m1, s1))
            }
        }
        return Int64(unsafeBitCast(_mm256_add_epi32(a0, a1), to: SIMD8<Int32>.self).wrappedSum())
        #else
        return Int64(PackedKernels.scalarMaskedSum(row, sums, words))
        #endif
    }

    @inline(__always)
    public static func addRow(_ row: UnsafePointer<UInt32>, times d: Int32, to sums: UnsafeMutablePointer<Int32>, _ words: Int) {
        #if arch(x86_64) && HOPSIM_AVX512
        let plus = _mm512_set1_epi32(d), minus = _mm512_set1_epi32(0 &- d)
        for w in 0..<words {
            let word = row[w]
            for half in 0..<2 {
                let p = sums + 32 * w + 16 * half
                let mask = UInt16(truncatingIfNeeded: word >> UInt32(16 * half))
                _mm512_storeu_epi32(p, _mm512_add_epi32(_mm512_loadu_epi32(p), _mm512_mask_blend_epi32(mask, minus, plus)))
            }
        }
        #elseif arch(x86_64) && HOPSIM_AVX2
        let plus = _mm256_set1_epi32(d), minus = _mm256_set1_epi32(0 &- d)
        let lane = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128)
        for w in 0..<words {
            let word = row[w]
            for quarter in 0..<4 {
                let bits = Int32(truncatingIfNeeded: (word >> UInt32(8 * quarter)) & 0xFF)
                let mask = _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_set1_epi32(bits), lane), lane)
                let p = UnsafeMutableRawPointer(sums + 32 * w + 8 * quarter).assumingMemoryBound(to: __m256i.self)
                _mm256_storeu_si256(p, _mm256_add_epi32(_mm256_loadu_si256(p), _mm256_blendv_epi8(minus, plus, mask)))
            }
        }
        #else
        PackedKernels.scalarAddRow(row, times: d, to: sums, words)
        #endif
    }
}
