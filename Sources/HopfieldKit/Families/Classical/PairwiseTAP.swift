import Foundation

/// Plefka's expansion (TAP) of a pairwise Hebbian network, ±1 (classical) or diluted (multitasking)
/// patterns, docs/physics.md §8.2. With J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ (J_ii = 0, as in Monte Carlo),
/// M_μ = (1/N) Σ_j ξ_j^μ m_j, c_i = Σ_μ (ξ_i^μ)² and χ = (β/N) Σ_j (c_j/P)(1 − m_j²):
/// ```
/// m_i = tanh β[Σ_μ ξ_i^μ M_μ − (c_i/N) m_i R + h ξ_i¹],
/// R = 1                 first order (naive mean field; the self-coupling removed)
/// R = 1/(1 − χ)         second order, self-averaged: the cavity (Mézard–Parisi–Virasoro) reaction,
///                       Plefka's β Σ_j J_ij²(1 − m_j²) = (c_i/N) χ plus the higher orders χ^k that
///                       correlated Hebbian couplings make O(1) (a geometric series)
/// R = 1 + (N/c_i) β Σ_j J_ij²(1 − m_j²)   second order, the sample's own term (small N)
/// ```
/// from βG/N = βE_MF(m) − S(m)/N + (α/2)[ln(1 − χ) + χ] (self-averaged), E_MF = −(N/2) Σ_μ M_μ²
/// + (1/2N) Σ_i c_i m_i² − h Σ_i ξ_i¹ m_i. The iteration keeps S_μ = N M_μ up to date after each
/// site (an O(P) row update, as after a Monte Carlo flip) and Σ_j c_j m_j² for χ; the field is the
/// same O(P) row product as a Monte Carlo update's.
public struct PairwiseTAP: PlefkaSolver {
    public let patterns: PatternMatrix
    public let temperature: Double
    public var settings: PlefkaSettings
    public var condensedPattern: [Int8] { patterns.pattern(0) }
    /// Both sweeps exist for every pairwise network and reaction form.
    public var sweepUpdate: PlefkaUpdate { settings.update }
    /// The pattern bits of the parallel sweep (built with the engine, like Monte Carlo's packed rows).
    let bits: SignBits
    /// c_i/N and ξ_i¹ as doubles, for the parallel sweep.
    let selfCouplingsPerNeuron: [Double], condensedDirection: [Double]

    public init(patterns: PatternMatrix, temperature: Double, settings: PlefkaSettings = PlefkaSettings()) {
        precondition(temperature > 0)
        self.patterns = patterns; self.temperature = temperature; self.settings = settings
        bits = SignBits(patterns)
        selfCouplingsPerNeuron = patterns.selfCouplings.map { Double($0) / Double(patterns.neurons) }
        condensedDirection = patterns.pattern(0).map(Double.init)
    }

    /// Σ_{j≠i} J_ij² (1 − m_j²), J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ, from the patterns (O(N P)).
    func sampleReactionSum(_ i: Int, _ m: UnsafePointer<Double>) -> Double {
        let n = patterns.neurons, p = patterns.patterns
        return patterns.entries.withUnsafeBufferPointer { xi in
            var total = 0.0
            for j in 0..<n where j != i {
                var c = 0
                for mu in 0..<p { c += Int(xi[i * p + mu]) * Int(xi[j * p + mu]) }
                let jij = Double(c) / Double(n)
                total += jij * jij * (1 - m[j] * m[j])
            }
            return total
        }
    }

