import ArgumentParser
import Foundation
import HopfieldKit

/// The Monte Carlo models.
enum MonteCarloModel: String, CaseIterable, ExpressibleByArgument {
    case classical, multitasking, dense
}

/// How a dense network's magnetisations are obtained.
enum DenseEngine: String, CaseIterable, ExpressibleByArgument {
    case exact, plefka
}

extension DenseHamiltonian: ExpressibleByArgument {}
extension LearningProtocol: ExpressibleByArgument {}

/// `hopsim mc`: Monte Carlo of the classical, multitasking and dense Hebbian networks.

struct MonteCarloCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mc",
        abstract: "Monte Carlo of Hebbian networks: classical (pairwise), multitasking (diluted) and dense (P-body).",
        discussion: """
            Stores P = αN random ±1 patterns in J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ (i ≠ j), runs single-spin \
            dynamics and reports, averaged over replicas, time and pattern samples: the overlap m with \
            the condensed pattern ξ¹, the crosstalk overlaps with the others, the spin-glass overlap q \
            (replicas ≥ 2), AGS's r and the energy per neuron. Each observable carries its mean, the \
            thermal error from binning, the integrated autocorrelation time (sweeps) and the spread \
            across samples, reported apart.

            --model dense --p P stores K = αN^{P−1} patterns in the P-body Hamiltonian \
            H = −(1/(P! N^{P−1})) Σ_μ Σ_{distinct i_1…i_P} ξ…ξ σ…σ (--hamiltonian gardner) or \
            −(N/P!) Σ_μ m_μ^P (krotov); with --examples M --quality r --protocol supervised|unsupervised \
            the couplings are built from M noisy examples of each of K archetypes. --engine plefka \
            replaces Monte Carlo by the deterministic Plefka (TAP) fixed point.
            """)

    @Option(parsing: .unconditional, help: "Model: classical (binary patterns) | multitasking (diluted patterns, needs --dilution).")
    var model: MonteCarloModel = .classical

    @Option(name: .customLong("p"), parsing: .unconditional, help: "Interaction order P ≥ 2 of --model dense.",
            transform: Parse.integer("--p", allowed: "an integer in [2, \(DenseSettings.maximumOrder)]"))
    var interactionOrder: Int?

    @Option(parsing: .unconditional, help: "Dense Hamiltonian: gardner (distinct indices) | krotov (all tuples).")
    var hamiltonian: DenseHamiltonian?

    @Option(parsing: .unconditional, help: "Trained dense network: number of archetypes K (same as --patterns).",
            transform: Parse.integer("--archetypes", allowed: "an integer ≥ 1"))
    var archetypes: Int?

    @Option(parsing: .unconditional, help: "Trained dense network: examples per archetype M ≥ 1.",
            transform: Parse.integer("--examples", allowed: "an integer in [1, 32767]"))
    var examples: Int?

    @Option(parsing: .unconditional, help: "Trained dense network: example quality r ∈ (0, 1], P(χ = +1) = (1 + r)/2.",
            transform: Parse.double("--quality", allowed: "a number in (0, 1]"))
    var quality: Double?

    @Option(name: .customLong("protocol"), parsing: .unconditional, help: "Trained dense network: supervised | unsupervised.")
    var learning: LearningProtocol?

    @Option(parsing: .unconditional, help: "Dense networks: exact (Monte Carlo) | plefka (deterministic TAP fixed point).")
    var engine: DenseEngine = .exact

    @Option(parsing: .unconditional, help: "Order of the Plefka expansion, 1 (naive mean field) or 2 (with the Onsager term).",
            transform: Parse.integer("--plefka-order", allowed: "1 or 2"))
    var plefkaOrder = 2

    @Option(parsing: .unconditional, help: "Damping λ ∈ (0, 1] of the Plefka iteration m ← (1−λ)m + λ tanh(…).",
            transform: Parse.double("--damping", allowed: "a number in (0, 1]"))
    var damping = 0.5

    @Option(parsing: .unconditional, help: "Dilution d ∈ (0, 1) of the multitasking model's patterns: P(ξ = 0) = d.",
            transform: Parse.double("--dilution", allowed: "a number in (0, 1)"))
    var dilution: Double?

    @Option(parsing: .unconditional, help: "Load α = P/N, > 0 (P = round(αN)); dense: K = round(αN^{P−1}). Default 0.1 (dense 0.05) unless --patterns is given.",
            transform: Parse.double("--alpha", allowed: "a number > 0"))
    var alpha: Double?

    @Option(parsing: .unconditional, help: "Number of stored patterns P ≥ 1 (instead of --alpha).",
            transform: Parse.integer("--patterns", allowed: "an integer ≥ 1"))
    var patterns: Int?

    @Option(name: .customLong("neurons"), parsing: .unconditional, help: "Number of neurons N ≥ 2 (default 2000; dense 200).", transform: Parse.integer("--neurons", allowed: "an integer ≥ 2"))
    var neuronCount: Int?

    var neurons: Int { neuronCount ?? (model == .dense ? 200 : 2000) }

    @Option(parsing: .unconditional, help: "Temperature T ≥ 0; 0 selects zero-temperature dynamics.",
            transform: Parse.double("--temperature", allowed: "a finite number ≥ 0"))
    var temperature = 0.1

    @Option(parsing: .unconditional, help: "heat-bath | metropolis | zero-temperature (default: heat-bath, or zero-temperature at T = 0).")
    var dynamics: Dynamics?

    @Option(parsing: .unconditional, help: "Update order within a sweep: sequential | random.")
    var order: UpdateOrder = .sequential

    @Option(parsing: .unconditional, help: "Sweeps discarded before measuring (≥ 0).",
            transform: Parse.integer("--thermalization", allowed: "an integer ≥ 0"))
    var thermalization = 200

    @Option(parsing: .unconditional, help: "Measured sweeps (≥ 1).", transform: Parse.integer("--sweeps", allowed: "an integer ≥ 1"))
    var sweeps = 1000

    @Option(parsing: .unconditional, help: "Measure every this many sweeps (≥ 1).",
            transform: Parse.integer("--measure-every", allowed: "an integer ≥ 1"))
    var measureEvery = 1

    @Option(parsing: .unconditional, help: "Independent pattern realisations (disorder samples, ≥ 1).",
            transform: Parse.integer("--samples", allowed: "an integer ≥ 1"))
    var samples = 8

    @Option(parsing: .unconditional, help: "Replicas per sample (1–64); ≥ 2 gives the spin-glass overlap q and r.",
            transform: Parse.integer("--replicas", allowed: "an integer in [1, 64]"))
    var replicas = 2

    @Option(name: .customLong("init"), help: "Initial state: pattern | random | noisy (ξ¹ with --flip-fraction of spins flipped) | plefka (dense: sampled from the Plefka fixed point).")
    var initialState: InitialStateName = .pattern

    @Option(parsing: .unconditional, help: "Fraction of ξ¹'s spins flipped by --init noisy, in [0, 1].",
            transform: Parse.double("--flip-fraction", allowed: "a number in [0, 1]"))
    var flipFraction: Double?

    @Option(parsing: .unconditional, help: "Master seed of every random stream.", transform: Parse.seed)
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Threads for independent samples (≥ 1; default: all cores). Never changes a number.",
            transform: Parse.integer("--threads", allowed: "an integer ≥ 1"))
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(parsing: .unconditional, help: "Also write the JSON record to this file (atomically).")
    var output: String?

    @Option(parsing: .unconditional, help: "stdout format: text | json | csv.")
    var format: OutputFormat = .text

    /// The run's parameters from the flags, with every range checked.
    func parameters() throws(ParameterError) -> MonteCarloParameters {
        guard neurons >= 2, neurons <= MonteCarloParameters.maximumNeurons else {
            throw ParameterError("--neurons", allowed: "an integer in [2, \(MonteCarloParameters.maximumNeurons)]", given: "\(neurons)")
        }
        let dense = try denseSettings()
        let bodyOrder = dense?.order ?? 2
        let patternCount: Int
        if archetypes != nil, patterns != nil {
            throw ParameterError("--archetypes", allowed: "given without --patterns (they set the same K)", given: "both")
        }
        switch (alpha, patterns ?? archetypes) {
        case (.some, .some):
            throw ParameterError("--alpha", allowed: "given without --patterns or --archetypes (they set the same number)", given: "both")
        case (.some(let a), nil):
            guard a > 0 else { throw ParameterError("--alpha", allowed: "a number > 0", given: "\(a)") }
            let scale = pow(Double(neurons), Double(bodyOrder - 1))
            let p = (a * scale).rounded()
            guard p >= 1 else {
                throw ParameterError("--alpha", allowed: "≥ 1/(2N^{P−1}) = \(0.5 / scale) so that round(αN^{P−1}) ≥ 1", given: "\(a)")
            }
            guard p <= Double(Int32.max) else {
                throw ParameterError("--alpha", allowed: "such that αN^{P−1} < 2^31", given: "\(a)")
            }
            patternCount = Int(p)
        case (nil, .some(let p)):
            patternCount = p
        case (nil, nil):
            patternCount = max(1, Int(((dense != nil ? 0.05 : 0.1) * pow(Double(neurons), Double(bodyOrder - 1))).rounded()))
        }
        if flipFraction != nil, initialState != .noisy {
            throw ParameterError("--flip-fraction", allowed: "used only with --init noisy", given: "--init \(initialState.rawValue)")
        }
        let start: InitialState = switch initialState {
        case .pattern: .pattern
        case .random: .random
        case .noisy: .noisy(flipFraction: flipFraction ?? 0.1)
        case .plefka: .plefka
        }
        let chosenDynamics = dynamics ?? (temperature == 0 ? .zeroTemperature : .heatBath)
        switch (model, dilution) {
        case (.classical, .some):
            throw ParameterError("--dilution", allowed: "used only with --model multitasking", given: "--model classical")
        case (.multitasking, nil):
            throw ParameterError("--dilution", allowed: "a number in (0, 1), required by --model multitasking", given: "none")
        case (.multitasking, .some(let d)) where !(d > 0 && d < 1):
            throw ParameterError("--dilution", allowed: "a number in (0, 1)", given: "\(d)")
        default: break
        }
        var p = MonteCarloParameters(
            neurons: neurons, patterns: patternCount, temperature: temperature, dynamics: chosenDynamics,
            order: order, thermalization: thermalization, sweeps: sweeps, measureEvery: measureEvery,
            samples: samples, replicas: replicas, initialState: start, seed: seed)
        p.dilution = dilution ?? 0
        p.dense = dense
        if engine == .plefka, dense == nil {
            throw ParameterError("--engine", allowed: "exact unless --model dense", given: "plefka")
        }
        if engine == .plefka, !(plefkaOrder == 1 || plefkaOrder == 2) {
            throw ParameterError("--plefka-order", allowed: "1 or 2", given: "\(plefkaOrder)")
        }
        try p.validate()
        guard threads >= 1 else { throw ParameterError("--threads", allowed: "an integer ≥ 1", given: "\(threads)") }
        return p
    }

    /// The dense settings from --p, --hamiltonian and the training flags (nil for pairwise models).
    func denseSettings() throws(ParameterError) -> DenseSettings? {
        let trainingGiven = examples != nil || quality != nil || learning != nil
        if model == .multitasking, trainingGiven {
            // Pairwise Hebbian couplings from examples of diluted archetypes: the dense engine at P = 2.
            if interactionOrder != nil { throw ParameterError("--p", allowed: "used only with --model dense", given: "--model multitasking") }
            if hamiltonian != nil { throw ParameterError("--hamiltonian", allowed: "used only with --model dense", given: "--model multitasking") }
            return DenseSettings(order: 2, hamiltonian: .gardner, training: try trainingSet())
        }
        guard model == .dense else {
            if interactionOrder != nil { throw ParameterError("--p", allowed: "used only with --model dense", given: "--model \(model.rawValue)") }
            if hamiltonian != nil { throw ParameterError("--hamiltonian", allowed: "used only with --model dense", given: "--model \(model.rawValue)") }
            if trainingGiven || archetypes != nil {
                throw ParameterError("--examples/--quality/--protocol/--archetypes", allowed: "used only with --model dense or multitasking", given: "--model \(model.rawValue)")
            }
            return nil
        }
        guard let order = interactionOrder else {
            throw ParameterError("--p", allowed: "an integer in [2, \(DenseSettings.maximumOrder)], required by --model dense", given: "none")
        }
        let training = trainingGiven ? try trainingSet() : nil
        let settings = DenseSettings(order: order, hamiltonian: hamiltonian ?? .gardner, training: training)
        try settings.validate()
        return settings
    }

    /// --examples M --quality r --protocol supervised|unsupervised, all three required.
    func trainingSet() throws(ParameterError) -> TrainingSet {
        guard let m = examples else { throw ParameterError("--examples", allowed: "an integer in [1, 32767] (training needs --examples, --quality, --protocol)", given: "none") }
        guard let r = quality else { throw ParameterError("--quality", allowed: "a number in (0, 1] (training needs --examples, --quality, --protocol)", given: "none") }
        guard let l = learning else { throw ParameterError("--protocol", allowed: "supervised or unsupervised (training needs --examples, --quality, --protocol)", given: "none") }
        let t = TrainingSet(examples: m, quality: r, learning: l)
        try t.validate()
        return t
    }

    func validate() throws {
        do { _ = try parameters() } catch { throw error.validationError }
    }

    func run() throws {
        let parameters = try parameters()
        if let output { try AtomicFile.checkWritable(output) }
        if engine == .plefka { return try runPlefka(parameters) }
        let progress = TerminalProgress(label: "hopsim mc")
        let start = DispatchTime.now().uptimeNanoseconds
        let report: ClassicalMonteCarlo.Progress? = progress.enabled ? { @Sendable fraction in progress.report(fraction) } : nil
        let result = try ClassicalMonteCarlo.run(parameters, threads: threads, progress: report)
        progress.finish()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        let record = MonteCarloRecord(result: result, threads: threads, wallSeconds: wall)
        if let output {
            var data = try RecordCoding.encoder(pretty: true).encode(record)
            data.append(0x0A)
            try AtomicFile.write(data, to: output)
        }
        switch format {
        case .json: print(try record.jsonLine())
        case .csv: print(MonteCarloTable.csv(record), terminator: "")
        case .text: print(MonteCarloTable.text(record), terminator: "")
        }
    }
}

extension MonteCarloCommand {
    /// `--engine plefka`: the deterministic Plefka fixed point per sample, its record, and the
    /// approximation it rests on. Exit status 2 when a sample did not converge.
    func runPlefka(_ parameters: MonteCarloParameters) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try PlefkaRun.run(parameters, order: plefkaOrder == 1 ? .first : .second, damping: damping,
                                       threads: threads)
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        let record = PlefkaRecord(result: result, threads: threads, wallSeconds: wall)
        if let output {
            var data = try RecordCoding.encoder(pretty: true).encode(record)
            data.append(0x0A)
            try AtomicFile.write(data, to: output)
        }
        switch format {
        case .json: print(try record.jsonLine())
        case .csv: print(MonteCarloTable.plefkaCSV(record), terminator: "")
        case .text: print(MonteCarloTable.plefkaText(record), terminator: "")
        }
        if !record.approximation.allConverged { throw ExitCode(2) }
    }
}
