/// How a solution was obtained: always reported, never hidden. A result with `converged == false`
/// is not a solution and says so.
public struct SolverStatus: Sendable, Equatable, Codable {
    public var converged: Bool
    public var iterations: Int
    /// max-norm of the residual of the self-consistency equations at the returned point.
    public var residual: Double
    /// e.g. "gsl-hybrids", "gsl-brent", "analytic".
    public var method: String

    public init(converged: Bool, iterations: Int, residual: Double, method: String) {
        self.converged = converged; self.iterations = iterations; self.residual = residual; self.method = method
    }
}

/// Tolerances and limits of the root finders, recorded with every solution.
public struct SolverSettings: Sendable, Equatable, Codable {
    /// A root is accepted when max |F| ≤ tolerance.
    public var tolerance: Double
    public var maxIterations: Int
    /// Damped fixed-point steps used to find (and warm-start) the retrieval branch: x ← (1−λ)x + λF(x).
    public var dampedSteps: Int
    public var damping: Double
    /// The classical 1RSB grid solver's shortcuts (RS branches from one continued RS grid, the RS
    /// start by damped iteration, the RS point taken where RS retrieval is AT-stable); false runs
    /// the full per-point computations they replace, the baseline of `hopsim bench rsb --baseline`.
    /// Not written to records (it changes no result beyond the solver's tolerance).
    public var oneStepShortcuts = true

    private enum CodingKeys: String, CodingKey { case tolerance, maxIterations, dampedSteps, damping }

    public init(tolerance: Double = 1e-12, maxIterations: Int = 200, dampedSteps: Int = 60, damping: Double = 0.7) {
        self.tolerance = tolerance; self.maxIterations = maxIterations
        self.dampedSteps = dampedSteps; self.damping = damping
    }

    public func validate() throws(ParameterError) {
        try Limits.tolerance.check(tolerance)
        try Limits.maxIterations.check(maxIterations)
    }
}
