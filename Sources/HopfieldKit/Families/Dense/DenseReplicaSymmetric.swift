import Foundation

/// The statistics of the example mean χ̄_i = (1/M) Σ_a χ_i^a that enters a trained dense network's
/// signal, and the crosstalk weight w (``DenseSettings/crosstalkWeight``).
public enum ExampleStatistics: Sendable, Equatable {
    /// Plain patterns: χ̄ = 1, w = 1.
    case none
    /// M examples of quality r: χ̄ = (2B − M)/M with B ~ Binomial(M, (1 + r)/2), averaged exactly
    /// over its M + 1 values.
    case examples(Int, quality: Double, LearningProtocol)
    /// The large-M limit at fixed dataset entropy ρ = (1 − r²)/(M r²): χ̄ = r(1 + √ρ λ), λ ~ N(0, 1)
    /// (central limit theorem), averaged by Gauss–Hermite quadrature.
    case entropy(Double, quality: Double, LearningProtocol)

    /// (χ̄, probability) pairs.
    func distribution(hermiteNodes: [Double], hermiteWeights: [Double]) -> [(chi: Double, weight: Double)] {
        switch self {
        case .none: return [(1, 1)]
        case .examples(let m, let r, _):
            let p = (1 + r) / 2
            return (0...m).compactMap { b in
                let w = exp(lgamma(Double(m + 1)) - lgamma(Double(b + 1)) - lgamma(Double(m - b + 1))
                            + Double(b) * log(p) + Double(m - b) * log1p(-p))
                return w > 1e-300 || r == 1 ? (Double(2 * b - m) / Double(m), r == 1 ? (b == m ? 1 : 0) : w) : nil
            }.filter { $0.1 > 0 }
        case .entropy(let rho, let r, _):
            return zip(hermiteNodes, hermiteWeights).map { (r * (1 + rho.squareRoot() * $0), $1) }
        }
    }

    /// Σ weight and Σ weight·χ̄ over `chi`: what a field without signal (n = 0) needs of χ̄, whose
    /// average is then one Gaussian average for every χ̄.
    static func moments(_ chi: [(chi: Double, weight: Double)]) -> (weight: Double, mean: Double) {
        (chi.reduce(0) { $0 + $1.weight }, chi.reduce(0) { $0 + $1.weight * $1.chi })
    }

    /// w in the crosstalk variance α w q^{P−1}/(P−1)!.
    func crosstalkWeight(order p: Int) -> Double {
        let pp = Double(p)
        switch self {
        case .none: return 1
        case .examples(let m, let r, let learning):
            return DenseSettings(order: p, training: TrainingSet(examples: m, quality: r, learning: learning)).crosstalkWeight
        case .entropy(let rho, let r, let learning):
            let r2 = r * r
            switch learning {
            case .supervised: return pow(r2 * (1 + rho), pp)
            case .unsupervised:
                // 1/M = ρ r²/(1 − r²)
                return r2 < 1 ? pow(r2, pp) + (1 - pow(r2, pp)) * rho * r2 / (1 - r2) : 1
            }
        }
    }

    var quality: Double? {
        switch self {
        case .none: nil
        case .examples(_, let r, _), .entropy(_, let r, _): r
        }
    }
    var learning: LearningProtocol? {
        switch self {
        case .none: nil
        case .examples(_, _, let l), .entropy(_, _, let l): l
        }
    }
    var datasetEntropy: Double? {
        switch self {
        case .none: nil
        case .examples(let m, let r, _): DenseSettings.datasetEntropy(examples: Double(m), quality: r)
        case .entropy(let rho, _, _): rho
        }
    }
    var examples: Int? { if case .examples(let m, _, _) = self { m } else { nil } }
}

