import Foundation

/// One-step replica symmetry breaking for the classical Hopfield model (Crisanti, Amit &
/// Gutfreund, Europhys. Lett. 2, 337 (1986); Steffan & Kühn, Z. Phys. B 95, 249 (1994)), one
/// condensed pattern. With Parisi blocks of x replicas, q_ab = q₁ (same block) or q₀, and likewise
/// r₁, r₀, the AGS free energy becomes (n → 0; docs/physics.md §1.9)
/// ```
/// f = α/2 + m²/2 + (α/2β)[(1 − 1/x) ln D₁ + (1/x) ln D₀ − βq₀/D₀]
///     + (αβ/2)[(x − 1) r₁q₁ − x r₀q₀ + r₁] − (1/(βx)) E_{z₀} ln E_{z₁} (2cosh βh)^x,
/// D₁ = 1 − β(1 − q₁),  D₀ = D₁ − βx(q₁ − q₀),  h = m + √(αr₀) z₀ + √(α(r₁ − r₀)) z₁,
/// ```
/// stationary at (see ``OneStepAverages`` for ⟨·⟩)
/// ```
/// m = E⟨tanh⟩,  q₁ = E⟨tanh²⟩,  q₀ = E⟨tanh⟩²,
/// r₀ = q₀/D₀²,  r₁ = r₀ + (1/(βx))(1/D₀ − 1/D₁),    ∂f/∂x = 0 (or x fixed).
/// ```
/// At q₁ = q₀ every x gives the RS (AGS) solution, which is how the reduction is tested. At T = 0
/// the retrieval state keeps q₁ = 1 with C₁ = β(1 − q₁) and μ = βx finite:
/// ```
/// f = α/2 + m²/2 + (α/2μ) ln(D₀/D₁) − (α/2) q₀/D₀ + (α/2) r₁C₁ + (αμ/2)(r₁ − r₀q₀) − (1/μ) E_{z₀} ln Z,
/// D₁ = 1 − C₁,  D₀ = D₁ − μ(1 − q₀),  r₀ = q₀/D₀²,  r₁ = r₀ + (1/μ)(1/D₀ − 1/D₁),
/// m = E S/Z,  q₀ = E (S/Z)²,  C₁ = E 2φ(a/b)/(bZ),   ∂f/∂μ = 0,
/// ```
/// (the r-equations are again ∂f/∂q₀ = ∂f/∂C₁ = 0). ∂f/∂x is the partial derivative at fixed order
/// parameters (closed form, ``xDerivative(m:q0:q1:x:)``), which is the total derivative because f is
/// stationary in all of them.
public struct ClassicalOneStepRSB: Sendable {
    public let alpha: Double
    public let temperature: Double
    public let beta: Double
    public let settings: SolverSettings
    /// x held fixed instead of optimised (at T = 0: μ = βx held fixed).
    public let fixedX: Double?
    /// The RS branches at this (α, T) when the caller has them (an RS grid solved by continuation,
    /// ``ReplicaSymmetricGrid``); nil: solved here by bracketing (``ClassicalReplicaSymmetric/solve(hints:thorough:)``).
    /// They give the start and the RS values beside the 1RSB state.
    public let replicaSymmetric: [ReplicaSymmetricSolution]?

    public init(alpha: Double, temperature: Double, settings: SolverSettings = SolverSettings(), fixedX: Double? = nil,
                replicaSymmetric: [ReplicaSymmetricSolution]? = nil) {
        precondition(alpha > 0 && temperature >= 0)
        self.alpha = alpha
        self.temperature = temperature
        self.beta = temperature > 0 ? 1 / temperature : .infinity
        self.settings = settings
        self.fixedX = fixedX
        self.replicaSymmetric = replicaSymmetric
    }

    /// The stable, converged RS state of `branch` at this point (the start of the 1RSB search, and
    /// the RS values reported beside it): from ``replicaSymmetric`` when given, else solved.
    func replicaSymmetricState(_ branch: ReplicaSymmetricSolution.Branch, measure: GaussianMeasure) -> ReplicaSymmetricSolution? {
        Self.replicaSymmetricState(branch, given: replicaSymmetric,
                                   ClassicalReplicaSymmetric(alpha: alpha, temperature: temperature, measure: measure, settings: settings),
                                   shortcuts: settings.oneStepShortcuts)
    }

    /// The stable, converged RS state of `branch`: from `given` branches when they hold one, else solved by `rs`
    /// (retrieval: ``ClassicalReplicaSymmetric/stableRetrieval()``, the same root without the scan for
    /// its unstable partner).
    static func replicaSymmetricState(_ branch: ReplicaSymmetricSolution.Branch, given: [ReplicaSymmetricSolution]?,
                                      _ rs: ClassicalReplicaSymmetric, shortcuts: Bool = true) -> ReplicaSymmetricSolution? {
        if let given, let found = given.first(where: { $0.branch == branch && $0.stable && $0.converged }) { return found }
        if branch == .retrieval, shortcuts { return rs.stableRetrieval().flatMap { $0.converged ? $0 : nil } }
        return rs.solve().first { $0.branch == branch && $0.stable && $0.converged }
    }

