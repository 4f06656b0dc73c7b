import Foundation

/// The classical Hopfield network's side of the family contract (docs/physics.md §1): ±1 patterns,
/// the pairwise engine ``ClassicalHebbianReplica``, the AGS RS theory, its critical lines and 1RSB.
struct ClassicalFamily: FamilyContract {
    var name: String { "classical" }

    func validate(_ p: MonteCarloParameters) throws(ParameterError) {
        try PairwiseEngine.validate(p)
    }

    func estimatedBytes(_ p: MonteCarloParameters) -> Double { PairwiseEngine.estimatedBytes(p) }

    func describe(_ p: MonteCarloParameters) -> String {
        "N = \(p.neurons), P = \(p.patterns) (α = \(MonteCarloParameters.g(p.alpha))), "
    }
    func operationsPerSweep(_ p: MonteCarloParameters) -> Double { Double(p.neurons) * Double(p.patterns) }

    /// AGS's r is recorded (it needs two replicas and two patterns).
    func familyObservables(_ p: MonteCarloParameters) -> [MonteCarloObservable] {
        p.replicas > 1 && p.patterns > 1 ? [.r] : []
    }

    func runSample(_ s: Int, _ p: MonteCarloParameters, _ control: RunControl,
                   _ afterSweep: () -> Void) -> MonteCarloRun.SampleOutcome? {
        PairwiseEngine.runSample(s, p, control, afterSweep)
    }

    func packsRows(_ p: MonteCarloParameters) -> Bool { PairwiseEngine.layout(p) == .packed }

    func plefkaSolver(_ s: Int, _ p: MonteCarloParameters, _ settings: PlefkaSettings) -> any PlefkaSolver {
        PairwiseEngine.plefkaSolver(s, p, settings)
    }

    func plefkaNeglects(_ p: MonteCarloParameters, _ settings: PlefkaSettings) throws(ParameterError) -> String {
        PairwiseEngine.plefkaNeglects(settings)
    }

    func classify(_ observables: MonteCarloObservables, _ p: MonteCarloParameters) -> MultitaskingState? { nil }

    // MARK: Theory

    func solveTheory(rows: [Double], spec: GridSpec, measure: GaussianMeasure, threads: Int,
                     wanted: @Sendable (Int, Int) -> Bool) throws -> [[TheoryBranches?]] {
        try RSGridTheory.solve(rows: rows, spec: spec, dilution: 0, measure: measure, threads: threads)
    }

    func theoryRows(_ data: Data, point: GridSpec.Point, spec: GridSpec) throws -> [TidyRow] {
        try RSGridTheory.rows(data, point: point)
    }

    func criticalLines(spec: GridSpec, points: Int, threads: Int, cached: Data?) throws -> FamilyCriticalLines {
        try RSGridTheory.criticalLines(cached: cached) { try ClassicalCriticalLines(measure: GaussianMeasure()).all(points: points, threads: threads) }
    }

    func oneStepRSB(alphas: [Double], temperatures: [Double], branch: ReplicaSymmetricSolution.Branch, fixedX: Double?,
                    settings: SolverSettings, measure: GaussianMeasure, threads: Int) -> [[[ReplicaSymmetryBreakingSolution]]]? {
        // The RS branches of every point first, by continuation along T (a hundredth of the 1RSB
        // work): each point's start and RS values come from them instead of its own bracketing.
        // Continued along the longer axis (a path in α at one T, as ``OneStepGrid`` continues past
        // the RS spinodal, is one row along α).
        var byPoint: [PointKey: [ReplicaSymmetricSolution]] = [:]
        if !settings.oneStepShortcuts {
            // The baseline: every point solves its own RS branches.
        } else if temperatures.count >= alphas.count {
            let rs = ReplicaSymmetricGrid.solve(alphas: alphas, temperatures: temperatures, measure: measure,
                                                settings: settings, threads: threads)
            for (i, a) in alphas.enumerated() { for (j, t) in temperatures.enumerated() {
                byPoint[PointKey(a, t)] = rs[i * temperatures.count + j]
            } }
        } else {
            let rs = Continuation.solve(rows: temperatures.count, path: alphas, threads: threads, thoroughStart: true) { j, a in
                ClassicalReplicaSymmetric(alpha: a, temperature: temperatures[j], measure: measure, settings: settings)
            }
            for (j, t) in temperatures.enumerated() { for (i, a) in alphas.enumerated() { byPoint[PointKey(a, t)] = rs[j][i] } }
        }
        let known = byPoint
        return OneStepGrid.solve(alphas: alphas, temperatures: temperatures, threads: threads) { a, t in
            OneStepEquations(solver: ClassicalOneStepRSB(alpha: a, temperature: t, settings: settings, fixedX: fixedX,
                                                         replicaSymmetric: known[PointKey(a, t)]),
                             branch: branch, measure: measure)
        }
    }

