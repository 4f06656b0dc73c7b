import Foundation
import Synchronization

/// One-step RSB of the dense P-body network (Gardner form, P ≥ 3; conventions of
/// ``DenseReplicaSymmetric``), following the structure of Albanese, Alemanno, Alessandrelli & Barra,
/// "Replica symmetry breaking in dense neural networks" (J. Stat. Phys. 2022, arXiv 2111.12997),
/// in hopsim's normalisation. The crosstalk is a Gaussian P-spin glass with
/// E[H_a H_b] = N (αw/P!) q_ab^P, so with Parisi blocks (q₁ inside, q₀ between, block size x) and
/// conjugates q̂_k = β²(αwP/P!) q_k^{P−1}:
/// ```
/// f = (P−1) n^P/P! − (βαw/2P!)[1 + (x−1) q₁^P − x q₀^P] + (βαwP/2P!)[(x−1) q₁^P − x q₀^P + q₁^{P−1}]
///     − (1/(βx)) E_{χ̄,z₀} ln E_{z₁} (2cosh βh)^x,
/// h = χ̄ n^{P−1}/(P−1)! + σ₀z₀ + σ₁z₁,  σ₀² = αw q₀^{P−1}/(P−1)!,  σ₁² = αw (q₁^{P−1} − q₀^{P−1})/(P−1)!,
/// n = E χ̄⟨tanh⟩,  q₁ = E⟨tanh²⟩,  q₀ = E⟨tanh⟩²,  ∂f/∂x = 0,
/// ```
/// which at q₁ = q₀ is the RS free energy of ``DenseReplicaSymmetric``. At T = 0 (q₁ → 1, μ = βx):
/// ```
/// f = (P−1) n^P/P! + (αw(P−1)μ/2P!)(1 − q₀^P) − (1/μ) E_{χ̄,z₀} ln Z,   σ₁² = αw(1 − q₀^{P−1})/(P−1)!
/// ```
/// (the C₁ terms cancel). The spin glass (n = 0) has q₀ = 0 at zero field, and is then exactly the
/// Ising P-spin glass with J² = 2αw/P!, whose 1RSB static transition (x = 1) is T_s = 0.651 J for
/// P = 3 (Gardner, Nucl. Phys. B 257, 747 (1985)) — the published number the tests reproduce.
/// Odd P: H(−σ) ≠ H(σ), so only n > 0 (retrieval of +ξ) is a retrieval branch; hopsim follows it
/// from the RS state and reports m = E⟨tanh⟩ beside n; the spin glass is symmetric for every P.
public struct DenseOneStepRSB: Sendable {
    public let order: Int
    public let alpha: Double
    public let temperature: Double
    public let beta: Double
    public let examples: ExampleStatistics
    public let settings: SolverSettings
    public let fixedX: Double?
    let chi: [(chi: Double, weight: Double)]
    /// ``ExampleStatistics/moments(_:)`` of `chi`.
    let chiMoments: (weight: Double, mean: Double)
    let weight: Double
    let factorial: Double, factorialMinusOne: Double

    public init(order: Int, alpha: Double, temperature: Double, examples: ExampleStatistics = .none,
                settings: SolverSettings = SolverSettings(), fixedX: Double? = nil, measure: GaussianMeasure) {
        precondition(order >= 3 && alpha > 0 && temperature >= 0)
        self.order = order; self.alpha = alpha; self.temperature = temperature
        self.beta = temperature > 0 ? 1 / temperature : .infinity
        self.examples = examples; self.settings = settings; self.fixedX = fixedX
        self.chi = examples.distribution(hermiteNodes: measure.hermiteNodes, hermiteWeights: measure.hermiteWeights)
        self.chiMoments = ExampleStatistics.moments(chi)
        self.weight = examples.crosstalkWeight(order: order)
        self.factorialMinusOne = (1..<order).reduce(1.0) { $0 * Double($1) }
        self.factorial = factorialMinusOne * Double(order)
    }

