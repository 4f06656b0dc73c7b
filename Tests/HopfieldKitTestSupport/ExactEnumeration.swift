import Foundation
import HopfieldKit

/// Exact Boltzmann averages of the classical Hopfield network by summing all 2^N configurations,
/// for checking Monte Carlo on small systems (N ≤ 24):
/// ```
/// ⟨O⟩ = Σ_σ O(σ) e^{−βH(σ)} / Σ_σ e^{−βH(σ)},   H(σ) = −(N/2) Σ_μ m_μ² + (1/2N) Σ_i c_i
/// ```
/// Configurations are visited in Gray-code order, so each step flips one spin and updates the
/// integer overlap sums in O(P); weights are taken relative to the ground-state energy.
public struct ExactEnumeration: Sendable {
    public let patterns: PatternMatrix
    /// Energy per neuron H/N of every configuration, indexed by the bit pattern of σ
    /// (bit i set ⇔ σ_i = +1).
    public let energies: [Double]
    /// |m_1| of every configuration, same indexing.
    public let absM1: [Double]

    public static let maximumNeurons = 24

    public init(patterns: PatternMatrix) {
        let n = patterns.neurons, p = patterns.patterns
        precondition(n <= Self.maximumNeurons, "exact enumeration is for N ≤ \(Self.maximumNeurons)")
        self.patterns = patterns
        let count = 1 << n
        var energies = [Double](repeating: 0, count: count)
        var absM1 = [Double](repeating: 0, count: count)
        var spins = [Int8](repeating: -1, count: n)              // state 0: all −1
        var sums = [Int64](repeating: 0, count: p)
        for i in 0..<n { for mu in 0..<p { sums[mu] -= Int64(patterns.entries[i * p + mu]) } }
        var state = 0
        for step in 0..<count {
            if step > 0 {
                let i = step.trailingZeroBitCount                   // Gray code: flip bit i
                spins[i] = -spins[i]
                state ^= 1 << i
                let d = 2 * Int64(spins[i])
                for mu in 0..<p { sums[mu] += d * Int64(patterns.entries[i * p + mu]) }
            }
            let squares = sums.reduce(Int64(0)) { $0 + $1 * $1 }
            energies[state] = Double(patterns.totalSelfCoupling - squares) / (2 * Double(n) * Double(n))
            absM1[state] = Double(abs(sums[0])) / Double(n)
        }
        self.energies = energies
        self.absM1 = absM1
    }

    /// Exact ⟨H/N⟩, ⟨|m_1|⟩ and ⟨(H/N)²⟩ at temperature T > 0.
    public func averages(temperature t: Double) -> (energy: Double, absM1: Double, energySquared: Double) {
        precondition(t > 0)
        let n = Double(patterns.neurons)
        let ground = energies.min()!
        var z = 0.0, e = 0.0, e2 = 0.0, m = 0.0
        for k in 0..<energies.count {
            let w = exp(-(energies[k] - ground) * n / t)
            z += w; e += w * energies[k]; e2 += w * energies[k] * energies[k]; m += w * absM1[k]
        }
        return (e / z, m / z, e2 / z)
    }

    /// Whether configuration `spins` is a local minimum of H under single flips, i.e. a fixed point
    /// of zero-temperature dynamics (no flip lowers the energy).
    public func isSingleFlipStable(_ spins: [Int8]) -> Bool {
        let e = energies[Self.index(spins)]
        for i in 0..<spins.count {
            var flipped = spins
            flipped[i] = -flipped[i]
            if energies[Self.index(flipped)] < e - 1e-12 { return false }
        }
        return true
    }

    /// The bit pattern of σ (bit i set ⇔ σ_i = +1).
    public static func index(_ spins: [Int8]) -> Int {
        spins.enumerated().reduce(0) { $0 | ($1.element == 1 ? 1 << $1.offset : 0) }
    }

    public func energy(of spins: [Int8]) -> Double { energies[Self.index(spins)] }
}
