/// A parameter as hopsim knows it, independent of the interface: the CLI spells it as a flag, a grid
/// spec as a YAML key. Errors carry it, so each interface names the parameter in its own spelling.
public enum ParameterKey: String, Sendable, CaseIterable {
    case neurons, patterns, alpha, temperature, dilution, interactionOrder, examples, quality
    case thermalization, sweeps, measureEvery, samples, replicas, flipFraction, seed, threads
    case tolerance, maxIterations, hermiteNodes, laguerreNodes, kinkThreshold, linePoints

    /// The command-line flag.
    public var flag: String {
        switch self {
        case .interactionOrder: "--p"
        case .measureEvery: "--measure-every"
        case .flipFraction: "--flip-fraction"
        case .maxIterations: "--max-iterations"
        case .hermiteNodes: "--hermite-nodes"
        case .laguerreNodes: "--laguerre-nodes"
        case .kinkThreshold: "--kink-threshold"
        case .linePoints: "--line-points"
        default: "--\(rawValue)"
        }
    }

    /// The key in a grid spec (nil where specs do not have it).
    public var specKey: String? {
        switch self {
        case .neurons, .thermalization, .sweeps, .samples, .replicas: "mc.\(rawValue)"
        case .measureEvery: "mc.measure_every"
        case .flipFraction: "mc.flip_fraction"
        case .hermiteNodes: "rs.hermite_nodes"
        case .laguerreNodes: "rs.laguerre_nodes"
        case .kinkThreshold: "rs.kink_threshold"
        case .tolerance: "rs.tolerance"
        case .maxIterations: "rs.max_iterations"
        case .interactionOrder: "p"
        case .patterns, .seed, .dilution: rawValue
        case .alpha: "axes.alpha"
        case .temperature: "axes.temperature"
        case .examples, .quality, .threads, .linePoints: nil
        }
    }
}

/// An allowed range of one parameter, stated once: the checks of the library, the CLI's options and
/// the grid-spec reader all use it, and its errors name the parameter by ``ParameterKey``.
public struct ParameterLimit<Value: Comparable & Sendable>: Sendable {
    public let key: ParameterKey
    /// The allowed values in words, e.g. "an integer in [2, 10000000]".
    public let allowed: String
    let contains: @Sendable (Value) -> Bool

    /// Checks `value`; the error names the parameter by its flag (``ParameterError/key`` lets other
    /// interfaces rename it).
    @discardableResult
    public func check(_ value: Value) throws(ParameterError) -> Value {
        guard contains(value) else { throw ParameterError(key.flag, allowed: allowed, given: "\(value)", key: key) }
        return value
    }
}

extension ParameterLimit where Value == Int {
    /// Integers in `range` (an open upper end for `Int.max`).
    public init(_ key: ParameterKey, _ range: ClosedRange<Int>) {
        self.key = key
        allowed = range.upperBound == Int.max ? "an integer ≥ \(range.lowerBound)"
            : "an integer in [\(range.lowerBound), \(range.upperBound)]"
        contains = { range.contains($0) }
    }
}

extension ParameterLimit where Value == Double {
    /// Finite numbers between `lower` and `upper` (nil: unbounded), each end open or closed.
    public init(_ key: ParameterKey, lower: Double, lowerOpen: Bool = false, upper: Double? = nil, upperOpen: Bool = false,
                allowed text: String? = nil) {
        self.key = key
        func g(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e6 ? String(Int(x)) : "\(x)" }
        if let text {
            allowed = text
        } else if let upper {
            allowed = "a number in \(lowerOpen ? "(" : "[")\(g(lower)), \(g(upper))\(upperOpen ? ")" : "]")"
        } else {
            allowed = "a number \(lowerOpen ? ">" : "≥") \(g(lower))"
        }
        contains = { x in
            x.isFinite && (lowerOpen ? x > lower : x >= lower) && (upper.map { upperOpen ? x < $0 : x <= $0 } ?? true)
        }
    }
}

/// The limits of hopsim's parameters, each stated once.
public enum Limits {
    public static let neurons = ParameterLimit(.neurons, 2...10_000_000)
    public static let patterns = ParameterLimit(.patterns, 1...Int.max)
    public static let alpha = ParameterLimit(.alpha, lower: 0, lowerOpen: true)
    public static let temperature = ParameterLimit(.temperature, lower: 0, allowed: "a finite number ≥ 0")
    /// Multitasking networks: d ∈ (0, 1) (d = 0 is the classical family).
    public static let dilution = ParameterLimit(.dilution, lower: 0, lowerOpen: true, upper: 1, upperOpen: true)
    /// P of dense Monte Carlo (P = 2 is the pairwise Hamiltonian); the field's polynomial of degree
    /// P − 1 is evaluated in doubles from integer power sums, exact while N^{P−1} ≪ 2^53.
    public static let interactionOrder = ParameterLimit(.interactionOrder, 2...8)
    /// P of the dense theory (Gardner form, P ≥ 3; P = 2 is the classical theory).
    public static let theoryOrder = ParameterLimit(.interactionOrder, 3...8)
    public static let examples = ParameterLimit(.examples, 1...Int(Int16.max))
    public static let quality = ParameterLimit(.quality, lower: 0, lowerOpen: true, upper: 1)
    public static let thermalization = ParameterLimit(.thermalization, 0...100_000_000)
    public static let sweeps = ParameterLimit(.sweeps, 1...100_000_000)
    public static let samples = ParameterLimit(.samples, 1...100_000)
    public static let replicas = ParameterLimit(.replicas, 1...64)
    public static let flipFraction = ParameterLimit(.flipFraction, lower: 0, upper: 1)
    public static let threads = ParameterLimit(.threads, 1...Int.max)
    public static let tolerance = ParameterLimit(.tolerance, lower: 0, lowerOpen: true, upper: 1e-3, upperOpen: true,
                                                 allowed: "a number in (0, 1e-3)")
    public static let maxIterations = ParameterLimit(.maxIterations, 1...100_000)
    public static let hermiteNodes = ParameterLimit(.hermiteNodes, 8...512)
    public static let laguerreNodes = ParameterLimit(.laguerreNodes, 8...512)
    public static let kinkThreshold = ParameterLimit(.kinkThreshold, lower: 0, lowerOpen: true)
    public static let linePoints = ParameterLimit(.linePoints, 2...10_000)

    /// `measure_every` ≤ the sweeps of the same run.
    public static func measureEvery(sweeps: Int) -> ParameterLimit<Int> { ParameterLimit(.measureEvery, 1...max(1, sweeps)) }
}