    func sigmas(_ q0: Double, _ q1: Double) -> (Double, Double) {
        let p = Double(order - 1)
        return ((alpha * weight * pow(q0, p) / factorialMinusOne).squareRoot(),
                (alpha * weight * max(pow(q1, p) - pow(q0, p), 0) / factorialMinusOne).squareRoot())
    }

    /// Averages mixed over χ̄: (n-equation E χ̄⟨tanh⟩, m = E⟨tanh⟩, E⟨tanh²⟩, E⟨tanh⟩², ψ, E⟨ln 2cosh βh⟩).
    func averages(n: Double, q0: Double, q1: Double, x: Double, beta b: Double)
        -> (chiTanh: Double, tanh: Double, tanh2: Double, tanhSq: Double, psi: Double, lnCosh: Double) {
        let (s0, s1) = sigmas(q0, q1)
        let signal = pow(n, Double(order - 1)) / factorialMinusOne
        var r = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        if signal == 0 {
            // No signal (the glass): the field does not depend on χ̄, one average serves every χ̄.
            let a = OneStepAverages.finite(signal: 0, sigma0: s0, sigma1: s1, beta: b, x: x)
            let (weight, chiMean) = chiMoments
            return (chiMean * a.tanh, weight * a.tanh, weight * a.tanh2, weight * a.tanhSq, weight * a.psi, weight * a.lnCosh)
        }
        for (c, w) in chi {
            let a = OneStepAverages.finite(signal: c * signal, sigma0: s0, sigma1: s1, beta: b, x: x)
            r.0 += w * c * a.tanh; r.1 += w * a.tanh; r.2 += w * a.tanh2; r.3 += w * a.tanhSq; r.4 += w * a.psi; r.5 += w * a.lnCosh
        }
        return r
    }

    public func freeEnergy(n: Double, q0: Double, q1: Double, x: Double, beta b: Double) -> Double {
        let p = Double(order), aw = alpha * weight
        let bracket = 1 + (x - 1) * pow(q1, p) - x * pow(q0, p)
        let conjugate = (x - 1) * pow(q1, p) - x * pow(q0, p) + pow(q1, p - 1)
        let psi = averages(n: n, q0: q0, q1: q1, x: x, beta: b).psi
        return (p - 1) * pow(n, p) / factorial - b * aw / (2 * factorial) * bracket + b * aw * p / (2 * factorial) * conjugate - psi / (b * x)
    }

    func residual(_ n: Double, _ q0: Double, _ q1: Double, _ x: Double) -> [Double]? {
        guard q0 >= 0, q1 >= q0, q1 < 1, x > 0, x <= 1 else { return nil }
        let a = averages(n: n, q0: q0, q1: q1, x: x, beta: beta)
        return [n - a.chiTanh, q1 - a.tanh2, q0 - a.tanhSq]
    }

    /// ∂f/∂x at fixed (n, q₀, q₁), the total derivative at a fixed-x solution (f is stationary in
    /// them), in closed form (the σ's do not depend on x):
    /// ```
    /// ∂f/∂x = (βαw(P−1)/2P!)(q₁^P − q₀^P) + ψ/(βx²) − E_{χ̄,z₀}⟨ln 2cosh βh⟩/(βx),
    /// ```
    /// ∂ψ/∂x = E⟨ln 2cosh βh⟩ being the replica-weighted inner average (``OneStepAverages``). (It
    /// was a central difference of f with step 10⁻³x, whose rounding noise, ~10⁻¹⁶|ψ|/(βx·10⁻³x),
    /// limited x at low T.)
    public func xDerivative(n: Double, q0: Double, q1: Double, x: Double) -> Double {
        let p = Double(order), aw = alpha * weight
        let a = averages(n: n, q0: q0, q1: q1, x: x, beta: beta)
        return beta * aw * (p - 1) / (2 * factorial) * (pow(q1, p) - pow(q0, p)) + a.psi / (beta * x * x) - a.lnCosh / (beta * x)
    }