/// Replica-symmetric theory of the dense P-body Hebbian network in the Gardner form (P ≥ 3; see
/// ``DenseHamiltonian``), K = αN^{P−1}, one condensed archetype, optionally trained on examples
/// (hopsim's derivation, docs/physics.md §2.4; conventions and conversions §6):
/// ```
/// βf = β(P−1) n^P/P! − (β² α w/(2 P!)) [1 + (P−1) q^P − P q^{P−1}] − E_{χ̄,z} ln 2cosh βh,
/// h  = χ̄ n^{P−1}/(P−1)! + σ z,     σ² = α w q^{P−1}/(P−1)!,
/// n  = E[χ̄ tanh βh],   q = E tanh² βh,   m = E tanh βh   (overlap with the archetype)
/// ```
/// with χ̄ the example mean (``ExampleStatistics``; χ̄ = 1 and w = 1 for plain patterns, where n = m).
/// Solved in (n, C), C = β(1 − q), with the bracket summed as a polynomial in C/β so that T = 0 is
/// exact (q = 1; there s(0) = −αwC²/(4(P−2)!) < 0 in every retrieval state).
public struct DenseReplicaSymmetric: Sendable {
    public let order: Int
    public let alpha: Double
    public let temperature: Double
    public let beta: Double
    public let examples: ExampleStatistics
    public let measure: GaussianMeasure
    public let settings: SolverSettings
    let chi: [(chi: Double, weight: Double)]
    /// ``ExampleStatistics/moments(_:)`` of `chi`.
    let chiMoments: (weight: Double, mean: Double)
    public let weight: Double
    let factorial: Double, factorialMinusOne: Double

    public init(order: Int, alpha: Double, temperature: Double, examples: ExampleStatistics = .none,
                measure: GaussianMeasure, settings: SolverSettings = SolverSettings()) {
        precondition(order >= 3 && alpha > 0 && temperature >= 0)
        self.order = order
        self.alpha = alpha
        self.temperature = temperature
        self.beta = temperature > 0 ? 1 / temperature : .infinity
        self.examples = examples
        self.measure = measure
        self.settings = settings
        self.chi = examples.distribution(hermiteNodes: measure.hermiteNodes, hermiteWeights: measure.hermiteWeights)
        self.chiMoments = ExampleStatistics.moments(chi)
        self.weight = examples.crosstalkWeight(order: order)
        self.factorialMinusOne = (1..<order).reduce(1.0) { $0 * Double($1) }
        self.factorial = factorialMinusOne * Double(order)
    }

    /// q = 1 − C/β (1 at T = 0).
    public func q(c: Double) -> Double { beta.isFinite ? 1 - c / beta : 1 }

    /// σ = √(α w q^{P−1}/(P−1)!).
    public func sigma(c: Double) -> Double {
        (alpha * weight * pow(max(q(c: c), 0), Double(order - 1)) / factorialMinusOne).squareRoot()
    }

    /// Averages over χ̄ and z: (E χ̄ tanh, E tanh, β E sech², E tanh², (1/β) E ln 2cosh, entropy part).
    public func averages(n: Double, c: Double) -> (chiTanh: Double, tanh: Double, c: Double, tanh2: Double,
                                                   lnCosh: Double, entropy: Double, sech4: Double) {
        let s = sigma(c: c)
        let signal = pow(n, Double(order - 1)) / factorialMinusOne
        var ct = 0.0, t = 0.0, cc = 0.0, t2 = 0.0, lc = 0.0, en = 0.0, s4 = 0.0
        if signal == 0 {
            // No signal (paramagnet, spin glass): the field does not depend on χ̄.
            let a = measure.averages(m: 0, sigma: s, beta: beta)
            let (w, chiMean) = chiMoments
            return (chiMean * a.tanh, w * a.tanh, w * a.c, w * a.tanh2, w * a.lnCosh, w * a.entropy, w * a.sech4)
        }
        for (x, w) in chi {
            let a = measure.averages(m: x * signal, sigma: s, beta: beta)
            ct += w * x * a.tanh; t += w * a.tanh; cc += w * a.c; t2 += w * a.tanh2
            lc += w * a.lnCosh; en += w * a.entropy; s4 += w * a.sech4
        }
        return (ct, t, cc, t2, lc, en, s4)
    }

