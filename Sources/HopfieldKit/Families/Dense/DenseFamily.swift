import Foundation

/// The dense (P-body) network's side of the family contract (docs/physics.md §2): the P-body
/// coupling engine ``DenseHebbianReplica`` (plain or trained on examples), its RS theory
/// (``DenseReplicaSymmetric``, Gardner form, P ≥ 3), its lines (``DenseCriticalLines``) and 1RSB.
struct DenseFamily: FamilyContract {
    let settings: DenseSettings

    var name: String { "dense" }

    /// K = round(αN^{P−1}).
    func patterns(alpha: Double, neurons: Int) -> Int {
        NetworkFamily.patterns(alpha: alpha, neurons: neurons, order: settings.order)
    }

    func alpha(patterns: Int, neurons: Int) -> Double {
        Double(patterns) / NetworkFamily.loadScale(neurons: neurons, order: settings.order)
    }

    var defaultNeurons: Int { MonteCarloDefaults.denseNeurons }
    var defaultAlpha: Double { 0.05 }

    var loadLabel: String { settings.order == 2 ? "load α = P/N" : "load α = K/N^\(settings.order - 1) (P = \(settings.order))" }

    func validate(_ p: MonteCarloParameters) throws(ParameterError) {
        try settings.validate()
        if let t = settings.training {
            try DenseNetwork.checkExactSums(neurons: p.neurons, examples: t.examples, order: settings.order,
                                            supervised: t.learning == .supervised, flag: "--examples")
        }
        if p.patternLayout == .packed, !Self.binaryCouplings(p, settings) {
            throw ParameterError("--pattern-layout", allowed: "auto or int8 here: the coupling patterns are not ±1 (supervised sums of M > 1 examples, or diluted archetypes)", given: "packed")
        }
    }

    /// Whether every coupling a_i^ν is ±1: plain or unsupervised networks of ±1 archetypes, or
    /// supervised with M = 1 (``DenseNetwork/binary``), decided before the network is built.
    static func binaryCouplings(_ p: MonteCarloParameters, _ settings: DenseSettings) -> Bool {
        p.dilution == 0 && (settings.training.map { $0.learning == .unsupervised || $0.examples == 1 } ?? true)
    }

    /// Whether the field reads packed coupling rows (binary couplings only): `packed` as asked;
    /// `auto` where the Int16 rows (2·N·K_c bytes) reach 8 MiB and the AVX-512 kernel exists —
    /// measured with P = 3, T = 0.1, one replica: N = 300 (K = 4500, 2.7 MB) packed 10% slower,
    /// N = 600 (K = 18000, 22 MB) 1.2× and N = 1000 (K = 20000, 40 MB) 1.6× faster.
    static func packsCouplings(_ p: MonteCarloParameters, _ settings: DenseSettings) -> Bool {
        guard binaryCouplings(p, settings) else { return false }
        switch p.patternLayout {
        case .int8: return false
        case .packed: return true
        case .auto:
            let couplings = p.patterns * (settings.training.map { $0.learning == .unsupervised ? $0.examples : 1 } ?? 1)
            return PackedKernels.instructionSet == "avx512" && 2 * Double(p.neurons) * Double(couplings) >= Double(8 << 20)
        }
    }

    func estimatedBytes(_ p: MonteCarloParameters) -> Double {
        DenseNetwork.estimatedBytes(neurons: p.neurons, archetypes: p.patterns, settings: settings, replicas: p.replicas)
    }

    func describe(_ p: MonteCarloParameters) -> String {
        let g = MonteCarloParameters.g
        var out = "P-body order P = \(settings.order), \(settings.hamiltonian.rawValue) Hamiltonian, N = \(p.neurons), "
        out += "K = \(p.patterns) \(settings.training == nil ? "patterns" : "archetypes") (α = K/N^{P−1} = \(g(p.alpha)))\n"
        if let t = settings.training {
            out += "trained \(t.learning.rawValue) on M = \(t.examples) examples per archetype of quality r = \(g(t.quality)), "
            out += "dataset entropy ρ = (1 − r²)/(M r²) = \(String(format: "%.6g", t.datasetEntropy))\n"
        }
        return out
    }

    /// N·K_c neuron·coupling-pattern updates (each costs O(P) more than a pairwise one for P > 2
    /// with non-binary couplings; the binary field is one dot product, like the pairwise engine's).
    func operationsPerSweep(_ p: MonteCarloParameters) -> Double {
        Double(p.neurons) * Double(settings.couplingPatterns(archetypes: p.patterns))
    }

    /// The example overlap n when trained (AGS's r is a quantity of the pairwise theory: not recorded).
    func familyObservables(_ p: MonteCarloParameters) -> [MonteCarloObservable] {
        settings.training != nil ? [.n] : []
    }

    func runSample(_ s: Int, _ p: MonteCarloParameters, _ control: RunControl,
                   _ afterSweep: () -> Void) -> MonteCarloRun.SampleOutcome? {
        Self.runSample(s, p, settings, control, afterSweep)
    }