    /// Fixed x: hybrids in (n, q₀, ln(q₁ − q₀)) (spin glass: n = q₀ = 0, unknown ln q₁); a collapse onto
    /// q₁ = q₀ is finished on that manifold, where the equations are the RS ones. Retrieval: a linear
    /// collapse (``LinearCollapse``) stops the walk of ln(q₁ − q₀) at q₁ − q₀ < 10⁻⁶. The glass walks
    /// ln q₁ to the tolerance: its manifold finish solves in q₁ itself, and a Newton step from
    /// q₁ ~ 10⁻⁶ overshoots to q₁ < 0, outside the equations' domain.
    public func solveFixedX(_ x: Double, from start: (n: Double, q0: Double, q1: Double), glass: Bool)
        -> (n: Double, q0: Double, q1: Double, status: SolverStatus) {
        func point(_ u: [Double]) -> (n: Double, q0: Double, q1: Double) {
            glass ? (0, 0, exp(u[0])) : (u[0], u[1], u[1] + exp(u[2]))
        }
        let unknowns = glass ? [log(start.q1)] : [start.n, start.q0, log(max(start.q1 - start.q0, 1e-300))]
        let tolerance = max(settings.tolerance, 1e-11)
        var collapse = LinearCollapse()
        let (u, status) = RootFinding.hybrids(start: unknowns, tolerance: tolerance, maxIterations: settings.maxIterations,
                                              stop: glass ? nil : { u, r in
                                                  let p = point(u)
                                                  return collapse.observe(delta: p.q1 - p.q0, residualGap: r[1] - r[2], q1: p.q1)
                                              }) { u in
            let p = point(u)
            guard let r = self.residual(p.n, p.q0, p.q1, x) else { return nil }
            return glass ? [r[1]] : r
        }
        let p = point(u)
        guard !status.converged, p.q1 - p.q0 < 1e-6 else { return (p.n, p.q0, p.q1, status) }
        let finished = ReplicaSymmetricManifold.finish(from: (p.n, p.q0, p.q1), status: status, glass: glass,
                                                       settings: settings) { n, q0, q1 in self.residual(n, q0, q1, x) }
        return (finished.m, finished.q0, finished.q1, finished.status)
    }

    /// The glass's q₁ at fixed x on its stable branch: the larger of the roots reached from the warm
    /// start `s` and from q₁ = 0.995, accepted only where it is a stable fixed point of
    /// q₁ ↦ E⟨tanh²⟩ (the map's slope < 1). Near T_s the q₁ equation has a small unstable root
    /// beside the large stable one, which may exist only at larger x (found by an independent
    /// check against a separate solver; following the small one gave the paramagnet below T_s).
    func stableGlassRoot(_ x: Double, _ s: (n: Double, q0: Double, q1: Double, status: SolverStatus),
                         iterations: inout Int) -> (n: Double, q0: Double, q1: Double, status: SolverStatus) {
        var best = s
        let high = solveFixedX(x, from: (0, 0, 0.995), glass: true)
        iterations += high.status.iterations
        if high.status.converged, !best.status.converged || high.q1 > best.q1 + 1e-9 { best = high }
        guard best.status.converged, best.q1 > 1e-6 else { return best }
        func g(_ q: Double) -> Double { q - averages(n: 0, q0: 0, q1: q, x: x, beta: beta).tanh2 }
        let h = 1e-6 * best.q1
        if g(best.q1 + h) - g(best.q1 - h) <= 0 {
            best.status.converged = false
            best.status.method = "only an unstable glass root at x = \(x)"
        }
        return best
    }

    /// The smallest x in (lo, hi] with a stable glass root (``stableGlassRoot``), by bisection to 10⁻⁶.
    func glassBranchEdge(_ lo: Double, _ hi: Double, iterations: inout Int) -> (x: Double, q1: Double)? {
        var a = lo, b = hi
        var q1 = 0.995
        while b - a > 1e-6 * b {
            let mid = 0.5 * (a + b)
            let s = stableGlassRoot(mid, solveFixedX(mid, from: (0, 0, q1), glass: true), iterations: &iterations)
            if s.status.converged { b = mid; q1 = s.q1 } else { a = mid }
        }
        let s = stableGlassRoot(b, solveFixedX(b, from: (0, 0, q1), glass: true), iterations: &iterations)
        return s.status.converged ? (b, s.q1) : nil
    }