    // MARK: - Finite temperature

    struct Levels { var d1, d0, r0, r1: Double }

    func levels(q0: Double, q1: Double, x: Double) -> Levels? {
        let d1 = 1 - beta * (1 - q1)
        let d0 = d1 - beta * x * (q1 - q0)
        guard d1 > 0, d0 > 0 else { return nil }
        let r0 = q0 / (d0 * d0)
        return Levels(d1: d1, d0: d0, r0: r0, r1: r0 + (1 / (beta * x)) * (1 / d0 - 1 / d1))
    }

    /// f at arbitrary order parameters (stationary at a solution), at inverse temperature `b`.
    func freeEnergy(m: Double, q0: Double, q1: Double, r0: Double, r1: Double, x: Double, beta b: Double) -> Double? {
        let d1 = 1 - b * (1 - q1), d0 = d1 - b * x * (q1 - q0)
        guard d1 > 0, d0 > 0, r1 >= r0, r0 >= 0 else { return nil }
        let a = OneStepAverages.finite(signal: m, sigma0: (alpha * r0).squareRoot(),
                                       sigma1: (alpha * (r1 - r0)).squareRoot(), beta: b, x: x)
        return alpha / 2 + m * m / 2 + alpha / (2 * b) * ((1 - 1 / x) * log(d1) + (1 / x) * log(d0) - b * q0 / d0)
            + alpha * b / 2 * ((x - 1) * r1 * q1 - x * r0 * q0 + r1) - a.psi / (b * x)
    }

    /// The residual of the fixed-x 1RSB equations (m, q₁, q₀) at (m, q₀, q₁, x); the x equation is
    /// ``xDerivative(m:q0:q1:x:)``.
    public func residual(_ m: Double, _ q0: Double, _ q1: Double, _ x: Double) -> [Double]? {
        guard q0 >= 0, q1 >= q0, q1 < 1, x > 0, x < 1, let l = levels(q0: q0, q1: q1, x: x) else { return nil }
        let a = OneStepAverages.finite(signal: m, sigma0: (alpha * l.r0).squareRoot(),
                                       sigma1: (alpha * max(l.r1 - l.r0, 0)).squareRoot(), beta: beta, x: x)
        return [m - a.tanh, q1 - a.tanh2, q0 - a.tanhSq]
    }

    /// The fixed-x equations solved by GSL hybrids from (m, q₀, q₁) in the unknowns (m, q₀, ln(q₁ − q₀)),
    /// so that every trial point has q₁ > q₀ and a saddle that reduces to RS is approached as
    /// ln(q₁ − q₀) → −∞ with a residual that falls below the tolerance. The spin glass keeps m = 0
    /// and q₀ = 0 (exact at zero field by the σ → −σ symmetry, as in the SK model): unknown ln q₁.
    func solveFixedX(_ x: Double, from start: (m: Double, q0: Double, q1: Double), glass: Bool)
        -> (m: Double, q0: Double, q1: Double, status: SolverStatus) {
        func point(_ u: [Double]) -> (m: Double, q0: Double, q1: Double) {
            glass ? (0, 0, exp(u[0])) : (u[0], u[1], u[1] + exp(u[2]))
        }
        let unknowns = glass ? [log(start.q1)] : [start.m, start.q0, log(max(start.q1 - start.q0, 1e-300))]
        let (u, status) = RootFinding.hybrids(start: unknowns, tolerance: max(settings.tolerance, 1e-11),
                                              maxIterations: settings.maxIterations) { u in
            let p = point(u)
            guard let r = self.residual(p.m, p.q0, p.q1, x) else { return nil }
            return glass ? [r[1]] : r
        }
        let p = point(u)
        guard !status.converged, p.q1 - p.q0 < 1e-6 else { return (p.m, p.q0, p.q1, status) }
        return ReplicaSymmetricManifold.finish(from: p, status: status, glass: glass, settings: settings) { m, q0, q1 in
            self.residual(m, q0, q1, x)
        }
    }

    /// ∂f/∂x at fixed order parameters (m, q₀, q₁, r₀, r₁), the total derivative at a fixed-x
    /// solution (f is stationary in all of them), in closed form: with D₀' = ∂D₀/∂x = −β(q₁ − q₀),
    /// ```
    /// ∂f/∂x = (α/2β)[(ln D₁ − ln D₀)/x² + D₀'/(x D₀) + βq₀D₀'/D₀²] + (αβ/2)(r₁q₁ − r₀q₀)
    ///         + ψ/(βx²) − E_{z₀}⟨ln 2cosh βh⟩/(βx),
    /// ```
    /// ∂ψ/∂x = E⟨ln 2cosh βh⟩ at fixed σ's (``OneStepAverages``). (It was a central difference of f
    /// with step 10⁻³x, whose rounding noise limited x at low T.)
    func xDerivative(m: Double, q0: Double, q1: Double, x: Double) -> Double? {
        guard let l = levels(q0: q0, q1: q1, x: x), l.r1 >= l.r0, l.r0 >= 0 else { return nil }
        let a = OneStepAverages.finite(signal: m, sigma0: (alpha * l.r0).squareRoot(),
                                       sigma1: (alpha * (l.r1 - l.r0)).squareRoot(), beta: beta, x: x)
        // ln D₁ − ln D₀ = −log1p((D₀ − D₁)/D₁), without the cancellation of two logarithms at small x.
        let slope = -beta * (q1 - q0)
        return alpha / (2 * beta) * (-log1p(x * slope / l.d1) / (x * x) + slope / (x * l.d0) + beta * q0 * slope / (l.d0 * l.d0))
            + alpha * beta / 2 * (l.r1 * q1 - l.r0 * q0) + a.psi / (beta * x * x) - a.lnCosh / (beta * x)
    }

