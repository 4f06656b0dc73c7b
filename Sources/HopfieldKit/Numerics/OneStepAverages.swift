import Foundation

/// The nested Gaussian averages of a one-step RSB saddle point with a local field
/// h = s + σ₀ z₀ + σ₁ z₁ (s the signal, z₀ shared by all replicas, z₁ by the replicas of one
/// block of size x), at inverse temperature β:
/// ```
/// ⟨g⟩(z₀) = E_{z₁}[cosh^x(βh) g(βh)] / E_{z₁}[cosh^x(βh)]
/// tanh    = E_{z₀} ⟨tanh⟩            (m)
/// tanh2   = E_{z₀} ⟨tanh²⟩           (q₁)
/// tanhSq  = E_{z₀} ⟨tanh⟩²           (q₀)
/// psi     = E_{z₀} ln E_{z₁} (2cosh βh)^x       (the free energy's site term, × 1/(βx))
/// lnCosh  = E_{z₀} ⟨ln 2cosh βh⟩ = ∂psi/∂x at fixed σ₀, σ₁  (for the analytic ∂f/∂x)
/// ```
/// Both levels use ``PanelRule``: the inner integrand changes within 1/(βσ₁) of h = 0, the outer one
/// within √(1/β² + min(σ₁, 1/(xβ))²)/σ₀ of s + σ₀z₀ = 0 (T = 0: min(σ₁, 1/μ)/σ₀). Replica weights are handled in logarithms
/// (ln 2cosh u = |u| + ln(1 + e^{−2|u|})), so x β|h| of hundreds does not overflow.
///
/// At T = 0 (β → ∞ with μ = βx fixed, the scaling of the 1RSB retrieval and spin-glass states
/// found by Crisanti, Amit & Gutfreund 1986) the inner averages are closed forms: with a = s + σ₀z₀,
/// b = σ₁, Φ the normal distribution function,
/// ```
/// Z(a) = E e^{μ|a+bz|} = e^{μ²b²/2} [e^{μa} Φ(a/b + μb) + e^{−μa} Φ(−a/b + μb)],
/// S(a) = E sign(h) e^{μ|h|} = e^{μ²b²/2} [e^{μa} Φ(a/b + μb) − e^{−μa} Φ(−a/b + μb)],
/// lim β E sech²(βh) e^{μ|h|} = 2 φ(a/b)/b,
/// ```
/// so ⟨tanh⟩ → S/Z, ⟨tanh²⟩ → 1, and C₁ = β(1 − q₁) → E_{z₀}[2φ(a/b)/(b Z)].
public enum OneStepAverages {
    public struct Finite: Sendable, Equatable {
        public var tanh, tanh2, tanhSq, psi, lnCosh: Double
    }

