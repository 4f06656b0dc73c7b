import Foundation
import HopfieldKit

/// Exact Boltzmann averages of a small dense network by summing over all 2^N states (N ≤ 20):
/// ⟨H/N⟩, ⟨m_1⟩, ⟨|m_1|⟩ with m_1 the overlap with archetype 1. Each state's energy comes from a
/// fresh ``DenseHebbianReplica`` (power sums recomputed from the spins, not kept incrementally),
/// and is itself checked against the tensor definition in the tests.
public struct DenseExactEnumeration: Sendable {
    public let network: DenseNetwork
    /// H/N and N m_1 of every state, state index b ↔ σ_i = +1 iff bit i of b is set.
    public let energies: [Double]
    public let overlapSums: [Int]

    public init(network: DenseNetwork) {
        precondition(network.neurons <= 20, "exact enumeration is for N ≤ 20")
        self.network = network
        let n = network.neurons
        var energies = [Double](), overlaps = [Int]()
        energies.reserveCapacity(1 << n)
        overlaps.reserveCapacity(1 << n)
        for b in 0..<(1 << n) {
            let spins = (0..<n).map { (b >> $0) & 1 == 1 ? Int8(1) : Int8(-1) }
            let replica = DenseHebbianReplica(network: network, spins: spins)
            energies.append(replica.energyPerNeuron)
            overlaps.append(replica.archetypeOverlapSum(0))
        }
        self.energies = energies
        self.overlapSums = overlaps
    }

    public struct Averages: Sendable { public var energy, m1, absM1: Double }

    public func averages(temperature: Double) -> Averages {
        let beta = 1 / temperature, n = Double(network.neurons)
        let lowest = energies.min()!
        var z = 0.0, e = 0.0, m = 0.0, am = 0.0
        for (k, energy) in energies.enumerated() {
            let w = exp(-beta * n * (energy - lowest))
            z += w
            e += w * energy
            m += w * Double(overlapSums[k]) / n
            am += w * abs(Double(overlapSums[k])) / n
        }
        return Averages(energy: e / z, m1: m / z, absM1: am / z)
    }
}