    /// Solves the branch's 1RSB equations. With x fixed: one hybrids solve. With x optimised: the
    /// fixed-x solution is followed in x and Brent finds the root of ∂f/∂x (f is maximal in x at the
    /// 1RSB saddle, as for the SK model), bracketed on a logarithmic scan of x ∈ [10⁻³, x_max), x_max
    /// from D₀ > 0. A solution with q₁ − q₀ below 10⁻⁷ at x = ½ is the RS one (x is then undefined).
    /// The default start is the RS solution of the branch, with q₀, q₁ = q ∓ 0.3(1 − q) (spin glass:
    /// q₀ = 0, q₁ = q + 0.3(1 − q)); `start` = (m, q₀, q₁) overrides it.
    ///
    /// At T ≥ 10⁻³, a retrieval state (x optimised) that this search does not give — beyond the RS
    /// spinodal, where there is no RS start, or near the 1RSB fold, where the x-scan loses the
    /// branch — is reached by pseudo-arclength continuation from a lower α where the search
    /// succeeds (``continuedRetrieval(measure:neighbour:)``); nil when the branch folds before this α.
    public func solve(branch: ReplicaSymmetricSolution.Branch, start: [Double]? = nil,
                      measure: GaussianMeasure) -> ReplicaSymmetryBreakingSolution? {
        let direct = searchSolve(branch: branch, start: start, measure: measure)
        guard continuesInternally, branch == .retrieval, !(direct?.converged ?? false) else { return direct }
        switch continuedRetrieval(measure: measure, neighbour: start) {
        case .found(let state): return state
        case .noState: return nil
        case .failed(let partial): return direct ?? partial
        }
    }