    /// The P-body engine on the network of sample s (``DenseNetwork/make(_:sample:)``); `--init
    /// plefka` draws each replica's spins from the sample's Plefka fixed point.
    static func runSample(_ s: Int, _ p: MonteCarloParameters, _ settings: DenseSettings, _ control: RunControl,
                          _ afterSweep: () -> Void) -> MonteCarloRun.SampleOutcome? {
        let made = DenseNetwork.make(p, sample: s)
        let network = packsCouplings(p, settings) ? made.packingCouplings() : made
        // The Plefka fixed point is deterministic: solved once per sample (and only when a start is
        // drawn, not on resuming from a checkpoint), each replica then draws its own spins.
        lazy var plefka = PlefkaEngine(network: made, temperature: p.temperature, order: .second).solve().magnetizations
        return MonteCarloRun.runSample(s, p, control, afterSweep, width: .int64,
                                       make: { DenseHebbianReplica(network: network, spins: $0) },
                                       start: { _, stream in
                                           p.initialState.configuration(condensed: network.archetypes.pattern(0), plefka: { plefka },
                                                                        using: &stream)
                                       })
    }

    func packsRows(_ p: MonteCarloParameters) -> Bool { Self.packsCouplings(p, settings) }

    func plefkaSolver(_ s: Int, _ p: MonteCarloParameters, _ settings: PlefkaSettings) -> any PlefkaSolver {
        Self.plefkaSolver(s, p, settings)
    }

    func plefkaNeglects(_ p: MonteCarloParameters, _ plefka: PlefkaSettings) throws(ParameterError) -> String {
        try Self.plefkaNeglects(settings, plefka)
    }

    /// The P-body Plefka engine on the network of sample s.
    static func plefkaSolver(_ s: Int, _ p: MonteCarloParameters, _ settings: PlefkaSettings) -> PlefkaEngine {
        PlefkaEngine(network: DenseNetwork.make(p, sample: s), temperature: p.temperature, settings: settings)
    }

    static func plefkaNeglects(_ couplings: DenseSettings, _ settings: PlefkaSettings) throws(ParameterError) -> String {
        guard couplings.hamiltonian == .gardner else {
            throw ParameterError("--hamiltonian", allowed: "gardner with --engine plefka (the expansion is derived for distinct-index tuples)", given: "krotov")
        }
        switch (settings.order, settings.onsager) {
        case (.first, _):
            return "the Onsager reaction −β m_i Γ(P−1)(1−q)q^{P−2} (mean size reaction_field) and all higher orders"
        case (.second, .selfAveraged):
            return "orders β³ and higher of the Plefka expansion, and the cross terms of different patterns in Σ J_T² (both vanish as N → ∞ for P ≥ 3; not for P = 2)"
        case (.second, .sample):
            return "orders β³ and higher of the Plefka expansion of this network"
        }
    }

    func classify(_ observables: MonteCarloObservables, _ p: MonteCarloParameters) -> MultitaskingState? { nil }

    // MARK: Theory (P ≥ 3, Gardner form)

    var examples: ExampleStatistics {
        settings.training.map { .examples($0.examples, quality: $0.quality, $0.learning) } ?? .none
    }

    func solveTheory(rows: [Double], spec: GridSpec, measure: GaussianMeasure, threads: Int,
                     wanted: @Sendable (Int, Int) -> Bool) throws -> [[TheoryBranches?]] {
        try Limits.theoryOrder.check(settings.order)
        let order = settings.order, examples = examples, solver = spec.solver
        let solved = Continuation.solve(rows: rows.count, path: spec.temperature, threads: threads) { i, t in
            DenseReplicaSymmetric(order: order, alpha: rows[i], temperature: t, examples: examples, measure: measure, settings: solver)
        }
        return try GlobalStateSelection.selectAll(solved, threads: threads) {
            GlobalStateSelection.dense($1, order: order, examples: examples, settings: solver, measure: measure)
        }.map { row in try row.map { try TheoryBranches($0.records) } }
    }

    func theoryRows(_ data: Data, point: GridSpec.Point, spec: GridSpec) throws -> [TidyRow] {
        try RSGridTheory.rows(data, point: point)
    }

    /// The retrieval spinodal α_M(T), T_c (retrieval global) and the AT line of the P-body network in
    /// hopsim's convention (α_c(T = 0) = 0.12610 at P = 3), at `points` temperatures from 0 to the
    /// grid's highest.
    func criticalLines(spec: GridSpec, points: Int, threads: Int, cached: Data?) throws -> FamilyCriticalLines {
        try Limits.theoryOrder.check(settings.order)
        let top = spec.temperature.max() ?? 1
        let temperatures = (0..<points).map { top * (Double($0) / Double(points - 1)) }
        let (order, examples) = (settings.order, examples)
        return try RSGridTheory.criticalLines(cached: cached, order: order) {
            DenseCriticalLines(order: order, measure: try GaussianMeasure(), settings: spec.solver)
                .lines(temperatures: temperatures, examples: examples, threads: threads)
        }
    }

    func oneStepRSB(alphas: [Double], temperatures: [Double], branch: ReplicaSymmetricSolution.Branch, fixedX: Double?,
                    settings solver: SolverSettings, measure: GaussianMeasure, threads: Int) -> [[[ReplicaSymmetryBreakingSolution]]]? {
        guard settings.order >= 3 else { return nil }      // P = 2 is the classical theory
        let (order, examples) = (settings.order, examples)
        return OneStepGrid.solve(alphas: alphas, temperatures: temperatures, threads: threads) { a, t in
            OneStepEquations(solver: DenseOneStepRSB(order: order, alpha: a, temperature: t, examples: examples,
                                                     settings: solver, fixedX: fixedX, measure: measure),
                             branch: branch, measure: measure)
        }
    }
}
