import Foundation

/// The multitasking network's side of the family contract (docs/physics.md §3): diluted patterns,
/// P(ξ = 0) = d, on the pairwise engine; trained on examples of diluted archetypes, on the P-body
/// coupling engine at P = 2. Theory: the exact low-storage equations (grids with `patterns: K`,
/// axes d × T, lines T_k(d)) or the RS theory of diluted patterns at high storage (grids with
/// `dilution: d`, axes α × T, the AGS lines at that d).
struct MultitaskingFamily: FamilyContract {
    let dilution: Double
    let training: TrainingSet?

    var name: String { "multitasking" }

    /// 0.05 on the P-body coupling engine (trained), 0.1 on the pairwise one.
    var defaultAlpha: Double { training != nil ? 0.05 : 0.1 }

    func validate(_ p: MonteCarloParameters) throws(ParameterError) {
        try Limits.dilution.check(dilution)
        guard let settings = p.family.couplingSettings else { return try PairwiseEngine.validate(p) }
        try settings.validate()
        if p.patternLayout == .packed {
            throw ParameterError("--pattern-layout", allowed: "auto or int8 here: diluted archetypes have zeros", given: "packed")
        }
    }

    func estimatedBytes(_ p: MonteCarloParameters) -> Double {
        guard let settings = p.family.couplingSettings else { return PairwiseEngine.estimatedBytes(p) }
        return DenseNetwork.estimatedBytes(neurons: p.neurons, archetypes: p.patterns, settings: settings, replicas: p.replicas)
    }

    func describe(_ p: MonteCarloParameters) -> String {
        let g = MonteCarloParameters.g
        guard let t = training else {
            return "N = \(p.neurons), P = \(p.patterns) (α = \(g(p.alpha))), dilution d = \(g(dilution)), "
        }
        var out = "N = \(p.neurons), K = \(p.patterns) diluted archetypes (d = \(g(dilution))), "
        out += "trained \(t.learning.rawValue) on M = \(t.examples) examples each of quality r = \(g(t.quality)), "
        out += "dataset entropy ρ = (1 − r²)/(M r²) = \(String(format: "%.6g", t.datasetEntropy))\n"
        return out
    }

    func operationsPerSweep(_ p: MonteCarloParameters) -> Double {
        Double(p.neurons) * Double(p.family.couplingSettings?.couplingPatterns(archetypes: p.patterns) ?? p.patterns)
    }

    /// Every overlap m_1 … m_k and the sorted |m|_(1) … |m|_(k) (k ≤ 16); AGS's r on the pairwise
    /// engine; the example overlap n when trained.
    func familyObservables(_ p: MonteCarloParameters) -> [MonteCarloObservable] {
        var list: [MonteCarloObservable] = training != nil ? [.n] : []
        let k = min(p.patterns, MonteCarloObservables.recordedOverlaps)
        for j in stride(from: 1, through: k, by: 1) { list += [.overlap(j), .sortedOverlap(j)] }
        if training == nil, p.replicas > 1, p.patterns > 1 { list.append(.r) }
        return list
    }

    func runSample(_ s: Int, _ p: MonteCarloParameters, _ control: RunControl,
                   _ afterSweep: () -> Void) -> MonteCarloRun.SampleOutcome? {
        guard let settings = p.family.couplingSettings else { return PairwiseEngine.runSample(s, p, control, afterSweep) }
        return DenseFamily.runSample(s, p, settings, control, afterSweep)
    }

    func plefkaSolver(_ s: Int, _ p: MonteCarloParameters, _ settings: PlefkaSettings) -> any PlefkaSolver {
        guard p.family.couplingSettings != nil else { return PairwiseEngine.plefkaSolver(s, p, settings) }
        return DenseFamily.plefkaSolver(s, p, settings)
    }

    func plefkaNeglects(_ p: MonteCarloParameters, _ settings: PlefkaSettings) throws(ParameterError) -> String {
        guard let couplings = p.family.couplingSettings else { return PairwiseEngine.plefkaNeglects(settings) }
        return try DenseFamily.plefkaNeglects(couplings, settings)
    }

