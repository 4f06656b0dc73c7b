import Foundation

/// Replica-symmetric theory of the classical Hopfield model with one condensed pattern (Amit,
/// Gutfreund & Sompolinsky, PRL 55, 1530 (1985) and Ann. Phys. 173, 30 (1987); docs/physics.md §1),
/// with h = m + √(αr) z:
/// ```
/// m = E_z tanh βh,   q = E_z tanh² βh,   r = q / (1 − β(1 − q))²
/// f = α/2 + m²/2 + (α/2β)[ln(1 − C) − βq/(1 − C)] + (αβ/2) r (1 − q) − (1/β) E_z ln 2cosh βh
/// ```
/// Solved in the unknowns (m, C), C = β(1 − q) = β E_z sech² βh, which stay finite as T → 0:
/// ```
/// F₁(m, C) = m − E_z tanh βh,   F₂(m, C) = C − β E_z sech² βh,
/// q = 1 − C/β,  r = q/(1 − C)²,  σ = √(αr)
/// ```
/// At T = 0 (β = ∞) these are exactly AGS's T = 0 equations, m = erf(m/(σ√2)),
/// C = √(2/π) e^{−m²/2σ²}/σ, r = 1/(1 − C)², through the kink-split quadrature.
///
/// Thermodynamics at a solution (the β-derivative of f at fixed order parameters, which is the
/// total derivative because f is stationary in them; the divergent terms cancel when
/// r = q/(1 − C)²):
/// ```
/// s = −(α/2)[ln(1 − C) + C/(1 − C)] + E_z[ln 2cosh βh − βh tanh βh],   u = f + T s
/// ```
/// so s(T = 0) = −(α/2)[ln(1 − C) + C/(1 − C)] < 0 for every retrieval or spin-glass state:
/// AGS's negative zero-temperature entropy, the signature of broken replica symmetry.
public struct ClassicalReplicaSymmetric: Sendable {
    public let alpha: Double
    public let temperature: Double
    /// β = 1/T, ∞ at T = 0.
    public let beta: Double
    public let measure: GaussianMeasure
    public let settings: SolverSettings
    /// Pattern dilution d ∈ [0, 1) (0: the classical model). See ``init(alpha:temperature:dilution:measure:settings:)``.
    public let dilution: Double

    /// - Parameter dilution: d > 0 gives the high-storage multitasking network, K = αN diluted
    ///   patterns with P(ξ = 0) = d and v = E ξ² = 1 − d. Derivation (the AGS steps with the
    ///   uncondensed overlaps' covariance v q_ab instead of q_ab, so ln det(1 − βQ) becomes
    ///   ln det(1 − βvQ), and the condensed pattern's field ξ¹m with ξ¹ ∈ {0, ±1}):
    ///   ```
    ///   m = (1 − d) E_z tanh β(m + σz),   C = β[(1 − d) E sech² β(m + σz) + d E sech² βσz],
    ///   q = 1 − C/β,  r = v² q/(1 − vC)²,  σ = √(αr),
    ///   f = αv/2 + m²/2 + (α/2β) ln(1 − vC) − (α/2) v q/(1 − vC) + (α/2) r C − (1/β) E_ξ,z ln 2cosh βh,
    ///   s = −(α/2)[ln(1 − vC) + vC/(1 − vC)] + E_ξ,z[ln 2cosh βh − βh tanh βh]
    ///   ```
    ///   which are AGS's at d = 0, have T_g = v(1 + √α), and agree with Monte Carlo (tests). As
    ///   α → 0 they give the low-storage K = 1 equation m = v tanh βm where the ξ¹ = 0 neurons stay
    ///   paramagnetic, vβ(1 − v tanh² βm) < 1; elsewhere those neurons freeze into the other,
    ///   extensively many, patterns and the limits α → 0 and K fixed do not commute.
    public init(alpha: Double, temperature: Double, dilution: Double = 0, measure: GaussianMeasure,
                settings: SolverSettings = SolverSettings()) {
        precondition(alpha > 0 && temperature >= 0 && dilution >= 0 && dilution < 1)
        self.alpha = alpha
        self.temperature = temperature
        self.beta = temperature > 0 ? 1 / temperature : .infinity
        self.measure = measure
        self.settings = settings
        self.dilution = dilution
    }

