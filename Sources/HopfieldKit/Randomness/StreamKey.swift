/// The address of one random stream: which quantity of which replica of which disorder sample of
/// which grid point, under which master seed.
///
/// Derivation (recorded in every output as ``derivationScheme``):
/// ```
/// w₀ = mix(seed ⊕ c);  wₖ = mix(wₖ₋₁ ⊕ fieldₖ + c·k)   for fields (point, sample, replica, purpose)
/// stream = xoshiro256**(state from SplitMix64 started at w₄)
/// ```
/// with `mix` the SplitMix64 finaliser and c = 0x9E3779B97F4A7C15. Every field enters through a
/// bijection chained with the previous word, so distinct keys give unrelated streams, and a sample's
/// numbers are a function of its key alone: the same whatever the thread count, the shard, or the
/// order in which samples run.
public struct StreamKey: Hashable, Sendable, Codable {
    /// What a stream is used for; patterns of a sample are shared by all its replicas.
    public enum Purpose: UInt64, Sendable, Codable {
        case patterns = 1
        case initialState = 2
        case dynamics = 3
        /// The noise χ of the training examples of a dense network.
        case examples = 4
    }

    public var seed: UInt64
    public var point: UInt64
    public var sample: UInt64
    public var replica: UInt64
    public var purpose: Purpose

    public static let derivationScheme =
        "xoshiro256**-1.0 seeded by SplitMix64 from a SplitMix64 hash chain of (seed, point, sample, replica, purpose)"

    public init(seed: UInt64, point: UInt64 = 0, sample: UInt64, replica: UInt64 = 0, purpose: Purpose) {
        self.seed = seed
        self.point = point
        self.sample = sample
        self.replica = replica
        self.purpose = purpose
    }

    /// The 64-bit hash w₄ of the key (see the type's documentation).
    public var hashWord: UInt64 {
        let c: UInt64 = 0x9E37_79B9_7F4A_7C15
        var w = SplitMix64.mix(seed ^ c)
        for (k, field) in [point, sample, replica, purpose.rawValue].enumerated() {
            w = SplitMix64.mix(w ^ (field &+ c &* UInt64(k + 1)))
        }
        return w
    }

    public func generator() -> Xoshiro256StarStar { Xoshiro256StarStar(seed: hashWord) }
}
