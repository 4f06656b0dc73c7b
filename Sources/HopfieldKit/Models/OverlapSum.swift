/// Integer storage for the unnormalised overlaps M_μ = Σ_i ξ_i^μ σ_i = N m_μ, with the wider type
/// in which a local field Σ_μ ξ_i^μ M_μ is accumulated.
///
/// |M_μ| ≤ N, so `Int16` holds it for N ≤ 32 767; the narrow type halves the memory the field loop
/// streams and lets the compiler use 16-bit multiply-add instructions (pmaddwd / vpdpwssd), which
/// is where the engine's speed comes from. Larger networks use `Int32` with `Int64` fields.
public protocol OverlapSum: FixedWidthInteger, SignedInteger, Sendable {
    associatedtype Accumulator: FixedWidthInteger & SignedInteger & Sendable
}

extension Int16: OverlapSum { public typealias Accumulator = Int32 }
extension Int32: OverlapSum { public typealias Accumulator = Int64 }

public enum OverlapWidth: String, Sendable, Codable {
    case int16, int32

    /// The narrowest storage in which M_μ and the field numerator N·h_i (|·| ≤ N·P + P) never
    /// overflow.
    public static func required(neurons: Int, patterns: Int) -> OverlapWidth {
        let fieldBound = neurons.multipliedReportingOverflow(by: patterns + 1)
        if neurons <= Int(Int16.max), !fieldBound.overflow, fieldBound.partialValue <= Int(Int32.max) {
            return .int16
        }
        return .int32
    }
}
