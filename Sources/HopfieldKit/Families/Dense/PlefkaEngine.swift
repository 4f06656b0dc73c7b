import Foundation

/// Plefka's expansion (TAP-type) of a dense network's Gibbs free energy at fixed magnetisations
/// m_i = ⟨σ_i⟩, truncated at first or second order in β (Plefka, J. Phys. A 15, 1971 (1982);
/// docs/physics.md §2), for the Gardner form H = −Σ_T J_T σ_T, T the unordered P-tuples of distinct
/// neurons and J_T = (w/N^{P−1}) Σ_ν Π_{j∈T} η_j^ν:
/// ```
/// G(m) = −S(m)/β + ⟨H⟩_m − (β/2) V(m) + O(β²),
/// ⟨H⟩_m = −(w/N^{P−1}) Σ_ν e_P(η^ν m),       (product measure with means m)
/// V(m)  = Σ_T J_T² [1 − Π_T m_j² − Σ_{k∈T} (1 − m_k²) Π_{T∖k} m_j²]
/// ```
/// (V is the variance of H minus its part linear in the σ_i − m_i, Plefka's second-order term).
/// Stationarity ∂G/∂m_i = 0 gives
/// ```
/// m_i = tanh β[h_i(m) − β m_i Γ (P − 1)(1 − q) q^{P−2}],    q = (1/N) Σ_j m_j²,
/// h_i(m) = (w/N^{P−1}) Σ_ν η_i^ν e_{P−1}(η^ν m without i)   (first order: naive mean field)
/// ```
/// with the self-averaged Σ_{T∋i} J_T² Σ_{k∈T∖i} (1 − m_k²) Π_{T∖{i,k}} m_j² ≈ Γ (P − 1)(1 − q)
/// q^{P−2}, Γ = Σ_{T∋i} J_T² ≈ α w_c/(P − 1)!, w_c the crosstalk weight (``DenseSettings``): for
/// distinct-index tuples the cross terms of different patterns average out at P ≥ 3. The second-
/// order (Onsager) term is the whole correction in the thermodynamic limit for P ≥ 3, where the
/// crosstalk is Gaussian; for P = 2 the Hebbian couplings are correlated, every order contributes
/// at O(1), and this truncation is an approximation only (Nakanishi & Takayama 1997).
///
/// The fixed point is found by sequential damped updates m_i ← (1 − λ) m_i + λ tanh β(…), keeping
/// the power sums Σ_j (η_j^ν m_j)^k up to date after each site (O(K_c P) per update, as in a Monte
/// Carlo sweep): plain iteration of TAP equations oscillates even where they are valid.
public struct PlefkaEngine: Sendable {
    public enum Order: Int, Sendable, Codable, CaseIterable {
        case first = 1, second = 2
    }

    public let network: DenseNetwork
    public let temperature: Double
    public let order: Order
    public var damping: Double = 0.5
    public var tolerance: Double = 1e-9
    public var maxSweeps: Int = 5000

    public init(network: DenseNetwork, temperature: Double, order: Order) {
        precondition(temperature > 0)
        self.network = network; self.temperature = temperature; self.order = order
    }

    /// Γ ≈ α w_c / (P − 1)!.
    public var reactionStrength: Double {
        let p = network.order
        let factorial = (1..<p).reduce(1.0) { $0 * Double($1) }
        return network.alpha * network.settings.crosstalkWeight / factorial
    }

    /// The converged (or last) magnetisations and how they were obtained.
    public struct FixedPoint: Sendable {
        public var magnetizations: [Double]
        public var sweeps: Int
        public var converged: Bool
        /// max_i |m_i − tanh β(h_i − reaction_i)| at the returned point.
        public var residual: Double
        /// Mean |β m_i Γ (P−1)(1−q) q^{P−2}|: the Onsager reaction field. At first order it is the
        /// size of the neglected term; at second order, of the correction applied.
        public var reactionField: Double
        /// Mean |h_i|, the scale the reaction field is to be compared with.
        public var meanField: Double
        /// Wall time of the iteration in seconds.
        public var seconds: Double
    }

