import Foundation
#if arch(x86_64) && (HOPSIM_AVX512 || HOPSIM_AVX2)
import _Builtin_intrinsics.intel
#endif

/// A 0/1 matrix B (rows × columns) stored one bit per entry, rows of 64-bit units (bit c mod 64 of
/// unit ⌊c/64⌋ ⇔ B_rc = 1, padded with zero bits), and the one product a parallel Plefka sweep needs
/// of it:
/// ```
/// out_c = Σ_r B_rc v_r        for every column c,
/// ```
/// the real-valued counterpart of the Monte Carlo kernels' masked sums (``PackedKernels``). A ±1
/// pattern matrix ξ is the pair (B⁺, B⁻) of its +1 and −1 entries, and
/// ```
/// Σ_i ξ_i^μ m_i = Σ_i B⁺_iμ m_i − Σ_i B⁻_iμ m_i = 2 Σ_i B⁺_iμ m_i − Σ_i m_i    (no zero entries),
/// ```
/// so the overlaps S = ξᵀm come from B⁺ (and B⁻ for diluted patterns), the fields ξS from the
/// transposes: two streams of N·P bits per sweep, one eighth of the Int8 matrix.
///
/// Summation order: each out_c accumulates its terms in increasing r, whatever the instruction set
/// (an AVX-512 lane per column, sixteen accumulators over 128 columns; AVX2 eight accumulators of
/// four over 32 columns; the scalar loop per set bit, ``referenceAccumulate(_:into:)``), so the sums
/// are bit-identical on every machine. (Public for the tests that check exactly that.)
public struct BitMatrix: Sendable {
    public let rows: Int
    public let columns: Int
    /// 64-bit units per row: ⌈columns/64⌉.
    public let unitsPerRow: Int
    public let units: [UInt64]

    private init(rows: Int, columns: Int, units: [UInt64]) {
        self.rows = rows; self.columns = columns; unitsPerRow = (columns + 63) / 64; self.units = units
    }

    /// The entries equal to `value` of a neuron-major matrix (row i = `entries[i * columns ..< (i + 1) *
    /// columns]`), as rows = neurons and as rows = columns (the transpose), in one pass.
    public static func entries<E: BinaryInteger>(of xi: UnsafeBufferPointer<E>, neurons n: Int, columns p: Int,
                                                 equalTo value: E) -> (byNeuron: BitMatrix, byColumn: BitMatrix) {
        let neuronUnits = (p + 63) / 64, columnUnits = (n + 63) / 64
        var byNeuron = [UInt64](repeating: 0, count: n * neuronUnits)
        var byColumn = [UInt64](repeating: 0, count: p * columnUnits)
        for i in 0..<n {
            let bit = UInt64(1) << UInt64(i % 64), unit = i / 64
            for mu in 0..<p {
                // Branch-free: random entries would mispredict half the time.
                let hit: UInt64 = xi[i * p + mu] == value ? 1 : 0
                byNeuron[i * neuronUnits + mu / 64] |= hit << UInt64(mu % 64)
                byColumn[mu * columnUnits + unit] |= hit &* bit
            }
        }
        return (BitMatrix(rows: n, columns: p, units: byNeuron), BitMatrix(rows: p, columns: n, units: byColumn))
    }