    /// The x-scan search of ``solve(branch:start:measure:)`` without the continuation fallback.
    func searchSolve(branch: ReplicaSymmetricSolution.Branch, start: [Double]?,
                     measure: GaussianMeasure) -> ReplicaSymmetryBreakingSolution? {
        guard beta.isFinite else { return solveZeroTemperature(branch: branch, start: start, measure: measure) }
        let rs = replicaSymmetricState(branch, measure: measure)
        let glass = branch == .spinGlass
        var from = "given"
        var initial: (m: Double, q0: Double, q1: Double)
        if let start, start.count >= 3 { initial = (start[0], start[1], start[2]) } else {
            guard let rs else { return nil }
            let delta = 0.3 * (1 - rs.q)
            initial = (rs.m, glass ? 0 : max(rs.q - delta, 0), min(rs.q + delta, 1 - 1e-9))
            from = glass ? "rs spin-glass (q₀ = 0, q₁ = q + 0.3(1 − q))" : "rs retrieval (q₀, q₁ = q ∓ 0.3(1 − q))"
        }
        func xMax(_ p: (m: Double, q0: Double, q1: Double)) -> Double {
            min(1 - 1e-9, (1 - beta * (1 - p.q1)) / (beta * max(p.q1 - p.q0, 1e-300)))
        }
        var x: Double
        var solution: (m: Double, q0: Double, q1: Double, status: SolverStatus)
        var iterations = 0
        // Low T (retrieval): x = μT is small, below where the x scan starts, and the probe at x = ½
        // collapses; start from the T = 0 solution instead (q₁ = 1 − C₁T, x = μT) and bracket
        // ∂f/∂x = 0 by walking from there, so T → 0 joins the T = 0 equations. Below 10⁻³ the
        // finite-T averages (β > 10³) no longer resolve ∂f/∂x: the T = 0 solution is reported at
        // first order in T (q₁ = 1 − C₁T, x = μT, f = f₀ − T s₀; errors O(T²) in f, O(T) in q₁).
        // A neighbour's (m, q₀, q₁, x) at this T is, scaled, a T = 0 start (C₁ = (1 − q₁)/T, μ = x/T):
        // how a point beyond the RS capacity (no RS start at T = 0) joins the T = 0 equations too.
        let zeroStart: [Double]? = start.flatMap { s in
            s.count >= 4 && temperature > 0 && s[2] < 1 ? [s[0], s[1], (1 - s[2]) / temperature, s[3] / temperature] : nil
        }
        if fixedX == nil, !glass, start == nil || zeroStart != nil, temperature < Self.lowTemperature,
           let zero = solveZeroTemperature(branch: branch, start: zeroStart, measure: measure), zero.converged,
           !zero.reducesToReplicaSymmetry, let mu = zero.mu, let c1 = zero.c1 {
            if temperature < 1e-3 {
                var near = zero
                near.temperature = temperature
                near.q1 = 1 - c1 * temperature
                near.x = mu * temperature
                near.mu = nil
                near.freeEnergy = zero.freeEnergy - temperature * (zero.entropy ?? 0)
                near.method = zero.method + "; T < 10⁻³: the T = 0 solution to first order in T"
                return near
            }
            let from0 = (m: zero.m, q0: zero.q0, q1: min(1 - c1 * temperature, 1 - 1e-12))
            var bracket: (lo: Double, hi: Double, warm: (m: Double, q0: Double, q1: Double))?
            let x0 = mu * temperature
            let first: (m: Double, q0: Double, q1: Double, status: SolverStatus) = x0 < xMax(from0)
                ? solveFixedX(x0, from: from0, glass: false)
                : (0, 0, 0, SolverStatus(converged: false, iterations: 0, residual: .infinity, method: "x = μT beyond x_max"))
            iterations += first.status.iterations
            if first.status.converged, first.q1 - first.q0 > ReplicaSymmetryBreakingSolution.reductionTolerance,
               let g0 = xDerivative(m: first.m, q0: first.q0, q1: first.q1, x: x0) {
                bracket = BlockParameterSearch.walk(from: x0, g0: g0, point: (first.m, first.q0, first.q1), lower: 1e-12,
                                                    upper: xMax) { v, warm in
                    let s = solveFixedX(v, from: warm, glass: false)
                    iterations += s.status.iterations
                    guard s.status.converged, let g = xDerivative(m: s.m, q0: s.q0, q1: s.q1, x: v) else { return nil }
                    return (g, (s.m, s.q0, s.q1))
                }
            }
            if let bracket {
                let refined = BlockParameterSearch.refine(
                    bracket.lo, bracket.hi, warm: bracket.warm,
                    solve: { xv, warm in
                        let s = self.solveFixedX(xv, from: warm, glass: false)
                        return ((s.m, s.q0, s.q1), s.status)
                    },
                    derivative: { xv, p in self.xDerivative(m: p.m, q0: p.q0, q1: p.q1, x: xv) },
                    method: "gsl-hybrids (fixed x) + gsl-brent (∂f/∂x = 0), from the T = 0 solution", tolerance: 10 * settings.tolerance)
                iterations += refined.iterations
                // Only a verified broken state is taken from this path; otherwise the usual search.
                if refined.status.converged, refined.point.q1 - refined.point.q0 > ReplicaSymmetryBreakingSolution.reductionTolerance {
                    return record(branch: branch, x: refined.parameter, solution: (refined.point.m, refined.point.q0, refined.point.q1, refined.status),
                                  iterations: iterations, rs: rs, initial: from0, from: "T = 0 solution (q₁ = 1 − C₁T, x = μT)")
                }
            }
        }
        if let fixedX {
            x = fixedX
            solution = solveFixedX(x, from: initial, glass: glass)
            iterations = solution.status.iterations
        } else if branch == .retrieval, start == nil, settings.oneStepShortcuts, let rs, let verified = atStableReduction(rs) {
            // RS retrieval well inside its AT-stable region: the 1RSB saddle is the RS point.
            x = 0.5
            solution = verified
            from = "rs retrieval, AT-stable (replicon \(String(format: "%.3g", rs.replicon ?? .nan)) ≤ \(Self.reductionReplicon))"
        } else {
            // Reduction test at x = ½ (well inside D₀ > 0 near RS).
            let half = min(0.5, 0.5 * xMax(initial))
            let probe = solveFixedX(half, from: initial, glass: glass)
            iterations += probe.status.iterations
            if probe.status.converged, probe.q1 - probe.q0 < ReplicaSymmetryBreakingSolution.reductionTolerance {
                x = half
                solution = probe
            } else {
                // Follow the fixed-x solution along a log grid of x, warm-started, up to x_max.
                var grid: [(x: Double, g: Double, p: (m: Double, q0: Double, q1: Double))] = []
                var current = initial
                var xv = 1e-3
                while xv < xMax(current) {
                    let s = solveFixedX(xv, from: current, glass: glass)
                    iterations += s.status.iterations
                    guard s.status.converged, let g = xDerivative(m: s.m, q0: s.q0, q1: s.q1, x: xv) else { break }
                    current = (s.m, s.q0, s.q1)
                    grid.append((xv, g, current))
                    if g < 0 { break }
                    xv *= 1.5
                }
                if let j = grid.indices.dropFirst().first(where: { grid[$0 - 1].g > 0 && grid[$0].g <= 0 }) {
                    let refined = BlockParameterSearch.refine(
                        grid[j - 1].x, grid[j].x, warm: grid[j - 1].p,
                        solve: { xv, warm in
                            let s = self.solveFixedX(xv, from: warm, glass: glass)
                            return ((s.m, s.q0, s.q1), s.status)
                        },
                        derivative: { xv, p in self.xDerivative(m: p.m, q0: p.q0, q1: p.q1, x: xv) },
                        method: "gsl-hybrids (fixed x) + gsl-brent (∂f/∂x = 0)", tolerance: 10 * settings.tolerance)
                    iterations += refined.iterations
                    x = refined.parameter
                    solution = (refined.point.m, refined.point.q0, refined.point.q1, refined.status)
                } else {
                    // No interior maximum of f in x found: report the last point, not converged.
                    x = grid.last?.x ?? half
                    solution = probe
                    solution.status.converged = false
                    solution.status.method = "no root of ∂f/∂x in [1e-3, x_max)"
                }
            }
        }
        return record(branch: branch, x: x, solution: solution, iterations: iterations, rs: rs, initial: initial, from: from)
    }

