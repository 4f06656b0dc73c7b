/// The acceptance step of one single-spin update, given the scaled field F = N h_i (an exact
/// integer) and the current spin. Implementations are small structs so that the sweep loop is
/// specialised for each rule with no dynamic dispatch.
public protocol SpinUpdateRule: Sendable {
    func newSpin(current: Int8, scaledField: Int64, rng: inout Xoshiro256StarStar) -> Int8
}

/// Heat bath: P(σ_i = +1) = 1 / (1 + exp(−2βh_i)), h_i = F / N. One uniform per update.
public struct HeatBathRule: SpinUpdateRule {
    /// 2β/N, so that 2βh_i = F · twoBetaOverN.
    public let twoBetaOverN: Double
    public init(beta: Double, neurons: Int) { twoBetaOverN = 2 * beta / Double(neurons) }

    @inline(__always)
    public func newSpin(current: Int8, scaledField: Int64, rng: inout Xoshiro256StarStar) -> Int8 {
        let u = rng.nextUniform()
        return u * (1 + exp(-twoBetaOverN * Double(scaledField))) < 1 ? 1 : -1
    }
}

/// Metropolis: ΔH = 2σ_i h_i; accept when ΔH ≤ 0, else with probability exp(−βΔH). A uniform is
/// drawn only when ΔH > 0.
public struct MetropolisRule: SpinUpdateRule {
    /// 2β/N, so that βΔH = σ_i F · twoBetaOverN.
    public let twoBetaOverN: Double
    public init(beta: Double, neurons: Int) { twoBetaOverN = 2 * beta / Double(neurons) }

    @inline(__always)
    public func newSpin(current: Int8, scaledField: Int64, rng: inout Xoshiro256StarStar) -> Int8 {
        let alignment = Int64(current) * scaledField          // σ_i N h_i = N ΔH / 2
        if alignment <= 0 { return -current }
        return rng.nextUniform() < exp(-twoBetaOverN * Double(alignment)) ? -current : current
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
