/// P patterns ξ^μ ∈ {−1, 0, +1}^N stored neuron-major: row i holds (ξ_i^1, …, ξ_i^P) contiguously,
/// because the local field of neuron i, Σ_μ ξ_i^μ M_μ, reads exactly that row. Binary patterns
/// (±1) are the classical model's; zeros appear in diluted patterns (multitasking networks).
///
/// Entries are `Int8` (one byte each, N·P bytes in all). Value semantics: copies share storage until
/// written, so all replicas of a disorder sample read the same bytes.
public struct PatternMatrix: Sendable, Equatable {
    public let neurons: Int
    public let patterns: Int
    /// ξ_i^μ at `entries[i * patterns + μ]` (μ counted from 0: μ = 0 is the condensed pattern ξ¹).
    public let entries: [Int8]
    /// c_i = Σ_μ (ξ_i^μ)², the self-coupling N·J_ii that the Hebbian rule would put on the diagonal
    /// (P for binary patterns); the engine removes it from every field.
    public let selfCouplings: [Int32]

    /// - Precondition: `entries.count == neurons * patterns`, every entry −1, 0 or +1.
    public init(neurons: Int, patterns: Int, entries: [Int8]) {
        precondition(neurons >= 1 && patterns >= 1 && entries.count == neurons * patterns)
        precondition(entries.allSatisfy { $0 >= -1 && $0 <= 1 }, "pattern entries take values −1, 0, +1")
        self.neurons = neurons
        self.patterns = patterns
        self.entries = entries
        self.selfCouplings = (0..<neurons).map { i in
            (0..<patterns).reduce(Int32(0)) { $0 + Int32(abs(entries[i * patterns + $1])) }
        }
    }

    /// Σ_i c_i.
    public var totalSelfCoupling: Int64 { selfCouplings.reduce(Int64(0)) { $0 + Int64($1) } }

    /// I.i.d. unbiased patterns, P(ξ_i^μ = ±1) = 1/2, drawn row by row, 64 entries per random word
    /// (bit k of a word, least significant first, gives +1 when set).
    public static func random(neurons: Int, patterns: Int, using rng: inout Xoshiro256StarStar) -> PatternMatrix {
        let count = neurons * patterns
        let entries = [Int8](unsafeUninitializedCapacity: count) { buffer, initialised in
            var k = 0
            while k < count {
                var word = rng.next()
                let chunk = min(64, count - k)
                for j in 0..<chunk {
                    buffer[k + j] = (word & 1) == 1 ? 1 : -1
                    word >>= 1
                }
                k += chunk
            }
            initialised = count
        }
        return PatternMatrix(uncheckedNeurons: neurons, patterns: patterns, entries: entries,
                             selfCouplings: [Int32](repeating: Int32(patterns), count: neurons))
    }

    /// I.i.d. diluted patterns (Agliari, Barra, Galluzzi, Guerra, Moauro, PRL 108, 268101 (2012)):
    /// P(ξ = 0) = d, P(ξ = ±1) = (1 − d)/2, one random word per entry (its top 53 bits give the
    /// uniform compared with d, its lowest bit the sign). d = 0 gives binary patterns, though not
    /// the same ones as ``random(neurons:patterns:using:)``.
    public static func diluted(neurons: Int, patterns: Int, dilution d: Double,
                               using rng: inout Xoshiro256StarStar) -> PatternMatrix {
        precondition(d >= 0 && d < 1)
        var entries = [Int8](repeating: 0, count: neurons * patterns)
        for k in 0..<entries.count {
            let word = rng.next()
            if Double(word >> 11) * 0x1.0p-53 >= d { entries[k] = (word & 1) == 1 ? 1 : -1 }
        }
        return PatternMatrix(neurons: neurons, patterns: patterns, entries: entries)
    }

    /// The pattern ensemble of a family: ``random(neurons:patterns:using:)`` for d = 0 (±1 patterns),
    /// ``diluted(neurons:patterns:dilution:using:)`` for d > 0 (multitasking networks).
    public static func draw(neurons: Int, patterns: Int, dilution d: Double,
                            using rng: inout Xoshiro256StarStar) -> PatternMatrix {
        d > 0 ? diluted(neurons: neurons, patterns: patterns, dilution: d, using: &rng)
              : random(neurons: neurons, patterns: patterns, using: &rng)
    }

    private init(uncheckedNeurons neurons: Int, patterns: Int, entries: [Int8], selfCouplings: [Int32]) {
        self.neurons = neurons
        self.patterns = patterns
        self.entries = entries
        self.selfCouplings = selfCouplings
    }

    /// ξ^μ as a vector of N entries.
    public func pattern(_ mu: Int) -> [Int8] {
        precondition(mu >= 0 && mu < patterns)
        return (0..<neurons).map { entries[$0 * patterns + mu] }
    }

    /// ξ_i^μ.
    @inlinable public subscript(neuron i: Int, pattern mu: Int) -> Int8 { entries[i * patterns + mu] }
}