    /// Where the RS retrieval state is AT-stable by a margin, replicon αβ² E sech⁴/(1 − C)² ≤
    /// ``reductionReplicon`` (< 1), the 1RSB saddle of the retrieval branch is the RS point itself
    /// (q₁ = q₀ = q): RSB of the Hopfield retrieval state sets in continuously at the AT line
    /// (Crisanti, Amit & Gutfreund 1986), and on a 40 × 40 grid of α ∈ [0.01, 0.14], T ∈ [0, 0.5]
    /// the x = ½ probe of ``searchSolve`` reduced to RS at every point with replicon < 1 (the largest
    /// was 0.95) and found q₁ > q₀ only where it exceeds 1 (1.34) — measured before this shortcut
    /// replaced the probe there. The residual at the RS point (σ₁ = 0, where the 1RSB equations are
    /// the RS ones) is re-evaluated as for every converged record; it confirms the RS solution, not
    /// the absence of a separate broken branch, which rests on the continuous onset above. nil when
    /// the residual fails or the replicon is above the margin: the probe runs as before.
    func atStableReduction(_ rs: ReplicaSymmetricSolution) -> (m: Double, q0: Double, q1: Double, status: SolverStatus)? {
        guard let replicon = rs.replicon, replicon <= Self.reductionReplicon,
              let r = residual(rs.m, rs.q, rs.q, 0.5) else { return nil }
        let worst = r.map(abs).max() ?? .infinity
        let tolerance = max(settings.tolerance, 1e-11)
        guard worst <= tolerance else { return nil }
        return (rs.m, rs.q, rs.q, SolverStatus(converged: true, iterations: 0, residual: worst,
                                               method: "RS retrieval AT-stable (replicon ≤ \(Self.reductionReplicon)): the RS point taken as the 1RSB saddle, its residual re-evaluated (max|F| ≤ \(tolerance))"))
    }

    /// The replicon below which ``atStableReduction(_:)`` takes the RS point without the probe.
    static let reductionReplicon = 0.5

    /// The record of a finite-T solution at block parameter x: free energy, entropy by central
    /// differences in T at fixed order parameters, and how it was found.
    func record(branch: ReplicaSymmetricSolution.Branch, x: Double, solution: (m: Double, q0: Double, q1: Double, status: SolverStatus),
                iterations: Int, rs: ReplicaSymmetricSolution?, initial: (m: Double, q0: Double, q1: Double),
                from: String) -> ReplicaSymmetryBreakingSolution? {
        let (m, q0, q1) = (solution.m, solution.q0, solution.q1)
        guard let l = levels(q0: q0, q1: q1, x: x),
              let f = freeEnergy(m: m, q0: q0, q1: q1, r0: l.r0, r1: l.r1, x: x, beta: beta) else { return nil }
        // s = −∂f/∂T at fixed order parameters (f is stationary in them).
        let h = 1e-4 * temperature
        let fp = freeEnergy(m: m, q0: q0, q1: q1, r0: l.r0, r1: l.r1, x: x, beta: 1 / (temperature + h))
        let fm = freeEnergy(m: m, q0: q0, q1: q1, r0: l.r0, r1: l.r1, x: x, beta: 1 / (temperature - h))
        let s = (fp != nil && fm != nil) ? -(fp! - fm!) / (2 * h) : nil
        let reduced = q1 - q0 < ReplicaSymmetryBreakingSolution.reductionTolerance
        return ReplicaSymmetryBreakingSolution(
            model: "classical", alpha: alpha, temperature: temperature, branch: branch.rawValue, p: nil, m: m, q0: q0, q1: q1,
            x: reduced && fixedX == nil ? nil : x, mu: nil, xMode: fixedX == nil ? "optimised" : "fixed", r0: l.r0, r1: l.r1,
            c1: beta * (1 - q1), freeEnergy: f, entropy: s, energy: s.map { f + temperature * $0 },
            reducesToReplicaSymmetry: reduced, rsFreeEnergy: rs?.freeEnergy, rsM: rs?.m, rsQ: rs?.q,
            converged: solution.status.converged, iterations: iterations, residual: solution.status.residual,
            method: solution.status.method, start: [initial.m, initial.q0, initial.q1], startFrom: from)
    }

    /// Below this temperature the retrieval state's x = μT is found from the T = 0 solution.
    static let lowTemperature = 0.02

    // MARK: - T = 0

