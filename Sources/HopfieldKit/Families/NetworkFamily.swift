import Foundation

/// The network family of a run: the one value that decides everything family-specific. The
/// generic layers (Monte Carlo driver, continuation, grids, plots) ask it, through
/// ``FamilyContract``, for what differs between families and never branch on the family themselves
/// (ARCHITECTURE.md, "The family contract").
///
/// | case            | Hamiltonian (docs/physics.md)                          | load            |
/// |-----------------|--------------------------------------------------------|-----------------|
/// | `classical`     | H = −(N/2) Σ_μ m_μ² + P/2, ξ = ±1 (§1)                  | α = P/N         |
/// | `multitasking`  | the same with P(ξ = 0) = d; or trained on examples (§3) | α = K/N         |
/// | `dense`         | H = −(N/P!) Σ_μ m_μ^P, gardner or krotov form (§2)      | α = K/N^{P−1}   |
/// | `exponential`   | H = −Σ_μ e^{λNm_μ} or −(1/λ) ln Σ_μ e^{λNm_μ} (§5)      | α = ln K / N    |
public enum NetworkFamily: Sendable, Equatable {
    /// Pairwise Hebbian couplings of i.i.d. ±1 patterns.
    case classical
    /// Pairwise Hebbian couplings of diluted patterns, P(ξ = 0) = d ∈ (0, 1); with `training`, the
    /// couplings are built from M noisy examples of each diluted archetype (supervised: label means,
    /// unsupervised: every example with weight 1/M).
    case multitasking(dilution: Double, training: TrainingSet? = nil)
    /// P-body Hebbian couplings (P ≥ 2), plain or trained on examples.
    case dense(DenseSettings)
    /// Exponential ("modern") networks of ±1 neurons and K = e^{αN} ±1 patterns, with the `exp`
    /// or `lse` interaction of inverse width λ.
    case exponential(ExponentialSettings)

    /// The name written to every record: "classical", "multitasking" or "dense".
    public var name: String { contract.name }

    /// The interaction order P (2 for the pairwise families; 0 for the exponential family, whose
    /// interaction has every order).
    public var interactionOrder: Int {
        switch self {
        case .dense(let settings): settings.order
        case .exponential: 0
        case .classical, .multitasking: 2
        }
    }

    /// P(ξ = 0) of the stored patterns (archetypes): d for multitasking networks, 0 otherwise.
    public var dilution: Double {
        if case .multitasking(let d, _) = self { return d }
        return 0
    }

    /// The training set, for networks trained on examples.
    public var training: TrainingSet? {
        switch self {
        case .classical, .exponential: nil
        case .multitasking(_, let t): t
        case .dense(let settings): settings.training
        }
    }

    /// The settings of the P-body coupling engine (``DenseNetwork``), which simulates dense networks
    /// and pairwise networks trained on examples; nil where the pairwise Hebbian engine
    /// (``ClassicalHebbianReplica``) on the patterns themselves is used.
    public var couplingSettings: DenseSettings? {
        switch self {
        case .classical, .multitasking(_, nil), .exponential: nil
        case .multitasking(_, let training?): DenseSettings(order: 2, hamiltonian: .gardner, training: training)
        case .dense(let settings): settings
        }
    }

    /// The number of stored patterns (archetypes) at load α: round(α N^{P−1}) for the P-body
    /// families, round(e^{αN}) for the exponential one (``FamilyContract/patterns(alpha:neurons:)``).
    /// The one α → P (K) conversion of hopsim.
    public func patterns(alpha: Double, neurons: Int) -> Int {
        contract.patterns(alpha: alpha, neurons: neurons)
    }

    /// round(α N^{P−1}) for interaction order P.
    public static func patterns(alpha: Double, neurons: Int, order: Int) -> Int {
        saturatingCount(alpha * loadScale(neurons: neurons, order: order))
    }

    /// round(x) as a count, saturating at Int.max / 2 instead of trapping (loads far beyond any
    /// machine are refused afterwards with a clear error).
    static func saturatingCount(_ x: Double) -> Int {
        let k = x.rounded()
        return k < Double(Int.max / 2) ? Int(k) : Int.max / 2
    }

    /// N^{P−1}: the number of patterns per unit load.
    public static func loadScale(neurons: Int, order: Int) -> Double {
        pow(Double(neurons), Double(order - 1))
    }

    /// α = K / N^{P−1} (ln K / N for the exponential family).
    public func alpha(patterns: Int, neurons: Int) -> Double {
        contract.alpha(patterns: patterns, neurons: neurons)
    }

    /// The load axis in words, for figures and headers (``FamilyContract/loadLabel``).
    public var loadLabel: String { contract.loadLabel }

    /// N when not given: 2000 (pairwise), 200 (dense), the exponential family's own.
    public var defaultNeurons: Int { contract.defaultNeurons }
    /// α of `hopsim mc` when neither --alpha nor --patterns is given.
    public var defaultAlpha: Double { contract.defaultAlpha }

    /// The family's implementation of the contract: where the family is decided.
    var contract: any FamilyContract {
        switch self {
        case .classical: ClassicalFamily()
        case .multitasking(let d, let t): MultitaskingFamily(dilution: d, training: t)
        case .dense(let settings): DenseFamily(settings: settings)
        case .exponential(let settings): ExponentialFamily(settings: settings)
        }
    }
}

/// What a network family provides to the generic layers. One conformance per family, in the
/// family's folder (`Families/<Family>/<Family>Family.swift`).
protocol FamilyContract: Sendable {
    /// "classical", "multitasking", "dense" or "exponential": the `model` of every record.
    var name: String { get }

