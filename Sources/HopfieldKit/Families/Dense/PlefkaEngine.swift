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
public struct PlefkaEngine: PlefkaSolver {
    public typealias Order = PlefkaOrder
    public typealias FixedPoint = PlefkaFixedPoint

    public let network: DenseNetwork
    public let temperature: Double
    public var settings: PlefkaSettings
    public var order: Order { settings.order }
    public var condensedPattern: [Int8] { network.archetypes.pattern(0) }
    /// The parallel sweep exists for P = 3 with ±1 couplings and the self-averaged reaction.
    public var sweepUpdate: PlefkaUpdate { usesBinaryThree && bits != nil ? settings.update : .sequential }

    /// The coupling bits of the parallel P = 3 sweep (±1 couplings, P = 3), built with the engine.
    let bits: SignBits?
    /// ξ_i¹ as doubles (the cue's direction).
    let condensedDirection: [Double]

    public init(network: DenseNetwork, temperature: Double, settings: PlefkaSettings) {
        precondition(temperature > 0)
        self.network = network; self.temperature = temperature; self.settings = settings
        bits = network.order == 3 && network.binary && network.scale == 1
            ? network.couplings.withUnsafeBufferPointer { SignBits($0, neurons: network.neurons, columns: network.couplingCount) }
            : nil
        condensedDirection = network.archetypes.pattern(0).map(Double.init)
    }

    public init(network: DenseNetwork, temperature: Double, order: Order) {
        self.init(network: network, temperature: temperature, settings: PlefkaSettings(order: order))
    }

    /// Γ ≈ α w_c / (P − 1)!.
    public var reactionStrength: Double {
        let p = network.order
        let factorial = (1..<p).reduce(1.0) { $0 * Double($1) }
        return network.alpha * network.settings.crosstalkWeight / factorial
    }

    /// The coupling J_T = (w/N^{P−1}) Σ_ν Π_{j∈T} η_j^ν of a tuple of distinct neurons.
    func coupling(_ tuple: [Int]) -> Double {
        let kc = network.couplingCount
        var total = 0.0
        for nu in 0..<kc {
            var product = 1.0
            for j in tuple { product *= Double(network.couplings[j * kc + nu]) / network.scale }
            total += product
        }
        return total * network.weight / pow(Double(network.neurons), Double(network.order - 1))
    }

    /// Every increasing (P − 1)-tuple of neurons other than `i` (all P-tuples for i = nil).
    func tuples(excluding i: Int?, size: Int) -> [[Int]] {
        var result: [[Int]] = []
        var current: [Int] = []
        func extend(from j: Int) {
            if current.count == size { result.append(current); return }
            var k = j
            while k < network.neurons {
                if k != i { current.append(k); extend(from: k + 1); current.removeLast() }
                k += 1
            }
        }
        extend(from: 0)
        return result
    }

    /// Plefka's second-order term of this network (``OnsagerForm/sample``): every P-tuple T with its
    /// coupling J_T, and V(m) = Var_m(H) − Σ_a (1 − m_a²)(∂⟨H⟩_m/∂m_a)², the variance of H under the
    /// product measure with means m less its part linear in the σ_a − m_a:
    /// ```
    /// V = Σ_{T,T′: T∩T′≠∅} J_T J_T′ [Π_{T△T′} m − Π_T m Π_T′ m − Σ_{a∈T∩T′} (1 − m_a²) Π_{T∖a} m Π_{T′∖a} m]
    /// ```
    /// (for P ≥ 3 tuples sharing two or more neurons contribute at finite N, O(1/N) per neuron).
    /// The reaction in the field is −(β/2) ∂V/∂m_i.
    struct SampleExpansion {
        /// V as a polynomial: each monomial a coefficient and its factors (a neuron index per
        /// factor m_k, repeated for powers), expanded once from the tuple pairs.
        var coefficients: [Double] = []
        var factors: [[Int]] = []
        /// The monomials containing m_i, per neuron.
        var containing: [[Int]]