    struct ZeroLevels { var d1, d0, r0, r1: Double }

    func zeroLevels(q0: Double, c1: Double, mu: Double) -> ZeroLevels? {
        let d1 = 1 - c1, d0 = d1 - mu * (1 - q0)
        guard d1 > 0, d0 > 0, mu > 0 else { return nil }
        let r0 = q0 / (d0 * d0)
        return ZeroLevels(d1: d1, d0: d0, r0: r0, r1: r0 + (1 / mu) * (1 / d0 - 1 / d1))
    }

    func zeroFreeEnergy(m: Double, q0: Double, c1: Double, r0: Double, r1: Double, mu: Double) -> Double? {
        let d1 = 1 - c1, d0 = d1 - mu * (1 - q0)
        guard d1 > 0, d0 > 0, r1 > r0, r0 >= 0, mu > 0 else { return nil }
        let a = OneStepAverages.zero(signal: m, sigma0: (alpha * r0).squareRoot(), sigma1: (alpha * (r1 - r0)).squareRoot(), mu: mu)
        return alpha / 2 + m * m / 2 + alpha / (2 * mu) * log(d0 / d1) - alpha / 2 * q0 / d0
            + alpha / 2 * r1 * c1 + alpha * mu / 2 * (r1 - r0 * q0) - a.lnZ / mu
    }

    /// The T = 0 equations at fixed μ: (m, q₀, C₁) residuals.
    public func zeroResidual(_ m: Double, _ q0: Double, _ c1: Double, mu: Double) -> [Double]? {
        guard q0 >= 0, q0 < 1, c1 > 0, let l = zeroLevels(q0: q0, c1: c1, mu: mu), l.r1 > l.r0 else { return nil }
        let a = OneStepAverages.zero(signal: m, sigma0: (alpha * l.r0).squareRoot(), sigma1: (alpha * (l.r1 - l.r0)).squareRoot(), mu: mu)
        return [m - a.tanh, q0 - a.tanhSq, c1 - a.c1]
    }

    /// ∂f/∂μ at fixed order parameters (m, q₀, C₁, r₀, r₁), the total derivative at a fixed-μ
    /// solution, in closed form: with D₀' = ∂D₀/∂μ = −(1 − q₀),
    /// ```
    /// ∂f/∂μ = −(α/2μ²) ln(D₀/D₁) + (α/2μ) D₀'/D₀ + (α/2) q₀D₀'/D₀² + (α/2)(r₁ − r₀q₀)
    ///         + E ln Z/μ² − E ∂ln Z/∂μ/μ
    /// ```
    /// (``OneStepAverages/Zero/lnZSlope``; it was a central difference of f with step 10⁻³μ).
    func muDerivative(m: Double, q0: Double, c1: Double, mu: Double) -> Double? {
        guard let l = zeroLevels(q0: q0, c1: c1, mu: mu), l.r1 > l.r0, l.r0 >= 0 else { return nil }
        let a = OneStepAverages.zero(signal: m, sigma0: (alpha * l.r0).squareRoot(), sigma1: (alpha * (l.r1 - l.r0)).squareRoot(), mu: mu)
        let slope = -(1 - q0)
        // ln(D₀/D₁) = log1p((D₀ − D₁)/D₁).
        return -alpha / (2 * mu * mu) * log1p(mu * slope / l.d1) + alpha / (2 * mu) * slope / l.d0 + alpha / 2 * q0 * slope / (l.d0 * l.d0)
            + alpha / 2 * (l.r1 - l.r0 * q0) + a.lnZ / (mu * mu) - a.lnZSlope / mu
    }

    /// Fixed μ: hybrids in (m, ln(1 − q₀), ln C₁); the spin glass (zero field: m = q₀ = 0 exactly) in ln C₁ alone.
    func solveFixedMu(_ mu: Double, from start: (m: Double, q0: Double, c1: Double), glass: Bool = false)
        -> (m: Double, q0: Double, c1: Double, status: SolverStatus) {
        if glass {
            let (u, status) = RootFinding.hybrids(start: [log(start.c1)], tolerance: max(settings.tolerance, 1e-11),
                                                  maxIterations: settings.maxIterations) { u in
                self.zeroResidual(0, 0, exp(u[0]), mu: mu).map { [$0[2]] }
            }
            return (0, 0, exp(u[0]), status)
        }
        let (u, status) = RootFinding.hybrids(start: [start.m, log(1 - start.q0), log(start.c1)],
                                              tolerance: max(settings.tolerance, 1e-11), maxIterations: settings.maxIterations) { u in
            self.zeroResidual(u[0], 1 - exp(u[1]), exp(u[2]), mu: mu)
        }
        return (u[0], 1 - exp(u[1]), exp(u[2]), status)
    }

