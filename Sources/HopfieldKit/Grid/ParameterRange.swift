/// A parameter axis: one value `v`, or `start:stop:count` — `count` equally spaced values from
/// `start` to `stop` inclusive (count = 1 gives `start`; then start must equal stop).
public struct ParameterRange: Sendable, Equatable, Codable, CustomStringConvertible {
    public var start: Double
    public var stop: Double
    public var count: Int

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
            guard n >= 1 else {
                throw ParameterError(flag, allowed: "a range with count ≥ 1 (an empty range computes nothing)", given: "'\(text)'")
            }
            guard a < b || (a == b && n == 1) else {
                throw ParameterError(flag, allowed: "a range with start < stop (count > 1) or start = stop (count = 1)", given: "'\(text)'")
            }
            self.init(start: a, stop: b, count: n)
        default:
            throw ParameterError(flag, allowed: "a number or a range start:stop:count", given: "'\(text)'")
        }
    }

    /// The values, start + (stop − start)·k/(count − 1).
    public var values: [Double] {
        count == 1 ? [start] : (0..<count).map { start + (stop - start) * Double($0) / Double(count - 1) }
    }

    public var description: String { count == 1 ? "\(start)" : "\(start):\(stop):\(count)" }
}