        init(_ engine: PlefkaEngine) {
            let tuples = engine.tuples(excluding: nil, size: engine.network.order)
            let couplings = tuples.map(engine.coupling)
            containing = Array(repeating: [], count: engine.network.neurons)
            func add(_ c: Double, _ f: [Int]) {
                for k in Set(f) { containing[k].append(coefficients.count) }
                coefficients.append(c); factors.append(f)
            }
            for a in tuples.indices {
                for b in tuples.indices {
                    let t = tuples[a], u = tuples[b]
                    let shared = t.filter(u.contains)
                    if shared.isEmpty { continue }
                    let c = couplings[a] * couplings[b]
                    add(c, t.filter { !u.contains($0) } + u.filter { !t.contains($0) })     // Π_{T△T′} m
                    add(-c, t + u)                                                          // Π_T m Π_T′ m
                    for k in shared {                                                       // (1 − m_k²) Π_{T∖k} Π_{T′∖k}
                        let rest = t.filter { $0 != k } + u.filter { $0 != k }
                        add(-c, rest)
                        add(c, rest + [k, k])
                    }
                }
            }
        }

        func variance(_ m: UnsafePointer<Double>) -> Double {
            var total = 0.0
            for k in coefficients.indices { total += coefficients[k] * factors[k].reduce(1.0) { $0 * m[$1] } }
            return total
        }

        /// −(β/2) ∂V/∂m_i, term by term.
        func reaction(_ i: Int, _ m: UnsafePointer<Double>, beta: Double) -> Double {
            var derivative = 0.0
            for k in containing[i] {
                let f = factors[k]
                for position in f.indices where f[position] == i {
                    var product = coefficients[k]
                    for other in f.indices where other != position { product *= m[f[other]] }
                    derivative += product
                }
            }
            return -0.5 * beta * derivative
        }
    }

    /// Iterates from `start` (default m = ξ¹) to a fixed point; `afterSweep` sees the sweep count
    /// and the current magnetisations.
    public func solve(start: [Double]? = nil, afterSweep: ((Int, [Double]) -> Void)? = nil) -> FixedPoint {
        var point: FixedPoint
        if sweepUpdate == .parallel, let bits {
            point = solveBinaryThreeParallel(start: start, afterSweep: afterSweep, bits: bits)
        } else {
            point = usesBinaryThree ? solveBinaryThree(start: start, afterSweep: afterSweep)
                                    : solveGeneral(start: start, afterSweep: afterSweep)
        }
        guard order == .second, settings.onsager == .selfAveraged else { return point }
        // Plefka's stability condition at the returned point, the TAP form of the P-spin replicon
        // (``DenseReplicaSymmetric/replicon(n:c:sech4:)``): x = β² Γ (P−1) q^{P−2} ⟨(1 − m_i²)²⟩ < 1.
        let m = point.magnetizations, n = Double(m.count), beta = 1 / temperature
        let q = m.reduce(0) { $0 + $1 * $1 } / n
        let fourth = m.reduce(0) { $0 + (1 - $1 * $1) * (1 - $1 * $1) } / n
        let x = beta * beta * reactionStrength * Double(network.order - 1) * pow(q, Double(network.order - 2)) * fourth
        point.replicon = x
        if x >= 1, point.failure == nil {
            point.failure = "Plefka's stability condition fails: x = β²Γ(P−1)q^{P−2}⟨(1 − m²)²⟩ = \(String(format: "%.3g", x)) ≥ 1 (the P-spin replicon): not a stable TAP state"
            point.converged = false
        }
        return point
    }

