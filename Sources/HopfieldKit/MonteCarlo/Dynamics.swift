/// The single-spin Markov dynamics. For T > 0 heat-bath and Metropolis leave the Boltzmann
/// distribution exp(−βH)/Z invariant (detailed balance per update, hence under any composition of
/// updates, sequential or random); zero-temperature dynamics is the T → 0 limit of heat-bath:
/// σ_i ← sign(h_i), keeping σ_i when h_i = 0. It descends H to a local minimum and does not sample.
public enum Dynamics: String, CaseIterable, Sendable, Codable {
    /// Glauber heat bath: σ_i = +1 with probability 1 / (1 + e^{−2βh_i}).
    case heatBath = "heat-bath"
    /// Metropolis: flip with probability min(1, e^{−βΔH}), ΔH = 2σ_i h_i.
    case metropolis
    /// σ_i ← sign(h_i); ties keep the current spin.
    case zeroTemperature = "zero-temperature"
}

/// Which neuron is updated at each step of a sweep of N steps.
public enum UpdateOrder: String, CaseIterable, Sendable, Codable {
    /// i = 0, 1, …, N − 1.
    case sequential
    /// i uniform in 0..<N at every step (N steps per sweep).
    case random
}

/// The state a replica starts from.
public enum InitialState: Sendable, Equatable, Codable {
    /// σ = ξ¹, the condensed pattern (where ξ_i¹ = 0 in a diluted pattern, σ_i = ±1 at random).
    case pattern
    /// σ_i = ±1 with probability ½ each.
    case random
    /// σ_i = ξ_i¹, flipped independently with probability `flipFraction`.
    case noisy(flipFraction: Double)
    /// Spins drawn independently with P(σ_i = +1) = (1 + m_i)/2 from the family's second-order
    /// Plefka (TAP) fixed point reached from ξ¹ (``PairwiseTAP``, ``PlefkaEngine``): a quick
    /// thermalisation before exact Monte Carlo.
    case plefka

    /// Whether the run starts in (or near) pattern 1, so that its theory is the retrieval state of
    /// pattern 1 (as ``Comparison`` chooses: `pattern` and `noisy`).
    public var startsInPattern: Bool {
        switch self {
        case .pattern, .noisy: true
        case .random, .plefka: false
        }
    }

    public var name: String {
        switch self {
        case .pattern: "pattern"
        case .random: "random"
        case .noisy: "noisy"
        case .plefka: "plefka"
        }
    }

    /// The starting configuration for pattern ξ¹ = `condensed`, drawn from `rng` where random.
    public func configuration(condensed: [Int8], using rng: inout Xoshiro256StarStar) -> [Int8] {
        switch self {
        case .pattern:
            return condensed.contains(0) ? condensed.map { $0 != 0 ? $0 : ((rng.next() >> 63) == 1 ? 1 : -1) } : condensed
        case .random:
            return condensed.map { _ in (rng.next() >> 63) == 1 ? 1 : -1 }
        case .noisy(let f):
            let start = InitialState.pattern.configuration(condensed: condensed, using: &rng)
            return start.map { rng.nextUniform() < f ? -$0 : $0 }
        case .plefka:
            preconditionFailure("the Plefka start needs the network: configuration(condensed:plefka:using:)")
        }
    }

    /// The starting configuration of any `--init`: ``configuration(condensed:using:)``, and for
    /// `plefka` spins drawn with P(σ_i = +1) = (1 + m_i)/2 from the magnetisations `plefka()` returns
    /// (the family's TAP fixed point; evaluated only for that start).
    public func configuration(condensed: [Int8], plefka: () -> [Double], using rng: inout Xoshiro256StarStar) -> [Int8] {
        if case .plefka = self { return plefkaSpins(from: plefka(), using: &rng) }
        return configuration(condensed: condensed, using: &rng)
    }

    private enum CodingKeys: String, CodingKey { case kind, flipFraction }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "pattern": self = .pattern
        case "random": self = .random
        case "noisy": self = .noisy(flipFraction: try c.decode(Double.self, forKey: .flipFraction))
        case "plefka": self = .plefka
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c,
                debugDescription: "unknown initial state '\(other)'")
        }
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .kind)
        if case .noisy(let f) = self { try c.encode(f, forKey: .flipFraction) }
    }
}