    /// As ``ClassicalOneStepRSB/solve(branch:start:measure:)``: RS start of the branch (n, q ∓ 0.3(1 − q);
    /// spin glass q₀ = 0, q₁ = max(q_RS, 0.5) + …), x fixed or the first maximum of f along x found by
    /// scanning x ∈ [10⁻³, 1] on the continued fixed-x branch, then Brent on ∂f/∂x.
    public func solve(branch: ReplicaSymmetricSolution.Branch, measure: GaussianMeasure, start: [Double]? = nil)
        -> ReplicaSymmetryBreakingSolution? {
        guard beta.isFinite else { return solveZeroTemperature(branch: branch, measure: measure, start: start) }
        let rsEquations = DenseReplicaSymmetric(order: order, alpha: alpha, temperature: temperature, examples: examples,
                                                measure: measure, settings: settings)
        let rs = rsEquations.stableBranch(branch)
        let glass = branch == .spinGlass
        var from = "given"
        var initial: (n: Double, q0: Double, q1: Double)
        if let start, start.count >= 3 { initial = (start[0], start[1], start[2]) } else if let rs {
            let delta = 0.3 * (1 - rs.q)
            initial = (rs.n ?? rs.m, glass ? 0 : max(rs.q - delta, 0), min(rs.q + delta, 1 - 1e-9))
            from = "rs \(branch.rawValue) (q₀, q₁ = q ∓ 0.3(1 − q))"
        } else if glass {
            // P ≥ 3: the RS spin glass appears discontinuously; the 1RSB one can exist without it.
            initial = (0, 0, 0.9)
            from = "q₀ = 0, q₁ = 0.9 (no RS spin glass here)"
        } else { return nil }
        var iterations = 0
        var x: Double
        var solution: (n: Double, q0: Double, q1: Double, status: SolverStatus)
        if let fixedX {
            x = fixedX
            solution = solveFixedX(x, from: initial, glass: glass)
            iterations = solution.status.iterations
        } else {
            var probe = solveFixedX(0.5, from: initial, glass: glass)
            iterations += probe.status.iterations
            // The glass collapses to q₁ = 0 from a start off its stable branch: probe on the branch.
            if glass, probe.status.converged, probe.q1 - probe.q0 < ReplicaSymmetryBreakingSolution.reductionTolerance {
                let onBranch = stableGlassRoot(0.5, probe, iterations: &iterations)
                if onBranch.q1 - onBranch.q0 >= ReplicaSymmetryBreakingSolution.reductionTolerance { probe = onBranch }
            }
            if probe.status.converged, probe.q1 - probe.q0 < ReplicaSymmetryBreakingSolution.reductionTolerance {
                x = 0.5
                solution = probe
            } else {
                var grid: [(x: Double, g: Double, p: (n: Double, q0: Double, q1: Double))] = []
                var current = initial
                var xv = 1e-3
                var previousX: Double?          // the last x of the scan without a stable glass root
                while xv <= 1 {
                    var s = solveFixedX(xv, from: current, glass: glass)
                    if glass {
                        s = stableGlassRoot(xv, s, iterations: &iterations)
                        // The stable root can appear only at larger x (near T_s): where the scan first
                        // meets it already past the optimum, find where it appears and start there.
                        if s.status.converged, s.q1 - s.q0 > 1e-9, grid.isEmpty, let below = previousX,
                           xDerivative(n: 0, q0: 0, q1: s.q1, x: xv) < 0,
                           let edge = glassBranchEdge(below, xv, iterations: &iterations) {
                            grid.append((edge.x, xDerivative(n: 0, q0: 0, q1: edge.q1, x: edge.x), (0, 0, edge.q1)))
                        }
                        if !s.status.converged || s.q1 - s.q0 <= 1e-9 { previousX = xv }
                    }
                    iterations += s.status.iterations
                    if s.status.converged, s.q1 - s.q0 > 1e-9 {
                        current = (s.n, s.q0, s.q1)
                        let g = xDerivative(n: s.n, q0: s.q0, q1: s.q1, x: xv)
                        grid.append((xv, g, current))
                        if g < 0 { break }
                    }
                    xv = xv < 1 ? min(xv * 1.5, 1) : 2
                }
                if let j = grid.indices.dropFirst().first(where: { grid[$0 - 1].g > 0 && grid[$0].g <= 0 }) {
                    let refined = BlockParameterSearch.refine(
                        grid[j - 1].x, grid[j].x, warm: grid[j - 1].p,
                        solve: { v, warm in
                            var s = self.solveFixedX(v, from: warm, glass: glass)
                            if glass {
                                var ignored = 0
                                s = self.stableGlassRoot(v, s, iterations: &ignored)
                            }
                            return ((s.n, s.q0, s.q1), s.status)
                        },
                        derivative: { v, p in self.xDerivative(n: p.n, q0: p.q0, q1: p.q1, x: v) },
                        method: "gsl-hybrids (fixed x) + gsl-brent (∂f/∂x = 0)", tolerance: 10 * settings.tolerance)
                    iterations += refined.iterations
                    x = refined.parameter
                    solution = (refined.point.n, refined.point.q0, refined.point.q1, refined.status)
                } else if glass, grid.last?.x == 1, grid.allSatisfy({ $0.g > 0 }),
                          let ts = rsEquations.staticGlassTemperature, temperature >= ts * (1 - 1e-9) {
                    // f still rising at x = 1 above T_s: the static 1RSB glass (x < 1) does not exist
                    // and the 1RSB spin-glass saddle is the RS paramagnet (q₀ = q₁ = 0), as above T_d.
                    x = 0.5
                    solution = (0, 0, 0, SolverStatus(converged: true, iterations: 0, residual: 0,
                                                      method: "∂f/∂x > 0 up to x = 1 above T_s = \(String(format: "%.6g", ts)): no static 1RSB glass; the saddle is the RS paramagnet (q₀ = q₁ = 0)"))
                } else {
                    x = grid.last?.x ?? 0.5
                    solution = grid.last.map { ($0.p.n, $0.p.q0, $0.p.q1, SolverStatus(converged: false, iterations: 0, residual: .infinity, method: "")) } ?? probe
                    solution.status.converged = false
                    solution.status.method = "no root of ∂f/∂x in [1e-3, 1] (the optimum is at x ≥ 1: no 1RSB state)"
                }
            }
        }
        let f = freeEnergy(n: solution.n, q0: solution.q0, q1: solution.q1, x: x, beta: beta)
        let h = 1e-4 * temperature
        let s = -(freeEnergy(n: solution.n, q0: solution.q0, q1: solution.q1, x: x, beta: 1 / (temperature + h))
                  - freeEnergy(n: solution.n, q0: solution.q0, q1: solution.q1, x: x, beta: 1 / (temperature - h))) / (2 * h)
        let a = averages(n: solution.n, q0: solution.q0, q1: solution.q1, x: x, beta: beta)
        let reduced = solution.q1 - solution.q0 < ReplicaSymmetryBreakingSolution.reductionTolerance
        let paramagnet = rsEquations.paramagnet()
        return ReplicaSymmetryBreakingSolution(
            model: "dense", alpha: alpha, temperature: temperature, branch: branch.rawValue, p: order, m: a.tanh,
            q0: solution.q0, q1: solution.q1, x: reduced && fixedX == nil ? nil : x, mu: nil,
            xMode: fixedX == nil ? "optimised" : "fixed", r0: nil, r1: nil, c1: nil, freeEnergy: f, entropy: s,
            energy: f + temperature * s, reducesToReplicaSymmetry: reduced,
            rsFreeEnergy: (rs ?? (glass ? paramagnet : nil))?.freeEnergy, rsM: rs?.m, rsQ: rs?.q,
            converged: solution.status.converged, iterations: iterations, residual: solution.status.residual,
            method: solution.status.method, start: [initial.n, initial.q0, initial.q1], startFrom: from)
    }