    /// Iterates from `start` (default m = ξ¹) to a fixed point; `afterSweep` sees the sweep count
    /// and the current magnetisations.
    public func solve(start: [Double]? = nil, afterSweep: ((Int, [Double]) -> Void)? = nil) -> FixedPoint {
        let clock = ContinuousClock.now
        let n = network.neurons, kc = network.couplingCount, p = network.order
        let beta = 1 / temperature
        var m = start ?? network.archetypes.pattern(0).map(Double.init)
        let eta = network.couplings.map { Double($0) / network.scale }
        // sums[(k − 1) * kc + ν] = Σ_j (η_j^ν m_j)^k, k = 1 … P − 1
        var sums = [Double](repeating: 0, count: kc * max(p - 1, 1))
        for i in 0..<n {
            for nu in 0..<kc {
                let x = eta[i * kc + nu] * m[i]
                var xk = 1.0
                for k in 1..<p { xk *= x; sums[(k - 1) * kc + nu] += xk }
            }
        }
        var sumSquares = m.reduce(0) { $0 + $1 * $1 }
        let gamma = order == .second ? reactionStrength * Double(p - 1) : 0
        let prefactor = network.weight / pow(Double(n), Double(p - 1))
        var scratch = [Double](repeating: 0, count: 2 * p + 2)
        var sweeps = 0
        var residual = 0.0, reactionSum = 0.0, fieldSum = 0.0

        eta.withUnsafeBufferPointer { etaBuffer in
            sums.withUnsafeMutableBufferPointer { sumsBuffer in
                m.withUnsafeMutableBufferPointer { mBuffer in
                    scratch.withUnsafeMutableBufferPointer { scratchBuffer in
                        let etaP = etaBuffer.baseAddress!, sumsP = sumsBuffer.baseAddress!, mP = mBuffer.baseAddress!
                        let powerSums = scratchBuffer.baseAddress!, e = scratchBuffer.baseAddress! + p
                        /// h_i(m) = (w/N^{P−1}) Σ_ν η_i^ν e_{P−1}(η^ν m without i).
                        func field(_ i: Int) -> Double {
                            var acc = 0.0
                            let mi = mP[i]
                            let row = etaP + i * kc
                            for nu in 0..<kc {
                                let ei = row[nu]
                                if ei == 0 { continue }
                                let xi = ei * mi
                                if p == 3 {
                                    // e_2 = (p_1² − p_2)/2
                                    let p1 = sumsP[nu] - xi, p2 = sumsP[kc + nu] - xi * xi
                                    acc += ei * 0.5 * (p1 * p1 - p2)
                                    continue
                                }
                                var xk = 1.0
                                for k in 1..<p {
                                    xk *= xi
                                    powerSums[k - 1] = sumsP[(k - 1) * kc + nu] - xk
                                }
                                ElementarySymmetric.fromPowerSums(UnsafePointer(powerSums), order: p - 1, into: e)
                                acc += ei * e[p - 1]
                            }
                            return acc * prefactor
                        }
                        /// β m_i Γ (P−1)(1 − q) q^{P−2} (zero at first order).
                        func reaction(_ i: Int, _ q: Double) -> Double {
                            gamma == 0 ? 0 : beta * mP[i] * gamma * (1 - q) * pow(q, Double(p - 2))
                        }
                        var change = Double.infinity
                        while sweeps < maxSweeps, change > tolerance {
                            change = 0
                            for i in 0..<n {
                                let q = sumSquares / Double(n)
                                let target = tanh(beta * (field(i) - reaction(i, q)))
                                let old = mP[i]
                                let new = (1 - damping) * old + damping * target
                                change = max(change, abs(target - old))
                                if new == old { continue }
                                let row = etaP + i * kc
                                for nu in 0..<kc {
                                    let ei = row[nu]
                                    if ei == 0 { continue }
                                    var xOld = 1.0, xNew = 1.0
                                    for k in 1..<p {
                                        xOld *= ei * old; xNew *= ei * new
                                        sumsP[(k - 1) * kc + nu] += xNew - xOld
                                    }
                                }
                                sumSquares += new * new - old * old
                                mP[i] = new
                            }
                            sweeps += 1
                            if let afterSweep { afterSweep(sweeps, Array(mBuffer)) }
                        }
                        // Residual, reaction and field scales at the returned point.
                        let q = sumSquares / Double(n)
                        for i in 0..<n {
                            let h = field(i), r = reaction(i, q)
                            residual = max(residual, abs(mP[i] - tanh(beta * (h - r))))
                            reactionSum += abs(beta * mP[i] * reactionStrength * Double(p - 1) * (1 - q) * pow(q, Double(max(p - 2, 0))))
                            fieldSum += abs(h)
                        }
                    }
                }
            }
        }
        let elapsed = ContinuousClock.now - clock
        return FixedPoint(magnetizations: m, sweeps: sweeps, converged: residual <= 10 * tolerance, residual: residual,
                          reactionField: reactionSum / Double(n), meanField: fieldSum / Double(n),
                          seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    /// Spins drawn independently with P(σ_i = +1) = (1 + m_i)/2, one uniform per neuron in order
    /// (from the fixed point reached from ξ¹, the `--init plefka` start of exact Monte Carlo).
    public static func spins(from magnetizations: [Double], using rng: inout Xoshiro256StarStar) -> [Int8] {
        magnetizations.map { rng.nextUniform() < (1 + $0) / 2 ? 1 : -1 }
    }

    /// Macroscopic observables of a magnetisation vector.
    public func observables(_ m: [Double]) -> (m: Double, n: Double?, q: Double, energy: Double) {
        let n = network.neurons, kc = network.couplingCount, p = network.order
        let xi = network.archetypes.pattern(0)
        let overlap = zip(xi, m).reduce(0.0) { $0 + Double($1.0) * $1.1 } / Double(n)
        var exampleOverlap: Double? = nil
        if network.settings.training != nil {
            var total = 0.0
            for nu in network.firstArchetypeCouplings {
                for i in 0..<n { total += Double(network.couplings[i * kc + nu]) / network.scale * m[i] }
            }
            exampleOverlap = total / (Double(n) * Double(network.firstArchetypeCouplings.count))
        }
        let q = m.reduce(0) { $0 + $1 * $1 } / Double(n)
        // ⟨H⟩/N = −(w/N^P) Σ_ν e_P(η^ν m), plus at second order −β V/N ≈ −β(Γ/P)[1 − q^P − P(1 − q)q^{P−1}].
        var total = 0.0
        var powerSums = [Double](repeating: 0, count: p), e = [Double](repeating: 0, count: p + 1)
        for nu in 0..<kc {
            for k in 1...p { powerSums[k - 1] = 0 }
            for i in 0..<n {
                let x = Double(network.couplings[i * kc + nu]) / network.scale * m[i]
                var xk = 1.0
                for k in 1...p { xk *= x; powerSums[k - 1] += xk }
            }
            powerSums.withUnsafeBufferPointer { ps in
                e.withUnsafeMutableBufferPointer { ep in
                    ElementarySymmetric.fromPowerSums(ps.baseAddress!, order: p, into: ep.baseAddress!)
                }
            }
            total += e[p]
        }
        var energy = -network.weight * total / pow(Double(n), Double(p))
        if order == .second {
            let pp = Double(p)
            energy -= (1 / temperature) * (reactionStrength / pp)
                * (1 - pow(q, pp) - pp * (1 - q) * pow(q, pp - 1))
        }
        return (overlap, exampleOverlap, q, energy)
    }
}