    public func solve(start: [Double]?, afterSweep: ((Int, [Double]) -> Void)?) -> PlefkaFixedPoint {
        if settings.update == .parallel { return solveParallel(start: start, afterSweep: afterSweep) }
        let clock = ContinuousClock.now
        let n = patterns.neurons, p = patterns.patterns
        let beta = 1 / temperature, nd = Double(n)
        let (order, onsager, cue) = (settings.order, settings.onsager, settings.cue)
        var monitor = PlefkaMonitor(settings)
        var m = start ?? patterns.pattern(0).map(Double.init)
        var sums = [Double](repeating: 0, count: p)
        let totalC = Double(patterns.totalSelfCoupling)
        var weightedSquares = 0.0              // Σ_j c_j m_j²
        var sweeps = 0, residual = 0.0, reactionSum = 0.0, fieldSum = 0.0
        var failure: String?
        var replicon: Double?
        patterns.entries.withUnsafeBufferPointer { xiBuffer in
            patterns.selfCouplings.withUnsafeBufferPointer { cBuffer in
                sums.withUnsafeMutableBufferPointer { sBuffer in
                    m.withUnsafeMutableBufferPointer { mBuffer in
                        let xi = xiBuffer.baseAddress!, s = sBuffer.baseAddress!, mp = mBuffer.baseAddress!
                        for i in 0..<n {
                            PairwiseKernels.addRow(xi + i * p, mp[i], s, p)
                            weightedSquares += Double(cBuffer[i]) * mp[i] * mp[i]
                        }
                        /// χ = (β/N) Σ_j (c_j/P)(1 − m_j²).
                        func chi() -> Double { beta * (totalC - weightedSquares) / (nd * Double(p)) }
                        // The resummed reaction diverges at χ → 1, and a damped sweep from a noisy start can
                        // pass through such q transiently: the iteration uses min(χ, cap), raising the cap
                        // towards 1 whenever it converges with χ above it, so what it returns solves the
                        // uncapped equations (the residual below is uncapped).
                        var cap = 0.5
                        // The change of the last updated site not yet added to S (row, δ): added in the
                        // same pass that reads S for the next site's field.
                        var pending: (row: UnsafePointer<Int8>, delta: Double)?
                        func flush() {
                            if let (row, delta) = pending { PairwiseKernels.addRow(row, delta, s, p) }
                            pending = nil
                        }
                        /// The field without reaction, Σ_μ ξ_i^μ M_μ + h ξ_i¹, and the reaction (c_i/N) m_i R.
                        func fields(_ i: Int, capped: Bool = true) -> (field: Double, reaction: Double, onsager: Double) {
                            let row = xi + i * p
                            let product: Double
                            if let (previous, delta) = pending {
                                product = PairwiseKernels.addRowThenDot(previous, delta, row, s, p)
                                pending = nil
                            } else {
                                product = PairwiseKernels.dot(row, s, p)
                            }
                            let field = product / nd + cue * Double(row[0])
                            let self_ = Double(cBuffer[i]) / nd * mp[i]
                            let extra: Double
                            switch onsager {
                            case .selfAveraged:
                                let x = capped ? min(chi(), cap) : chi()
                                extra = x < 1 ? self_ * x / (1 - x) : .infinity
                            case .sample:
                                extra = beta * mp[i] * sampleReactionSum(i, UnsafePointer(mp))
                            }
                            return (field, order == .second ? self_ + extra : self_, extra)
                        }
                        var change = Double.infinity
                        while sweeps < settings.maxSweeps {
                            if change <= settings.tolerance {
                                guard order == .second, onsager == .selfAveraged, chi() >= cap else { break }
                                guard cap < 1 - 1e-9, chi() < 1 else {
                                    failure = "χ = β(1 − q̃) = \(chi()) ≥ 1 at the fixed point: outside the domain of the resummed Onsager term"
                                    break
                                }
                                cap = 0.5 * (1 + cap)
                                monitor.reset()
                            }
                            change = 0
                            for i in 0..<n {
                                let f = fields(i)
                                let target = tanh(beta * (f.field - f.reaction))
                                let old = mp[i]
                                let new = (1 - monitor.damping) * old + monitor.damping * target
                                change = max(change, abs(target - old))
                                if new == old { continue }
                                pending = (xi + i * p, new - old)
                                weightedSquares += Double(cBuffer[i]) * (new * new - old * old)
                                mp[i] = new
                            }
                            flush()
                            sweeps += 1
                            if let afterSweep { afterSweep(sweeps, Array(mBuffer)) }
                            if let reason = monitor.afterSweep(change, sweeps: sweeps, mp, count: n) { failure = reason; break }
                        }
                        // Residual, reaction and field scales at the returned point.
                        // Plefka's stability condition at the returned point (second order, self-averaged):
                        // x = αβ²v²⟨(1 − m²)²⟩/(1 − χ)² < 1, AGS's replicon λ_AT (§1.9, §3.4) for the
                        // state; x ≥ 1 (e.g. the m = 0 solution below T_g) is not a valid TAP state.
                        if order == .second, onsager == .selfAveraged, chi() < 1 {
                            let v = totalC / (nd * Double(p))
                            var fourth = 0.0
                            for i in 0..<n { fourth += (1 - mp[i] * mp[i]) * (1 - mp[i] * mp[i]) }
                            let x = Double(p) / nd * beta * beta * v * v * (fourth / nd) / ((1 - chi()) * (1 - chi()))
                            replicon = x
                            if x >= 1, failure == nil {
                                failure = "Plefka's stability condition fails: x = αβ²v²⟨(1 − m²)²⟩/(1 − χ)² = \(String(format: "%.3g", x)) ≥ 1 (AGS's replicon): not a stable TAP state (spin-glass region)"
                            }
                        }
                        for i in 0..<n {
                            let f = fields(i, capped: false)
                            residual = max(residual, abs(mp[i] - tanh(beta * (f.field - f.reaction))))
                            // Where χ ≥ 1 the uncapped term is infinite: its size is reported at the cap.
                            reactionSum += abs(f.onsager.isFinite ? f.onsager : fields(i).onsager)
                            fieldSum += abs(f.field)
                        }
                        // Where χ ≥ 1 the uncapped reaction, and with it the residual, is undefined.
                        if order == .second, onsager == .selfAveraged, !(chi() < 1) { residual = .infinity }
                    }
                }
            }
        }
        if !residual.isFinite || residual.isNaN { residual = .infinity }
        let elapsed = ContinuousClock.now - clock
        return PlefkaFixedPoint(magnetizations: m, sweeps: sweeps, converged: failure == nil && residual <= 10 * settings.tolerance,
                                residual: residual, reactionField: reactionSum / nd, meanField: fieldSum / nd,
                                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                                failure: failure, replicon: replicon)
    }

