extension DenseHebbianReplica {
    /// One Monte Carlo sweep: N single-spin updates in the given order with the field h_i of
    /// ``localField(_:)`` (O(K_c P) each) and, after a flip, S_k^ν += 2σ_i^new (a_i^ν)^k for the
    /// kept odd powers and N m_μ += 2σ_i^new ξ_i^μ for the archetypes (O(K_c)). Returns the flips.
    ///
    /// Acceptance, with x = 2βh_i: heat bath σ_i = +1 iff u < 1/(1 + e^{−x}); Metropolis flips iff
    /// ΔH = 2σ_i h_i ≤ 0 or u < e^{−βΔH}; zero temperature σ_i ← sign h_i (ties keep σ_i).
    public mutating func sweep(dynamics: Dynamics, beta: Double, order: UpdateOrder,
                               rng: inout Xoshiro256StarStar) -> Int {
        let n = neurons
        let kc = network.couplingCount
        let odd = network.oddPowers
        let k = network.archetypes.patterns
        let trackArchetypes = !archetypeSums.isEmpty
        var flips = 0
        let net = network
        let this = self
        let binary = net.binary
        let signalCoefficients = self.signalCoefficients, selfCoefficients = self.selfCoefficients
        var selfSum = self.selfSum
        let packedWords = net.packedCouplings?.words ?? []
        packedWords.withUnsafeBufferPointer { packedBuffer in
        let packedRows = net.packedCouplings == nil ? nil : packedBuffer.baseAddress
        net.couplings.withUnsafeBufferPointer { aBuffer in
            net.evenPowerSums.withUnsafeBufferPointer { evenBuffer in
                net.archetypes.entries.withUnsafeBufferPointer { xi in
                    spins.withUnsafeMutableBufferPointer { sigma in
                        oddSums.withUnsafeMutableBufferPointer { sums in
                            archetypeSums.withUnsafeMutableBufferPointer { archetype in
                              signalPart.withUnsafeMutableBufferPointer { signalBuffer in
                                let a = aBuffer.baseAddress!
                                let signal = signalBuffer.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!
                                for step in 0..<n {
                                    let i = order == .sequential ? step : rng.nextIndex(below: n)
                                    let h = this.field(i, UnsafePointer(sigma.baseAddress!), UnsafePointer(sums.baseAddress!),
                                                       a, evenBuffer.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                                       UnsafePointer(signal), selfSum, packedRows: packedRows)
                                    let current = sigma[i]
                                    let updated: Int8
                                    switch dynamics {
                                    case .heatBath:
                                        let u = rng.nextUniform()
                                        updated = u * (1 + exp(-2 * beta * h)) < 1 ? 1 : -1
                                    case .metropolis:
                                        let deltaH = 2 * Double(current) * h
                                        if deltaH <= 0 { updated = -current } else {
                                            updated = rng.nextUniform() < exp(-beta * deltaH) ? -current : current
                                        }
                                    case .zeroTemperature:
                                        updated = h > 0 ? 1 : (h < 0 ? -1 : current)
                                    }
                                    guard updated != current else { continue }
                                    sigma[i] = updated
                                    let d = 2 * Double(updated)
                                    let row = a + i * kc
                                    if binary {
                                        // S_ν changes for every ν; A_ν and Σ B follow from the exact S.
                                        let base = sums.baseAddress!
                                        var total = 0.0
                                        for nu in 0..<kc {
                                            let x = base[nu] + d * Double(row[nu])
                                            base[nu] = x
                                            signal[nu] = DenseHebbianReplica.horner(signalCoefficients, x)
                                            total += DenseHebbianReplica.horner(selfCoefficients, x)
                                        }
                                        selfSum = total
                                    } else {
                                        for (o, power) in odd.enumerated() {
                                            let base = sums.baseAddress! + o * kc
                                            if power == 1 {
                                                for nu in 0..<kc { base[nu] += d * Double(row[nu]) }
                                            } else {
                                                for nu in 0..<kc { base[nu] += d * DenseNetwork.power(Double(row[nu]), power) }
                                            }
                                        }
                                    }
                                    if trackArchetypes {
                                        let xiRow = xi.baseAddress! + i * k
                                        for mu in 0..<k { archetype[mu] += 2 * Int(updated) * Int(xiRow[mu]) }
                                    }
                                    flips += 1
                                }
                              }
                            }
                        }
                    }
                }
            }
        }
        }
        self.selfSum = selfSum
        return flips
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
