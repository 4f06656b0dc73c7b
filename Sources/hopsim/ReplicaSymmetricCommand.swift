import ArgumentParser
import Foundation
import HopfieldKit

/// Models the replica solvers know. Unknown names are rejected with the list.
enum TheoryModel: String, CaseIterable, ExpressibleByArgument {
    case classical
    /// Low-storage multitasking network (exact average over the 3^K pattern values).
    case multitasking
    /// Dense P-body network (Gardner form), plain or trained on examples.
    case dense
    /// Exponential network: the random-energy-model theory (docs/physics.md §5).
    case exponential
}

/// `hopsim rs-solve`: replica-symmetric theory.
struct ReplicaSymmetricCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rs-solve",
        abstract: "Replica-symmetric self-consistency equations (AGS) at a point, on a grid, or their critical lines.",
        discussion: """
            Solves m = E tanh βh, q = E tanh² βh, r = q/(1 − β(1 − q))², h = m + √(αr) z, for every branch \
            (retrieval, spin-glass, paramagnet) with GSL root finders, and reports m, q, r, the free energy, \
            entropy and internal energy, local stability, which branch is global, the de Almeida–Thouless \
            eigenvalue, and the solver's convergence, iterations, residual and method. Ranges \
            (--alpha 0.01:0.16:31 --temperature 0:1:41) give a grid solved by continuation.
            """)

    @Option(help: "Model: classical | multitasking (low storage: --patterns K ≤ 12, --dilution d) | dense (--p P) | exponential (REM theory; --alpha = ln K/N < ln 2, --interaction, --lambda).") var model: TheoryModel = .classical
    @Option(parsing: .unconditional, help: "Exponential: exp | lse (default).") var interaction: ExponentialInteraction?
    @Option(parsing: .unconditional, help: "Exponential: inverse width λ, \(ExponentialSettings.lambdaRange) (default 1).",
            transform: Parse.double("--lambda", allowed: ExponentialSettings.lambdaRange)) var lambda: Double?
    @Option(name: .customLong("p"), parsing: .unconditional, help: "Dense: interaction order P, \(Limits.theoryOrder.allowed) (P = 2 is --model classical, whose theory is AGS; mc --model dense --p 2 runs a pairwise network with the dense engine).",
            transform: Parse.integer(Limits.theoryOrder)) var interactionOrder: Int?
    @Option(parsing: .unconditional, help: "Dense, trained: examples per archetype M (exact binomial average).",
            transform: Parse.integer(Limits.examples)) var examples: Int?
    @Option(parsing: .unconditional, help: "Dense, trained: example quality r ∈ (0, 1].",
            transform: Parse.double(Limits.quality)) var quality: Double?
    @Option(name: .customLong("protocol"), parsing: .unconditional, help: "Dense, trained: supervised | unsupervised.")
    var learning: LearningProtocol?
    @Option(parsing: .unconditional, help: "Dense, trained (large-M form): dataset entropy ρ = (1 − r²)/(M r²) ≥ 0, or a range.")
    var entropy: String?
    @Option(parsing: .unconditional, help: "Multitasking: number of patterns K (exact average up to 3^12 pattern values; beyond, --sampled-average).",
            transform: Parse.integer("--patterns", allowed: "an integer ≥ 1")) var patterns: Int?
    @Option(parsing: .unconditional, help: "Multitasking: average over S sampled pattern values instead of all of them (needed beyond 3^12).",
            transform: Parse.integer("--sampled-average", allowed: "an integer in [1000, 10000000]")) var sampledAverage: Int?
    @Option(parsing: .unconditional, help: "Multitasking: dilution d ∈ [0, 1).",
            transform: Parse.double("--dilution", allowed: "a number in [0, 1)")) var dilution: Double?
    @Option(parsing: .unconditional, help: "Load α > 0, or a range start:stop:count (default 0.1; multitasking: high storage).") var alpha: String?
    @Option(name: .customLong("temperature"), parsing: .unconditional, help: "Temperature T ≥ 0, or a range start:stop:count (default 0.1).")
    var temperatureText: String?
    var temperature: String { temperatureText ?? "0.1" }
    @Flag(help: "Compute the critical lines instead: spinodal α_M(T), T_g(α), T_c, AT line.") var criticalLines = false
    @Option(parsing: .unconditional, help: """
        Follow the retrieval branch in alpha | temperature by pseudo-arclength continuation, through its \
        folds (the spinodal) onto the unstable partner: from the stable state at the start of the \
        followed range (start:stop:count; the largest step is 1/(count − 1) of the range) until the \
        parameter leaves the range or m reaches 0. The other parameter takes one value.
        """) var follow: FollowedParameter?
    @Option(parsing: .unconditional, help: "Points per critical line (≥ 2).",
            transform: Parse.integer(Limits.linePoints))
    var linePoints = 41
    @Flag(help: "Bracket every branch at every grid point instead of continuing from the neighbour.") var thorough = false
    @Option(parsing: .unconditional, transform: Parse.integer(Limits.hermiteNodes))
    var hermiteNodes = 64
    @Option(parsing: .unconditional, transform: Parse.integer(Limits.laguerreNodes))
    var laguerreNodes = 64
    @OptionGroup(title: "Root finder") var solverOptions: SolverOptions
    @OptionGroup var progressOptions: ProgressOptions
    @OptionGroup var threading: ThreadOptions
    var threads: Int { threading.threads }
    @Option(parsing: .unconditional, help: "Also write the results to this file (atomically): RS states and critical lines as CSV with a JSON sidecar FILE.json (provenance, columns); low-storage multitasking states as a JSON records file {schema, provenance, records}.")
    var output: String?
    @Option(parsing: .unconditional, help: "stdout format: text | json (one object per line) | csv.")
    var format: OutputFormat = .text

    struct Inputs {
        var alphas: ParameterRange
        var temperatures: ParameterRange
        var quadrature: QuadratureSettings
        var solver: SolverSettings
    }

    func inputs() throws(ParameterError) -> Inputs {
        let alphaText = alpha ?? "0.1"
        let alphas = try ParameterRange(parsing: alphaText, flag: "--alpha")
        guard alphas.start > 0 else { throw ParameterError("--alpha", allowed: "> 0", given: alphaText) }
        let temperatures = try ParameterRange(parsing: temperature, flag: "--temperature")
        guard temperatures.start >= 0 else { throw ParameterError("--temperature", allowed: "≥ 0", given: temperature) }
        guard alphas.count * temperatures.count <= 4_000_000 else {
            throw ParameterError("--alpha", allowed: "a grid of at most 4e6 points", given: "\(alphas.count * temperatures.count) points")
        }
        let quadrature = QuadratureSettings(hermiteNodes: hermiteNodes, laguerreNodes: laguerreNodes)
        try quadrature.validate()
        let solver = try solverOptions.settings(defaultTolerance: 1e-12)
        try Limits.linePoints.check(linePoints)
        return Inputs(alphas: alphas, temperatures: temperatures, quadrature: quadrature, solver: solver)
    }

    func validate() throws {
        do { _ = try inputs() } catch { throw error.validationError }
        // Options a command would ignore are refused: only the dense lines are drawn at given
        // temperatures (the others choose their own T), only the dense (ρ, T) lines use --alpha.
        if criticalLines, model != .dense, model != .exponential, temperatureText != nil {
            throw ValidationError("--temperature is used by --critical-lines only with --model dense (the \(model.rawValue) lines choose their own T; set --line-points)")
        }
        if criticalLines, model == .classical, alpha != nil {
            throw ValidationError("--alpha is not used by --critical-lines with --model classical (the lines choose their own α and T; set --line-points)")
        }
        if let follow {
            if criticalLines { throw ValidationError("--follow and --critical-lines exclude each other") }
            if model == .multitasking, patterns != nil || dilution == nil || alpha == nil {
                throw ValidationError("--follow with --model multitasking needs the high-storage network (--alpha, --dilution; not --patterns)")
            }
            if thorough { throw ValidationError("--thorough is not used by --follow") }
            do { _ = try followRange(follow, try inputs()) } catch { throw error.validationError }
        }
        if model != .exponential, interaction != nil || lambda != nil {
            throw ValidationError("--interaction and --lambda are used only with --model exponential")
        }
        if model == .exponential {
            if follow != nil || thorough { throw ValidationError("--follow and --thorough are not used with --model exponential (its states are closed forms)") }
            if patterns != nil || dilution != nil || examples != nil || quality != nil || learning != nil || sampledAverage != nil {
                throw ValidationError("--patterns, --dilution, --examples, --quality, --protocol and --sampled-average are not used with --model exponential")
            }
            if criticalLines, alpha != nil { throw ValidationError("--alpha is not used by --critical-lines with --model exponential (the lines are α(T))") }
            do { _ = try exponentialStates() } catch { throw error.validationError }
        }
        if model != .dense, interactionOrder != nil || entropy != nil {
            throw ValidationError("--p and --entropy are used only with --model dense")
        }
        if model == .classical, examples != nil || quality != nil || learning != nil {
            throw ValidationError("--examples, --quality and --protocol are used only with --model dense or multitasking")
        }
        if model != .multitasking, sampledAverage != nil {
            throw ValidationError("--sampled-average is used only with --model multitasking")
        }
        switch model {
        case .exponential:
            break
        case .dense:
            do { _ = try denseInputs() } catch { throw error.validationError }
        case .classical:
            if patterns != nil { throw ValidationError("--patterns is used only with --model multitasking (classical uses --alpha)") }
            if dilution != nil { throw ValidationError("--dilution is used only with --model multitasking") }
        case .multitasking:
            if alpha != nil {                      // high storage: K = αN diluted patterns
                if patterns != nil { throw ValidationError("--patterns (low storage) and --alpha (high storage) exclude each other") }
                guard let dilution else { throw ValidationError("--dilution must be given with --model multitasking (a number in [0, 1))") }
                guard dilution >= 0, dilution < 1 else { throw ValidationError("--dilution must be a number in [0, 1) (got \(dilution))") }
                break
            }
            if criticalLines, patterns == nil, dilution != nil { break }     // high-storage lines at this d
            guard let patterns else { throw ValidationError("--patterns (low storage, an integer in [1, 12]) or --alpha (high storage) must be given with --model multitasking") }
            if criticalLines { break }
            guard let dilution else { throw ValidationError("--dilution must be given with --model multitasking (a number in [0, 1))") }
            do {
                _ = try MultitaskingLowStorage(patterns: patterns, dilution: dilution, temperature: 0,
                                               training: try multitaskingTraining(), sampledAverage: sampledAverage)
            } catch { throw error.validationError }
        }
    }

    /// Exponential: the settings, and the theory of every (α, T) asked (each α checked: 0 < α < ln 2).
    func exponentialStates() throws(ParameterError) -> (settings: ExponentialSettings, points: [ExponentialTheory]) {
        let settings = ExponentialSettings(interaction: interaction ?? .lse, lambda: lambda ?? ExponentialSettings.defaultLambda)
        try settings.validate()
        let inputs = try inputs()
        guard !criticalLines else { return (settings, []) }
        var points: [ExponentialTheory] = []
        for a in inputs.alphas.values {
            for t in inputs.temperatures.values {
                points.append(try ExponentialTheory(settings: settings, alpha: a, temperature: t, tolerance: inputs.solver.tolerance))
            }
        }
        return (settings, points)
    }

    /// Exponential: the REM states (retrieval, paramagnet) at every point, or the lines α_1(T),
    /// α_g(T) and the REM condensation load at --line-points temperatures up to the largest asked.
    func runExponential(_ inputs: Inputs) throws {
        try format.requireTextOrJSON("the exponential network's REM states")
        if let output { try AtomicFile.checkWritable(output) }
        let (settings, points) = try exponentialStates()
        if criticalLines {
            let top = max(inputs.temperatures.values.max() ?? 1, 1e-9)
            let lines = (0..<linePoints).map { j in
                ExponentialTheory.LinePoint(settings: settings, temperature: top * Double(j) / Double(linePoints - 1))
            }
            try TheoryOutput.emitRecords(lines, format: format, output: output, notConverged: 0) {
                "exponential network, \(settings.hamiltonian): α_1 retrieval boundary, α_g retrieval global, REM condensation α = I(tanh λ) = \(String(format: "%.6f", ExponentialTheory.condensationLoad(settings)))\n"
                    + "(T = 0: a pattern is a single-flip minimum up to α = 2λ − ln cosh 2λ = \(String(format: "%.6f", ExponentialTheory.singleFlipBoundary(lambda: settings.lambda))))\n"
                    + lines.map { String(format: "T = %-8.4g α_1 = %.6f  α_g = %.6f\n", $0.temperature, $0.retrieval, $0.global) }.joined()
            }
            return
        }
        let states = points.flatMap { $0.states() }
        try TheoryOutput.emitRecords(states, format: format, output: output, notConverged: states.filter { !$0.converged }.count) {
            "exponential network, \(settings.hamiltonian); REM theory (docs/physics.md §5)\n" + states.map { s in
                let energy = s.energy.map { String(format: "u = %.6f  s = %.6f  f = %.6f", $0, s.entropy ?? .nan, s.freeEnergy ?? .nan) } ?? "(energy not extensive)"
                return String(format: "α = %-7.4g T = %-7.4g %-10@ m = %.6f  m_max = %.6f  %@  %@ %@  φ = %.6f  m* = %.6f  %@\n",
                              s.alpha, s.temperature, s.branch, s.m, s.mMax, energy, s.stable ? "stable" : "not a state",
                              s.global ? "global" : "      ", s.crosstalk, s.maximalOverlap, s.converged ? "converged" : "NOT CONVERGED")
            }.joined()
        }
    }

    /// Dense: P and the example statistics for each ρ value (one entry, `.none` or `.examples`, unless
    /// --entropy gives a range).
    func denseInputs() throws(ParameterError) -> (order: Int, statistics: [ExampleStatistics]) {
        guard let order = interactionOrder else {
            throw ParameterError("--p", allowed: "\(Limits.theoryOrder.allowed), required by --model dense (P = 2 is --model classical)", given: "none")
        }
        guard (try? Limits.theoryOrder.check(order)) != nil else {
            throw ParameterError("--p", allowed: "\(Limits.theoryOrder.allowed) (P = 2 is --model classical)", given: "\(order)")
        }
        let trained = examples != nil || quality != nil || learning != nil || entropy != nil
        guard trained else { return (order, [.none]) }
        guard let r = quality else { throw ParameterError("--quality", allowed: "a number in (0, 1], required with --examples/--entropy/--protocol", given: "none") }
        try Limits.quality.check(r)
        guard let l = learning else { throw ParameterError("--protocol", allowed: "supervised or unsupervised, required with --examples/--entropy/--quality", given: "none") }
        switch (examples, entropy) {
        case (.some, .some):
            throw ParameterError("--examples", allowed: "given without --entropy (M and ρ set the same thing)", given: "both")
        case (.some(let m), nil):
            try Limits.examples.check(m)
            return (order, [.examples(m, quality: r, l)])
        case (nil, .some(let text)):
            let rhos = try ParameterRange(parsing: text, flag: "--entropy")
            guard rhos.start >= 0, rhos.values.allSatisfy({ $0 >= 0 }) else { throw ParameterError("--entropy", allowed: "≥ 0", given: text) }
            return (order, rhos.values.map { .entropy($0, quality: r, l) })
        case (nil, nil):
            throw ParameterError("--examples", allowed: "an integer in [1, 32767], or --entropy ρ, for a trained network", given: "none")
        }
    }

    func run() throws {
        // Progress of the theory's parallel loops (rows, line points) on stderr, with ETA.
        let progress = ProgressReporter(label: "hopsim rs-solve", quiet: progressOptions.quiet)
        progress.observeLoops()
        defer { progress.finish() }
        try solve()
    }

    func solve() throws {
        let inputs = try inputs()
        if let follow { return try runFollow(follow, inputs) }
        if model == .dense { return try runDense(inputs) }
        if model == .exponential { return try runExponential(inputs) }
        if model == .multitasking, patterns != nil {
            // The low-storage states have a vector of overlaps: no table form.
            try format.requireTextOrJSON("the low-storage multitasking states (--patterns)")
            if let output { try AtomicFile.checkWritable(output) }
            if criticalLines {
                // The temperature at which each level of the hierarchy vanishes, for d = 0 … 0.95.
                let dilutions = (0..<linePoints).map { 0.95 * Double($0) / Double(linePoints - 1) }
                let lines = try dilutions.flatMap { d throws in
                    try MultitaskingLowStorage.levelTemperatures(patterns: patterns!, dilution: d, settings: inputs.solver)
                }
                try TheoryOutput.emitRecords(lines, format: format, output: output, notConverged: lines.filter { !$0.converged }.count) {
                    "K = \(patterns!): temperature above which level k of the hierarchy is 0\n" + lines.map { l in
                        String(format: "d = %-6.4f level %d  T = %.10f  residual %.1e  %@\n", l.dilution, l.level, l.temperature,
                               l.residual, l.converged ? "converged" : "NOT CONVERGED")
                    }.joined()
                }
            } else {
                let training = try multitaskingTraining()
                let solutions = try inputs.temperatures.values.flatMap { t throws in
                    try MultitaskingLowStorage(patterns: patterns!, dilution: dilution!, temperature: t, settings: inputs.solver,
                                               training: training, sampledAverage: sampledAverage).solveBranches()
                }
                try TheoryOutput.emitRecords(solutions, format: format, output: output,
                                             notConverged: solutions.filter { !$0.converged }.count) {
                    solutions.map { s in
                        String(format: "K = %d, d = %g, T = %g  %-12@ f = %.8f  %@ %@  m = (%@)  %@ in %d (%@)\n", s.patterns, s.dilution,
                               s.temperature, s.branch, s.freeEnergy, s.stable ? "stable" : "unstable", s.global ? "global" : "      ",
                               s.m.map { String(format: "%.6f", $0) }.joined(separator: ", "),
                               s.converged ? "converged" : "NOT CONVERGED", s.iterations, s.method)
                        + (s.n.map { "    n (example means) = (" + $0.map { String(format: "%.6f", $0) }.joined(separator: ", ") + ")\n" } ?? "")
                        + (s.samplingError.map { String(format: "    %@, sampling error of the equations ≈ %.1e\n", s.averaging, $0) } ?? "")
                    }.joined()
                }
            }
            return
        }
        if let output {
            try AtomicFile.checkWritable(output)
            try AtomicFile.checkWritable(output + ".json")
        }
        let measure = try GaussianMeasure(settings: inputs.quadrature)
        let provenance = TheoryProvenance(command: "rs-solve", model: model.rawValue, alpha: inputs.alphas,
                                          temperature: inputs.temperatures, quadrature: inputs.quadrature,
                                          solver: inputs.solver)
        if criticalLines {
            let lines = ClassicalCriticalLines(measure: measure, settings: inputs.solver, dilution: dilution ?? 0)
                .all(points: linePoints, threads: threads)
            try TheoryOutput.emitLines(lines, provenance: provenance, format: format, output: output)
            if lines.contains(where: { !$0.converged }) { throw ExitCode(2) }
            return
        }
        let solutions = ReplicaSymmetricGrid.solve(
            alphas: inputs.alphas.values, temperatures: inputs.temperatures.values, dilution: dilution ?? 0, measure: measure,
            settings: inputs.solver, threads: threads, thorough: thorough || inputs.alphas.count * inputs.temperatures.count == 1)
        let settings = inputs.solver
        let points = GlobalStateSelection.selectAll([solutions], threads: threads) {
            GlobalStateSelection.classical($1, settings: settings, measure: measure)
        }[0]
        try TheoryOutput.emit(points, provenance: provenance, format: format, output: output)
        try Self.exit(points)
    }
}