    /// The overlap of the RS state with the majority estimate of the archetype from its examples,
    /// ξ̂ = sign(Σ_a χ^a ξ) (a tie counted +1): E_χ̄ sign(χ̄) E_z tanh β(χ̄ n^{P−1}/(P−1)! + σz) at the
    /// saddle point (n, C). What a measurement against archetypes estimated from the data compares
    /// with; the overlap with ξ itself is E_χ̄ E_z tanh(…) (the solution's m).
    public func majorityOverlap(n: Double, c: Double) -> Double {
        let s = sigma(c: c)
        let signal = pow(n, Double(order - 1)) / factorialMinusOne
        return chi.reduce(0.0) { total, point in
            total + point.weight * (point.chi >= 0 ? 1 : -1) * measure.averages(m: point.chi * signal, sigma: s, beta: beta).tanh
        }
    }

    /// (F₁, F₂) = (n − E χ̄ tanh βh, C − β E sech² βh).
    public func residual(n: Double, c: Double) -> (f1: Double, f2: Double) {
        let a = averages(n: n, c: c)
        return (n - a.chiTanh, c - a.c)
    }

    /// β·[1 + (P−1)q^P − Pq^{P−1}] and β²·[…] with q = 1 − C/β, as polynomials in C/β (exact at β = ∞).
    func noiseBracket(c: Double) -> (timesBeta: Double, timesBetaSquared: Double) {
        let p = order
        var b1 = 0.0, b2 = 0.0
        for k in 0...(p - 2) {
            let coefficient = Double(p * (p - 1)) * binomial(p - 2, k) * (k % 2 == 0 ? 1 : -1) / Double(k + 2)
            // ε^{k+2} = C^{k+2}/β^{k+2}
            let inverseBeta = beta.isFinite ? 1 / beta : 0
            b2 += coefficient * pow(c, Double(k + 2)) * pow(inverseBeta, Double(k))
            b1 += coefficient * pow(c, Double(k + 2)) * pow(inverseBeta, Double(k + 1))
        }
        return (b1, b2)
    }

    /// β(1 − q^P) = Σ_{k=1}^{P} C(P, k)(−1)^{k+1} C^k/β^{k−1}.
    func betaOneMinusQToP(c: Double) -> Double {
        let inverseBeta = beta.isFinite ? 1 / beta : 0
        var total = 0.0
        for k in 1...order {
            total += binomial(order, k) * (k % 2 == 1 ? 1 : -1) * pow(c, Double(k)) * pow(inverseBeta, Double(k - 1))
        }
        return total
    }

    // MARK: - Branches

    /// Every RS branch found: paramagnet (T > 0), spin glass, retrieval roots (stable and unstable).
    public func solve(hints: [ReplicaSymmetricSolution] = []) -> [ReplicaSymmetricSolution] {
        var found: [ReplicaSymmetricSolution] = paramagnet().map { [$0] } ?? []
        found += spinGlass()
        found += retrieval(hints: hints.filter { $0.branch == .retrieval })
        return judged(found)
    }

    /// The branches with their admissibility judged (the paramagnet below T_s flagged) and the
    /// admissible one of lowest f marked global.
    public func judged(_ branches: [ReplicaSymmetricSolution]) -> [ReplicaSymmetricSolution] {
        var found = branches
        if beta.isFinite, let ts = staticGlassTemperature, temperature < ts {
            for i in found.indices where found[i].branch == .paramagnet {
                found[i].belowStaticGlassTransition = "T below the static glass transition T_s = \(String(format: "%.6g", ts)) (0.651 J at P = 3): the equilibrium glass is the 1RSB state"
            }
        }
        return ReplicaSymmetricSolution.markGlobal(found)
    }

    /// The stable converged state of `branch` a 1RSB solve starts from, without the full root search
    /// of ``solve(hints:)``: the stable spin-glass root (largest q), or ``stableRetrieval()``.
    public func stableBranch(_ branch: ReplicaSymmetricSolution.Branch) -> ReplicaSymmetricSolution? {
        switch branch {
        case .retrieval: stableRetrieval()
        case .spinGlass: spinGlass().filter { $0.stable && $0.converged }.max { $0.q < $1.q }
        case .paramagnet: paramagnet()
        }
    }

