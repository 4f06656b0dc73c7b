/// Integer storage for the unnormalised overlaps M_μ = Σ_i ξ_i^μ σ_i = N m_μ, with the wider type
/// in which a local field Σ_μ ξ_i^μ M_μ is accumulated.
///
/// |M_μ| ≤ N, so `Int16` holds it for N ≤ 32 767; the narrow type halves the memory the field loop
/// streams and lets the compiler use 16-bit multiply-add instructions (pmaddwd / vpdpwssd), which
/// is where the engine's speed comes from. Larger networks use `Int32` with `Int64` fields.
public protocol OverlapSum: FixedWidthInteger, SignedInteger, Sendable {
    associatedtype Accumulator: FixedWidthInteger & SignedInteger & Sendable

    /// Σ_{μ<p} ξ_μ M_μ for one pattern row ξ (Int8) against the overlap sums M, in `Accumulator`.
    static func patternDot(_ row: UnsafePointer<Int8>, _ sums: UnsafePointer<Self>, _ p: Int) -> Accumulator

    /// M_μ += d·ξ_μ for μ < p: the update of every overlap sum after a flip (d = 2σ_i^new).
    static func addPatternRow(_ row: UnsafePointer<Int8>, times d: Self, to sums: UnsafeMutablePointer<Self>, _ p: Int)
}

// The two loops are written out per concrete type (not generically) so that the optimiser sees
// plain sign extensions from 8 and 16 bits and emits 16-bit multiply-adds (vpmaddwd); a generic
// body specialised later was measured to compile to 32-bit multiplies at half the speed.

extension Int16: OverlapSum {
    public typealias Accumulator = Int32

    @inline(__always)
    public static func patternDot(_ row: UnsafePointer<Int8>, _ sums: UnsafePointer<Int16>, _ p: Int) -> Int32 {
        var acc: Int32 = 0
        for mu in 0..<p { acc &+= Int32(row[mu]) &* Int32(sums[mu]) }
        return acc
    }

    @inline(__always)
    public static func addPatternRow(_ row: UnsafePointer<Int8>, times d: Int16, to sums: UnsafeMutablePointer<Int16>, _ p: Int) {
        for mu in 0..<p { sums[mu] &+= d &* Int16(row[mu]) }
    }
}

extension Int32: OverlapSum {
    public typealias Accumulator = Int64

    @inline(__always)
    public static func patternDot(_ row: UnsafePointer<Int8>, _ sums: UnsafePointer<Int32>, _ p: Int) -> Int64 {
        var acc: Int64 = 0
        for mu in 0..<p { acc &+= Int64(row[mu]) &* Int64(sums[mu]) }
        return acc
    }

    @inline(__always)
    public static func addPatternRow(_ row: UnsafePointer<Int8>, times d: Int32, to sums: UnsafeMutablePointer<Int32>, _ p: Int) {
        for mu in 0..<p { sums[mu] &+= d &* Int32(row[mu]) }
    }
}

public enum OverlapWidth: String, Sendable, Codable {
    case int16, int32
    /// Dense networks keep their sums in 64-bit words (doubles holding exact integers).
    case int64

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
