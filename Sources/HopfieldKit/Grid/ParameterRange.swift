/// A parameter axis: one value `v`, or `start:stop:count` — `count` equally spaced values from
/// `start` to `stop` inclusive (count = 1 gives `start`; then start must equal stop).
public struct ParameterRange: Sendable, Equatable, Codable, CustomStringConvertible {
    public var start: Double
    public var stop: Double
    public var count: Int

    /// Most values one axis may have (10⁶): a larger one is refused before anything is allocated.
    public static let maximumCount = 1_000_000

    public init(_ value: Double) { start = value; stop = value; count = 1 }

    public init(start: Double, stop: Double, count: Int) {
        self.start = start; self.stop = stop; self.count = count
    }

    /// Parses `v` or `start:stop:count`; the error names `flag` and the allowed form.
    public init(parsing text: String, flag: String) throws(ParameterError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1:
            guard let v = Double(parts[0]), v.isFinite else {
                throw ParameterError(flag, allowed: "a number or a range start:stop:count", given: "'\(text)'")
            }
            self.init(v)
        case 3:
            guard let a = Double(parts[0]), let b = Double(parts[1]), a.isFinite, b.isFinite, let n = Int(parts[2]) else {
                throw ParameterError(flag, allowed: "a range start:stop:count of two numbers and an integer", given: "'\(text)'")
            }
            guard n >= 1, n <= Self.maximumCount else {
                throw ParameterError(flag, allowed: "a range with count in [1, \(Self.maximumCount)]", given: "'\(text)'")
            }
            guard n == 1 ? a == b : a < b else {
                throw ParameterError(flag, allowed: "a range with start < stop (count > 1) or start = stop (count = 1)", given: "'\(text)'")
            }
            self.init(start: a, stop: b, count: n)
        default:
            throw ParameterError(flag, allowed: "a number or a range start:stop:count", given: "'\(text)'")
        }
    }

    /// Checks, before any value is computed, that the grid `first` × `second` has at most `limit`
    /// points; the error names `flag`.
    public static func checkGrid(_ first: ParameterRange, _ second: ParameterRange, limit: Int,
                                 flag: String) throws(ParameterError) {
        let points = first.count.multipliedReportingOverflow(by: second.count)
        guard !points.overflow, points.partialValue <= limit else {
            throw ParameterError(flag, allowed: "a grid of at most \(limit) points", given: "\(first.count) × \(second.count) points")
        }
    }

    /// The values, start + (stop − start)·k/(count − 1), each rounded to 15 significant digits so
    /// that a decimal range gives decimal values: 0:1:11 gives 0.3, not 0.30000000000000004, so
    /// `df[df.temperature == 0.3]` finds its rows (issue 17). The ends are exact; a value that has no
    /// short decimal form (0:1:4 → 1/3) moves by at most 5·10⁻¹⁶ relative.
    public var values: [Double] {
        count == 1 ? [start] : (0..<count).map { k in
            if k == 0 { return start }
            if k == count - 1 { return stop }
            let exact = start + (stop - start) * Double(k) / Double(count - 1)
            // Keep the unrounded value where rounding would reach an end (a range narrower than
            // 15 significant digits) and so repeat a value.
            let rounded = Self.decimal(exact)
            return rounded > Swift.min(start, stop) && rounded < Swift.max(start, stop) ? rounded : exact
        }
    }

    /// x rounded to 15 significant digits (the shortest decimal that every double of 15 digits
    /// round-trips through).
    static func decimal(_ x: Double) -> Double {
        guard x.isFinite, x != 0 else { return x }
        return Double(String(format: "%.15g", x)) ?? x
    }

    public var description: String { count == 1 ? "\(start)" : "\(start):\(stop):\(count)" }
}