    /// The paramagnet (T > 0: n = 0, q = 0, C = β).
    public func paramagnet() -> ReplicaSymmetricSolution? {
        guard beta.isFinite else { return nil }
        return record(.paramagnet, n: 0, c: beta, stable: true,
                      status: SolverStatus(converged: true, iterations: 0, residual: 0, method: "analytic"))
    }

    /// T_s of the 1RSB glass at this α (``DenseOneStepRSB/staticGlassTransition(order:alpha:examples:measure:tolerance:)``):
    /// T_s/J depends on P alone (the glass has n = 0, so the examples enter only through J).
    public var staticGlassTemperature: Double? {
        DenseOneStepRSB.staticGlassRatio(order: order, measure: measure).map { $0 * (2 * alpha * weight / factorial).squareRoot() }
    }

    /// n = 0, q > 0: roots of q − E tanh²(βσ(q)z) on q ∈ (0, 1) (T > 0; the q = 0 root is the
    /// paramagnet, and for P ≥ 3 the spin glass appears discontinuously, in a stable/unstable pair:
    /// the larger q is the stable one). At T = 0, q = 1 and C = β E sech² = √(2/π)/σ exactly.
    public func spinGlass() -> [ReplicaSymmetricSolution] {
        guard beta.isFinite else {
            let c = (2 / Double.pi).squareRoot() / sigma(c: 0)
            return [record(.spinGlass, n: 0, c: c, stable: true,
                           status: SolverStatus(converged: true, iterations: 0, residual: abs(residual(n: 0, c: c).f2), method: "analytic"))]
        }
        func g(_ q: Double) -> Double { q - averages(n: 0, c: beta * (1 - q)).tanh2 }
        let grid = (1...200).map { Double($0) / 201 }
        var roots: [Double] = []
        for j in 1..<grid.count where (g(grid[j - 1]) < 0) != (g(grid[j]) < 0) {
            if let r = RootFinding.brent(grid[j - 1], grid[j], xTolerance: 1e-14, g), r.converged { roots.append(r.x) }
        }
        return roots.map { q in
            let c = beta * (1 - q)
            // The stable root is the one where q − E tanh² crosses from negative to positive.
            let slope = g(min(q + 1e-6, 1 - 1e-12)) - g(max(q - 1e-6, 1e-12))
            return record(.spinGlass, n: 0, c: c, stable: slope > 0,
                          status: SolverStatus(converged: abs(g(q)) <= 1e3 * settings.tolerance, iterations: 0,
                                               residual: abs(g(q)), method: "gsl-brent"))
        }
    }

    /// Retrieval roots (n > 0): damped iteration from n = 1, C = 0, then GSL hybrids in (n, logit C/C_max),
    /// plus hybrids from a ladder of starts to catch the unstable partner near the spinodal.
    public func retrieval(hints: [ReplicaSymmetricSolution]) -> [ReplicaSymmetricSolution] {
        var roots: [(n: Double, c: Double, status: SolverStatus)] = []
        // Each start is polished twice, on the relative and on the absolute C-residual: near close
        // roots the two land on different ones, and roots only accumulate.
        func add(_ n: Double, _ c: Double) {
            for relative in [true, false] {
                let polished = polish(n: n, c: c, relative: relative)
                guard polished.status.converged, polished.n > 1e-4 else { continue }
                if roots.contains(where: { abs($0.n - polished.n) < 1e-7 && abs($0.c - polished.c) < 1e-7 * max(1, polished.c) }) { continue }
                roots.append(polished)
            }
        }
        for h in hints { add(h.n ?? h.m, h.c) }
        if let start = dampedIteration() { add(start.0, start.1) }
        let top = chi.reduce(0) { $0 + $1.weight * abs($1.chi) }
        for fraction in [0.9, 0.7, 0.5, 0.35, 0.2] {
            let n = fraction * top
            // C from its own equation at this n (a few damped steps).
            var c = 0.5 * cMax
            for _ in 0..<30 { c = min(max(averages(n: n, c: c).c, 1e-300), cMax * (1 - 1e-12)) }
            add(n, c)
        }
        // Exhaustive: roots can lie close together (a stable and an unstable one 10% apart), where
        // which one a start polishes to is a matter of luck. The reduced scan finds every root
        // whose n is resolved by its grid; roots only accumulate.
        for (n, c) in reducedScan(top: top) { add(n, c) }
        // Trained networks: every crossing of this ρ by the retrieval branch followed from ρ = 0.
        for (n, c) in branchCrossings() { add(n, c) }
        return roots.sorted { $0.n > $1.n }.map {
            record(.retrieval, n: $0.n, c: $0.c, stable: isStable(n: $0.n, c: $0.c), status: $0.status)
        }
    }

