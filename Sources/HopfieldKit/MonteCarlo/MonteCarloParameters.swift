import Foundation

/// Everything that determines a classical Hopfield Monte Carlo run, and so its numbers.
/// (`threads` is not here: it changes the wall time only, never a number.)
public struct MonteCarloParameters: Sendable, Equatable, Codable {
    /// Neurons N.
    public var neurons: Int
    /// Stored patterns P (the load is α = P/N).
    public var patterns: Int
    /// Temperature T = 1/β ≥ 0; T = 0 requires zero-temperature dynamics.
    public var temperature: Double
    public var dynamics: Dynamics
    public var order: UpdateOrder
    /// Sweeps discarded before measuring.
    public var thermalization: Int
    /// Sweeps measured (one measurement every `measureEvery` sweeps).
    public var sweeps: Int
    public var measureEvery: Int
    /// Independent pattern realisations (disorder samples).
    public var samples: Int
    /// Replicas per sample: independent dynamics on the same patterns (≥ 2 gives q and r).
    public var replicas: Int
    public var initialState: InitialState
    /// Master seed of every random stream (see ``StreamKey``).
    public var seed: UInt64
    /// Index of the grid point this run belongs to (0 for a single run); enters the stream keys.
    public var point: UInt64
    /// Pattern dilution d ∈ [0, 1): P(ξ = 0) = d. 0 is the classical model with binary patterns;
    /// d > 0 the multitasking network (physics.md §3), with its own pattern stream recipe.
    public var dilution: Double = 0
    /// Dense P-body network (physics.md §2), nil for the pairwise models. Then `patterns` is the
    /// number K of archetypes and the load is α = K/N^{P−1}.
    public var dense: DenseSettings? = nil

    /// "classical" (binary patterns), "multitasking" (diluted patterns) or "dense" (P-body).
    /// A pairwise (P = 2) network trained on examples of diluted archetypes is "multitasking".
    public var model: String {
        if let dense { return dense.order == 2 && dilution > 0 ? "multitasking" : "dense" }
        return dilution > 0 ? "multitasking" : "classical"
    }

    public init(neurons: Int = 2000, patterns: Int = 200, temperature: Double = 0.1,
                dynamics: Dynamics = .heatBath, order: UpdateOrder = .sequential,
                thermalization: Int = 200, sweeps: Int = 1000, measureEvery: Int = 1,
                samples: Int = 8, replicas: Int = 2, initialState: InitialState = .pattern,
                seed: UInt64 = 1, point: UInt64 = 0) {
        self.neurons = neurons; self.patterns = patterns; self.temperature = temperature
        self.dynamics = dynamics; self.order = order; self.thermalization = thermalization
        self.sweeps = sweeps; self.measureEvery = measureEvery; self.samples = samples
        self.replicas = replicas; self.initialState = initialState; self.seed = seed; self.point = point
    }

    /// α = P/N (pairwise), K/N^{P−1} (dense).
    public var alpha: Double {
        Double(patterns) / pow(Double(neurons), Double((dense?.order ?? 2) - 1))
    }

    /// The number of patterns for load α: round(αN^{P−1}) (P = 2 for the pairwise models).
    public static func patterns(alpha: Double, neurons: Int, order: Int = 2) -> Int {
        Int((alpha * pow(Double(neurons), Double(order - 1))).rounded())
    }
    /// β = 1/T (∞ at T = 0).
    public var beta: Double { 1 / temperature }
    public var measurements: Int { sweeps / measureEvery }

    /// Largest network accepted; patterns and spins of one sample must fit in memory comfortably.
    public static let maximumNeurons = 10_000_000
    /// Bytes of patterns per sample above which a run is refused (N·P one-byte entries per sample,
    /// one sample per thread in memory at a time).
    public static let maximumPatternBytes = 8 << 30

    /// Checks every range; the error names the first offending parameter with its CLI flag.
    public func validate() throws(ParameterError) {
        guard neurons >= 2, neurons <= Self.maximumNeurons else {
            throw ParameterError("--neurons", allowed: "an integer in [2, \(Self.maximumNeurons)]", given: "\(neurons)")
        }
        guard patterns >= 1 else {
            throw ParameterError("--patterns", allowed: "an integer ≥ 1 (or --alpha with αN ≥ 0.5)", given: "\(patterns)")
        }
        if let dense {
            try dense.validate()
            if dilution != 0, dense.order != 2 || dense.training == nil {
                throw ParameterError("--dilution", allowed: "0 for --model dense (diluted archetypes: --model multitasking with --examples)", given: "\(dilution)")
            }
            let bytes = DenseNetwork.estimatedBytes(neurons: neurons, archetypes: patterns, settings: dense, replicas: replicas)
            let available = Double(ProcessInfo.processInfo.physicalMemory) / 2
            guard bytes <= available else {
                throw ParameterError("--patterns", allowed: "such that the network fits in memory (needs \(Self.gigabytes(bytes)) per sample, half of this machine's memory is \(Self.gigabytes(available)))", given: "\(patterns) archetypes with N = \(neurons), P = \(dense.order)")
            }
        } else if neurons.multipliedReportingOverflow(by: patterns).partialValue > Self.maximumPatternBytes
                    || neurons.multipliedReportingOverflow(by: patterns).overflow {
            throw ParameterError("--patterns", allowed: "such that N·P ≤ \(Self.maximumPatternBytes) bytes of patterns", given: "\(patterns) with N = \(neurons)")
        }
        guard temperature.isFinite, temperature >= 0 else {
            throw ParameterError("--temperature", allowed: "a finite number ≥ 0", given: "\(temperature)")
        }
        if temperature == 0, dynamics != .zeroTemperature {
            throw ParameterError("--dynamics", allowed: "zero-temperature when --temperature is 0", given: dynamics.rawValue)
        }
        if dynamics == .zeroTemperature, temperature != 0 {
            throw ParameterError("--temperature", allowed: "0 with --dynamics zero-temperature", given: "\(temperature)")
        }
        guard thermalization >= 0 else {
            throw ParameterError("--thermalization", allowed: "an integer ≥ 0", given: "\(thermalization)")
        }
        guard sweeps >= 1 else {
            throw ParameterError("--sweeps", allowed: "an integer ≥ 1", given: "\(sweeps)")
        }
        guard measureEvery >= 1, measureEvery <= sweeps else {
            throw ParameterError("--measure-every", allowed: "an integer in [1, --sweeps = \(sweeps)]", given: "\(measureEvery)")
        }
        guard samples >= 1 else {
            throw ParameterError("--samples", allowed: "an integer ≥ 1", given: "\(samples)")
        }
        guard replicas >= 1, replicas <= 64 else {
            throw ParameterError("--replicas", allowed: "an integer in [1, 64]", given: "\(replicas)")
        }
        guard dilution >= 0, dilution < 1 else {
            throw ParameterError("--dilution", allowed: "a number in [0, 1)", given: "\(dilution)")
        }
        if case .plefka = initialState, dense == nil {
            throw ParameterError("--init", allowed: "pattern, random or noisy for the pairwise models (plefka needs --model dense)", given: "plefka")
        }
        if case .noisy(let f) = initialState, !(f >= 0 && f <= 1) {
            throw ParameterError("--flip-fraction", allowed: "a number in [0, 1]", given: "\(f)")
        }
    }
}

extension MonteCarloParameters {
    static func gigabytes(_ bytes: Double) -> String { String(format: "%.3g GB", bytes / 1e9) }
}
