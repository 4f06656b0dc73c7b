import Foundation

/// The exponential ("modern") Hopfield network's side of the family contract (docs/physics.md §5):
/// K = round(e^{αN}) ±1 patterns, the `exp` or `lse` interaction (``ExponentialSettings``), the
/// engine ``ExponentialReplica`` (exact energy differences in O(K) per update), and the
/// random-energy-model theory ``ExponentialTheory``. No Plefka engine and no 1RSB.
struct ExponentialFamily: FamilyContract {
    let settings: ExponentialSettings

    var name: String { "exponential" }

    /// K = round(e^{αN}): the exponential load α = ln K / N.
    func patterns(alpha: Double, neurons: Int) -> Int {
        NetworkFamily.saturatingCount(exp(alpha * Double(neurons)))
    }

    func alpha(patterns: Int, neurons: Int) -> Double { log(Double(patterns)) / Double(neurons) }

    var loadLabel: String { "load α = ln K / N (K = e^{αN} patterns)" }

    var theoryLabel: String? { "REM theory" }

    /// N = 30, α = 0.2 (K = 403): seconds on a laptop.
    var defaultNeurons: Int { 30 }
    var defaultAlpha: Double { 0.2 }

    func validate(_ p: MonteCarloParameters) throws(ParameterError) {
        try settings.validate()
        if settings.interaction == .exp, settings.lambda * Double(p.neurons) + log(Double(p.patterns)) > 700 {
            throw ParameterError("--neurons", allowed: "such that λN + ln K ≤ 700 with --interaction exp (its energy, up to K e^{λN}, must stay below the largest double; here N ≤ \(Int((700 - log(Double(p.patterns))) / settings.lambda)); use --interaction lse for larger N)", given: "\(p.neurons)", key: .neurons)
        }
        guard p.patterns <= Int(Int32.max) else {
            throw ParameterError("--alpha", allowed: "such that K = e^{αN} ≤ 2³¹ − 1 (at N = \(p.neurons): α ≤ \(MonteCarloParameters.g(log(Double(Int32.max)) / Double(p.neurons))))", given: "K = \(p.patterns)", key: .alpha)
        }
        if p.patternLayout == .packed {
            throw ParameterError("--pattern-layout", allowed: "auto or int8 with --model exponential (its engine reads Int8 rows)", given: "packed")
        }
        if case .plefka = p.initialState {
            throw ParameterError("--init", allowed: "pattern, random or noisy with --model exponential (it has no Plefka engine)", given: "plefka")
        }
    }

    func estimatedBytes(_ p: MonteCarloParameters) -> Double {
        ExponentialNetwork.estimatedBytes(neurons: p.neurons, patterns: p.patterns, replicas: p.replicas)
    }

    func operationsPerSweep(_ p: MonteCarloParameters) -> Double { Double(p.neurons) * Double(p.patterns) }

    func familyObservables(_ p: MonteCarloParameters) -> [MonteCarloObservable] { [] }

    func describe(_ p: MonteCarloParameters) -> String {
        "exponential network, \(settings.hamiltonian), N = \(p.neurons), K = \(p.patterns) patterns (α = ln K/N = \(MonteCarloParameters.g(p.alpha))), "
    }

    func runSample(_ s: Int, _ p: MonteCarloParameters, _ control: RunControl,
                   _ afterSweep: () -> Void) -> MonteCarloRun.SampleOutcome? {
        let network = ExponentialNetwork.make(p, settings, sample: s)
        let condensed = network.patterns.pattern(0)
        return MonteCarloRun.runSample(s, p, control, afterSweep, width: .int32,
                                       make: { ExponentialReplica(network: network, spins: $0) },
                                       start: { _, stream in
                                           p.initialState.configuration(condensed: condensed, plefka: { [] }, using: &stream)
                                       })
    }

    func packsRows(_ p: MonteCarloParameters) -> Bool { false }

    func plefkaSolver(_ s: Int, _ p: MonteCarloParameters, _ settings: PlefkaSettings) -> any PlefkaSolver {
        preconditionFailure("exponential networks have no Plefka engine (plefkaNeglects refuses before this is called)")
    }

    func plefkaNeglects(_ p: MonteCarloParameters, _ settings: PlefkaSettings) throws(ParameterError) -> String {
        throw ParameterError("--engine", allowed: "exact with --model exponential (it has no Plefka engine)", given: "plefka")
    }