    /// Every sign change of the n-equation along the C-roots of the C-equation: for n on a grid of
    /// 120 values in (0, E|χ̄|] (16× finer where the number of C-roots changes), the roots C_j(n) of
    /// C − β E sech² βh (a scan of logit(C/C_max) at 60 points, a golden-section search where |·|
    /// has a local minimum without a sign change, then Brent); each root joined to the nearest root at the previous n, and a sign
    /// change of F₁ = n − E χ̄ tanh βh between them brackets a retrieval root, returned as a start
    /// (n, C) for the polish.
    func reducedScan(top: Double) -> [(Double, Double)] {
        let cm = cMax
        func logit(_ c: Double) -> Double { log(c / (cm - c)) }
        func cRoots(_ n: Double) -> [Double] {
            let grid = (1...60).map { k -> Double in cm / (1 + exp(-(-14 + 28 * Double(k) / 61))) }
            let g = grid.map { c in c - averages(n: n, c: c).c }
            func gc(_ c: Double) -> Double { c - self.averages(n: n, c: c).c }
            var brackets: [(Double, Double)] = []
            for k in 1..<grid.count where g[k - 1].isFinite && g[k].isFinite && (g[k - 1] < 0) != (g[k] < 0) {
                brackets.append((grid[k - 1], grid[k]))
            }
            // Two roots inside one cell (near a fold of the C-roots in n): |g| has a local minimum
            // there without a sign change; a golden-section search for g's extremum in logit C
            // splits the pair when the extremum crosses zero.
            for k in 1..<(grid.count - 1) where g[k - 1].isFinite && g[k].isFinite && g[k + 1].isFinite
                && (g[k - 1] < 0) == (g[k] < 0) && (g[k] < 0) == (g[k + 1] < 0) && abs(g[k]) <= abs(g[k - 1]) && abs(g[k]) <= abs(g[k + 1]) {
                let sign: Double = g[k] < 0 ? -1 : 1
                func h(_ x: Double) -> Double { sign * gc(cm / (1 + exp(-x))) }     // minimise h towards < 0
                var a = logit(grid[k - 1]), b = logit(grid[k + 1])
                let ratio = (5.0.squareRoot() - 1) / 2
                var x1 = b - ratio * (b - a), x2 = a + ratio * (b - a)
                var h1 = h(x1), h2 = h(x2)
                for _ in 0..<40 where min(h1, h2) > 0 {
                    if h1 < h2 { b = x2; x2 = x1; h2 = h1; x1 = b - ratio * (b - a); h1 = h(x1) }
                    else { a = x1; x1 = x2; h1 = h2; x2 = a + ratio * (b - a); h2 = h(x2) }
                }
                if min(h1, h2) < 0 {
                    let peak = cm / (1 + exp(-(h1 < h2 ? x1 : x2)))
                    brackets += [(grid[k - 1], peak), (peak, grid[k + 1])]
                }
            }
            return brackets.compactMap { RootFinding.brent($0.0, $0.1, xTolerance: 1e-10 * $0.1, gc)?.x }
        }
        // 120 values of n, each interval where the number of C-roots changes (a fold of the
        // C-roots in n, near which two retrieval roots can sit within one grid step) split in 16.
        let coarse = (1...120).map { top * Double($0) / 120 }
        let coarseRoots = coarse.map(cRoots)
        var ns: [Double] = [coarse[0]], branches: [[Double]] = [coarseRoots[0]]
        for k in 1..<coarse.count {
            if coarseRoots[k].count != coarseRoots[k - 1].count {
                for j in 1..<16 {
                    let n = coarse[k - 1] + (coarse[k] - coarse[k - 1]) * Double(j) / 16
                    ns.append(n); branches.append(cRoots(n))
                }
            }
            ns.append(coarse[k]); branches.append(coarseRoots[k])
        }
        var starts: [(Double, Double)] = []
        for k in 1..<ns.count {
            // Each C-root at n_k with the nearest C-root at n_{k−1} (a branch may end in between).
            for c in branches[k] {
                guard let previous = branches[k - 1].min(by: { abs(logit($0) - logit(c)) < abs(logit($1) - logit(c)) }) else { continue }
                let f0 = residual(n: ns[k - 1], c: previous).f1, f1 = residual(n: ns[k], c: c).f1
                if f0.isFinite, f1.isFinite, (f0 < 0) != (f1 < 0) {
                    let t = f0 / (f0 - f1)
                    starts.append((ns[k - 1] + t * (ns[k] - ns[k - 1]), previous + t * (c - previous)))
                }
            }
        }
        return starts
    }