    /// m, q, the overlaps, G/N (§8.2) and U/N = E_MF/N − (α/2)(1 − q̃) χ/(1 − χ) (self-averaged second order;
    /// the sample form: E_MF/N − (β/N) Σ_{i<j} J_ij²(1 − m_i²)(1 − m_j²); first order E_MF/N),
    /// 1 − q̃ = (1/N) Σ_j (c_j/P)(1 − m_j²).
    public func observables(_ m: [Double]) -> PlefkaObservables {
        let n = patterns.neurons, p = patterns.patterns, nd = Double(n)
        var sums = [Double](repeating: 0, count: p)
        var selfTerm = 0.0, weightedSquares = 0.0
        patterns.entries.withUnsafeBufferPointer { xi in
            sums.withUnsafeMutableBufferPointer { s in
                for i in 0..<n {
                    PairwiseKernels.addRow(xi.baseAddress! + i * p, m[i], s.baseAddress!, p)
                    selfTerm += Double(patterns.selfCouplings[i]) * m[i] * m[i]
                }
            }
        }
        weightedSquares = selfTerm
        var energy = -0.5 * sums.reduce(0) { $0 + $1 * $1 } / (nd * nd) + selfTerm / (2 * nd * nd)
        energy -= settings.cue * sums[0] / nd
        // G/N = E_MF/N − T s(m) + (second order) T (α/2)[ln(1 − χ) + χ], or −(β/2) V/N for the sample form.
        var free = energy - temperature * PlefkaObservables.entropy(m)
        if settings.order == .second {
            let beta = 1 / temperature
            switch settings.onsager {
            case .selfAveraged:
                let oneMinusQ = (Double(patterns.totalSelfCoupling) - weightedSquares) / (nd * Double(p))
                let chi = beta * oneMinusQ
                // χ ≥ 1: the resummed term (and with it U and G) is undefined here.
                energy = chi < 1 ? energy - 0.5 * Double(p) / nd * oneMinusQ * chi / (1 - chi) : .nan
                free = chi < 1 ? free + temperature * 0.5 * Double(p) / nd * (log(1 - chi) + chi) : .nan
            case .sample:
                var total = 0.0
                m.withUnsafeBufferPointer { mp in
                    for i in 0..<n { total += (1 - m[i] * m[i]) * sampleReactionSum(i, mp.baseAddress!) }
                }
                energy -= beta * 0.5 * total / nd
                free -= 0.5 * beta * 0.5 * total / nd
            }
        }
        let overlaps = (0..<min(p, MonteCarloObservables.recordedOverlaps)).map { sums[$0] / nd }
        return PlefkaObservables(m: sums[0] / nd, n: nil, q: m.reduce(0) { $0 + $1 * $1 } / nd, energy: energy,
                                 freeEnergy: free, overlaps: overlaps)
    }
}

