import Foundation

/// One replica of an exponential network (``ExponentialNetwork``): the spins, the exact overlap
/// sums M_μ = N m_μ of all K patterns, and the weights w_μ = e^{λ(M_μ − M_ref)} relative to the
/// reference M_ref = max_μ M_μ (so 1 ≤ Σ_μ w_μ ≤ K: no overflow or underflow). The reference is
/// the largest overlap after every flip, so the whole state is a function of the spins: a replica
/// rebuilt from its spins (a resumed checkpoint) continues bit for bit.
///
/// A flip of σ_i multiplies w_μ by e^{−2λ ξ_i^μ σ_i}. With the weights of the patterns that agree
/// with σ_i at i, A = Σ_{ξ_i^μ = σ_i} w_μ, and of those that disagree, D = Σ_{ξ_i^μ ≠ σ_i} w_μ (two
/// sums of positive terms, one pass over the pattern row: no cancellation),
/// ```
/// S = A + D,   S' − S = (e^{−2λ} − 1) A + (e^{2λ} − 1) D     (S' the sum after the flip)
/// lse:  ΔH = −(1/λ) ln(1 + (S' − S)/S)
/// exp:  ΔH = −e^{λ M_ref} [(e^{−2λ} − 1) A + (e^{2λ} − 1) D]
/// ```
/// exact energy differences in O(K) per update, with no exponential of N m_μ ever formed.
public struct ExponentialReplica: Sendable, MonteCarloReplica {
    public let network: ExponentialNetwork
    public private(set) var spins: [Int8]
    /// M_μ.
    public private(set) var overlapSums: [Int32]
    /// w_μ = e^{λ(M_μ − reference)}.
    public private(set) var weights: [Double]
    public private(set) var reference: Int32

    public init(network: ExponentialNetwork, spins: [Int8]) {
        precondition(spins.count == network.neurons && spins.allSatisfy { $0 == 1 || $0 == -1 })
        self.network = network
        self.spins = spins
        overlapSums = network.overlapSums(spins)
        reference = overlapSums.max()!
        weights = [Double](repeating: 0, count: network.count)
        readWeights()
    }

    /// w_μ = e^{λ(M_μ − reference)} for every pattern, read from the table.
    mutating func readWeights() {
        let k = network.count, offset = 2 * network.neurons - Int(reference)
        network.weightTable.withUnsafeBufferPointer { table in
            overlapSums.withUnsafeBufferPointer { m in
                weights.withUnsafeMutableBufferPointer { w in
                    for mu in 0..<k { w[mu] = table[Int(m[mu]) + offset] }
                }
            }
        }
    }

    public var neurons: Int { network.neurons }
    public var measuredPatterns: Int { network.count }
    public func archetypeOverlapSum(_ mu: Int) -> Int { Int(overlapSums[mu]) }
    public var exampleOverlap: Double? { nil }

    /// Σ_μ w_μ (recomputed).
    var weightSum: Double { weights.reduce(0, +) }

    /// H/N from the kept sums (see the type's documentation).
    public var energyPerNeuron: Double {
        let lambda = network.lambda, n = Double(neurons)
        switch network.settings.interaction {
        case .lse: return -(lambda * Double(reference) + log(weightSum)) / (lambda * n)
        case .exp: return -exp(lambda * Double(reference)) * weightSum / n
        }
    }

    /// (A, D): the weights of the patterns that agree and disagree with σ_i at neuron i.
    @inline(__always)
    func agreementSums(_ i: Int) -> (agree: Double, disagree: Double) {
        let k = network.count
        return network.patterns.entries.withUnsafeBufferPointer { xi in
            weights.withUnsafeBufferPointer { w in
                let row = xi.baseAddress! + i * k
                let wp = w.baseAddress!
                var plus = SIMD8<Double>(), minus = SIMD8<Double>()
                var mu = 0
                while mu + 8 <= k {
                    let x = SIMD8<Double>(UnsafeRawPointer(row + mu).loadUnaligned(as: SIMD8<Int8>.self))
                    let wv = UnsafeRawPointer(wp + mu).loadUnaligned(as: SIMD8<Double>.self)
                    let up = wv * ((x + 1) * 0.5)          // w where ξ = +1, else 0 (exactly)
                    plus += up
                    minus += wv - up
                    mu += 8
                }
                var p = plus.sum(), m = minus.sum()
                while mu < k {
                    if row[mu] > 0 { p += wp[mu] } else { m += wp[mu] }
                    mu += 1
                }
                return spins[i] > 0 ? (p, m) : (m, p)
            }
        }
    }