    /// v = E ξ² = 1 − d.
    var v: Double { 1 - dilution }

    /// The largest admissible C: vC < 1 (so that 1 − vC > 0) and C ≤ β (so that q ≥ 0).
    public var cMax: Double { min(1 / v, beta) }

    /// q = 1 − C/β, r = v² q/(1 − vC)², σ = √(αr).
    public func derived(c: Double) -> (q: Double, r: Double, sigma: Double) {
        let q = beta.isFinite ? 1 - c / beta : 1
        let r = v * v * q / ((1 - v * c) * (1 - v * c))
        return (q, r, (alpha * r).squareRoot())
    }

    /// The site averages over the condensed pattern's value ξ ∈ {0, ±1} and z: `tanh` is
    /// E[ξ tanh βh], the others E[·] (identical to ``GaussianMeasure/averages(m:sigma:beta:)`` at d = 0).
    public func averages(m: Double, sigma: Double) -> SiteAverages {
        let one = measure.averages(m: m, sigma: sigma, beta: beta)
        guard dilution > 0 else { return one }
        let zero = measure.averages(m: 0, sigma: sigma, beta: beta)
        func mix(_ a: Double, _ b: Double) -> Double { v * a + dilution * b }
        return SiteAverages(tanh: v * one.tanh, tanh2: mix(one.tanh2, zero.tanh2), c: mix(one.c, zero.c),
                            lnCosh: mix(one.lnCosh, zero.lnCosh), entropy: mix(one.entropy, zero.entropy),
                            sech4: mix(one.sech4, zero.sech4))
    }

    /// (F₁, F₂) and the averages they came from.
    public func residual(m: Double, c: Double) -> (f1: Double, f2: Double, averages: SiteAverages) {
        let sigma = derived(c: c).sigma
        let a = averages(m: m, sigma: sigma)
        return (m - a.tanh, c - a.c, a)
    }

    // MARK: - Branches

    /// Every RS branch at this (α, T) found by bracketing: the paramagnet (T > 1), the spin glass
    /// (m = 0, q > 0) and each retrieval root (m > 0) — the stable one and, where it exists, the
    /// unstable partner it meets at the spinodal. `hints` (solutions at a neighbouring point) are
    /// tried first by Newton-type continuation; the bracketing scan runs when they do not give a
    /// stable retrieval state or `thorough` is set.
    public func solve(hints: [ReplicaSymmetricSolution] = [], thorough: Bool = true) -> [ReplicaSymmetricSolution] {
        var found: [ReplicaSymmetricSolution] = []
        if let pm = paramagnet() { found.append(pm) }
        if let sg = spinGlass() { found.append(sg) }
        found += retrieval(hints: hints.filter { $0.branch == .retrieval }, thorough: thorough)
        return markGlobal(found)
    }

    /// The stable retrieval state alone, as the 1RSB solver needs it for its start: the damped
    /// iteration's attractor from m = 1, polished (the stable root of largest m, the one
    /// ``solve(hints:thorough:)`` lists first); nil when m decays from m = 1; the full bracketing
    /// solve only when the attractor does not polish to a stable root. On 3600 points of
    /// α ∈ [0.005, 0.16] × T ∈ [0, 0.6] this gave exactly the bracketing solve's state (m and q within
    /// 10⁻⁹, none missed; a smaller grid is a test). The global-state flag is not set (it needs
    /// every branch).
    public func stableRetrieval() -> ReplicaSymmetricSolution? {
        guard let start = dampedIteration() else { return nil }
        let polished = polish(m: start.0, c: start.1)
        if polished.status.converged, polished.m > 1e-6, isStable(m: polished.m, c: polished.c) {
            return record(.retrieval, m: polished.m, c: polished.c, stable: true, status: polished.status)
        }
        return solve().first { $0.branch == .retrieval && $0.stable && $0.converged }
    }