    // MARK: - T = 0

    /// T = 0 averages mixed over χ̄: (E χ̄ S/Z, E S/Z, E (S/Z)², E ln Z, E ∂ln Z/∂μ).
    func zeroAverages(n: Double, q0: Double, mu: Double) -> (chiTanh: Double, tanh: Double, tanhSq: Double, lnZ: Double, lnZSlope: Double) {
        let p = Double(order - 1)
        let s0 = (alpha * weight * pow(q0, p) / factorialMinusOne).squareRoot()
        let s1 = (alpha * weight * (1 - pow(q0, p)) / factorialMinusOne).squareRoot()
        guard q0 >= 0, s1 > 0, mu > 0 else { return (.nan, .nan, .nan, .nan, .nan) }
        let signal = pow(n, p) / factorialMinusOne
        var r = (0.0, 0.0, 0.0, 0.0, 0.0)
        if signal == 0 {
            let a = OneStepAverages.zero(signal: 0, sigma0: s0, sigma1: s1, mu: mu)
            let (weight, chiMean) = chiMoments
            return (chiMean * a.tanh, weight * a.tanh, weight * a.tanhSq, weight * a.lnZ, weight * a.lnZSlope)
        }
        for (c, w) in chi {
            let a = OneStepAverages.zero(signal: c * signal, sigma0: s0, sigma1: s1, mu: mu)
            r.0 += w * c * a.tanh; r.1 += w * a.tanh; r.2 += w * a.tanhSq; r.3 += w * a.lnZ; r.4 += w * a.lnZSlope
        }
        return r
    }

