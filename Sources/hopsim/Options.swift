import ArgumentParser
import Foundation
import HopfieldKit

/// `--model` of `hopsim mc`: the network families.
enum MonteCarloModel: String, CaseIterable, ExpressibleByArgument {
    case classical, multitasking, dense, exponential
}

extension ExponentialInteraction: ExpressibleByArgument {}

/// `--threads`: threads for independent work (samples, rows, points); never changes a number.
struct ThreadOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Threads (≥ 1; default: all cores). Never changes a number.",
            transform: Parse.integer(Limits.threads))
    var threads = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        do { try Limits.threads.check(threads) } catch { throw error.validationError }
    }
}

/// The network family of `hopsim mc` (and its training set): --model, --p, --hamiltonian,
/// --dilution, --examples, --quality, --protocol.
struct FamilyOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Model: classical (binary patterns) | multitasking (diluted patterns, needs --dilution) | dense (P-body, needs --p) | exponential (K = e^{αN} patterns, --interaction, --lambda).")
    var model: MonteCarloModel = .classical

    @Option(name: .customLong("p"), parsing: .unconditional, help: "Interaction order P of --model dense, \(Limits.interactionOrder.allowed) (P = 2: a pairwise network run by the dense engine; the theory commands take P ≥ 3, and --model classical for P = 2).",
            transform: Parse.integer(Limits.interactionOrder))
    var interactionOrder: Int?

    @Option(parsing: .unconditional, help: "Dense Hamiltonian: gardner (distinct indices) | krotov (all tuples).")
    var hamiltonian: DenseHamiltonian?

    @Option(parsing: .unconditional, help: "Dilution d ∈ (0, 1) of the multitasking model's patterns: P(ξ = 0) = d.",
            transform: Parse.double(Limits.dilution))
    var dilution: Double?

    @Option(parsing: .unconditional, help: "Trained networks: examples per archetype M, \(Limits.examples.allowed).",
            transform: Parse.integer(Limits.examples))
    var examples: Int?

    @Option(parsing: .unconditional, help: "Trained networks: example quality r ∈ (0, 1], P(χ = +1) = (1 + r)/2.",
            transform: Parse.double(Limits.quality))
    var quality: Double?

    @Option(name: .customLong("protocol"), parsing: .unconditional, help: "Trained networks: supervised | unsupervised.")
    var learning: LearningProtocol?

    @Option(parsing: .unconditional, help: "Exponential networks: exp (H = −Σ_μ e^{λNm_μ}, Demircigil et al.) | lse (H = −(1/λ) ln Σ_μ e^{λNm_μ}, log-sum-exp; default).")
    var interaction: ExponentialInteraction?

    @Option(parsing: .unconditional, help: "Exponential networks: inverse width λ of the exponential, \(ExponentialSettings.lambdaRange) (default: 1).",
            transform: Parse.double("--lambda", allowed: ExponentialSettings.lambdaRange))
    var lambda: Double?

    var trainingGiven: Bool { examples != nil || quality != nil || learning != nil }

    /// The family the flags describe, each flag checked against the model it belongs to.
    func family() throws(ParameterError) -> NetworkFamily {
        switch model {
        case .classical:
            if dilution != nil { throw ParameterError("--dilution", allowed: "used only with --model multitasking", given: "--model classical") }
            try rejectDenseFlags("classical")
            if trainingGiven {
                throw ParameterError("--examples/--quality/--protocol/--archetypes", allowed: "used only with --model dense or multitasking", given: "--model classical")
            }
            return .classical
        case .multitasking:
            try rejectDenseFlags("multitasking")
            guard let d = dilution else {
                throw ParameterError("--dilution", allowed: "a number in (0, 1), required by --model multitasking", given: "none")
            }
            try Limits.dilution.check(d)
            // Pairwise Hebbian couplings from examples of diluted archetypes.
            return .multitasking(dilution: d, training: trainingGiven ? try trainingSet() : nil)
        case .dense:
            guard let order = interactionOrder else {
                throw ParameterError("--p", allowed: "\(Limits.interactionOrder.allowed), required by --model dense", given: "none")
            }
            if let d = dilution {
                throw ParameterError("--dilution", allowed: "0 for --model dense (diluted archetypes: --model multitasking with --examples)", given: "\(d)")
            }
            try rejectExponentialFlags("dense")
            let settings = DenseSettings(order: order, hamiltonian: hamiltonian ?? .gardner, training: trainingGiven ? try trainingSet() : nil)
            try settings.validate()
            return .dense(settings)
        case .exponential:
            try rejectDenseFlags("exponential")
            if let d = dilution { throw ParameterError("--dilution", allowed: "used only with --model multitasking", given: "\(d)") }
            if trainingGiven {
                throw ParameterError("--examples/--quality/--protocol/--archetypes", allowed: "used only with --model dense or multitasking", given: "--model exponential")
            }
            let settings = ExponentialSettings(interaction: interaction ?? .lse, lambda: lambda ?? ExponentialSettings.defaultLambda)
            try settings.validate()
            return .exponential(settings)
        }
    }

    func rejectExponentialFlags(_ model: String) throws(ParameterError) {
        if interaction != nil { throw ParameterError("--interaction", allowed: "used only with --model exponential", given: "--model \(model)") }
        if lambda != nil { throw ParameterError("--lambda", allowed: "used only with --model exponential", given: "--model \(model)") }
    }

    func rejectDenseFlags(_ model: String) throws(ParameterError) {
        if model != "exponential" { try rejectExponentialFlags(model) }
        if interactionOrder != nil { throw ParameterError("--p", allowed: "used only with --model dense", given: "--model \(model)") }
        if hamiltonian != nil { throw ParameterError("--hamiltonian", allowed: "used only with --model dense", given: "--model \(model)") }
    }

    /// --examples M --quality r --protocol supervised|unsupervised, all three required.
    func trainingSet() throws(ParameterError) -> TrainingSet {
        guard let m = examples else { throw ParameterError("--examples", allowed: "\(Limits.examples.allowed) (training needs --examples, --quality, --protocol)", given: "none") }
        guard let r = quality else { throw ParameterError("--quality", allowed: "\(Limits.quality.allowed) (training needs --examples, --quality, --protocol)", given: "none") }
        guard let l = learning else { throw ParameterError("--protocol", allowed: "supervised or unsupervised (training needs --examples, --quality, --protocol)", given: "none") }
        let t = TrainingSet(examples: m, quality: r, learning: l)
        try t.validate()
        return t
    }
}