    /// m = 0, q = 0, C = β: a solution for T > 1 (for T ≤ 1, 1 − C ≤ 0 and f is undefined).
    /// Stable within RS iff the q = 0 saddle is stable against a small q: αβ²/(1 − β)² ≤ 1 (marginal,
    /// and counted stable, exactly at T_g, where the spin-glass root has just shrunk to q = 0).
    public func paramagnet() -> ReplicaSymmetricSolution? {
        guard beta * v < 1 else { return nil }
        let stable = alpha * beta * beta * v * v / ((1 - v * beta) * (1 - v * beta)) <= 1 + 1e-12
        return record(.paramagnet, m: 0, c: beta, stable: stable,
                      status: SolverStatus(converged: true, iterations: 0, residual: 0, method: "analytic"))
    }

    /// m = 0, q > 0. For T < 1 (and T = 0): F₂(0, C) = 0 on C ∈ (0, 1), bracketed by F₂ < 0 at C → 0
    /// and F₂ → 1 at C → 1. For T ≥ 1 the q = 0 root is divided out: 1 − E tanh²(βσz)/q = 0 on
    /// q ∈ (0, 1) (its q → 0 limit is 1 − αβ²/(1 − β)², negative iff T < 1 + √α).
    public func spinGlass() -> ReplicaSymmetricSolution? {
        let edge = 1e-12
        let root: (x: Double, iterations: Int, converged: Bool)?
        if beta * v > 1 {
            root = RootFinding.brent(edge, cMax * (1 - edge), xTolerance: 1e-15) { c in self.residual(m: 0, c: c).f2 }
        } else {
            root = RootFinding.brent(edge * beta, beta * (1 - edge), xTolerance: 1e-15) { c in
                let (q, _, sigma) = self.derived(c: c)
                return 1 - self.averages(m: 0, sigma: sigma).tanh2 / q
            }
        }
        guard let root, derived(c: root.x).q > 1e-9 else { return nil }
        let f2 = residual(m: 0, c: root.x).f2
        let status = SolverStatus(converged: root.converged && abs(f2) <= settings.tolerance,
                                  iterations: root.iterations, residual: abs(f2), method: "gsl-brent")
        // Against a small m the spin glass is stable: d(m − E ξ tanh)/dm = 1 − vC > 0 at m = 0.
        return record(.spinGlass, m: 0, c: root.x, stable: v * root.x < 1, status: status)
    }

    /// m*(C): the positive root of F₁(·, C) = m − E tanh β(m + σ(C)z), unique because the Gaussian
    /// average of tanh is increasing and concave in m ≥ 0; it exists iff the slope at m = 0,
    /// β E sech²(βσz), exceeds 1. (For fixed m the C-equation can have several roots, so the
    /// reduction is made in this direction.)
    public func mStar(c: Double) -> Double? {
        let sigma = derived(c: c).sigma
        return RootFinding.brent(1e-10, 1, xTolerance: 1e-15) { m in
            m - self.averages(m: m, sigma: sigma).tanh
        }?.x
    }

    /// K(C) = F₂(m*(C), C): the C-equation with m at its saddle value, continued by m* = 0 where the
    /// positive root does not exist (continuous there, since m* → 0 at the domain's edge). On the
    /// domain of m*, K < 0 at both ends (C → 0, and the edge, where β E sech²(βσz) = 1 > C), so
    /// retrieval states exist iff max K > 0 there, and they are the roots of K with m* > 0, in
    /// pairs (stable, unstable). Roots with m* = 0 are spin-glass states.
    public func reducedResidual(c: Double) -> Double {
        residual(m: mStar(c: c) ?? 0, c: c).f2
    }

    /// The scan variable x ↦ C = C_max / (1 + e^{−x}), which resolves both the tiny C of deep
    /// retrieval at low T (C ~ e^{−1/2α}) and C near C_max.
    func c(atLogit x: Double) -> Double { cMax / (1 + exp(-x)) }
    static let scanRange = (-40.0, 16.0)

