/// P binary patterns ξ^μ ∈ {−1, +1}^N stored one bit per entry (bit set ⇔ ξ_i^μ = +1), neuron-major
/// like ``PatternMatrix``: row i holds (ξ_i^1, …, ξ_i^P) in `wordsPerRow` 32-bit words, pattern μ at
/// bit μ mod 32 of word ⌊μ/32⌋, padded with zero bits to a whole number of 64-bit units.
///
/// N·P/8 bytes instead of N·P: the local field Σ_μ ξ_i^μ M_μ streams an eighth of the memory,
/// which is what bounds the Int8 kernel once the patterns leave the caches, and a network at
/// N = 10⁵ near capacity (P = 1.4·10⁴) needs 175 MB instead of 1.4 GB. The field is evaluated as
/// ```
/// Σ_μ ξ_i^μ M_μ = 2 Σ_{μ: ξ_i^μ = +1} M_μ − Σ_μ M_μ,
/// ```
/// a masked sum in which a row's word is the lane mask (``PackedKernels``).
public struct PackedPatterns: Sendable, Equatable {
    public let neurons: Int
    public let patterns: Int
    /// 32-bit words per row: ⌈P/64⌉·2.
    public let wordsPerRow: Int
    /// Row i at `words[i * wordsPerRow ..< (i + 1) * wordsPerRow]`.
    public let words: [UInt32]
    /// s_i = Σ_μ ξ_i^μ = 2·(set bits of row i) − P: the change of Σ_μ M_μ per unit change of σ_i.
    public let rowSums: [Int32]

    /// The overlap sums are padded to this length (zeros beyond P), so the kernels read whole words.
    public var paddedPatterns: Int { wordsPerRow * 32 }

    /// Bytes of the packed rows.
    public static func bytes(neurons: Int, patterns: Int) -> Int { neurons * wordsPerRow(patterns) * 4 }

    static func wordsPerRow(_ patterns: Int) -> Int { (patterns + 63) / 64 * 2 }

    /// The same patterns as ``PatternMatrix/random(neurons:patterns:using:)`` from the same stream
    /// (entry k = iP + μ is bit k mod 64 of the stream's word ⌊k/64⌋, +1 when set), packed without
    /// ever holding the Int8 matrix.
    public static func random(neurons: Int, patterns: Int, using rng: inout Xoshiro256StarStar) -> PackedPatterns {
        let perRow = wordsPerRow(patterns)
        var words = [UInt32](repeating: 0, count: neurons * perRow)
        var rowSums = [Int32](repeating: 0, count: neurons)
        // A window of two consecutive stream words holds any 32 consecutive bits of the stream.
        var low = rng.next(), high = rng.next()
        var lowIndex = 0                                   // stream word index of `low`
        for i in 0..<neurons {
            var ones = 0
            for w in 0..<(patterns + 31) / 32 {
                let start = i * patterns + 32 * w          // stream bit of pattern 32w of row i
                while start / 64 > lowIndex { low = high; high = rng.next(); lowIndex += 1 }
                let offset = UInt64(start % 64)
                var bits = offset == 0 ? low : (low >> offset) | (high << (64 - offset))
                let count = min(32, patterns - 32 * w)
                if count < 32 { bits &= (UInt64(1) << UInt64(count)) - 1 }
                let word = UInt32(truncatingIfNeeded: bits)
                words[i * perRow + w] = word
                ones += word.nonzeroBitCount
            }
            rowSums[i] = Int32(2 * ones - patterns)
        }
        return PackedPatterns(neurons: neurons, patterns: patterns, wordsPerRow: perRow, words: words, rowSums: rowSums)
    }

    /// `matrix` packed. - Precondition: every entry is ±1 (``isBinary(_:)``).
    public init(packing matrix: PatternMatrix) {
        precondition(Self.isBinary(matrix), "only ±1 patterns can be packed one bit per entry")
        self.init(neurons: matrix.neurons, patterns: matrix.patterns, entries: matrix.entries)
    }

    /// Neuron-major ±1 entries (row i at `entries[i * patterns ..< (i + 1) * patterns]`) packed:
    /// the Int8 patterns of ``PatternMatrix`` or the Int16 couplings of a binary ``DenseNetwork``.
    /// - Precondition: every entry is ±1.
    public init<C: RandomAccessCollection>(neurons: Int, patterns p: Int, entries: C) where C.Element: BinaryInteger, C.Index == Int {
        precondition(entries.count == neurons * p && entries.allSatisfy { $0 == 1 || $0 == -1 },
                     "only ±1 patterns can be packed one bit per entry")
        let perRow = Self.wordsPerRow(p)
        var words = [UInt32](repeating: 0, count: neurons * perRow)
        var rowSums = [Int32](repeating: 0, count: neurons)
        for i in 0..<neurons {
            var ones = 0
            for mu in 0..<p where entries[entries.startIndex + i * p + mu] == 1 {
                words[i * perRow + mu / 32] |= UInt32(1) << UInt32(mu % 32)
                ones += 1
            }
            rowSums[i] = Int32(2 * ones - p)
        }
        self.init(neurons: neurons, patterns: p, wordsPerRow: perRow, words: words, rowSums: rowSums)
    }

    /// Whether every entry of `matrix` is ±1 (no zeros of diluted patterns).
    public static func isBinary(_ matrix: PatternMatrix) -> Bool { !matrix.entries.contains(0) }

    private init(neurons: Int, patterns: Int, wordsPerRow: Int, words: [UInt32], rowSums: [Int32]) {
        self.neurons = neurons; self.patterns = patterns; self.wordsPerRow = wordsPerRow
        self.words = words; self.rowSums = rowSums
    }

    /// ξ_i^μ.
    @inlinable public subscript(neuron i: Int, pattern mu: Int) -> Int8 {
        (words[i * wordsPerRow + mu / 32] >> UInt32(mu % 32)) & 1 == 1 ? 1 : -1
    }

    /// ξ^μ as a vector of N entries.
    public func pattern(_ mu: Int) -> [Int8] {
        precondition(mu >= 0 && mu < patterns)
        return (0..<neurons).map { self[neuron: $0, pattern: mu] }
    }
}