    /// out_c = Σ_r B_rc v_r for c < columns (`out` holds at least `columns` values; `values` `rows`).
    public func accumulate(_ values: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        #if arch(x86_64) && HOPSIM_AVX512
        units.withUnsafeBufferPointer { buffer in
            let bits = buffer.baseAddress!
            // Two units (128 columns, sixteen accumulators of eight) per pass over the rows: half the
            // passes over the matrix of one unit at a time, with the accumulators still in registers.
            var u = 0
            while u < unitsPerRow {
                // Eight columns per accumulator; byte k of the two units is accumulator k's lane mask.
                let groups = min(16, (columns - 64 * u + 7) / 8)
                var a0 = _mm512_setzero_pd(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0, a12 = a0, a13 = a0, a14 = a0, a15 = a0
                // The units' bytes, each loaded straight into a mask register (no shifts of the words).
                var p = UnsafeRawPointer(bits + u).assumingMemoryBound(to: UInt8.self)
                let stride = 8 * unitsPerRow
                if groups == 16 {
                    for r in 0..<rows {
                        let v = _mm512_set1_pd(values[r])
                        a0 = _mm512_mask_add_pd(a0, p[0], a0, v)
                        a1 = _mm512_mask_add_pd(a1, p[1], a1, v)
                        a2 = _mm512_mask_add_pd(a2, p[2], a2, v)
                        a3 = _mm512_mask_add_pd(a3, p[3], a3, v)
                        a4 = _mm512_mask_add_pd(a4, p[4], a4, v)
                        a5 = _mm512_mask_add_pd(a5, p[5], a5, v)
                        a6 = _mm512_mask_add_pd(a6, p[6], a6, v)
                        a7 = _mm512_mask_add_pd(a7, p[7], a7, v)
                        a8 = _mm512_mask_add_pd(a8, p[8], a8, v)
                        a9 = _mm512_mask_add_pd(a9, p[9], a9, v)
                        a10 = _mm512_mask_add_pd(a10, p[10], a10, v)
                        a11 = _mm512_mask_add_pd(a11, p[11], a11, v)
                        a12 = _mm512_mask_add_pd(a12, p[12], a12, v)
                        a13 = _mm512_mask_add_pd(a13, p[13], a13, v)
                        a14 = _mm512_mask_add_pd(a14, p[14], a14, v)
                        a15 = _mm512_mask_add_pd(a15, p[15], a15, v)
                        p += stride
                    }
                } else {
                    // The last columns: only their `groups` accumulators (the others are not read).
                    for r in 0..<rows {
                        let v = _mm512_set1_pd(values[r])
                        a0 = _mm512_mask_add_pd(a0, p[0], a0, v)
                        if groups > 1 { a1 = _mm512_mask_add_pd(a1, p[1], a1, v) }
                        if groups > 2 { a2 = _mm512_mask_add_pd(a2, p[2], a2, v) }
                        if groups > 3 { a3 = _mm512_mask_add_pd(a3, p[3], a3, v) }
                        if groups > 4 { a4 = _mm512_mask_add_pd(a4, p[4], a4, v) }
                        if groups > 5 { a5 = _mm512_mask_add_pd(a5, p[5], a5, v) }
                        if groups > 6 { a6 = _mm512_mask_add_pd(a6, p[6], a6, v) }
                        if groups > 7 { a7 = _mm512_mask_add_pd(a7, p[7], a7, v) }
                        if groups > 8 { a8 = _mm512_mask_add_pd(a8, p[8], a8, v) }
                        if groups > 9 { a9 = _mm512_mask_add_pd(a9, p[9], a9, v) }
                        if groups > 10 { a10 = _mm512_mask_add_pd(a10, p[10], a10, v) }
                        if groups > 11 { a11 = _mm512_mask_add_pd(a11, p[11], a11, v) }
                        if groups > 12 { a12 = _mm512_mask_add_pd(a12, p[12], a12, v) }
                        if groups > 13 { a13 = _mm512_mask_add_pd(a13, p[13], a13, v) }
                        if groups > 14 { a14 = _mm512_mask_add_pd(a14, p[14], a14, v) }
                        p += stride
                    }
                }
                withUnsafeTemporaryAllocation(of: Double.self, capacity: 128) { buffer in
                    let s = buffer.baseAddress!
                    _mm512_storeu_pd(s + 0, a0)
                    _mm512_storeu_pd(s + 8, a1)
                    _mm512_storeu_pd(s + 16, a2)
                    _mm512_storeu_pd(s + 24, a3)
                    _mm512_storeu_pd(s + 32, a4)
                    _mm512_storeu_pd(s + 40, a5)
                    _mm512_storeu_pd(s + 48, a6)
                    _mm512_storeu_pd(s + 56, a7)
                    _mm512_storeu_pd(s + 64, a8)
                    _mm512_storeu_pd(s + 72, a9)
                    _mm512_storeu_pd(s + 80, a10)
                    _mm512_storeu_pd(s + 88, a11)
                    _mm512_storeu_pd(s + 96, a12)
                    _mm512_storeu_pd(s + 104, a13)
                    _mm512_storeu_pd(s + 112, a14)
                    _mm512_storeu_pd(s + 120, a15)
                    (out + 64 * u).update(from: s, count: min(128, columns - 64 * u))
                }
                u += 2
            }
        }
        #elseif arch(x86_64) && HOPSIM_AVX2
        // Half a unit (32 columns, eight accumulators of four) per pass over the rows; a nibble of the
        // row selects a lane mask from a table, and v AND mask adds v or +0 (exact: the accumulators,
        // starting at +0, never hold −0), so the sums are those of the reference loop.
        Self.nibbleMasks.withUnsafeBufferPointer { table in
            let t = UnsafeRawPointer(table.baseAddress!).assumingMemoryBound(to: __m256d.self)
            units.withUnsafeBufferPointer { buffer in
                let words = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: UInt32.self)
                let stride = 2 * unitsPerRow
                for h in 0..<((columns + 31) / 32) {
                    let groups = min(8, (columns - 32 * h + 3) / 4)
                    var a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0
                    var p = words + h
                    if groups == 8 {
                        for r in 0..<rows {
                            let w = p.pointee, v = _mm256_set1_pd(values[r])
                            a0 = _mm256_add_pd(a0, _mm256_and_pd(v, t[Int((w >> 0) & 15)]))
                            a1 = _mm256_add_pd(a1, _mm256_and_pd(v, t[Int((w >> 4) & 15)]))
                            a2 = _mm256_add_pd(a2, _mm256_and_pd(v, t[Int((w >> 8) & 15)]))
                            a3 = _mm256_add_pd(a3, _mm256_and_pd(v, t[Int((w >> 12) & 15)]))
                            a4 = _mm256_add_pd(a4, _mm256_and_pd(v, t[Int((w >> 16) & 15)]))
                            a5 = _mm256_add_pd(a5, _mm256_and_pd(v, t[Int((w >> 20) & 15)]))
                            a6 = _mm256_add_pd(a6, _mm256_and_pd(v, t[Int((w >> 24) & 15)]))
                            a7 = _mm256_add_pd(a7, _mm256_and_pd(v, t[Int((w >> 28) & 15)]))
                            p += stride
                        }
                    } else {
                        for r in 0..<rows {
                            let w = p.pointee, v = _mm256_set1_pd(values[r])
                            a0 = _mm256_add_pd(a0, _mm256_and_pd(v, t[Int(w & 15)]))
                            if groups > 1 { a1 = _mm256_add_pd(a1, _mm256_and_pd(v, t[Int((w >> 4) & 15)])) }
                            if groups > 2 { a2 = _mm256_add_pd(a2, _mm256_and_pd(v, t[Int((w >> 8) & 15)])) }
                            if groups > 3 { a3 = _mm256_add_pd(a3, _mm256_and_pd(v, t[Int((w >> 12) & 15)])) }
                            if groups > 4 { a4 = _mm256_add_pd(a4, _mm256_and_pd(v, t[Int((w >> 16) & 15)])) }
                            if groups > 5 { a5 = _mm256_add_pd(a5, _mm256_and_pd(v, t[Int((w >> 20) & 15)])) }
                            if groups > 6 { a6 = _mm256_add_pd(a6, _mm256_and_pd(v, t[Int((w >> 24) & 15)])) }
                            if groups > 7 { a7 = _mm256_add_pd(a7, _mm256_and_pd(v, t[Int((w >> 28) & 15)])) }
                            p += stride
                        }
                    }
                    withUnsafeTemporaryAllocation(of: Double.self, capacity: 32) { scratch in
                        let s = scratch.baseAddress!
                        _mm256_storeu_pd(s + 0, a0)
                        _mm256_storeu_pd(s + 4, a1)
                        _mm256_storeu_pd(s + 8, a2)
                        _mm256_storeu_pd(s + 12, a3)
                        _mm256_storeu_pd(s + 16, a4)
                        _mm256_storeu_pd(s + 20, a5)
                        _mm256_storeu_pd(s + 24, a6)
                        _mm256_storeu_pd(s + 28, a7)
                        (out + 32 * h).update(from: s, count: min(32, columns - 32 * h))
                    }
                }
            }
        }
        #else
        referenceAccumulate(values, into: out)
        #endif
    }