    /// The stable retrieval state alone, cheaply: the damped iteration from n = E|χ̄|, C ≈ 0 (which
    /// descends to the largest stable fixed point when one exists) polished by GSL hybrids; the full
    /// search of ``retrieval(hints:)`` when that lands on an unstable root, or when it collapses in a
    /// trained network. In a plain network (no examples) a collapse means there is none: on 1800
    /// points (P = 3, 4; α ∈ [0.005, 0.205], T ∈ [0, 0.6]) the iteration collapsed at 1522 and the full
    /// search found a stable retrieval state at none of them (a test repeats this on a smaller grid).
    public func stableRetrieval() -> ReplicaSymmetricSolution? {
        // In a trained network a collapsed damped iteration does not mean there is no stable root (a
        // low-m stable branch beyond the high-m one's fold): then the full search.
        guard let start = dampedIteration() else {
            if case .none = examples { return nil }
            return retrieval(hints: []).first { $0.stable && $0.converged }
        }
        let polished = polish(n: start.0, c: start.1)
        if polished.status.converged, polished.n > 1e-4, isStable(n: polished.n, c: polished.c) {
            return record(.retrieval, n: polished.n, c: polished.c, stable: true, status: polished.status)
        }
        return retrieval(hints: []).first { $0.stable && $0.converged }
    }

    /// C ≤ β (q ≥ 0); at T = 0 the C of a retrieval state is below that of the spin glass, √(2/π)/σ₁.
    public var cMax: Double { beta.isFinite ? beta : 10 * (2 / Double.pi).squareRoot() / sigma(c: 0) }

    func dampedIteration() -> (Double, Double)? {
        var n = chi.reduce(0) { $0 + $1.weight * abs($1.chi) }, c = 1e-9
        let lambda = settings.damping
        for _ in 0..<(4 * settings.dampedSteps) {
            let (f1, f2) = residual(n: n, c: c)
            n -= lambda * f1
            c = min(max(c - lambda * f2, 1e-300), cMax * (1 - 1e-12))
            if n < 1e-3 { return nil }
        }
        return (n, c)
    }

    /// Hybrids in (n, logit(C/C_max)) on (F₁, F₂/max(1, C)): the residual is relative to each
    /// equation's scale (`relative: false`: on F₂ itself, as a second start's polish).
    func polish(n: Double, c: Double, relative: Bool = true) -> (n: Double, c: Double, status: SolverStatus) {
        let cm = cMax
        let clamped = min(max(c / cm, 1e-300), 1 - 1e-14)
        let (x, status) = RootFinding.hybrids(start: [n, log(clamped / (1 - clamped))], tolerance: settings.tolerance,
                                              maxIterations: settings.maxIterations) { x in
            let c = cm / (1 + exp(-x[1]))
            guard c > 0, c < cm, x[0] > -1, x[0] < 2 else { return nil }
            let r = self.residual(n: x[0], c: c)
            // Each equation on its own scale: C reaches 10³–10⁴ at low T, where an absolute 10⁻¹²
            // on C − βE sech² βh is below its rounding error.
            return [r.f1, relative ? r.f2 / max(1, c) : r.f2]
        }
        return (x[0], cm / (1 + exp(-x[1])), status)
    }