    /// ∂f/∂μ at fixed (n, q₀) (σ's independent of μ), in closed form:
    /// ∂f/∂μ = (αw(P−1)/2P!)(1 − q₀^P) + E ln Z/μ² − E ∂ln Z/∂μ/μ (``OneStepAverages/Zero/lnZSlope``;
    /// it was a central difference of f with step 10⁻³μ).
    public func zeroMuDerivative(n: Double, q0: Double, mu: Double) -> Double {
        let p = Double(order)
        let a = zeroAverages(n: n, q0: q0, mu: mu)
        return alpha * weight * (p - 1) / (2 * factorial) * (1 - pow(q0, p)) + a.lnZ / (mu * mu) - a.lnZSlope / mu
    }

    public func zeroFreeEnergy(n: Double, q0: Double, mu: Double) -> Double {
        let p = Double(order)
        return (p - 1) * pow(n, p) / factorial + alpha * weight * (p - 1) * mu / (2 * factorial) * (1 - pow(q0, p))
            - zeroAverages(n: n, q0: q0, mu: mu).lnZ / mu
    }

    /// T = 0: fixed-μ hybrids in (n, ln(1 − q₀)), walked in μ from μ₀ until ∂f/∂μ changes sign, then Brent.
    func solveZeroTemperature(branch: ReplicaSymmetricSolution.Branch, measure: GaussianMeasure, start: [Double]?)
        -> ReplicaSymmetryBreakingSolution? {
        let rs = DenseReplicaSymmetric(order: order, alpha: alpha, temperature: 0, examples: examples, measure: measure,
                                       settings: settings).stableBranch(branch)
        let glass = branch == .spinGlass
        var from = "given"
        var initial: (n: Double, q0: Double)
        var mu = start.map { $0.count >= 3 ? $0[2] : 1 } ?? 1
        if let start, start.count >= 2 { initial = (start[0], start[1]) } else if let rs {
            initial = (rs.n ?? rs.m, glass ? 0 : 0.99)
            from = "rs \(branch.rawValue) (q₀ = 0.99, μ₀ = 1)"
        } else { return nil }
        var iterations = 0
        func fixedMu(_ v: Double, _ from: (n: Double, q0: Double)) -> (n: Double, q0: Double, status: SolverStatus) {
            if glass {
                return (0, 0, SolverStatus(converged: true, iterations: 0, residual: 0, method: "q₀ = 0 (zero field)"))
            }
            let (u, status) = RootFinding.hybrids(start: [from.n, log(1 - from.q0)], tolerance: max(settings.tolerance, 1e-11),
                                                  maxIterations: settings.maxIterations) { u in
                let q0 = 1 - exp(u[1])
                let a = self.zeroAverages(n: u[0], q0: q0, mu: v)
                guard a.lnZ.isFinite else { return nil }
                return [u[0] - a.chiTanh, q0 - a.tanhSq]
            }
            iterations += status.iterations
            return (u[0], 1 - exp(u[1]), status)
        }
        func g(_ v: Double, _ p: (n: Double, q0: Double)) -> Double { zeroMuDerivative(n: p.n, q0: p.q0, mu: v) }
        var solution = fixedMu(mu, initial)
        if fixedX == nil, solution.status.converged {
            var previous = (mu: mu, g: g(mu, (solution.n, solution.q0)), p: (solution.n, solution.q0))
            let factor = previous.g > 0 ? 1.25 : 0.8
            var bracket: (Double, Double, (n: Double, q0: Double))?
            var v = mu * factor
            while v > 1e-3, v < 1e4 {
                let s = fixedMu(v, previous.p)
                guard s.status.converged else { break }
                let gv = g(v, (s.n, s.q0))
                if (gv > 0) != (previous.g > 0) { bracket = (min(v, previous.mu), max(v, previous.mu), previous.p); break }
                previous = (v, gv, (s.n, s.q0))
                v *= factor
            }
            if let (lo, hi, w) = bracket {
                // fixedMu counts its own iterations, so the refinement's count is not added again.
                let refined = BlockParameterSearch.refine(
                    lo, hi, warm: w,
                    solve: { v, warm in
                        let s = fixedMu(v, warm)
                        return ((s.n, s.q0), s.status)
                    },
                    derivative: { v, p in g(v, p) },
                    method: "gsl-hybrids (fixed μ) + gsl-brent (∂f/∂μ = 0)", tolerance: 10 * settings.tolerance)
                mu = refined.parameter
                solution = (refined.point.n, refined.point.q0, refined.status)
            } else {
                solution.status.converged = false
                solution.status.method = "no root of ∂f/∂μ bracketed from μ₀ = \(mu)"
            }
        } else if let fixedX {
            mu = fixedX
        }
        if !solution.status.converged, 1 - solution.q0 < 1e-6, let rs {
            // From a neighbour's (n, q₀, μ) (a grid row), the walk can fall onto q₀ = 1 where the point's
            // own RS start finds a broken state (deep retrieval, f above RS's by ~10⁻⁷–10⁻⁶): that one.
            if start != nil, let own = solveZeroTemperature(branch: branch, measure: measure, start: nil),
               own.converged, !own.reducesToReplicaSymmetry {
                return own
            }
            // Collapsed onto q₀ = q₁ = 1, where the 1RSB equations are the RS T = 0 ones (μ drops out).
            return ReplicaSymmetryBreakingSolution(
                model: "dense", alpha: alpha, temperature: 0, branch: branch.rawValue, p: order, m: rs.m, q0: 1, q1: 1,
                x: nil, mu: nil, xMode: fixedX == nil ? "optimised" : "fixed", r0: nil, r1: nil, c1: nil,
                freeEnergy: rs.freeEnergy, entropy: rs.entropy, energy: rs.freeEnergy, reducesToReplicaSymmetry: true,
                rsFreeEnergy: rs.freeEnergy, rsM: rs.m, rsQ: rs.q, converged: rs.converged, iterations: iterations + rs.iterations,
                residual: rs.residual, method: "1RSB collapsed onto q₀ = 1 (1 − q₀ = \(1 - solution.q0)); RS T = 0 equations",
                start: [initial.n, initial.q0, mu], startFrom: from)
        }
        let f = zeroFreeEnergy(n: solution.n, q0: solution.q0, mu: mu)
        let a = zeroAverages(n: solution.n, q0: solution.q0, mu: mu)
        return ReplicaSymmetryBreakingSolution(
            model: "dense", alpha: alpha, temperature: 0, branch: branch.rawValue, p: order, m: a.tanh, q0: solution.q0, q1: 1,
            x: nil, mu: mu, xMode: fixedX == nil ? "optimised" : "fixed", r0: nil, r1: nil, c1: nil, freeEnergy: f,
            entropy: nil, energy: f, reducesToReplicaSymmetry: 1 - solution.q0 < ReplicaSymmetryBreakingSolution.reductionTolerance,
            rsFreeEnergy: rs?.freeEnergy, rsM: rs?.m, rsQ: rs?.q, converged: solution.status.converged, iterations: iterations,
            residual: solution.status.residual, method: solution.status.method, start: [initial.n, initial.q0, mu], startFrom: from)
    }
}

