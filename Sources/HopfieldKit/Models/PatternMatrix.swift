/// P patterns ξ^μ ∈ {−1, +1}^N stored neuron-major: row i holds (ξ_i^1, …, ξ_i^P) contiguously,
/// because the local field of neuron i, Σ_μ ξ_i^μ M_μ, reads exactly that row.
///
/// Entries are `Int8` (one byte each, N·P bytes in all). Value semantics: copies share storage until
/// written, so all replicas of a disorder sample read the same bytes.
public struct PatternMatrix: Sendable, Equatable {
    public let neurons: Int
    public let patterns: Int
    /// ξ_i^μ at `entries[i * patterns + μ]` (μ counted from 0: μ = 0 is the condensed pattern ξ¹).
    public let entries: [Int8]

    /// - Precondition: `entries.count == neurons * patterns`, every entry −1 or +1.
    public init(neurons: Int, patterns: Int, entries: [Int8]) {
        precondition(neurons >= 1 && patterns >= 1 && entries.count == neurons * patterns)
        precondition(entries.allSatisfy { $0 == 1 || $0 == -1 }, "binary patterns take values ±1")
        self.neurons = neurons
        self.patterns = patterns
        self.entries = entries
    }

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
        return PatternMatrix(uncheckedNeurons: neurons, patterns: patterns, entries: entries)
    }

    private init(uncheckedNeurons neurons: Int, patterns: Int, entries: [Int8]) {
        self.neurons = neurons
        self.patterns = patterns
        self.entries = entries
    }

    /// ξ^μ as a vector of N entries.
    public func pattern(_ mu: Int) -> [Int8] {
        precondition(mu >= 0 && mu < patterns)
        return (0..<neurons).map { entries[$0 * patterns + mu] }
    }

    /// ξ_i^μ.
    @inlinable public subscript(neuron i: Int, pattern mu: Int) -> Int8 { entries[i * patterns + mu] }
}