    /// Diluted patterns (and couplings built from them) have zeros: never packed.
    func packsRows(_ p: MonteCarloParameters) -> Bool { false }

    func classify(_ observables: MonteCarloObservables, _ p: MonteCarloParameters) -> MultitaskingState? {
        MultitaskingState.classify(observables, p)
    }

    // MARK: Theory

    func solveTheory(rows: [Double], spec: GridSpec, measure: GaussianMeasure, threads: Int,
                     wanted: @Sendable (Int, Int) -> Bool) throws -> [[TheoryBranches?]] {
        guard let k = spec.patterns else {
            return try RSGridTheory.solve(rows: rows, spec: spec, dilution: dilution, measure: measure, threads: threads)
        }
        let settings = spec.solver
        // Every (d, T) checked here, so the initialiser below cannot throw.
        for d in rows { _ = try MultitaskingLowStorage(patterns: k, dilution: d, temperature: 0, settings: settings) }
        for t in spec.temperature { try Limits.temperature.check(t) }
        // The exact equations are solved from fixed starts at every point (no continuation), so
        // only the wanted points are solved.
        let nT = spec.temperature.count, temperatures = spec.temperature, patterns = k
        let jobs = (0..<rows.count * nT).filter { wanted($0 / nT, $0 % nT) }
        let solved = Parallel.map(jobs.count, threads: threads) { n in
            try! MultitaskingLowStorage(patterns: patterns, dilution: rows[jobs[n] / nT],
                                        temperature: temperatures[jobs[n] % nT], settings: settings).solveBranches()
        }
        var result = [[TheoryBranches?]](repeating: [TheoryBranches?](repeating: nil, count: nT), count: rows.count)
        for (n, job) in jobs.enumerated() { result[job / nT][job % nT] = try TheoryBranches(solved[n]) }
        return result
    }

    func theoryRows(_ data: Data, point: GridSpec.Point, spec: GridSpec) throws -> [TidyRow] {
        guard spec.patterns != nil else { return try RSGridTheory.rows(data, point: point) }
        return try RecordCoding.decoder().decode([MultitaskingLowStorage.Solution].self, from: data)
            .flatMap { TidyRow.rows($0, point: point.index) }
    }

    /// Low storage: T_k(d) of every level k for d = 0 … 0.98; high storage: the AGS lines at d.
    func criticalLines(spec: GridSpec, points: Int, threads: Int, cached: Data?) throws -> FamilyCriticalLines {
        guard let k = spec.patterns else {
            return try RSGridTheory.criticalLines(cached: cached) {
                try ClassicalCriticalLines(measure: GaussianMeasure(), dilution: dilution).all(points: points, threads: threads)
            }
        }
        let saved = cached.flatMap { try? RecordCoding.decoder().decode([MultitaskingLowStorage.LevelBoundary].self, from: $0) }
        let lines = try saved.flatMap { $0.allSatisfy { $0.patterns == k } ? $0 : nil } ?? (0..<points).flatMap { j throws in
            try MultitaskingLowStorage.levelTemperatures(patterns: k, dilution: 0.98 * Double(j) / Double(points - 1))
        }
        let curves = (1...k).map { level in
            CriticalCurve(kind: .level(level), label: "level \(level) vanishes (T_\(level))",
                          points: lines.filter { $0.level == level && $0.converged }
                              .map { (x: $0.dilution, temperature: $0.temperature) }.sorted { $0.x < $1.x })
        }
        return try FamilyCriticalLines(records: lines, curves: curves)
    }

    func oneStepRSB(alphas: [Double], temperatures: [Double], branch: ReplicaSymmetricSolution.Branch, fixedX: Double?,
                    settings: SolverSettings, measure: GaussianMeasure, threads: Int) -> [[[ReplicaSymmetryBreakingSolution]]]? {
        nil
    }
}
