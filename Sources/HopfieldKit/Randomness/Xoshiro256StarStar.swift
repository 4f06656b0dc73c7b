/// xoshiro256** 1.0 (Blackman & Vigna 2018): a 256-bit-state generator with period 2²⁵⁶ − 1 that
/// passes BigCrush, used for every random number in hopsim.
///
/// Streams are never seeded from the clock or the environment: a generator is made from a
/// ``StreamKey`` (master seed, point, sample, replica, purpose), whose words are expanded into the
/// state by SplitMix64, so the numbers a sample sees do not depend on which thread or shard ran it.
/// The state is a plain value and `Codable`, so a checkpoint can store and restore it exactly.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Hashable, Codable {
    /// Name and version written next to a stored state; a state of another generator is refused.
    public static let identifier = "xoshiro256**-1.0"

    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    /// Fills the state with four outputs of SplitMix64 started at `seed` (the authors' recipe),
    /// which never yields the all-zero state.
    public init(seed: UInt64) {
        var x = seed
        state = (SplitMix64.next(&x), SplitMix64.next(&x), SplitMix64.next(&x), SplitMix64.next(&x))
    }

    /// Restores a stored state. - Precondition: not all zero.
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro256** state must not be all zero")
        self.state = state
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits: (x >> 11) · 2⁻⁵³.
    @inline(__always)
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in 0..<n by Lemire's multiply-shift (bias below 2⁻³² for n < 2³²,
    /// which is far below any statistical resolution of the simulations).
    @inline(__always)
    public mutating func nextIndex(below n: Int) -> Int {
        Int(truncatingIfNeeded: ((next() >> 32) &* UInt64(truncatingIfNeeded: n)) >> 32)
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    public static func == (a: Self, b: Self) -> Bool { a.state == b.state }
    public func hash(into h: inout Hasher) {
        h.combine(state.0); h.combine(state.1); h.combine(state.2); h.combine(state.3)
    }

    private enum CodingKeys: String, CodingKey { case generator, state }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .generator)
        guard name == Self.identifier else {
            throw DecodingError.dataCorruptedError(forKey: .generator, in: c,
                debugDescription: "stored generator is '\(name)', expected '\(Self.identifier)'")
        }
        let words = try c.decode([UInt64].self, forKey: .state)
        guard words.count == 4, words != [0, 0, 0, 0] else {
            throw DecodingError.dataCorruptedError(forKey: .state, in: c,
                debugDescription: "xoshiro256** state must be four words, not all zero")
        }
        state = (words[0], words[1], words[2], words[3])
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.identifier, forKey: .generator)
        try c.encode([state.0, state.1, state.2, state.3], forKey: .state)
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a bijective 64-bit mixer, used to expand seeds and to
/// hash stream keys.
public enum SplitMix64 {
    @inline(__always)
    public static func next(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        return mix(x)
    }

    /// The finaliser z ↦ (z ⊕ z≫30)·c₁, (z ⊕ z≫27)·c₂, z ⊕ z≫31: a bijection of UInt64.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
