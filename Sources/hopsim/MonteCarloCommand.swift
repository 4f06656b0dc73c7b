import ArgumentParser
import Foundation
import HopfieldKit

/// `hopsim mc`: Monte Carlo of the classical Hopfield network.
/// The Monte Carlo models.
enum MonteCarloModel: String, CaseIterable, ExpressibleByArgument {
    case classical, multitasking
}

struct MonteCarloCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mc",
        abstract: "Monte Carlo of the classical Hopfield network (pairwise Hebbian couplings).",
        discussion: """
            Stores P = αN random ±1 patterns in J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ (i ≠ j), runs single-spin \
            dynamics and reports, averaged over replicas, time and pattern samples: the overlap m with \
            the condensed pattern ξ¹, the crosstalk overlaps with the others, the spin-glass overlap q \
            (replicas ≥ 2), AGS's r and the energy per neuron. Each observable carries its mean, the \
            thermal error from binning, the integrated autocorrelation time (sweeps) and the spread \
            across samples, reported apart.
            """)

    @Option(parsing: .unconditional, help: "Model: classical (binary patterns) | multitasking (diluted patterns, needs --dilution).")
    var model: MonteCarloModel = .classical

    @Option(parsing: .unconditional, help: "Dilution d ∈ (0, 1) of the multitasking model's patterns: P(ξ = 0) = d.",
            transform: Parse.double("--dilution", allowed: "a number in (0, 1)"))
    var dilution: Double?

    @Option(parsing: .unconditional, help: "Load α = P/N, > 0 (P = round(αN)); default 0.1 unless --patterns is given.",
            transform: Parse.double("--alpha", allowed: "a number > 0"))
    var alpha: Double?

    @Option(parsing: .unconditional, help: "Number of stored patterns P ≥ 1 (instead of --alpha).",
            transform: Parse.integer("--patterns", allowed: "an integer ≥ 1"))
    var patterns: Int?

    @Option(parsing: .unconditional, help: "Number of neurons N ≥ 2.", transform: Parse.integer("--neurons", allowed: "an integer ≥ 2"))
    var neurons = 2000

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

    @Option(name: .customLong("init"), help: "Initial state: pattern | random | noisy (ξ¹ with --flip-fraction of spins flipped).")
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
        let patternCount: Int
        switch (alpha, patterns) {
        case (.some, .some):
            throw ParameterError("--alpha", allowed: "given without --patterns (they set the same P)", given: "both")
        case (.some(let a), nil):
            guard a > 0 else { throw ParameterError("--alpha", allowed: "a number > 0", given: "\(a)") }
            let p = (a * Double(neurons)).rounded()
            guard p >= 1 else {
                throw ParameterError("--alpha", allowed: "≥ 1/(2N) = \(0.5 / Double(neurons)) so that P = round(αN) ≥ 1", given: "\(a)")
            }
            guard p <= Double(Int32.max) else {
                throw ParameterError("--alpha", allowed: "such that αN < 2^31", given: "\(a)")
            }
            patternCount = Int(p)
        case (nil, .some(let p)):
            patternCount = p
        case (nil, nil):
            patternCount = max(1, Int((0.1 * Double(neurons)).rounded()))
        }
        if flipFraction != nil, initialState != .noisy {
            throw ParameterError("--flip-fraction", allowed: "used only with --init noisy", given: "--init \(initialState.rawValue)")
        }
        let start: InitialState = switch initialState {
        case .pattern: .pattern
        case .random: .random
        case .noisy: .noisy(flipFraction: flipFraction ?? 0.1)
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
        try p.validate()
        guard threads >= 1 else { throw ParameterError("--threads", allowed: "an integer ≥ 1", given: "\(threads)") }
        return p
    }

    func validate() throws {
        do { _ = try parameters() } catch { throw error.validationError }
    }

    func run() throws {
        let parameters = try parameters()
        if let output { try AtomicFile.checkWritable(output) }
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
