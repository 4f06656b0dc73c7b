/// What produced a theory grid: written as the JSON sidecar of every theory CSV.
public struct TheoryProvenance: Sendable, Equatable, Codable {
    public var schema: String = "hopsim.theory/1"
    public var version: String = HopsimVersion.string
    public var command: String
    public var model: String
    public var alpha: ParameterRange
    public var temperature: ParameterRange
    public var quadrature: QuadratureSettings
    public var solver: SolverSettings
    public var rootFinder = "GSL gsl_multiroot_fsolver_hybrids (Newton-type polish), gsl_root_fsolver_brent (brackets)"
    public var equations = "Amit–Gutfreund–Sompolinsky replica symmetry, one condensed pattern, unknowns (m, C = β(1 − q))"
    /// Build, host, date and command line of the run.
    public var provenance: RunProvenance? = .current()

    public init(command: String, model: String, alpha: ParameterRange, temperature: ParameterRange,
                quadrature: QuadratureSettings, solver: SolverSettings) {
        self.command = command; self.model = model; self.alpha = alpha; self.temperature = temperature
        self.quadrature = quadrature; self.solver = solver
    }
}