    func classify(_ observables: MonteCarloObservables, _ p: MonteCarloParameters) -> MultitaskingState? { nil }

    // MARK: Theory

    /// Every wanted point from its closed form (no continuation: nothing to continue), m* by Brent.
    func solveTheory(rows: [Double], spec: GridSpec, measure: GaussianMeasure, threads: Int,
                     wanted: @Sendable (Int, Int) -> Bool) throws -> [[TheoryBranches?]] {
        for a in rows { _ = try ExponentialTheory(settings: settings, alpha: a, temperature: 0) }
        for t in spec.temperature { try Limits.temperature.check(t) }
        let tolerance = spec.solver.tolerance
        return try rows.enumerated().map { i, a in
            try spec.temperature.enumerated().map { j, t in
                guard wanted(i, j) else { return nil }
                return try TheoryBranches(try ExponentialTheory(settings: settings, alpha: a, temperature: t, tolerance: tolerance).states())
            }
        }
    }

    func theoryRows(_ data: Data, point: GridSpec.Point, spec: GridSpec) throws -> [TidyRow] {
        try RecordCoding.decoder().decode([ExponentialTheory.State].self, from: data).flatMap { TidyRow.rows($0, point: point.index) }
    }

    /// α_1(T) (retrieval boundary), α_g(T) (retrieval global) and the REM condensation load of the
    /// other patterns, at `points` temperatures from 0 to the grid's highest.
    func criticalLines(spec: GridSpec, points: Int, threads: Int, cached: Data?) throws -> FamilyCriticalLines {
        let top = spec.temperature.max() ?? 1
        let lines = (0..<points).map { j -> ExponentialTheory.LinePoint in
            let t = top * Double(j) / Double(points - 1)
            return ExponentialTheory.LinePoint(settings: settings, temperature: t)
        }
        var curves = [CriticalCurve(kind: .spinodal, label: "α_1: retrieval boundary", points: lines.map { ($0.retrieval, $0.temperature) })]
        if settings.interaction == .lse {
            curves.append(CriticalCurve(kind: .global, label: "α_g: retrieval global", points: lines.map { ($0.global, $0.temperature) }))
            curves.append(CriticalCurve(kind: .glass, label: "REM condensation α = I(tanh λ)", points: lines.map { ($0.condensation, $0.temperature) }))
        }
        return try FamilyCriticalLines(records: lines, curves: curves)
    }

    func oneStepRSB(alphas: [Double], temperatures: [Double], branch: ReplicaSymmetricSolution.Branch, fixedX: Double?,
                    settings: SolverSettings, measure: GaussianMeasure, threads: Int) -> [[[ReplicaSymmetryBreakingSolution]]]? {
        nil
    }
}

extension ExponentialTheory {
    /// One temperature of the lines (lines.json).
    public struct LinePoint: Sendable, Codable {
        public var model = "exponential"
        public var interaction: ExponentialInteraction
        public var lambda: Double
        public var temperature: Double
        public var retrieval: Double
        public var global: Double
        public var condensation: Double

        public init(settings: ExponentialSettings, temperature: Double) {
            interaction = settings.interaction; lambda = settings.lambda; self.temperature = temperature
            retrieval = ExponentialTheory.retrievalBoundary(settings, temperature: temperature)
            global = ExponentialTheory.globalBoundary(settings, temperature: temperature)
            condensation = ExponentialTheory.condensationLoad(settings)
        }
    }
}

extension TidyRow {
    /// The rows of one exponential-network theory state (source "rs", the grid's theory): m, m_max, and for
    /// `lse` energy, entropy, free_energy.
    static func rows(_ s: ExponentialTheory.State, point: Int) -> [TidyRow] {
        var values: [(String, Double)] = [("m", s.m), ("m_max", s.mMax)]
        if let u = s.energy { values.append(("energy", u)) }
        if let e = s.entropy { values.append(("entropy", e)) }
        if let f = s.freeEnergy { values.append(("free_energy", f)) }
        return values.map { name, v in
            TidyRow(source: "rs", model: s.model, point: point, alpha: s.alpha, temperature: s.temperature, branch: s.branch,
                    stable: s.stable, global: s.global, observable: name, value: v, error: nil, tau: nil, sampleSpread: nil,
                    samples: nil, neurons: nil, converged: s.converged, residual: s.residual,
                    method: "\(s.method), \(s.interaction.rawValue) λ = \(s.lambda)", seed: nil, version: s.version)
        }
    }
}
