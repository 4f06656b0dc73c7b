/// How the pairwise engine stores ±1 patterns: one byte per entry (``PatternMatrix``) or one bit
/// (``PackedPatterns``). Both give the same integers, fields and trajectories; only the speed and the
/// memory differ. `auto` picks the packed layout where it exists and pays (see ``resolved(neurons:patterns:binary:)``).
public enum PatternLayout: String, Sendable, Codable, CaseIterable {
    case auto, int8, packed

    /// Patterns below this count stay Int8 under `auto`: a packed row is padded to 64 patterns, and
    /// for a handful of patterns the byte kernel does less work (measured: `hopsim bench mc --baseline`).
    public static let smallestAutomaticallyPacked = 64

    /// Why `packed` cannot be used for this network, or nil when it can: diluted patterns (zeros
    /// need a second bit), or N·(P+1) beyond the kernels' exact range.
    public static func packedUnavailable(neurons: Int, patterns: Int, binary: Bool) -> String? {
        if !binary { return "the patterns have zeros (diluted patterns need the int8 layout)" }
        if !PackedKernels.supports(neurons: neurons, patterns: patterns) { return "N·(P+1) exceeds 2³¹ − 1" }
        return nil
    }

    /// The layout a run uses: `int8` and `packed` as asked (packed only where available); `auto` is
    /// packed when available, the kernels are vectorised (AVX-512 or AVX2) and P ≥ 64, else int8.
    public func resolved(neurons: Int, patterns: Int, binary: Bool) -> PatternLayout {
        let available = Self.packedUnavailable(neurons: neurons, patterns: patterns, binary: binary) == nil
        switch self {
        case .int8: return .int8
        case .packed: return available ? .packed : .int8
        case .auto:
            return available && PackedKernels.isVectorised && patterns >= Self.smallestAutomaticallyPacked ? .packed : .int8
        }
    }
}