    /// det J > 0 for J = ∂(F₁, F₂)/∂(n, C), as for the classical model: the retrieval branch that
    /// continues T → 0 has det J > 0; its partner born at the saddle-node (the spinodal) has det J < 0.
    public func isStable(n: Double, c: Double) -> Bool { stabilityDeterminant(n: n, c: c) > 0 }

    /// det ∂(F₁, F₂)/∂(n, C) by central differences (step 10⁻⁶ in n, ≤ 10⁻⁶·C in C): positive on
    /// the stable retrieval branch, zero at its fold (the spinodal), negative on the partner.
    public func stabilityDeterminant(n: Double, c: Double) -> Double {
        let hc = min(1e-6 * max(c, 1e-12), 0.5 * c, 0.5 * (cMax - c))
        return RootFinding.jacobianDeterminant(x: n, y: c, hx: 1e-6, hy: hc) { n, c in self.residual(n: n, c: c) }
    }

    // MARK: - Thermodynamics

    public func record(_ branch: ReplicaSymmetricSolution.Branch, n: Double, c: Double, stable: Bool,
                       status: SolverStatus) -> ReplicaSymmetricSolution {
        let q = self.q(c: c)
        let a = averages(n: n, c: c)
        let bracket = noiseBracket(c: c)
        let p = Double(order)
        let f = (p - 1) * pow(n, p) / factorial - alpha * weight / (2 * factorial) * bracket.timesBeta - a.lnCosh
        let u = -pow(n, p) / factorial - alpha * weight / factorial * betaOneMinusQToP(c: c)
        let s = a.entropy - alpha * weight / (2 * factorial) * bracket.timesBetaSquared
        let s0 = sigma(c: c)
        var solution = ReplicaSymmetricSolution(
            model: "dense", alpha: alpha, dilution: 0, temperature: temperature, branch: branch, m: a.tanh, q: q,
            r: weight * pow(max(q, 0), p - 1) / factorialMinusOne, c: c, freeEnergy: f, entropy: s, energy: u,
            stable: stable, global: false, replicon: nil, atStable: false, converged: status.converged,
            iterations: status.iterations, residual: status.residual, method: status.method,
            quadrature: measure.usesKinkSplit(sigma: s0, beta: beta) ? "kink-split" : "hermite")
        solution.p = order
        solution.n = n
        solution.hamiltonian = DenseHamiltonian.gardner.rawValue
        solution.quality = examples.quality
        solution.examples = examples.examples
        solution.datasetEntropy = examples.datasetEntropy
        solution.learningProtocol = examples.learning?.rawValue
        solution.crosstalkWeight = weight
        if beta.isFinite, q > 0 {
            let lambda = replicon(n: n, c: c, sech4: a.sech4)
            solution.replicon = lambda
            solution.atStable = lambda < 1
        }
        return solution
    }

    /// Replicon eigenvalue of the RS saddle. The crosstalk is a Gaussian P-spin glass with
    /// E[H_a H_b] = N (J²/2) q_ab^P, J²/2 = αw/P!, whose RS replicon condition (Gardner, Nucl. Phys. B
    /// 257, 747 (1985)) is λ = β² (J²/2) P(P−1) q^{P−2} E sech⁴ βh < 1, i.e.
    /// λ = β² α w q^{P−2} E sech⁴ βh/(P−2)!. (P = 2 gives SK's β²J² E sech⁴ < 1.)
    /// `sech4` is β E sech⁴ βh as returned by the averages.
    public func replicon(n: Double, c: Double, sech4: Double) -> Double {
        let factorialMinusTwo = factorialMinusOne / Double(order - 1)
        return beta * alpha * weight * pow(q(c: c), Double(order - 2)) * sech4 / factorialMinusTwo
    }
}

extension DenseReplicaSymmetric: SaddlePointEquations {
    /// Retrieval roots are continued from the hints and bracketed where they are missing; there is
    /// no separate thorough mode.
    public func solve(hints: [ReplicaSymmetricSolution], thorough: Bool) -> [ReplicaSymmetricSolution] {
        solve(hints: hints)
    }
}
