/// The last steps of the 1RSB solvers' search for Parisi's block parameter (x at T > 0, μ = βx at
/// T = 0), shared by ``ClassicalOneStepRSB`` and ``DenseOneStepRSB``: `walk` brackets the root of
/// ∂f/∂x from a known point; `refine`, given a bracket [lo, hi] across
/// which ∂f/∂x changes sign, Brent on ∂f/∂x, each fixed-parameter solve warm-started from the last
/// converged one; then the solution at the root. Converged means verified: the fixed-x solve
/// converged, Brent converged strictly inside the bracket, and |∂f/∂x| re-evaluated at the root is
/// below 10⁻⁴ of its largest size seen in the bracket or below `tolerance` (a bracket width alone
/// never makes a result converged: where ∂f/∂x jumps, e.g. by changing branch near a fold, Brent
/// closes on the jump, or on a bracket end, and this test fails).
/// |∂f/∂x| is folded into the residual and `method` is the method.
public enum BlockParameterSearch {
    /// Brackets the root of ∂f/∂x by walking from `start` (where ∂f/∂x = `g0` at `point`) uphill in
    /// f — up while ∂f/∂x > 0, down otherwise — in steps from 1% growing by half to 25%, each
    /// fixed-parameter solve (`evaluate`, nil when it fails) warm-started from the last. Small
    /// first steps keep the warm starts on the branch near a fold. Stops when the parameter leaves
    /// (`lower`, `upper(last point)`); returns the bracket and the warm start at its near end.
    static func walk<Point>(from start: Double, g0: Double, point: Point, lower: Double, upper: (Point) -> Double,
                            evaluate: (Double, Point) -> (g: Double, point: Point)?) -> (lo: Double, hi: Double, warm: Point)? {
        let up = g0 > 0
        var step = 0.01
        var previous = (x: start, g: g0, point: point)
        var v = up ? start * (1 + step) : start / (1 + step)
        while v > lower, v < upper(previous.point) {
            guard let e = evaluate(v, previous.point) else { return nil }
            if (e.g > 0) != (previous.g > 0) { return (min(v, previous.x), max(v, previous.x), previous.point) }
            previous = (v, e.g, e.point)
            step = min(step * 1.5, 0.25)
            v = up ? v * (1 + step) : v / (1 + step)
        }
        return nil
    }

    /// `solve(x, warm)` solves the equations at fixed x; `derivative(x, point)` is ∂f/∂x there (nil
    /// where undefined). Returns the root (hi if Brent fails), the solution there, and the iterations
    /// of the solves made inside Brent (the final solve's are in its status).
    public static func refine<Point>(_ lo: Double, _ hi: Double, warm start: Point,
                              solve: @escaping (Double, Point) -> (point: Point, status: SolverStatus),
                              derivative: @escaping (Double, Point) -> Double?,
                              method: String, tolerance: Double) -> (parameter: Double, point: Point, status: SolverStatus, iterations: Int) {
        var warm = start
        var iterations = 0
        var scale = 0.0
        let root = RootFinding.brent(lo, hi, xTolerance: 1e-10) { v in
            let s = solve(v, warm)
            iterations += s.status.iterations
            if s.status.converged { warm = s.point }
            let g = derivative(v, s.point) ?? .nan
            if g.isFinite { scale = max(scale, abs(g)) }
            return g
        }
        let parameter = root?.x ?? hi
        var (point, status) = solve(parameter, warm)
        let g = derivative(parameter, point) ?? .infinity
        // ∂f/∂x (closed form; when it was a central difference with step 10⁻³x it resolved ~10⁻⁸ of
        // its size in the bracket): a root must bring it below 10⁻⁴ of that size, strictly inside
        // the bracket (a root on an end is where Brent collapsed onto a sign change that is no root;
        // a jump between branches leaves ∂f/∂x as large as anywhere in the bracket).
        let inside = min(abs(parameter - lo), abs(hi - parameter)) > 1e-9 * abs(hi - lo)
        status.converged = status.converged && (root?.converged ?? false) && inside && abs(g) <= max(1e-4 * scale, tolerance)
        status.residual = max(status.residual, abs(g))
        status.method = method
        return (parameter, point, status, iterations)
    }
}