    #if arch(x86_64) && HOPSIM_AVX2
    /// Lane masks of four doubles: entry k has lane j all ones where bit j of k is set.
    static let nibbleMasks: [SIMD4<UInt64>] = (0..<16).map { k in
        SIMD4<UInt64>((0..<4).map { (k >> $0) & 1 == 1 ? UInt64.max : 0 })
    }
    #endif

    /// out_c = Σ_r B_rc v_r, one set bit at a time in increasing r: the summation order of
    /// ``accumulate(_:into:)`` on every instruction set, and its implementation without AVX-512.
    public func referenceAccumulate(_ values: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        out.update(repeating: 0, count: columns)
        units.withUnsafeBufferPointer { bits in
            for r in 0..<rows {
                let v = values[r]
                for u in 0..<unitsPerRow {
                    var w = bits[r * unitsPerRow + u]
                    while w != 0 {
                        out[64 * u + w.trailingZeroBitCount] += v
                        w &= w &- 1
                    }
                }
            }
        }
    }
}

/// What one parallel update pass measures (``dampedUpdate(_:toward:twoBack:count:damping:weights:)``).
struct DampedUpdateSizes {
    /// max_i |t_i − m_i|, the distance to the targets (the stopping criterion).
    var change = 0.0
    /// max_i |m_i′ − m_i|, the step taken.
    var step = 0.0
    /// max_i |m_i′ − m_i(two sweeps ago)|.
    var twoSteps = 0.0
    /// Σ_i w_i m_i′² (w = `weights`).
    var weightedSquares = 0.0
}