    /// T = 0 in the scaled variables (m, q₀, C₁, μ = βx): fixed-μ solutions followed in μ from μ₀
    /// until ∂f/∂μ changes sign, then Brent on ∂f/∂μ = 0 (f is maximal in μ). The default start is
    /// the RS state at this α with q₀ = 0.99, C₁ = 0.9 C_RS, μ₀ = 1; `start` = (m, q₀, C₁, μ)
    /// continues from a neighbouring solution (how α_c beyond the RS spinodal is reached).
    func solveZeroTemperature(branch: ReplicaSymmetricSolution.Branch, start: [Double]?,
                              measure: GaussianMeasure) -> ReplicaSymmetryBreakingSolution? {
        // (Also called at low finite T for the T = 0 start: the given branches are this T's, not T = 0's.)
        let rs = Self.replicaSymmetricState(branch, given: temperature == 0 ? replicaSymmetric : nil,
                                            ClassicalReplicaSymmetric(alpha: alpha, temperature: 0, measure: measure, settings: settings),
                                            shortcuts: settings.oneStepShortcuts)
        let glass = branch == .spinGlass
        var from = "given"
        var initial: (m: Double, q0: Double, c1: Double)
        if let start, start.count >= 3 { initial = (start[0], start[1], start[2]) } else {
            guard let rs else { return nil }
            if glass {
                // Zero field: q₀ = 0; D₀ = 1 − C₁ − μ > 0 bounds μ, so the walk starts inside.
                initial = (0, 0, rs.c)
                from = "rs spin-glass (q₀ = 0, C₁ = C_RS, μ₀ = (1 − C_RS)/2)"
            } else {
                initial = (rs.m, 0.99, rs.c * 0.9)
                from = "rs \(branch.rawValue) (q₀ = 0.99, C₁ = 0.9 C_RS)"
            }
        }
        var iterations = 0
        let defaultMu = glass ? 0.5 * (1 - initial.c1) : 1
        var mu = fixedX ?? (start.map { $0.count >= 4 ? $0[3] : defaultMu } ?? defaultMu)
        var solution: (m: Double, q0: Double, c1: Double, status: SolverStatus)
        if fixedX != nil {
            solution = solveFixedMu(mu, from: initial, glass: glass)
            iterations = solution.status.iterations
        } else {
            // Bracket the root of ∂f/∂μ by walking from μ₀ (the neighbour's μ, or 1) uphill in f
            // (``BlockParameterSearch/walk``); then Brent.
            func evaluate(_ v: Double, _ from: (m: Double, q0: Double, c1: Double)) -> (g: Double, point: (m: Double, q0: Double, c1: Double))? {
                let s = solveFixedMu(v, from: from, glass: glass)
                iterations += s.status.iterations
                guard s.status.converged, let g = muDerivative(m: s.m, q0: s.q0, c1: s.c1, mu: v) else { return nil }
                return (g, (s.m, s.q0, s.c1))
            }
            var bracket: (lo: Double, hi: Double, warm: (m: Double, q0: Double, c1: Double))?
            if let first = evaluate(mu, initial) {
                bracket = BlockParameterSearch.walk(from: mu, g0: first.g, point: first.point, lower: 1e-3, upper: { p in glass ? 1 - p.c1 : 1e4 },
                                                    evaluate: evaluate)
            }
            if let bracket {
                let refined = BlockParameterSearch.refine(
                    bracket.lo, bracket.hi, warm: bracket.warm,
                    solve: { v, warm in
                        let s = self.solveFixedMu(v, from: warm, glass: glass)
                        return ((s.m, s.q0, s.c1), s.status)
                    },
                    derivative: { v, p in self.muDerivative(m: p.m, q0: p.q0, c1: p.c1, mu: v) },
                    method: "gsl-hybrids (fixed μ) + gsl-brent (∂f/∂μ = 0)", tolerance: 10 * settings.tolerance)
                iterations += refined.iterations
                mu = refined.parameter
                solution = (refined.point.m, refined.point.q0, refined.point.c1, refined.status)
            } else {
                solution = solveFixedMu(mu, from: initial, glass: glass)
                solution.status.converged = false
                solution.status.method = "no root of ∂f/∂μ bracketed from μ₀ = \(mu)"
            }
        }
        if !solution.status.converged, 1 - solution.q0 < 1e-6, let rs {
            // Collapsed onto q₀ = q₁ = 1, where the 1RSB equations are the RS T = 0 ones (μ drops out).
            return ReplicaSymmetryBreakingSolution(
                model: "classical", alpha: alpha, temperature: 0, branch: branch.rawValue, p: nil, m: rs.m, q0: 1, q1: 1,
                x: nil, mu: nil, xMode: fixedX == nil ? "optimised" : "fixed", r0: rs.r, r1: rs.r, c1: rs.c,
                freeEnergy: rs.freeEnergy, entropy: rs.entropy, energy: rs.freeEnergy, reducesToReplicaSymmetry: true,
                rsFreeEnergy: rs.freeEnergy, rsM: rs.m, rsQ: rs.q, converged: rs.converged, iterations: iterations + rs.iterations,
                residual: rs.residual, method: "1RSB collapsed onto q₀ = 1 (1 − q₀ = \(1 - solution.q0)); RS T = 0 equations",
                start: [initial.m, initial.q0, initial.c1], startFrom: from)
        }
        return zeroTemperatureRecord(branch: branch, m: solution.m, q0: solution.q0, c1: solution.c1, mu: mu, status: solution.status,
                                     iterations: iterations, rs: rs, start: [initial.m, initial.q0, initial.c1], from: from)
    }