    public static func finite(signal s: Double, sigma0: Double, sigma1: Double, beta: Double, x: Double) -> Finite {
        // Outside the domain (x or T underflowed to 0): NaN, which the root finders report as
        // not converged; never a crash.
        guard beta.isFinite, beta > 0, x > 0, x.isFinite else { return Finite(tanh: .nan, tanh2: .nan, tanhSq: .nan, psi: .nan, lnCosh: .nan) }
        let capacity = PanelRule.maximumNodes + 8     // + the SIMD tail
        // Five work vectors of the inner rule, allocated once per call (one rule per outer node).
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 5 * capacity) { buffer in
            let z = buffer.baseAddress!, w = z + capacity, t = w + capacity, l = t + capacity, v = l + capacity
            func inner(_ a: Double) -> (tanh: Double, tanh2: Double, lnZ: Double, lnCosh: Double) {
                guard sigma1 > 0 else {
                    let u = beta * a, th = Foundation.tanh(u), lnCosh = lnTwoCosh(u)
                    return (th, th * th, x * lnCosh, lnCosh)
                }
                return innerAverages(a, sigma1: sigma1, beta: beta, x: x, nodes: z, weights: w, t: t, l: l, v: v)
            }
            guard sigma0 > 0 else {
                let i = inner(s)
                return Finite(tanh: i.tanh, tanh2: i.tanh2, tanhSq: i.tanh * i.tanh, psi: i.lnZ, lnCosh: i.lnCosh)
            }
            let outer = PanelRule(kink: -s / sigma0, scale: outerScale(sigma0: sigma0, sigma1: sigma1, beta: beta, x: x))
            var mean = 0.0, t2 = 0.0, tsq = 0.0, psi = 0.0, lnCosh = 0.0
            for k in outer.nodes.indices {
                let weight = outer.weights[k]
                let i = inner(s + sigma0 * outer.nodes[k])
                mean += weight * i.tanh; t2 += weight * i.tanh2; tsq += weight * i.tanh * i.tanh; psi += weight * i.lnZ
                lnCosh += weight * i.lnCosh
            }
            return Finite(tanh: mean, tanh2: t2, tanhSq: tsq, psi: psi, lnCosh: lnCosh)
        }
    }

    /// The inner (z₁) averages at a = s + σ₀z₀, on the ``PanelRule`` with its kink at z₁ = −a/σ₁
    /// and scale min(1, 1/(βσ₁)): with u_k = β(a + σ₁z_k) and t_k = e^{−2|u_k|} − 1,
    /// ```
    /// tanh u = −sign(u) t/(2 + t),   ln 2cosh u = |u| + ln(1 + e^{−2|u|}) = |u| + log1p(1 + t),
    /// replica weight of node k: W_k = w_k e^{−z_k²/2} (2cosh u_k)^x = w_k exp(x ln 2cosh u_k − z_k²/2),
    /// ⟨tanh⟩ = Σ W tanh / Σ W,  ⟨tanh²⟩ = Σ W tanh² / Σ W,  ln E (2cosh)^x = ln Σ W,
    /// ⟨ln 2cosh⟩ = Σ W ln 2cosh / Σ W,
    /// ```
    /// the exponents shifted by their largest value before exponentiating (x β|h| of hundreds does not
    /// overflow). Three vector functions per node (expm1, log1p, exp; ``VectorMath``) where libm's tanh,
    /// log1p∘exp, and two exps (the density and the weight) took five scalar calls. `nodes`, `weights`,
    /// `t`, `l`, `v`: work vectors of ``PanelRule/maximumNodes`` + 8.
    @inline(__always)
    static func innerAverages(_ a: Double, sigma1: Double, beta: Double, x: Double,
                              nodes z: UnsafeMutablePointer<Double>, weights w: UnsafeMutablePointer<Double>,
                              t: UnsafeMutablePointer<Double>, l: UnsafeMutablePointer<Double>,
                              v: UnsafeMutablePointer<Double>) -> (tanh: Double, tanh2: Double, lnZ: Double, lnCosh: Double) {
        let n = PanelRule.fill(kink: -a / sigma1, scale: min(1, 1 / (beta * sigma1)), halfWidth: innerHalfWidth(sigma1: sigma1, beta: beta, x: x),
                               nodes: z, weights: w)
        // Eight lanes at a time (SIMD8: the compiler does not vectorise max and sum reductions by
        // itself); the tail padded with copies of the last node at weight 0.
        let padded = (n + 7) & ~7
        for k in n..<padded { z[k] = z[n - 1]; w[k] = 0 }
        typealias V = SIMD8<Double>
        let zr = UnsafeRawPointer(z), wr = UnsafeRawPointer(w)
        let tr = UnsafeMutableRawPointer(t), lr = UnsafeMutableRawPointer(l), vr = UnsafeMutableRawPointer(v)
        let ba = V(repeating: beta * a), bs = V(repeating: beta * sigma1)
        @inline(__always) func field(_ k: Int) -> V { ba + bs * zr.loadUnaligned(fromByteOffset: 8 * k, as: V.self) }
        @inline(__always) func magnitude(_ u: V) -> V { u.replacing(with: -u, where: u .< 0) }
        for k in stride(from: 0, to: padded, by: 8) {
            let u = field(k)
            tr.storeBytes(of: -2 * magnitude(u), toByteOffset: 8 * k, as: V.self)
        }
        VectorMath.expm1(t, t, padded)
        for k in stride(from: 0, to: padded, by: 8) {
            lr.storeBytes(of: 1 + tr.loadUnaligned(fromByteOffset: 8 * k, as: V.self), toByteOffset: 8 * k, as: V.self)
        }
        VectorMath.log1p(l, l, padded)
        var tops = V(repeating: -.infinity)
        let xs = V(repeating: x)
        for k in stride(from: 0, to: padded, by: 8) {
            let u = field(k), zk = zr.loadUnaligned(fromByteOffset: 8 * k, as: V.self)
            let lnCosh = lr.loadUnaligned(fromByteOffset: 8 * k, as: V.self) + magnitude(u)
            lr.storeBytes(of: lnCosh, toByteOffset: 8 * k, as: V.self)
            let e = xs * lnCosh - 0.5 * zk * zk
            vr.storeBytes(of: e, toByteOffset: 8 * k, as: V.self)
            tops.replace(with: e, where: e .> tops)
        }
        let top = tops.max()
        for k in stride(from: 0, to: padded, by: 8) {
            vr.storeBytes(of: vr.loadUnaligned(fromByteOffset: 8 * k, as: V.self) - top, toByteOffset: 8 * k, as: V.self)
        }
        VectorMath.exp(v, v, padded)
        var total = V(), mean = V(), square = V(), lnCosh = V()
        for k in stride(from: 0, to: padded, by: 8) {
            let weight = wr.loadUnaligned(fromByteOffset: 8 * k, as: V.self) * vr.loadUnaligned(fromByteOffset: 8 * k, as: V.self)
            let tk = tr.loadUnaligned(fromByteOffset: 8 * k, as: V.self)
            let size = -tk / (2 + tk)
            let th = size.replacing(with: -size, where: field(k) .< 0)
            total += weight; mean += weight * th; square += weight * th * th
            lnCosh += weight * lr.loadUnaligned(fromByteOffset: 8 * k, as: V.self)
        }
        let sum = total.sum()
        return (mean.sum() / sum, square.sum() / sum, top + log(sum), lnCosh.sum() / sum)
    }

    public struct Zero: Sendable, Equatable {
        /// E_{z₀} S/Z (m), E_{z₀} (S/Z)² (q₀), E_{z₀} 2φ(a/b)/(bZ) (C₁), E_{z₀} ln Z, and
        /// E_{z₀} ∂ln Z/∂μ at fixed a, b, which is μb² + E_{z₀}[a S/Z] + b²C₁: with
        /// Y = e^{μa}Φ(a/b + μb) + e^{−μa}Φ(−a/b + μb), e^{±μa}φ(±a/b + μb) = φ(a/b)e^{−μ²b²/2}, so
        /// ∂Y/∂μ = a(e^{μa}Φ₊ − e^{−μa}Φ₋) + 2bφ(a/b)e^{−μ²b²/2} and ∂ln Z/∂μ = μb² + a S/Z + 2bφ(a/b)/Z.
        public var tanh, tanhSq, c1, lnZ, lnZSlope: Double
    }

    /// The T = 0 limit with μ = βx (see the type's documentation), on the outer ``PanelRule`` with the
    /// inner closed forms at all its nodes at once (``zeroInner(_:_:b:mu:ratio:c1:lnZ:work:)``).
    public static func zero(signal s: Double, sigma0: Double, sigma1: Double, mu: Double) -> Zero {
        guard mu > 0, mu.isFinite, sigma1 > 0 else { return Zero(tanh: .nan, tanhSq: .nan, c1: .nan, lnZ: .nan, lnZSlope: .nan) }
        let capacity = PanelRule.maximumNodes
        // Five vectors of the outer nodes and zeroInner's work space of two.
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 7 * capacity) { buffer in
            let a = buffer.baseAddress!, w = a + capacity, ratio = w + capacity, c1 = ratio + capacity, lnZ = c1 + capacity
            let work = lnZ + capacity
            let n: Int
            if sigma0 > 0 {
                n = PanelRule.fill(kink: -s / sigma0, scale: zeroOuterScale(sigma0: sigma0, sigma1: sigma1, mu: mu), nodes: a, weights: w)
                for k in 0..<n {
                    w[k] *= Foundation.exp(-0.5 * a[k] * a[k])
                    a[k] = s + sigma0 * a[k]
                }
            } else {
                n = 1; a[0] = s; w[0] = 1
            }
            zeroInner(a, n, b: sigma1, mu: mu, ratio: ratio, c1: c1, lnZ: lnZ, work: work)
            var r = Zero(tanh: 0, tanhSq: 0, c1: 0, lnZ: 0, lnZSlope: 0)
            var signalTanh = 0.0
            for k in 0..<n {
                r.tanh += w[k] * ratio[k]; r.tanhSq += w[k] * ratio[k] * ratio[k]; r.c1 += w[k] * c1[k]; r.lnZ += w[k] * lnZ[k]
                signalTanh += w[k] * a[k] * ratio[k]
            }
            r.lnZSlope = mu * sigma1 * sigma1 + signalTanh + sigma1 * sigma1 * r.c1
            return r
        }
    }

    /// The T = 0 inner closed forms at the n points a_k, b = σ₁: with ln Φ(y) = ln erfc(−y/√2) − ln 2
    /// (vector erfc and log) and ℓ± = ±μa + ln Φ(±a/b + μb), d = ℓ₊ − ℓ₋ and t = e^{−|d|} − 1 (vector expm1),
    /// ```
    /// S/Z = sign(d) (−t)/(2 + t) = tanh(d/2),   ln Z = μ²b²/2 + max(ℓ₊, ℓ₋) + log1p(1 + t),
    /// C₁ term = 2φ(a/b)/(bZ) = (2/b) exp(−(a/b)²/2 − ln √(2π) − ln Z)      (vector log1p, exp).
    /// ```
    /// Where erfc underflows (argument ≳ 27) ℓ = −∞ and that term is e^{−700} of the other (one of
    /// ±a/b + μb is > μb > 0, so its Φ is > ½): t = −1, exactly what the other term alone gives.
    /// (This was two GSL log erfc calls and five scalar exp/log per node.) `work`: 2n doubles.
    static func zeroInner(_ a: UnsafePointer<Double>, _ n: Int, b: Double, mu: Double,
                          ratio: UnsafeMutablePointer<Double>, c1: UnsafeMutablePointer<Double>, lnZ: UnsafeMutablePointer<Double>,
                          work: UnsafeMutablePointer<Double>) {
        let plus = work, minus = work + n
        let root2 = 2.0.squareRoot(), mub = mu * b
        for k in 0..<n {
            let r = a[k] / b
            plus[k] = -(r + mub) / root2
            minus[k] = -(-r + mub) / root2
        }
        VectorMath.erfc(work, work, 2 * n)
        VectorMath.log(work, work, 2 * n)
        for k in 0..<n {
            let lp = mu * a[k] + plus[k], lm = -mu * a[k] + minus[k]
            ratio[k] = lp - lm
            lnZ[k] = max(lp, lm)
            c1[k] = -abs(lp - lm)
        }
        VectorMath.expm1(c1, c1, n)
        for k in 0..<n {
            let t = c1[k]
            ratio[k] = ratio[k] < 0 ? t / (2 + t) : -t / (2 + t)
            plus[k] = 1 + t
        }
        VectorMath.log1p(plus, plus, n)
        let shift = 0.5 * mub * mub - Foundation.log(2.0), density = 0.5 * Foundation.log(2 * Double.pi)
        for k in 0..<n {
            lnZ[k] += shift + plus[k]
            let r = a[k] / b
            minus[k] = -0.5 * r * r - density - lnZ[k]
        }
        VectorMath.exp(minus, minus, n)
        for k in 0..<n { c1[k] = 2 / b * minus[k] }
    }

    /// The outer rule's scale at T > 0: ⟨tanh⟩(a) changes within √(1/β² + w²) of a = 0,
    /// w = min(σ₁, 1/(xβ)): the z₁ Gaussian smears the step by σ₁, but the replica weight
    /// (2cosh βh)^x ~ e^{xβ|h|} sharpens it back to 1/(xβ) where xβσ₁ > 1 (T = 0: min(σ₁, 1/μ), μ = xβ).
    public static func outerScale(sigma0: Double, sigma1: Double, beta: Double, x: Double) -> Double {
        let width = min(sigma1, 1 / (x * beta))
        return min(1, (1 / (beta * beta) + width * width).squareRoot() / sigma0)
    }

    /// The inner rule's half-width L at T > 0: the replica weight e^{x ln 2cosh βh} ~ e^{xβσ₁|z|} moves
    /// the inner mass to |z| ≈ xβσ₁, so L = 9 + ⌈xβσ₁ − 2⌉ (≥ 9) keeps the mass beyond L, ~Φ̄(L − xβσ₁)
    /// ≤ Φ̄(7), below 10⁻¹² (up to xβσ₁ = 41, where L reaches its largest, 48).
    public static func innerHalfWidth(sigma1: Double, beta: Double, x: Double) -> Int {
        let tilt = x * beta * sigma1
        return tilt > 2 ? PanelRule.halfWidth + Int(min(tilt - 2, 100).rounded(.up)) : PanelRule.halfWidth
    }

    /// The outer rule's scale at T = 0: the integrands change within min(σ₁, 1/μ) of a = 0 (S/Z →
    /// 2Φ(a/b) − 1 and the C₁ density 2φ(a/b)/(bZ) has width σ₁ where μσ₁ ≪ 1; S/Z → tanh μa where
    /// μσ₁ ≫ 1). (It was √(σ₁² + 1/μ²), the larger of the two: C₁ off by 0.3% at σ₁ = 0.01, μ = 1.)
    public static func zeroOuterScale(sigma0: Double, sigma1: Double, mu: Double) -> Double {
        min(1, min(sigma1, 1 / mu) / sigma0)
    }

    /// ln 2cosh u = |u| + ln(1 + e^{−2|u|}).
    @inline(__always)
    static func lnTwoCosh(_ u: Double) -> Double {
        let a = abs(u)
        return a + log1p(exp(-2 * a))
    }
}