/// m_i′ = (1 − λ) m_i + λ t_i for every site, in eight-wide vectors, with the sizes the monitor and the
/// next sweep need; `twoBack` (m two sweeps ago) is replaced by m (one sweep ago, after this pass).
@inline(__always)
func dampedUpdate(_ m: UnsafeMutablePointer<Double>, toward t: UnsafePointer<Double>, twoBack back: UnsafeMutablePointer<Double>,
                  count n: Int, damping lambda: Double, weights w: UnsafePointer<Double>) -> DampedUpdateSizes {
    typealias V = SIMD8<Double>
    let keep = V(repeating: 1 - lambda), move = V(repeating: lambda)
    var change = V(), step = V(), twoSteps = V(), squares = V()
    // (The standard library's pointwiseMax is an element loop here: compare and select instead.)
    @inline(__always) func larger(_ a: V, _ b: V) -> V { a.replacing(with: b, where: a .< b) }
    @inline(__always) func magnitude(_ v: V) -> V { v.replacing(with: -v, where: v .< 0) }
    let mRaw = UnsafeMutableRawPointer(m), tRaw = UnsafeRawPointer(t), backRaw = UnsafeMutableRawPointer(back)
    let wRaw = UnsafeRawPointer(w)
    var i = 0
    while i + 8 <= n {
        let old = mRaw.loadUnaligned(fromByteOffset: 8 * i, as: V.self)
        let target = tRaw.loadUnaligned(fromByteOffset: 8 * i, as: V.self)
        let before = backRaw.loadUnaligned(fromByteOffset: 8 * i, as: V.self)
        let new = keep * old + move * target
        change = larger(change, magnitude(target - old))
        step = larger(step, magnitude(new - old))
        twoSteps = larger(twoSteps, magnitude(new - before))
        let weight = wRaw.loadUnaligned(fromByteOffset: 8 * i, as: V.self)
        squares += weight * new * new
        backRaw.storeBytes(of: old, toByteOffset: 8 * i, as: V.self)
        mRaw.storeBytes(of: new, toByteOffset: 8 * i, as: V.self)
        i += 8
    }
    var sizes = DampedUpdateSizes(change: change.max(), step: step.max(), twoSteps: twoSteps.max(), weightedSquares: squares.sum())
    while i < n {
        let old = m[i], new = (1 - lambda) * old + lambda * t[i]
        sizes.change = max(sizes.change, abs(t[i] - old))
        sizes.step = max(sizes.step, abs(new - old))
        sizes.twoSteps = max(sizes.twoSteps, abs(new - back[i]))
        sizes.weightedSquares += w[i] * new * new
        back[i] = old
        m[i] = new
        i += 1
    }
    return sizes
}