extension ReplicaSymmetricCommand {
    /// Dense networks: the RS branches on the α × ρ × T grid (continuation along T), or the
    /// retrieval boundaries with --critical-lines ((α, T), or (ρ, T) at the given α for --entropy).
    func runDense(_ inputs: Inputs) throws {
        let (order, statistics) = try denseInputs()
        if let output {
            try AtomicFile.checkWritable(output)
            try AtomicFile.checkWritable(output + ".json")
        }
        let measure = try GaussianMeasure(settings: inputs.quadrature)
        var provenance = TheoryProvenance(command: "rs-solve", model: "dense", alpha: inputs.alphas,
                                          temperature: inputs.temperatures, quadrature: inputs.quadrature, solver: inputs.solver)
        provenance.equations = "dense P-body Hebbian network, Gardner form, RS with one condensed archetype (DenseReplicaSymmetric): n = E[χ̄ tanh βh], C = β E sech² βh, h = χ̄ n^{P−1}/(P−1)! + √(α w q^{P−1}/(P−1)!) z"
        if criticalLines {
            let temperatures = inputs.temperatures.count > 1 ? inputs.temperatures.values
                : (0..<linePoints).map { Double($0) / Double(linePoints - 1) }
            let lines = DenseCriticalLines(order: order, measure: measure, settings: inputs.solver)
            let points: [CriticalPoint]
            if entropy != nil {
                guard inputs.alphas.count == 1 else {
                    throw ValidationError("--critical-lines with --entropy draws the (ρ, T) plane at one --alpha")
                }
                points = lines.lines(temperatures: temperatures,
                                     learning: (inputs.alphas.start, quality!, learning!), threads: threads)
            } else {
                points = lines.lines(temperatures: temperatures, examples: statistics[0], threads: threads)
            }
            try TheoryOutput.emitLines(points, provenance: provenance, format: format, output: output)
            if points.contains(where: { !$0.converged }) { throw ExitCode(2) }
            return
        }
        // Rows (α, ρ), α-major, each continued along T.
        let rows = inputs.alphas.values.flatMap { a in statistics.map { (a, $0) } }
        let solver = inputs.solver
        let grid = Continuation.solve(rows: rows.count, path: inputs.temperatures.values, threads: threads) { k, t in
            DenseReplicaSymmetric(order: order, alpha: rows[k].0, temperature: t, examples: rows[k].1, measure: measure, settings: solver)
        }
        let points = GlobalStateSelection.selectAll(grid, threads: threads) { k, rs in
            GlobalStateSelection.dense(rs, order: order, examples: rows[k].1, settings: solver, measure: measure)
        }.flatMap { $0 }
        try TheoryOutput.emit(points, provenance: provenance, format: format, output: output)
        try Self.exit(points)
    }