    /// The record of a T = 0 solution (m, q₀, C₁, μ): f, the zero-temperature entropy, the RS values beside it.
    func zeroTemperatureRecord(branch: ReplicaSymmetricSolution.Branch, m: Double, q0: Double, c1: Double, mu: Double, status: SolverStatus, iterations: Int? = nil,
                               rs: ReplicaSymmetricSolution?, start: [Double], from: String) -> ReplicaSymmetryBreakingSolution? {
        let solution = (m: m, q0: q0, c1: c1, status: status)
        guard let l = zeroLevels(q0: solution.q0, c1: solution.c1, mu: mu),
              let f = zeroFreeEnergy(m: solution.m, q0: solution.q0, c1: solution.c1, r0: l.r0, r1: l.r1, mu: mu) else { return nil }
        // s(0) = −∂f/∂T at fixed (m, q₀, C₁, μ, r₀, r₁): with q₁ = 1 − C₁T and x = μT only
        // (αT/2) ln D₁, D₀ = D₁ − μ(1 − q₀) + μC₁T and (αμ/2) r₁q₁ depend on T to first order, so
        // s(0) = −(α/2)[ln(1 − C₁) + C₁/D₀ + μq₀C₁/D₀² − μr₁C₁]  (μ → 0: AGS's −(α/2)[ln(1 − C) + C/(1 − C)]).
        let c1 = solution.c1
        let s0 = -alpha / 2 * (log(l.d1) + c1 / l.d0 + mu * solution.q0 * c1 / (l.d0 * l.d0) - mu * l.r1 * c1)
        return ReplicaSymmetryBreakingSolution(
            model: "classical", alpha: alpha, temperature: 0, branch: branch.rawValue, p: nil, m: solution.m, q0: solution.q0,
            q1: 1, x: nil, mu: mu, xMode: fixedX == nil ? "optimised" : "fixed", r0: l.r0, r1: l.r1, c1: solution.c1,
            freeEnergy: f, entropy: s0, energy: f,
            reducesToReplicaSymmetry: 1 - solution.q0 < ReplicaSymmetryBreakingSolution.reductionTolerance,
            rsFreeEnergy: rs?.freeEnergy, rsM: rs?.m, rsQ: rs?.q, converged: solution.status.converged,
            iterations: iterations ?? solution.status.iterations,
            residual: solution.status.residual, method: solution.status.method, start: start, startFrom: from)
    }
}

extension ClassicalOneStepRSB {
    /// The 1RSB storage capacity α_c(T = 0): the largest α with a converged retrieval solution of the
    /// T = 0 1RSB equations, found by continuation from the RS state at `from` (below the RS α_c)
    /// in steps that halve on failure, each solution warm-starting the next, until the step is below
    /// `tolerance`. Returns the last solution found (at α_c from below).
    public static func zeroTemperatureCapacity(from alpha0: Double = 0.137, initialStep: Double = 2e-4,
                                               tolerance: Double = 1e-7, settings: SolverSettings = SolverSettings(),
                                               measure: GaussianMeasure) -> ReplicaSymmetryBreakingSolution? {
        guard var last = ClassicalOneStepRSB(alpha: alpha0, temperature: 0, settings: settings)
            .solve(branch: .retrieval, measure: measure), last.converged else { return nil }
        var step = initialStep
        while step > tolerance {
            let trial = ClassicalOneStepRSB(alpha: last.alpha + step, temperature: 0, settings: settings)
                .solve(branch: .retrieval, start: [last.m, last.q0, last.c1!, last.mu!], measure: measure)
            if let trial, trial.converged, trial.m > 0.5, abs(trial.m - last.m) < 0.05 {
                last = trial
            } else {
                step /= 2
            }
        }
        return last
    }
}

extension ClassicalOneStepRSB: OneStepRSBSolver {
    /// (m, q₀, q₁, x, α), or at T = 0 (m, q₀, C₁, μ).
    public static func startVector(_ s: ReplicaSymmetryBreakingSolution) -> [Double] {
        if let mu = s.mu, let c1 = s.c1 { return [s.m, s.q0, c1, mu] }
        return [s.m, s.q0, s.q1] + (s.x.map { [$0, s.alpha] } ?? [])
    }

    /// At T > 0 with x optimised a point the x-scan misses is reached by following the branch
    /// (``continuedRetrieval(measure:neighbour:)``): grids need no continuation of their own.
    /// Not below T = 10⁻³, where the T = 0 solution to first order in T is reported and neighbours
    /// hand on scaled T = 0 starts (the nested finite-T averages at β > 10³ cannot follow a branch).
    public var continuesInternally: Bool { Self.continuesInternally(temperature: temperature, fixedX: fixedX) }

    static func continuesInternally(temperature: Double, fixedX: Double?) -> Bool {
        temperature >= followingTemperature && fixedX == nil
    }

    /// The lowest temperature at which a retrieval state is reached by following its branch.
    static let followingTemperature = 1e-3
}