    public func retrieval(hints: [ReplicaSymmetricSolution], thorough: Bool) -> [ReplicaSymmetricSolution] {
        var roots: [(m: Double, c: Double, status: SolverStatus)] = []
        func add(_ start: (Double, Double)) {
            let polished = polish(m: start.0, c: start.1)
            guard polished.status.converged, polished.m > 1e-6 else { return }
            if roots.contains(where: { abs($0.m - polished.m) < 1e-7 && abs($0.c - polished.c) < 1e-7 }) { return }
            roots.append(polished)
        }
        for hint in hints { add((hint.m, hint.c)) }
        let hasStable = roots.contains { isStable(m: $0.m, c: $0.c) }
        if !hasStable, let start = dampedIteration() { add(start) }
        if thorough || (!hints.contains(where: { !$0.stable }) && roots.count == 1) {
            for bracket in scanForRoots() { add(bracket) }
        }
        return roots.sorted { $0.m > $1.m }.map {
            record(.retrieval, m: $0.m, c: $0.c, stable: isStable(m: $0.m, c: $0.c), status: $0.status)
        }
    }

    /// Damped fixed-point iteration (m, C) ← (1 − λ)(m, C) + λ(E tanh βh, β E sech² βh) from m = 1,
    /// C = 0: the retrieval attractor when it exists. Returns nil when m decays (no retrieval state).
    func dampedIteration() -> (Double, Double)? {
        var m = 1.0, c = 1e-12 * cMax
        let lambda = settings.damping
        for _ in 0..<settings.dampedSteps {
            let (f1, f2, _) = residual(m: m, c: c)
            m -= lambda * f1
            c = min(max(c - lambda * f2, 1e-300), cMax * (1 - 1e-12))
            if m < 1e-3 { return nil }
        }
        return (m, c)
    }

    /// The edge of the domain of m*(C) in x = logit(C/C_max): where the slope β E sech²(βσ(C)z)
    /// of E tanh at m = 0 falls to 1. nil when the domain is empty; `scanRange.1` when it is all.
    func domainEdge() -> Double? {
        let (lo, hi) = Self.scanRange
        func excess(_ x: Double) -> Double {
            v * measure.averages(m: 0, sigma: derived(c: c(atLogit: x)).sigma, beta: beta).c - 1
        }
        guard excess(lo) > 0 else { return nil }
        if excess(hi) > 0 { return hi }
        return RootFinding.brent(lo, hi, xTolerance: 1e-12, excess).map { $0.x - 1e-9 }
    }

    /// Roots of K(C) with m* > 0: a grid of `points` in x = logit(C/C_max) from the scan range's start
    /// to the domain edge (where K < 0), Brent on each sign change, and, where the grid shows a
    /// negative local maximum of K, a golden-section search for a positive maximum hiding a close
    /// pair of roots (near the spinodal, where the stable and unstable states merge).
    func scanForRoots(points: Int = 120) -> [(Double, Double)] {
        guard let edge = domainEdge() else { return [] }
        let lo = Self.scanRange.0
        let xs = (0...points).map { lo + (edge - lo) * Double($0) / Double(points) }
        func k(_ x: Double) -> Double { reducedResidual(c: c(atLogit: x)) }
        let ks = xs.map(k)
        var brackets: [(Double, Double)] = []
        for j in 1...points where (ks[j - 1] < 0) != (ks[j] < 0) { brackets.append((xs[j - 1], xs[j])) }
        if points >= 2 {
            for j in 1..<points where ks[j] < 0 && ks[j] >= ks[j - 1] && ks[j] >= ks[j + 1] {
                var a = xs[j - 1], b = xs[j + 1]
                let ratio = (5.0.squareRoot() - 1) / 2
                var x1 = b - ratio * (b - a), x2 = a + ratio * (b - a)
                var k1 = k(x1), k2 = k(x2)
                for _ in 0..<50 where max(k1, k2) <= 0 {
                    if k1 > k2 { b = x2; x2 = x1; k2 = k1; x1 = b - ratio * (b - a); k1 = k(x1) }
                    else { a = x1; x1 = x2; k1 = k2; x2 = a + ratio * (b - a); k2 = k(x2) }
                }
                let peak = k1 > k2 ? x1 : x2
                if max(k1, k2) > 0 { brackets += [(xs[j - 1], peak), (peak, xs[j + 1])] }
            }
        }
        var result: [(Double, Double)] = []
        for (a, b) in brackets {
            guard let root = RootFinding.brent(a, b, xTolerance: 1e-13, k) else { continue }
            let c = self.c(atLogit: root.x)
            if let m = mStar(c: c) { result.append((m, c)) }
        }
        return result
    }

