/// The acceptance step of one single-spin update, given the scaled field F = N h_i (an exact
/// integer) and the current spin. Implementations are small structs so that the sweep loop is
/// specialised for each rule with no dynamic dispatch.
public protocol SpinUpdateRule: Sendable {
    func newSpin(current: Int8, scaledField: Int64, rng: inout Xoshiro256StarStar) -> Int8
}

/// Heat bath: σ_i = +1 iff u < p₊ = 1 / (1 + e^{−x}), x = 2βh_i = 2βF/N, u uniform in [0, 1).
/// One uniform per update.
///
/// The exponential is skipped when a cheap bound already decides: e^{−|x|} ≤ b(x) =
/// 1 / (1 + |x| + x²/2). For x ≥ 0, σ_i = −1 needs 1 − u ≤ 1 − p₊ < e^{−x} ≤ b, so 1 − u > b gives
/// +1; for x < 0, σ_i = +1 needs u < p₊ < e^{−|x|} ≤ b, so u ≥ b gives −1. Deep in an ordered
/// phase (|x| ≫ 1) almost every update is decided this way; the outcome is the same as with the
/// exponential.
public struct HeatBathRule: SpinUpdateRule {
    /// 2β/N, so that 2βh_i = F · twoBetaOverN.
    public let twoBetaOverN: Double
    public init(beta: Double, neurons: Int) { twoBetaOverN = 2 * beta / Double(neurons) }

    @inline(__always)
    public func newSpin(current: Int8, scaledField: Int64, rng: inout Xoshiro256StarStar) -> Int8 {
        let u = rng.nextUniform()
        let x = twoBetaOverN * Double(scaledField)
        let ax = abs(x)
        let inverseBound = 1 + ax + 0.5 * ax * ax          // 1 / b(x)
        // The sign of x is that of the local field, as random from neuron to neuron as the patterns:
        // branching on it would mispredict half the time, so both cases are one comparison of
        // c = (1 − u)/b (x ≥ 0) or u/b (x < 0) with 1, decided by selects.
        // x ≥ 0 ⇔ F ≥ 0 (2β/N > 0); the sign as an integer, (F >> 63) | 1 = ±1, without a branch.
        let sign = Int8(truncatingIfNeeded: (scaledField >> 63) | 1)
        let c = (scaledField >= 0 ? 1 - u : u) * inverseBound
        if c > 1 || (sign < 0 && c == 1) { return sign }
        return u * (1 + exp(-x)) < 1 ? 1 : -1
    }
}

/// Metropolis: ΔH = 2σ_i h_i; accept when ΔH ≤ 0, else iff u < e^{−y}, y = βΔH. A uniform is
/// drawn only when ΔH > 0. As in the heat bath, u ≥ 1/(1 + y + y²/2) ≥ e^{−y} rejects without
/// evaluating the exponential.
public struct MetropolisRule: SpinUpdateRule {
    /// 2β/N, so that βΔH = σ_i F · twoBetaOverN.
    public let twoBetaOverN: Double
    public init(beta: Double, neurons: Int) { twoBetaOverN = 2 * beta / Double(neurons) }

    @inline(__always)
    public func newSpin(current: Int8, scaledField: Int64, rng: inout Xoshiro256StarStar) -> Int8 {
        let alignment = Int64(current) * scaledField          // σ_i N h_i = N ΔH / 2
        if alignment <= 0 { return -current }
        let u = rng.nextUniform()
        let y = twoBetaOverN * Double(alignment)
        if u * (1 + y + 0.5 * y * y) >= 1 { return current }
        return u < exp(-y) ? -current : current
    }
}

/// A replica whose sweep loop is generic over the acceptance rule; ``sweepWithRule(of:beta:order:rng:)``
/// picks the rule for the dynamics once per sweep, so the loop is specialised for each rule.
public protocol RuleSweeping {
    var neurons: Int { get }
    mutating func sweep<Rule: SpinUpdateRule>(rule: Rule, order: UpdateOrder, rng: inout Xoshiro256StarStar) -> Int
}

extension RuleSweeping {
    /// One sweep with the rule for `dynamics` at inverse temperature `beta` (ignored at T = 0).
    @inline(__always)
    public mutating func sweepWithRule(of dynamics: Dynamics, beta: Double, order: UpdateOrder,
                                       rng: inout Xoshiro256StarStar) -> Int {
        switch dynamics {
        case .heatBath: sweep(rule: HeatBathRule(beta: beta, neurons: neurons), order: order, rng: &rng)
        case .metropolis: sweep(rule: MetropolisRule(beta: beta, neurons: neurons), order: order, rng: &rng)
        case .zeroTemperature: sweep(rule: ZeroTemperatureRule(), order: order, rng: &rng)
        }
    }
}

/// Zero temperature: σ_i ← sign(h_i), unchanged when h_i = 0. Draws no random numbers.
public struct ZeroTemperatureRule: SpinUpdateRule {
    public init() {}

    @inline(__always)
    public func newSpin(current: Int8, scaledField: Int64, rng: inout Xoshiro256StarStar) -> Int8 {
        scaledField > 0 ? 1 : (scaledField < 0 ? -1 : current)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