    /// Exit status 2 when an RS branch did not converge, else 3 when a point has no global state
    /// (no converged, stable state at all); a 1RSB state tried for the global choice that did not
    /// converge is reported in the records but leaves the RS answer standing.
    static func exit(_ points: [PointTheory]) throws {
        if points.contains(where: { p in p.replicaSymmetric.contains { !$0.converged } }) { throw ExitCode(2) }
        if points.contains(where: { $0.replicaSymmetric.first?.globalTheory == nil }) { throw ExitCode(3) }
    }
}

extension ReplicaSymmetricCommand {
    /// Multitasking low storage trained on examples: --examples M --quality r (--protocol optional:
    /// in low storage both protocols give the same equations).
    func multitaskingTraining() throws(ParameterError) -> TrainingSet? {
        guard examples != nil || quality != nil || learning != nil else { return nil }
        guard let m = examples else { throw ParameterError("--examples", allowed: "an integer in [1, 32767], with --quality", given: "none") }
        guard let r = quality else { throw ParameterError("--quality", allowed: "a number in (0, 1], with --examples", given: "none") }
        let t = TrainingSet(examples: m, quality: r, learning: learning ?? .supervised)
        try t.validate()
        return t
    }
}

/// `hopsim learning-curve`: archetype retrieval of a trained multitasking network against M.
struct LearningCurveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learning-curve",
        abstract: "Multitasking network trained on examples: archetype overlaps vs M (ρ), exact theory beside Monte Carlo.")

    @Option(parsing: .unconditional, help: "Number of archetypes K, an integer in [1, 12] (default 3).",
            transform: Parse.integer("--patterns", allowed: "an integer in [1, 12]")) var patterns = 3
    @Option(parsing: .unconditional, help: "Dilution d ∈ (0, 1): P(ξ = 0) = d (the Monte Carlo needs d > 0, as in mc; rs-solve's theory alone also takes d = 0; default 0.3).",
            transform: Parse.double("--dilution", allowed: "a number in (0, 1)")) var dilution = 0.3
    @Option(parsing: .unconditional, help: "Temperature T ≥ 0 (default 0.05).",
            transform: Parse.double("--temperature", allowed: "a number ≥ 0")) var temperature = 0.05
    @Option(parsing: .unconditional, help: "Example quality r ∈ (0, 1]: each example bit equals the archetype's with probability (1 + r)/2 (default 0.6).",
            transform: Parse.double("--quality", allowed: "a number in (0, 1]")) var quality = 0.6
    @Option(name: .customLong("protocol"), parsing: .unconditional, help: "Learning protocol: supervised (per-class example means) | unsupervised (every example).")
    var learning: LearningProtocol = .supervised
    @Option(parsing: .unconditional, help: "Comma-separated M values.") var examples = "1,2,3,5,8,12,20,30"
    @Option(parsing: .unconditional, help: "Monte Carlo: neurons N, \(Limits.neurons.allowed) (default 2000).", transform: Parse.integer(Limits.neurons)) var neurons = 2000
    @Option(parsing: .unconditional, help: "Monte Carlo: disorder samples per M, \(Limits.samples.allowed) (default 4).", transform: Parse.integer(Limits.samples)) var samples = 4
    @Option(parsing: .unconditional, help: "Measured sweeps (≥ 2; half as many thermalise; default 200).", transform: Parse.integer(Limits.sweeps)) var sweeps = 200
    @Option(parsing: .unconditional, help: "Seed of every random stream (patterns, examples, dynamics; default 1).", transform: Parse.seed) var seed: UInt64 = 1
    @OptionGroup var progressOptions: ProgressOptions
    @OptionGroup var threading: ThreadOptions
    var threads: Int { threading.threads }
    @Option(parsing: .unconditional, help: "stdout format: text | json | csv.") var format: OutputFormat = .text

    func run() throws {
        let progress = ProgressReporter(label: "hopsim learning-curve", quiet: progressOptions.quiet)
        progress.observeLoops()
        defer { progress.finish() }
        try compute()
    }

    func compute() throws {
        let parts = examples.split(separator: ",", omittingEmptySubsequences: false)
        guard (1...100).contains(parts.count) else {
            throw ParameterError("--examples", allowed: "1 to 100 comma-separated integers in [1, 32767]", given: "\(parts.count) values")
        }
        let values = try parts.map { text throws -> Int in
            guard let m = Int(text.trimmingCharacters(in: .whitespaces)), m >= 1, m <= 32767 else {
                throw ParameterError("--examples", allowed: "comma-separated integers in [1, 32767]", given: "'\(examples)'")
            }
            return m
        }
        guard sweeps >= 2 else { throw ParameterError("--sweeps", allowed: "an integer in [2, 100000000]", given: "\(sweeps)") }
        let curve = try MultitaskingLearningCurve.run(patterns: patterns, dilution: dilution, temperature: temperature,
                                                      quality: quality, learning: learning, examples: values, neurons: neurons,
                                                      samples: samples, sweeps: sweeps, seed: seed, threads: threads)
        switch format {
        case .json: print(String(decoding: try RecordCoding.encoder(pretty: false).encode(curve), as: UTF8.self))
        case .csv:
            let k = patterns
            var out = "examples,dataset_entropy,branch," + (1...k).map { "m\($0)" }.joined(separator: ",") + ","
            out += (1...k).map { "n\($0)" }.joined(separator: ",") + "," + (1...k).map { "mc_m\($0),mc_m\($0)_error" }.joined(separator: ",") + ",mc_state\n"
            for r in curve.rows {
                let mc = (0..<k).map { "\(r.mcM[$0]),\(r.mcError[$0])" }.joined(separator: ",")
                out += "\(r.examples),\(r.datasetEntropy),\(r.branch)," + r.m.map { "\($0)" }.joined(separator: ",") + ","
                out += r.n.map { "\($0)" }.joined(separator: ",") + "," + mc + ",\(r.mcState)\n"
            }
            print(out, terminator: "")
        case .text:
            print("K = \(patterns), d = \(dilution), T = \(temperature), r = \(quality), \(learning.rawValue); MC N = \(neurons), \(samples) samples, seed \(seed)")
            print("   M   rho       theory (global)   m_1 … m_K               MC |m|_(1) … |m|_(K) ± total error")
            for r in curve.rows {
                let theory = r.m.map { String(format: "%.4f", $0) }.joined(separator: " ")
                let mc = zip(r.mcM, r.mcError).map { String(format: "%.4f±%.4f", $0, $1) }.joined(separator: " ")
                print(String(format: "%4d   %-8.4g  %-16@  %@    %@  (%@)", r.examples, r.datasetEntropy, r.branch, theory, mc, r.mcState))
            }
        }
        let failed = curve.rows.filter { !$0.converged }.map(\.examples)
        if !failed.isEmpty {
            FileHandle.standardError.write(Data("hopsim: warning: no converged global theory state at M = \(failed.map(String.init).joined(separator: ", ")) (overlaps nan, converged=false)\n".utf8))
            throw ExitCode(2)
        }
    }
}