    /// Newton-type polishing of (m, C) by GSL's hybrid solver, in the unknowns (m, logit(C/C_max))
    /// so that every trial point is admissible.
    func polish(m: Double, c: Double) -> (m: Double, c: Double, status: SolverStatus) {
        let cm = cMax
        let clamped = min(max(c / cm, 1e-300), 1 - 1e-14)
        let start = [m, log(clamped / (1 - clamped))]
        let (x, status) = RootFinding.hybrids(start: start, tolerance: settings.tolerance,
                                              maxIterations: settings.maxIterations) { x in
            let c = cm / (1 + exp(-x[1]))
            guard c > 0, c < cm else { return nil }
            let r = self.residual(m: x[0], c: c)
            return [r.f1, r.f2]
        }
        return (x[0], cm / (1 + exp(-x[1])), status)
    }

    /// Local stability of a retrieval root: the Jacobian of (F₁, F₂) in (m, C) has det J > 0.
    /// The retrieval branch continues the Curie–Weiss state, where det J = 1 − β sech²(βm) > 0
    /// (J₂₂ = 1 as σ → 0); retrieval roots are born in pairs at a saddle-node (the spinodal), where
    /// det J = 0, and the partner has det J < 0: it is the unstable saddle between the retrieval
    /// and spin-glass valleys. Central differences, step 10⁻⁶ in m and ≤ 10⁻⁶·C in C.
    public func isStable(m: Double, c: Double) -> Bool {
        let hc = min(1e-6, 0.5 * c, 0.5 * (cMax - c))
        return RootFinding.jacobianDeterminant(x: m, y: c, hx: 1e-6, hy: hc) { m, c in
            let r = self.residual(m: m, c: c)
            return (r.f1, r.f2)
        } > 0
    }

    // MARK: - Thermodynamics

    /// The full record of a solution (m, C): q, r, f, s, u, the replicon eigenvalue.
    public func record(_ branch: ReplicaSymmetricSolution.Branch, m: Double, c: Double, stable: Bool,
                       status: SolverStatus) -> ReplicaSymmetricSolution {
        let (q, r, sigma) = derived(c: c)
        let a = averages(m: m, sigma: sigma)
        let vc = v * c
        let lnOneMinusC = log1p(-vc)
        let f = alpha * v / 2 + m * m / 2 + (beta.isFinite ? alpha / (2 * beta) * lnOneMinusC : 0)
            - alpha / 2 * v * q / (1 - vc) + alpha / 2 * r * c - a.lnCosh
        let s = -alpha / 2 * (lnOneMinusC + vc / (1 - vc)) + a.entropy
        let replicon: Double? = beta.isFinite ? alpha * beta * v * v * a.sech4 / ((1 - vc) * (1 - vc)) : nil
        let atStable = replicon.map { $0 < 1 } ?? (sigma == 0)
        return ReplicaSymmetricSolution(
            model: dilution > 0 ? "multitasking" : "classical", alpha: alpha, dilution: dilution,
            temperature: temperature, branch: branch, m: m, q: q, r: r, c: c,
            freeEnergy: f, entropy: s, energy: f + temperature * s, stable: stable, global: false,
            replicon: replicon, atStable: atStable, converged: status.converged, iterations: status.iterations,
            residual: status.residual, method: status.method,
            quadrature: measure.usesKinkSplit(sigma: sigma, beta: beta) ? "kink-split" : "hermite")
    }

    /// Marks the admissible branch of lowest free energy as global (``ReplicaSymmetricSolution/markGlobal(_:)``).
    func markGlobal(_ solutions: [ReplicaSymmetricSolution]) -> [ReplicaSymmetricSolution] {
        ReplicaSymmetricSolution.markGlobal(solutions)
    }
}

extension ClassicalReplicaSymmetric: SaddlePointEquations {}