    // MARK: Load

    /// Stored patterns (archetypes) at load α (default: round(αN), the pairwise families).
    func patterns(alpha: Double, neurons: Int) -> Int
    /// The load of K patterns (default: K/N).
    func alpha(patterns: Int, neurons: Int) -> Double
    /// The load in words, for figures (default: "load α = P/N").
    var loadLabel: String { get }
    /// The family's grid theory in figure titles when it is not the RS theory (default: nil, "RS theory").
    var theoryLabel: String? { get }
    /// N and α of `hopsim mc` and of grid specs when not given (defaults: 2000 and 0.1).
    var defaultNeurons: Int { get }
    var defaultAlpha: Double { get }

    // MARK: Monte Carlo

    /// Family-specific checks of a run (ranges, memory), before anything is allocated.
    func validate(_ parameters: MonteCarloParameters) throws(ParameterError)
    /// Bytes one disorder sample holds in memory (patterns or couplings, and the replicas' kept sums).
    func estimatedBytes(_ parameters: MonteCarloParameters) -> Double
    /// Elementary operations of one sweep of one replica (neuron·pattern updates), for time estimates.
    func operationsPerSweep(_ parameters: MonteCarloParameters) -> Double
    /// The observables recorded at every measurement, beyond the ones every family records.
    func familyObservables(_ parameters: MonteCarloParameters) -> [MonteCarloObservable]
    /// The network in one line of text (N, patterns and load, the family's own settings).
    func describe(_ parameters: MonteCarloParameters) -> String
    /// One disorder sample: the quenched couplings from the sample's streams, the replicas' initial
    /// states, then the generic sample loop (``MonteCarloRun/runSample(_:_:_:_:width:make:start:)``)
    /// specialised on the family's concrete replica type. nil when stopped.
    func runSample(_ sample: Int, _ parameters: MonteCarloParameters, _ control: RunControl,
                   _ afterSweep: () -> Void) -> MonteCarloRun.SampleOutcome?
    /// Whether this run's field reads bit-packed ±1 rows (``PackedPatterns``): the pairwise engine's
    /// patterns or the dense engine's couplings, as ``PatternLayout`` and the family decide.
    func packsRows(_ parameters: MonteCarloParameters) -> Bool
    /// The family's Plefka (TAP) engine on disorder sample s: the network Monte Carlo simulates for
    /// these parameters (same streams), with the family's Onsager term (docs/physics.md §8).
    func plefkaSolver(_ sample: Int, _ parameters: MonteCarloParameters, _ settings: PlefkaSettings) -> any PlefkaSolver
    /// Family checks of a Plefka run, and what its approximation neglects (written to every record).
    func plefkaNeglects(_ parameters: MonteCarloParameters, _ settings: PlefkaSettings) throws(ParameterError) -> String
    /// The kind of state the averaged observables show (multitasking networks), or nil.
    func classify(_ observables: MonteCarloObservables, _ parameters: MonteCarloParameters) -> MultitaskingState?

    // MARK: Theory on a grid

    /// The theory of the grid rows `rows` (first-axis values), each row solved by continuation along
    /// the grid's temperatures: `result[row][j]` are the branches at temperature `spec.temperature[j]`,
    /// at least where `wanted(row, j)` (a theory without continuation solves only those; nil elsewhere).
    func solveTheory(rows: [Double], spec: GridSpec, measure: GaussianMeasure, threads: Int,
                     wanted: @Sendable (Int, Int) -> Bool) throws -> [[TheoryBranches?]]
    /// A point's theory record read back as tidy rows.
    func theoryRows(_ data: Data, point: GridSpec.Point, spec: GridSpec) throws -> [TidyRow]
    /// The critical lines drawn over this family's phase diagrams, in the grid's axes, with
    /// `points` points per line; `cached` (lines.json) is used when it holds this family's lines.
    func criticalLines(spec: GridSpec, points: Int, threads: Int, cached: Data?) throws -> FamilyCriticalLines

    /// One-step RSB on an α × T grid, continued along α at each T (``OneStepGrid``): `result[i][j]`
    /// the solutions at (alphas[i], temperatures[j]); nil where the family has no 1RSB theory.
    func oneStepRSB(alphas: [Double], temperatures: [Double], branch: ReplicaSymmetricSolution.Branch, fixedX: Double?,
                    settings: SolverSettings, measure: GaussianMeasure, threads: Int) -> [[[ReplicaSymmetryBreakingSolution]]]?
    /// Whether this family's 1RSB solver reaches every point of `branch` at this T by following the
    /// branch itself (``OneStepRSBSolver/continuesInternally``), so a point it leaves without a
    /// state has none (default: false, and ``OneStepGrid`` continues from 5% lower α).
    func oneStepContinuesInternally(branch: ReplicaSymmetricSolution.Branch, temperature: Double, fixedX: Double?) -> Bool
}

extension FamilyContract {
    func patterns(alpha: Double, neurons: Int) -> Int { NetworkFamily.patterns(alpha: alpha, neurons: neurons, order: 2) }
    func alpha(patterns: Int, neurons: Int) -> Double { Double(patterns) / Double(neurons) }
    var loadLabel: String { "load α = P/N" }
    var defaultNeurons: Int { MonteCarloDefaults.neurons }
    var theoryLabel: String? { nil }
    var defaultAlpha: Double { 0.1 }
    func oneStepContinuesInternally(branch: ReplicaSymmetricSolution.Branch, temperature: Double, fixedX: Double?) -> Bool { false }
}