/// The Monte Carlo run's options shared by `mc` (and the defaults of `hopsim mc`).
struct MonteCarloOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Temperature T, \(Limits.temperature.allowed); 0 selects zero-temperature dynamics.",
            transform: Parse.double(Limits.temperature))
    var temperature = 0.1

    @Option(parsing: .unconditional, help: "heat-bath | metropolis | zero-temperature (default: heat-bath, or zero-temperature at T = 0).")
    var dynamics: Dynamics?

    @Option(parsing: .unconditional, help: "Update order within a sweep: sequential | random.")
    var order: UpdateOrder = .sequential

    @Option(parsing: .unconditional, help: "Sweeps discarded before measuring, \(Limits.thermalization.allowed) (default: \(MonteCarloDefaults.thermalization)).",
            transform: Parse.integer(Limits.thermalization))
    var thermalization = MonteCarloDefaults.thermalization

    @Option(parsing: .unconditional, help: "Measured sweeps, \(Limits.sweeps.allowed) (default: \(MonteCarloDefaults.sweeps)).", transform: Parse.integer(Limits.sweeps))
    var sweeps = MonteCarloDefaults.sweeps

    @Option(parsing: .unconditional, help: "Measure every this many sweeps, 1 to --sweeps (default: 1).",
            transform: Parse.integer(Limits.measureEvery(sweeps: Int.max)))
    var measureEvery = 1

    @Option(parsing: .unconditional, help: "Independent pattern realisations (disorder samples), \(Limits.samples.allowed) (default: \(MonteCarloDefaults.samples)).",
            transform: Parse.integer(Limits.samples))
    var samples = MonteCarloDefaults.samples

    @Option(parsing: .unconditional, help: "Replicas per sample, \(Limits.replicas.allowed) (default: \(MonteCarloDefaults.replicas)); ≥ 2 gives the spin-glass overlap q and r.",
            transform: Parse.integer(Limits.replicas))
    var replicas = MonteCarloDefaults.replicas

    @Option(name: .customLong("init"), help: "Initial state: pattern | random | noisy (ξ¹ with --flip-fraction of spins flipped) | plefka (spins drawn from the family's second-order Plefka fixed point reached from ξ¹).")
    var initialState: InitialStateName = .pattern

    @Option(parsing: .unconditional, help: "Fraction of ξ¹'s spins flipped by --init noisy, in [0, 1] (default: 0.1).",
            transform: Parse.double(Limits.flipFraction))
    var flipFraction: Double?

    @Option(parsing: .unconditional, help: "Master seed of every random stream.", transform: Parse.seed)
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "How ±1 patterns (pairwise engine) and ±1 couplings (dense engine) are stored: auto | int8 | packed (one bit per entry; the same numbers, less memory traffic). auto: packed where measured faster (AVX-512: P ≥ 80, dense coupling rows ≥ 8 MiB; AVX2: N·P ≥ 8 MiB).")
    var patternLayout: PatternLayout = .auto

    /// The initial state from --init and --flip-fraction.
    func start() throws(ParameterError) -> InitialState {
        if flipFraction != nil, initialState != .noisy {
            throw ParameterError("--flip-fraction", allowed: "used only with --init noisy", given: "--init \(initialState.rawValue)")
        }
        return switch initialState {
        case .pattern: .pattern
        case .random: .random
        case .noisy: .noisy(flipFraction: flipFraction ?? 0.1)
        case .plefka: .plefka
        }
    }
}

/// Root-finder and quadrature settings of the theory commands; each command states its defaults.
struct SolverOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Residual tolerance max|F| of an accepted root, \(Limits.tolerance.allowed) (default 1e-12; rsb-solve 1e-11).",
            transform: Parse.double(Limits.tolerance))
    var tolerance: Double?
    @Option(parsing: .unconditional, help: "Iterations of the root finder, \(Limits.maxIterations.allowed).",
            transform: Parse.integer(Limits.maxIterations))
    var maxIterations = 200

    func settings(defaultTolerance: Double = 1e-12) throws(ParameterError) -> SolverSettings {
        let s = SolverSettings(tolerance: tolerance ?? defaultTolerance, maxIterations: maxIterations)
        try s.validate()
        return s
    }
}