    func oneStepContinuesInternally(branch: ReplicaSymmetricSolution.Branch, temperature: Double, fixedX: Double?) -> Bool {
        branch == .retrieval && ClassicalOneStepRSB.continuesInternally(temperature: temperature, fixedX: fixedX)
    }

    /// A grid point by the bit patterns of its (α, T).
    struct PointKey: Hashable {
        let alpha: UInt64, temperature: UInt64
        init(_ alpha: Double, _ temperature: Double) { self.alpha = alpha.bitPattern; self.temperature = temperature.bitPattern }
    }
}

/// The pairwise Hebbian engine on the stored patterns themselves (classical and untrained
/// multitasking networks): patterns from stream (seed, point, s, 0, patterns), ±1 or diluted, stored
/// as Int8 rows (``ClassicalHebbianReplica``) or, for ±1 patterns, one bit per entry
/// (``PackedHebbianReplica``, the same trajectory), as ``PatternLayout`` decides.
enum PairwiseEngine {
    /// Largest N·P (bytes of Int8 patterns) of one sample.
    static let maximumPatternBytes = 8 << 30

    static func validate(_ p: MonteCarloParameters) throws(ParameterError) {
        let product = p.neurons.multipliedReportingOverflow(by: p.patterns)
        if product.overflow || product.partialValue > maximumPatternBytes {
            throw ParameterError("--patterns", allowed: "such that N·P ≤ \(maximumPatternBytes) bytes of patterns", given: "\(p.patterns) with N = \(p.neurons)")
        }
        if p.patternLayout == .packed,
           let reason = PatternLayout.packedUnavailable(neurons: p.neurons, patterns: p.patterns, binary: p.dilution == 0) {
            throw ParameterError("--pattern-layout", allowed: "auto or int8 here: \(reason)", given: "packed")
        }
    }

    /// The layout this run uses.
    static func layout(_ p: MonteCarloParameters) -> PatternLayout {
        p.patternLayout.resolved(neurons: p.neurons, patterns: p.patterns, binary: p.dilution == 0)
    }

    /// Bytes of one sample: the patterns (N·P as Int8, N·⌈P/64⌉·8 packed, plus the packed rows' sums
    /// s_i), and per replica the overlap sums (4 bytes each, padded for packed rows), the spins, and
    /// the series of measurements kept for the binning analysis (8 bytes per recorded observable and measurement).
    static func estimatedBytes(_ p: MonteCarloParameters) -> Double {
        let n = Double(p.neurons), replicas = Double(p.replicas)
        let packed = layout(p) == .packed
        let patternBytes = packed ? Double(PackedPatterns.bytes(neurons: p.neurons, patterns: p.patterns)) + 4 * n
                                  : n * Double(p.patterns)
        let sums = packed ? Double((p.patterns + 63) / 64 * 64) : Double(p.patterns)
        let observables = MonteCarloObservable.common(p).count + p.family.contract.familyObservables(p).count
        let series = Double(p.measurements) * Double(observables) * 8
        return patternBytes + replicas * (4 * sums + n) + series
    }

    /// The TAP engine on sample s's patterns (the Int8 rows Monte Carlo draws from the same stream).
    static func plefkaSolver(_ s: Int, _ p: MonteCarloParameters, _ settings: PlefkaSettings) -> PairwiseTAP {
        PairwiseTAP(patterns: MonteCarloRun.patterns(for: p, sample: s), temperature: p.temperature, settings: settings)
    }

    static func plefkaNeglects(_ settings: PlefkaSettings) -> String {
        switch (settings.order, settings.onsager) {
        case (.first, _):
            "the Onsager reaction −(c_i/N) m_i χ/(1 − χ) (mean size reaction_field) and all higher orders"
        case (.second, .selfAveraged):
            "the fluctuations of Σ_j J_ij²(1 − m_j²) about its pattern average and the off-diagonal (μ ≠ ν) terms of the reaction (O(N^−1/2) per site), and χ_μ's spread over patterns"
        case (.second, .sample):
            "orders β³ and higher of the Plefka expansion of this network"
        }
    }