/// A fixed-x 1RSB solve that collapsed onto q₁ = q₀, where the 1RSB equations are the RS ones,
/// without meeting the tolerance in ln(q₁ − q₀): finished on that manifold in (m, q) (spin glass:
/// q alone, m = 0), shared by ``ClassicalOneStepRSB`` and ``DenseOneStepRSB``. `residual(m, q₀, q₁)`
/// returns the fixed-x equations (m, q₁, q₀ residuals); the iterations of both solves are counted.
enum ReplicaSymmetricManifold {
    static func finish(from p: (m: Double, q0: Double, q1: Double), status: SolverStatus, glass: Bool,
                       settings: SolverSettings, residual: @escaping (Double, Double, Double) -> [Double]?)
        -> (m: Double, q0: Double, q1: Double, status: SolverStatus) {
        let (v, onManifold) = RootFinding.hybrids(start: glass ? [p.q1] : [p.m, p.q1], tolerance: max(settings.tolerance, 1e-11),
                                                  maxIterations: settings.maxIterations) { v in
            guard let r = residual(glass ? 0 : v[0], glass ? 0 : v.last!, v.last!) else { return nil }
            return glass ? [r[1]] : [r[0], r[1]]
        }
        var merged = onManifold
        merged.iterations += status.iterations
        merged.method = "gsl-hybrids (1RSB, then on q₁ = q₀)"
        return (glass ? 0 : v[0], glass ? 0 : v.last!, v.last!, merged)
    }
}

/// Recognises a fixed-x 1RSB solve (unknowns …, ln Δ with Δ = q₁ − q₀) that is collapsing onto the
/// RS manifold q₁ = q₀ in the linear regime, so that it can stop and be finished on the manifold
/// (``ReplicaSymmetricManifold/finish(from:status:glass:settings:residual:)``) instead of walking
/// ln Δ down to the tolerance one halving at a time (~25 more residual evaluations).
///
/// Near the manifold the fixed-x map is linear in Δ: with F_{q₁}, F_{q₀} the residuals of the q₁
/// and q₀ equations, F_{q₁} − F_{q₀} = Δ − (E⟨tanh²⟩ − E⟨tanh⟩²) = (1 − ρ)Δ + O(Δ²), ρ the
/// replicon eigenvalue of the RS point the solve is approaching (docs/physics.md §1.9, §2.6; used for
/// retrieval solves only — the glass's manifold finish cannot start from q₁ ~ 10⁻⁶, see
/// ``DenseOneStepRSB/solveFixedX(_:from:glass:)``). The collapse is taken as shown when Δ is small
/// (< 10⁻⁶ and < 10⁻³(1 − q₁)) and the measured rate (F_{q₁} − F_{q₀})/Δ agrees on the last three
/// distinct iterates to 10⁻³ (the O(Δ²) term is negligible: the linear regime; hybrids may zig-zag
/// in the other unknowns meanwhile, and the rate is 1 − ρ at the current ones, close to the RS
/// point's when the three agree) and is ≥ 10⁻² (ρ ≤ 0.99: the RS point attracts the Δ direction;
/// near ρ = 1, where a broken solution can branch off, the walk is never cut short). An iterate
/// equal to the last one (a step hybrids rejected) is not counted again.
public struct LinearCollapse {
    private var rates: [Double] = []
    private var lastDelta: Double?

    public init() {}

    /// Records the iterate with gap Δ, residual difference F_{q₁} − F_{q₀} and q₁; true once the
    /// collapse is shown.
    public mutating func observe(delta: Double, residualGap: Double, q1: Double) -> Bool {
        guard delta > 0, delta.isFinite, residualGap.isFinite else { rates.removeAll(); lastDelta = nil; return false }
        guard delta != lastDelta else { return false }
        lastDelta = delta
        rates.append(residualGap / delta)
        guard rates.count >= 3, delta < 1e-6, delta < 1e-3 * (1 - q1) else { return false }
        let r = Array(rates.suffix(3)), rate = r[2]
        return rate >= 1e-2 && abs(r[1] - r[2]) <= 1e-3 * rate && abs(r[0] - r[1]) <= 1e-3 * rate
    }
}