/// The row kernels of the pairwise Plefka engine: Σ_μ ξ_i^μ S_μ and S_μ += δ ξ_i^μ over an Int8 row,
/// eight doubles at a time.
enum PairwiseKernels {
    @inline(__always)
    static func dot(_ row: UnsafePointer<Int8>, _ s: UnsafePointer<Double>, _ count: Int) -> Double {
        var a0 = SIMD8<Double>(), a1 = SIMD8<Double>(), a2 = SIMD8<Double>(), a3 = SIMD8<Double>()
        var k = 0
        let raw = UnsafeRawPointer(row), sRaw = UnsafeRawPointer(s)
        @inline(__always) func step(_ k: Int, _ acc: inout SIMD8<Double>) {
            acc.addProduct(SIMD8<Double>(raw.loadUnaligned(fromByteOffset: k, as: SIMD8<Int8>.self)),
                           sRaw.loadUnaligned(fromByteOffset: 8 * k, as: SIMD8<Double>.self))
        }
        while k + 32 <= count {
            step(k, &a0); step(k + 8, &a1); step(k + 16, &a2); step(k + 24, &a3)
            k += 32
        }
        while k + 8 <= count { step(k, &a0); k += 8 }
        var total = ((a0 + a1) + (a2 + a3)).sum()
        while k < count { total += Double(row[k]) * s[k]; k += 1 }
        return total
    }

    /// S_μ += δ ξ_j^μ, then Σ_μ ξ_i^μ S_μ with the updated S, in one pass over S (four independent
    /// accumulators: a single one would wait on each multiply-add's latency).
    @inline(__always)
    static func addRowThenDot(_ previous: UnsafePointer<Int8>, _ delta: Double, _ row: UnsafePointer<Int8>,
                              _ s: UnsafeMutablePointer<Double>, _ count: Int) -> Double {
        var a0 = SIMD8<Double>(), a1 = SIMD8<Double>(), a2 = SIMD8<Double>(), a3 = SIMD8<Double>()
        var k = 0
        let prev = UnsafeRawPointer(previous), raw = UnsafeRawPointer(row), sRaw = UnsafeMutableRawPointer(s)
        let d = SIMD8<Double>(repeating: delta)
        @inline(__always) func step(_ k: Int, _ acc: inout SIMD8<Double>) {
            var v = sRaw.loadUnaligned(fromByteOffset: 8 * k, as: SIMD8<Double>.self)
            v.addProduct(SIMD8<Double>(prev.loadUnaligned(fromByteOffset: k, as: SIMD8<Int8>.self)), d)
            sRaw.storeBytes(of: v, toByteOffset: 8 * k, as: SIMD8<Double>.self)
            acc.addProduct(SIMD8<Double>(raw.loadUnaligned(fromByteOffset: k, as: SIMD8<Int8>.self)), v)
        }
        while k + 32 <= count {
            step(k, &a0); step(k + 8, &a1); step(k + 16, &a2); step(k + 24, &a3)
            k += 32
        }
        while k + 8 <= count { step(k, &a0); k += 8 }
        var total = ((a0 + a1) + (a2 + a3)).sum()
        while k < count {
            s[k] += Double(previous[k]) * delta
            total += Double(row[k]) * s[k]
            k += 1
        }
        return total
    }

    @inline(__always)
    static func addRow(_ row: UnsafePointer<Int8>, _ delta: Double, _ s: UnsafeMutablePointer<Double>, _ count: Int) {
        var k = 0
        let raw = UnsafeRawPointer(row), sRaw = UnsafeMutableRawPointer(s)
        let d = SIMD8<Double>(repeating: delta)
        while k + 8 <= count {
            let a = SIMD8<Double>(raw.loadUnaligned(fromByteOffset: k, as: SIMD8<Int8>.self))
            var v = sRaw.loadUnaligned(fromByteOffset: 8 * k, as: SIMD8<Double>.self)
            v.addProduct(a, d)
            sRaw.storeBytes(of: v, toByteOffset: 8 * k, as: SIMD8<Double>.self)
            k += 8
        }
        while k < count { s[k] += Double(row[k]) * delta; k += 1 }
    }
}