    /// `--init plefka`: spins drawn from the second-order TAP fixed point reached from ξ¹ at the
    /// run's temperature (once per sample; each replica draws its own spins from its stream).
    static func plefkaStart(_ s: Int, _ p: MonteCarloParameters) -> [Double] {
        plefkaSolver(s, p, PlefkaSettings()).solve().magnetizations
    }

    static func runSample(_ s: Int, _ p: MonteCarloParameters, _ control: RunControl,
                          _ afterSweep: () -> Void) -> MonteCarloRun.SampleOutcome? {
        let width = OverlapWidth.required(neurons: p.neurons, patterns: p.patterns)
        // The Plefka fixed point is deterministic: solved once per sample, only when a start is drawn.
        lazy var plefka = plefkaStart(s, p)
        /// Replica a's start from its stream, for condensed pattern ξ¹.
        func starts(_ condensed: [Int8]) -> (Int, inout Xoshiro256StarStar) -> [Int8] {
            { _, stream in p.initialState.configuration(condensed: condensed, plefka: { plefka }, using: &stream) }
        }
        if layout(p) == .packed {
            var patternStream = StreamKey(seed: p.seed, point: p.point, sample: UInt64(s), purpose: .patterns).generator()
            let xi = PackedPatterns.random(neurons: p.neurons, patterns: p.patterns, using: &patternStream)
            let start = starts(xi.pattern(0))
            switch width {
            case .int16:
                return MonteCarloRun.runSample(s, p, control, afterSweep, width: .int16,
                                               make: { PackedHebbianReplica<Int16>(patterns: xi, spins: $0) }, start: start)
            case .int32, .int64:
                return MonteCarloRun.runSample(s, p, control, afterSweep, width: .int32,
                                               make: { PackedHebbianReplica<Int32>(patterns: xi, spins: $0) }, start: start)
            }
        }
        let xi = MonteCarloRun.patterns(for: p, sample: s)
        let start = starts(xi.pattern(0))
        switch width {
        case .int16:
            return MonteCarloRun.runSample(s, p, control, afterSweep, width: .int16,
                                           make: { ClassicalHebbianReplica<Int16>(patterns: xi, spins: $0) }, start: start)
        case .int32, .int64:
            return MonteCarloRun.runSample(s, p, control, afterSweep, width: .int32,
                                           make: { ClassicalHebbianReplica<Int32>(patterns: xi, spins: $0) }, start: start)
        }
    }
}

/// The RS theory of pairwise networks of ±1 or diluted patterns on an (α, T) grid
/// (``ClassicalReplicaSymmetric``, AGS; with dilution d the high-storage multitasking network).
enum RSGridTheory {
    static func solve(rows: [Double], spec: GridSpec, dilution: Double, measure: GaussianMeasure,
                      threads: Int) throws -> [[TheoryBranches]] {
        let settings = spec.solver
        let solved = Continuation.solve(rows: rows.count, path: spec.temperature, threads: threads, thoroughStart: true) { i, t in
            ClassicalReplicaSymmetric(alpha: rows[i], temperature: t, dilution: dilution, measure: measure, settings: settings)
        }
        return try GlobalStateSelection.selectAll(solved, threads: threads) {
            GlobalStateSelection.classical($1, settings: settings, measure: measure)
        }.map { row in try row.map { try TheoryBranches($0.records) } }
    }

    /// A point's records (RS branches and the 1RSB states solved for the global choice) as tidy rows.
    static func rows(_ data: Data, point: GridSpec.Point) throws -> [TidyRow] {
        try RecordCoding.decoder().decode([TheoryRecord].self, from: data).flatMap { record -> [TidyRow] in
            switch record {
            case .replicaSymmetric(let s): TidyRow.rows(s, point: point.index, requestedAlpha: point.x)
            case .oneStep(let s): TidyRow.rows(s, point: point.index, requestedAlpha: point.x)
            }
        }
    }

    /// RS lines (spinodal, T_c, T_g, AT: ``CriticalPoint`` records) from `cached` when it holds such
    /// records of interaction order `order` (nil: pairwise), else from `compute`.
    static func criticalLines(cached: Data?, order: Int? = nil, compute: () throws -> [CriticalPoint]) throws -> FamilyCriticalLines {
        let saved = cached.flatMap { try? RecordCoding.decoder().decode([CriticalPoint].self, from: $0) }
        let lines = try saved.flatMap { $0.allSatisfy { $0.p == order } ? $0 : nil } ?? compute()
        return try FamilyCriticalLines(records: lines, curves: CriticalCurve.curves(lines))
    }
}