extension DenseOneStepRSB {
    /// The static (Kauzmann) transition of the spin-glass branch: the temperature where the optimal
    /// block size reaches x = 1, i.e. where ∂f/∂x at x = 1 changes sign on the fixed-x = 1 spin-glass
    /// solution (q₀ = 0, q₁ > 0; its f equals the paramagnet's there). Bisection in T on
    /// [0.5 J, 0.67 J] (below the temperature where the q₁ > 0 solution at x = 1 disappears), J = √(2αw/P!) the P-spin coupling scale, with the q₁ solution continued from
    /// the cold end. For P = 3 Gardner (1985) gives T_s = 0.651 J.
    public static func staticGlassTransition(order: Int, alpha: Double, examples: ExampleStatistics = .none,
                                             measure: GaussianMeasure, tolerance: Double = 1e-7) -> (temperature: Double, q1: Double, width: Double)? {
        let j = (2 * alpha * examples.crosstalkWeight(order: order) / (1...order).reduce(1.0) { $0 * Double($1) }).squareRoot()
        var q1 = 0.98
        func slope(_ t: Double) -> Double? {
            let e = DenseOneStepRSB(order: order, alpha: alpha, temperature: t, examples: examples, fixedX: 1, measure: measure)
            let s = e.solveFixedX(1, from: (0, 0, q1), glass: true)
            guard s.status.converged, s.q1 > 0.05 else { return nil }
            q1 = s.q1
            return e.xDerivative(n: 0, q0: 0, q1: s.q1, x: 1)
        }
        var lo = 0.5 * j, hi = 0.67 * j
        guard let gLo = slope(lo), gLo < 0 else { return nil }
        let coldQ1 = q1
        guard let gHi = slope(hi), gHi > 0 else { return nil }
        q1 = coldQ1
        _ = slope(lo)
        while hi - lo > tolerance * j {
            let mid = 0.5 * (lo + hi)
            guard let g = slope(mid) else { hi = mid; continue }
            if g < 0 { lo = mid } else { hi = mid }
        }
        return (0.5 * (lo + hi) / j, q1, (hi - lo) / j)
    }
}

