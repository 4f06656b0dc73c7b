import Foundation

/// Everything that determines a classical Hopfield Monte Carlo run, and so its numbers.
/// (`threads` is not here: it changes the wall time only, never a number.)
/// The defaults of a Monte Carlo run, shared by `hopsim mc` and grid specs' `mc:` section.
public enum MonteCarloDefaults {
    /// N for the pairwise families (classical, multitasking).
    public static let neurons = 2000
    /// N for dense P-body networks (K = αN^{P−1} patterns grow fast).
    public static let denseNeurons = 200
    public static let thermalization = 200
    public static let sweeps = 1000
    public static let samples = 8
    public static let replicas = 2
}

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
    /// The network family (``NetworkFamily``): pairwise ±1 patterns, diluted patterns, or P-body
    /// couplings, each possibly trained on examples. `patterns` counts its stored patterns
    /// (archetypes), at load α = P/N^{P−1}.
    public var family: NetworkFamily = .classical
    /// How the pairwise engine stores ±1 patterns (``PatternLayout``). It changes no number, so it is
    /// not part of the parameters on disk; the records' provenance names the kernels' instruction set.
    public var patternLayout: PatternLayout = .auto

    /// Equal parameters give equal numbers: the pattern layout is left out (it changes no number and
    /// is not written to disk, so a checkpoint or point file matches whatever layout resumes it).
    public static func == (a: Self, b: Self) -> Bool {
        a.neurons == b.neurons && a.patterns == b.patterns && a.temperature == b.temperature && a.dynamics == b.dynamics
            && a.order == b.order && a.thermalization == b.thermalization && a.sweeps == b.sweeps
            && a.measureEvery == b.measureEvery && a.samples == b.samples && a.replicas == b.replicas
            && a.initialState == b.initialState && a.seed == b.seed && a.point == b.point && a.family == b.family
    }

    /// The family's name, as written to every record.
    public var model: String { family.name }

    public init(neurons: Int = 2000, patterns: Int = 200, temperature: Double = 0.1,
                dynamics: Dynamics = .heatBath, order: UpdateOrder = .sequential,
                thermalization: Int = 200, sweeps: Int = 1000, measureEvery: Int = 1,
                samples: Int = 8, replicas: Int = 2, initialState: InitialState = .pattern,
                seed: UInt64 = 1, point: UInt64 = 0, family: NetworkFamily = .classical,
                patternLayout: PatternLayout = .auto) {
        self.neurons = neurons; self.patterns = patterns; self.temperature = temperature
        self.dynamics = dynamics; self.order = order; self.thermalization = thermalization
        self.sweeps = sweeps; self.measureEvery = measureEvery; self.samples = samples
        self.replicas = replicas; self.initialState = initialState; self.seed = seed; self.point = point
        self.family = family; self.patternLayout = patternLayout
    }

    /// α = P/N^{P−1} (P = 2 for the pairwise families).
    public var alpha: Double { family.alpha(patterns: patterns, neurons: neurons) }

    /// The network in one line of text, as the text tables print it.
    public var networkDescription: String { family.contract.describe(self) }

    /// A number as the text tables print it (Swift's shortest exact form).
    static func g(_ x: Double) -> String { "\(x)" }

    /// Whether the run's field reads bit-packed ±1 rows (the layout ``patternLayout`` resolves to
    /// for this family and size, on this build's kernels).
    public var packedRows: Bool { family.contract.packsRows(self) }

    /// Pattern dilution d of the family (0 unless multitasking).
    public var dilution: Double { family.dilution }

    /// β = 1/T (∞ at T = 0).
    public var beta: Double { 1 / temperature }
    public var measurements: Int { sweeps / measureEvery }

    /// Checks every range (``Limits``), then the family's own checks (``FamilyContract/validate(_:)``)
    /// and the memory of one sample (``FamilyContract/estimatedBytes(_:)``, at most half of this
    /// machine's); the error names the first offending parameter.
    public func validate() throws(ParameterError) {
        try Limits.neurons.check(neurons)
        guard patterns >= 1 else {
            throw ParameterError("--patterns", allowed: "an integer ≥ 1 (or --alpha with αN ≥ 0.5)", given: "\(patterns)", key: .patterns)
        }
        try Limits.temperature.check(temperature)
        if temperature == 0, dynamics != .zeroTemperature {
            throw ParameterError("--dynamics", allowed: "zero-temperature when --temperature is 0", given: dynamics.rawValue)
        }
        if dynamics == .zeroTemperature, temperature != 0 {
            throw ParameterError("--temperature", allowed: "0 with --dynamics zero-temperature", given: "\(temperature)", key: .temperature)
        }
        try Limits.thermalization.check(thermalization)
        try Limits.sweeps.check(sweeps)
        try Limits.measureEvery(sweeps: sweeps).check(measureEvery)
        try Limits.samples.check(samples)
        try Limits.replicas.check(replicas)
        if case .noisy(let f) = initialState { try Limits.flipFraction.check(f) }
        if case .plefka = initialState, temperature == 0 {
            throw ParameterError("--init", allowed: "pattern, random or noisy at T = 0 (plefka needs T > 0: the expansion is in β)", given: "plefka")
        }
        try family.contract.validate(self)
        // Memory of one disorder sample, estimated before anything is allocated.
        let bytes = family.contract.estimatedBytes(self)
        let available = Double(ProcessInfo.processInfo.physicalMemory) / 2
        guard bytes <= available else {
            throw ParameterError("--patterns", allowed: "such that the network fits in memory (needs \(Self.gigabytes(bytes)) per sample, half of this machine's memory is \(Self.gigabytes(available)))", given: "\(patterns) patterns with N = \(neurons)" + (family.interactionOrder > 0 ? ", P = \(family.interactionOrder)" : " (\(family.name))"), key: .patterns)
        }
    }
}

extension MonteCarloParameters {
    static func gigabytes(_ bytes: Double) -> String { String(format: "%.3g GB", bytes / 1e9) }
}

extension MonteCarloParameters {
    /// Neuron·pattern operations of the whole run: the family's operations per sweep ×
    /// (thermalization + sweeps) × samples × replicas (what estimates of its time scale with).
    var operations: Double {
        family.contract.operationsPerSweep(self) * Double(thermalization + sweeps) * Double(samples * replicas)
    }

    /// This run shortened to about `seconds` of work at `rate` operations per second per sample (at
    /// least 2 sweeps, at most its own), with `samples` samples, and its thermalisation and measured
    /// sweeps in its own proportion (measuring costs more): a probe of the speed a run like it gets.
    func probe(seconds: Double, rate: Double, samples: Int) -> MonteCarloParameters {
        var probe = self
        let perSweep = family.contract.operationsPerSweep(self) * Double(replicas)
        let total = thermalization + sweeps
        let length = max(2, min(total, Int(seconds * rate / max(perSweep, 1))))
        probe.samples = samples
        probe.thermalization = min(length - 1, Int((Double(length) * Double(thermalization) / Double(max(total, 1))).rounded()))
        probe.sweeps = length - probe.thermalization
        probe.measureEvery = 1
        return probe
    }
}
