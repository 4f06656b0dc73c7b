/// How the pairwise engine stores ±1 patterns: one byte per entry (``PatternMatrix``) or one bit
/// (``PackedPatterns``). Both give the same integers, fields and trajectories; only the speed and the
/// memory differ. `auto` picks the packed layout where it exists and pays (see ``resolved(neurons:patterns:binary:)``).
public enum PatternLayout: String, Sendable, Codable, CaseIterable {
    case auto, int8, packed

    /// Where `auto` packs, by the kernels' instruction set (measured with `hopsim bench mc
    /// --pattern-layout int8|packed` on an AMD EPYC with AVX-512, and the same machine built for
    /// `haswell`):
    /// - AVX-512: from P = 80 (a packed row is padded to 64 patterns; at P = 64 the byte kernel is
    ///   10% faster, at P = 80 the packed one 16%, at P = 500 1.5×);
    /// - AVX2: from N·P = 8 MiB of Int8 patterns, where the byte kernel leaves the caches (at
    ///   N·P = 10⁷ the two are equal, at 1.4·10⁹ packed is 2.7× faster; below, the mask expansion
    ///   costs more than the bytes it saves).
    public static func packedPays(neurons: Int, patterns: Int) -> Bool {
        switch PackedKernels.instructionSet {
        case "avx512": patterns >= 80
        case "avx2": neurons.multipliedReportingOverflow(by: patterns).overflow || neurons * patterns >= 8 << 20
        default: false
        }
    }

    /// Why `packed` cannot be used for this network, or nil when it can: diluted patterns (zeros
    /// need a second bit), or N·(P+1) beyond the kernels' exact range.
    public static func packedUnavailable(neurons: Int, patterns: Int, binary: Bool) -> String? {
        if !binary { return "the patterns have zeros (diluted patterns need the int8 layout)" }
        if !PackedKernels.supports(neurons: neurons, patterns: patterns) { return "N·(P+1) exceeds 2³¹ − 1" }
        return nil
    }

    /// The layout a run uses: `int8` and `packed` as asked (packed only where available); `auto` is
    /// packed where available and it pays (``packedPays(neurons:patterns:)``), else int8.
    public func resolved(neurons: Int, patterns: Int, binary: Bool) -> PatternLayout {
        let available = Self.packedUnavailable(neurons: neurons, patterns: patterns, binary: binary) == nil
        switch self {
        case .int8: return .int8
        case .packed: return available ? .packed : .int8
        case .auto: return available && Self.packedPays(neurons: neurons, patterns: patterns) ? .packed : .int8
        }
    }
}