    /// ΔH = H(σ with σ_i flipped) − H(σ), from the kept weights (see the type's documentation),
    /// through S' − S = (e^{−2λ} − 1)A + (e^{2λ} − 1)D: lse ΔH = −(1/λ) ln(1 + (S' − S)/S), exp
    /// ΔH = −e^{λM_ref}(S' − S). A difference within 8 ulp of the magnitudes of its two terms is an
    /// exact tie (e.g. two patterns that differ only at i) and is returned as 0, so that
    /// zero-temperature dynamics keeps the spin and heat bath draws it with probability ½, for both
    /// interactions alike.
    public func flipEnergy(_ i: Int) -> Double {
        let (a, d) = agreementSums(i)
        let lambda = network.lambda
        let lost = network.lostFactor * a, gained = network.gainedFactor * d
        var change = gained - lost
        if abs(change) <= 8 * Double.ulpOfOne * (lost + gained) { change = 0 }
        switch network.settings.interaction {
        case .lse: return -log1p(change / (a + d)) / lambda
        case .exp: return change == 0 ? 0 : -exp(lambda * Double(reference)) * change
        }
    }

    /// Flips σ_i and updates M_μ (one pass, finding the new largest), then every w_μ from the table
    /// relative to it (a second pass).
    mutating func flip(_ i: Int) {
        let k = network.count
        let d = Int32(-2 * Int(spins[i]))                  // M_μ += −2σ_i ξ_i^μ
        spins[i] = -spins[i]
        var largest = Int32.min
        network.patterns.entries.withUnsafeBufferPointer { xi in
            overlapSums.withUnsafeMutableBufferPointer { m in
                let row = xi.baseAddress! + i * k
                for mu in 0..<k {
                    let v = m[mu] &+ d &* Int32(row[mu])
                    m[mu] = v
                    largest = max(largest, v)
                }
            }
        }
        reference = largest
        readWeights()
    }

    /// The kept sums and weights equal a recomputation from the spins at the same reference.
    public func checkInvariants() -> Bool {
        guard overlapSums == network.overlapSums(spins) else { return false }
        let offset = 2 * network.neurons - Int(reference)
        return reference == overlapSums.max()! && weights == overlapSums.map { network.weightTable[Int($0) + offset] }
    }

    /// One sweep of N single-spin updates with exact ΔH (``flipEnergy(_:)``):
    /// heat bath σ_i = +1 with probability 1/(1 + e^{−x}), x = β σ_i ΔH (= 2βh_i); Metropolis
    /// flips with probability min(1, e^{−βΔH}) (a uniform drawn only when ΔH > 0); zero
    /// temperature flips iff ΔH < 0. Returns the number of flips.
    public mutating func sweep(dynamics: Dynamics, beta: Double, order: UpdateOrder, rng: inout Xoshiro256StarStar) -> Int {
        let n = neurons
        var flips = 0
        for step in 0..<n {
            let i = order == .sequential ? step : rng.nextIndex(below: n)
            let delta = flipEnergy(i)
            let flipIt: Bool
            switch dynamics {
            case .heatBath:
                let u = rng.nextUniform()
                let x = beta * Double(spins[i]) * delta          // 2βh_i
                let up = x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
                flipIt = (u < up ? 1 : -1) != spins[i]
            case .metropolis:
                flipIt = delta <= 0 || rng.nextUniform() < exp(-beta * delta)
            case .zeroTemperature:
                flipIt = delta < 0
            }
            if flipIt {
                flip(i)
                flips += 1
            }
        }
        return flips
    }
}