    /// The iteration for any P and coupling values (power sums up to P − 1).
    func solveGeneral(start: [Double]?, afterSweep: ((Int, [Double]) -> Void)?) -> FixedPoint {
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
        let gamma = reactionStrength * Double(p - 1)
        let (tolerance, maxSweeps) = (settings.tolerance, settings.maxSweeps)
        var monitor = PlefkaMonitor(settings)
        var failure: String?
        let cue = settings.cue, cueDirection = network.archetypes.pattern(0).map(Double.init)
        let prefactor = network.weight / pow(Double(n), Double(p - 1))
        var scratch = [Double](repeating: 0, count: 2 * p + 2)
        let expansion = settings.onsager == .sample ? SampleExpansion(self) : nil
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
                            return acc * prefactor + cue * cueDirection[i]
                        }
                        /// The Onsager reaction β m_i Γ (P−1)(1 − q) q^{P−2} (self-averaged) or
                        /// β m_i Σ_{T∋i} J_T² Σ_k (1 − m_k²) Π m_j² (the sample's own).
                        func onsager(_ i: Int, _ q: Double) -> Double {
                            switch settings.onsager {
                            case .selfAveraged: beta * mP[i] * gamma * (1 - q) * pow(q, Double(p - 2))
                            case .sample: expansion!.reaction(i, mP, beta: beta)
                            }
                        }
                        /// The reaction applied (zero at first order).
                        func reaction(_ i: Int, _ q: Double) -> Double { order == .second ? onsager(i, q) : 0 }
                        var change = Double.infinity
                        while sweeps < maxSweeps, change > tolerance {
                            change = 0
                            for i in 0..<n {
                                let q = sumSquares / Double(n)
                                let target = tanh(beta * (field(i) - reaction(i, q)))
                                let old = mP[i]
                                let new = (1 - monitor.damping) * old + monitor.damping * target
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
                            if let reason = monitor.afterSweep(change, sweeps: sweeps, mP, count: n) { failure = reason; break }
                        }
                        // Residual, reaction and field scales at the returned point.
                        let q = sumSquares / Double(n)
                        for i in 0..<n {
                            let h = field(i), r = reaction(i, q)
                            residual = max(residual, abs(mP[i] - tanh(beta * (h - r))))
                            reactionSum += abs(onsager(i, q))
                            fieldSum += abs(h)
                        }
                    }
                }
            }
        }
        let elapsed = ContinuousClock.now - clock
        return FixedPoint(magnetizations: m, sweeps: sweeps, converged: failure == nil && residual <= 10 * tolerance,
                          residual: residual, reactionField: reactionSum / Double(n), meanField: fieldSum / Double(n),
                          seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                          failure: failure)
    }

    /// Macroscopic observables of a magnetisation vector.
    public func observables(_ m: [Double]) -> PlefkaObservables {
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
        var energy = -network.weight * total / pow(Double(n), Double(p)) - settings.cue * overlap
        // G/N = ⟨H⟩/N − T s(m) − (β/2) V/N at second order; U/N = ⟨H⟩/N − β V/N.
        var free = energy - temperature * PlefkaObservables.entropy(m)
        if order == .second {
            switch settings.onsager {
            case .selfAveraged:
                let pp = Double(p)
                let variance = (reactionStrength / pp) * (1 - pow(q, pp) - pp * (1 - q) * pow(q, pp - 1))
                energy -= variance / temperature
                free -= 0.5 * variance / temperature
            case .sample:
                // U = ⟨H⟩ − β V (``SampleExpansion``).
                let variance = m.withUnsafeBufferPointer { SampleExpansion(self).variance($0.baseAddress!) }
                energy -= variance / (temperature * Double(n))
                free -= 0.5 * variance / (temperature * Double(n))
            }
        }
        let overlaps = (0..<min(network.archetypes.patterns, MonteCarloObservables.recordedOverlaps)).map { mu in
            zip(network.archetypes.pattern(mu), m).reduce(0.0) { $0 + Double($1.0) * $1.1 } / Double(n)
        }
        return PlefkaObservables(m: overlap, n: exampleOverlap, q: q, energy: energy, freeEnergy: free, overlaps: overlaps)
    }
}