extension DenseOneStepRSB {
    struct GlassKey: Hashable { var order: Int; var quadrature: QuadratureSettings }
    static let staticGlassRatios = Mutex<[GlassKey: Double?]>([:])

    /// T_s/J for order P, computed once per process and quadrature (``staticGlassTransition(order:alpha:examples:measure:tolerance:)``
    /// at J = 1; it depends on P alone).
    public static func staticGlassRatio(order: Int, measure: GaussianMeasure) -> Double? {
        let key = GlassKey(order: order, quadrature: measure.settings)
        if let known = staticGlassRatios.withLock({ $0[key] }) { return known }
        let factorial = (1...order).reduce(1.0) { $0 * Double($1) }
        let ratio = staticGlassTransition(order: order, alpha: factorial / 2, measure: measure)?.temperature
        staticGlassRatios.withLock { $0[key] = ratio }
        return ratio
    }
}

extension DenseOneStepRSB: OneStepRSBSolver {
    public func solve(branch: ReplicaSymmetricSolution.Branch, start: [Double]?, measure: GaussianMeasure) -> ReplicaSymmetryBreakingSolution? {
        solve(branch: branch, measure: measure, start: start)
    }

    /// (n, q₀, q₁), or at T = 0 (n, q₀, μ).
    public static func startVector(_ s: ReplicaSymmetryBreakingSolution) -> [Double] {
        if let mu = s.mu { return [s.m, s.q0, mu] }
        return [s.m, s.q0, s.q1]
    }
}
