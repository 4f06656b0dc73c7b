import Foundation

/// The quenched part of an exponential network (docs/physics.md §5): K i.i.d. ±1 patterns of N
/// neurons (``PatternMatrix``, neuron-major rows) and the interaction (``ExponentialSettings``).
public struct ExponentialNetwork: Sendable {
    public let settings: ExponentialSettings
    public let patterns: PatternMatrix
    /// e^{λk} at `weightTable[k + 2N]` for k = −2N … 2N: the weight of a pattern whose M_μ lies k
    /// above the reference (``ExponentialReplica``), read instead of recomputed so that weights
    /// are exact functions of the integer M_μ (no drift). Entries with λk < −700 are 0 (they are
    /// below 10⁻³⁰⁴ of the largest weight, which is ≥ e^{−λR}, and would be slow subnormals).
    let weightTable: [Double]
    /// 1 − e^{−2λ} and e^{2λ} − 1: what a flip takes from the agreeing weights and adds to the
    /// disagreeing ones (``ExponentialReplica/flipEnergy(_:)``), computed once.
    let lostFactor: Double, gainedFactor: Double

    public var neurons: Int { patterns.neurons }
    public var count: Int { patterns.patterns }
    public var lambda: Double { settings.lambda }

    public init(settings: ExponentialSettings, patterns: PatternMatrix) {
        precondition(patterns.entries.allSatisfy { $0 == 1 || $0 == -1 }, "exponential networks store ±1 patterns")
        self.settings = settings
        self.patterns = patterns
        let n = patterns.neurons, lambda = settings.lambda
        lostFactor = -expm1(-2 * lambda)
        gainedFactor = expm1(2 * lambda)
        weightTable = (0...(4 * n)).map { j in
            let x = lambda * Double(j - 2 * n)
            return x < -700 ? 0 : min(exp(x), .greatestFiniteMagnitude)
        }
    }

    /// The network of disorder sample s: the patterns from stream (seed, point, s, 0, patterns),
    /// drawn as for the classical family (``MonteCarloRun/patterns(for:sample:)``).
    public static func make(_ p: MonteCarloParameters, _ settings: ExponentialSettings, sample s: Int) -> ExponentialNetwork {
        ExponentialNetwork(settings: settings, patterns: MonteCarloRun.patterns(for: p, sample: s))
    }

    /// M_μ = Σ_i ξ_i^μ σ_i for every pattern, recomputed (the classical engine's recomputation).
    public func overlapSums(_ spins: [Int8]) -> [Int32] {
        ClassicalHebbianReplica<Int32>.recomputedOverlapSums(patterns: patterns, spins: spins)
    }

    /// H(σ), evaluated directly from the overlaps (the reference of the tests): for `lse`
    /// −(1/λ)[λ M_max + ln Σ_μ e^{λ(M_μ − M_max)}] (no overflow); for `exp` −Σ_μ e^{λ M_μ}.
    public func energy(_ spins: [Int8]) -> Double {
        let sums = overlapSums(spins)
        let top = Double(sums.max()!)
        let shifted = sums.reduce(0.0) { $0 + exp(lambda * (Double($1) - top)) }
        switch settings.interaction {
        case .lse: return -(lambda * top + log(shifted)) / lambda
        case .exp: return -exp(lambda * top) * shifted
        }
    }

    /// Bytes of one sample: the Int8 patterns (N·K), the weight table, and per replica the overlap
    /// sums (Int32) and weights (Double) of the K patterns.
    public static func estimatedBytes(neurons: Int, patterns: Int, replicas: Int) -> Double {
        Double(neurons) * Double(patterns) + 8 * Double(4 * neurons + 1) + Double(replicas) * Double(patterns) * 12
    }
}
