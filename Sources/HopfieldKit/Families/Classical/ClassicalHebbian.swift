/// One replica of the classical (pairwise) Hopfield network with Hebbian couplings
/// ```
/// J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ  (i ≠ j),   J_ii = 0,
/// H(σ) = −(1/2N) Σ_{i≠j} Σ_μ ξ_i^μ ξ_j^μ σ_i σ_j = −(N/2) Σ_μ m_μ² + (1/2N) Σ_i c_i,
/// ```
/// with c_i = Σ_μ (ξ_i^μ)² (= P for binary patterns, so the constant is P/2; diluted patterns with
/// zeros, the multitasking network of docs/physics.md §3, use the same Hamiltonian)
/// (Amit, Gutfreund & Sompolinsky 1985; docs/physics.md §1) with Mattis overlaps
/// m_μ = (1/N) Σ_i ξ_i^μ σ_i.
///
/// The couplings are never formed: the replica keeps the integer overlap sums M_μ = N m_μ up to date
/// after every flip (O(P) work), and the local field of neuron i is
/// ```
/// h_i = Σ_{j≠i} J_ij σ_j = (Σ_μ ξ_i^μ M_μ − c_i σ_i) / N,
/// ```
/// which does not depend on σ_i, so flipping σ_i changes the energy by ΔH = 2 σ_i h_i.
/// Integer sums make the state exact: after any number of sweeps `overlapSums` equals a fresh
/// recomputation bit for bit (``checkInvariants()``).
public struct ClassicalHebbianReplica<Sum: OverlapSum>: Sendable {
    public let patterns: PatternMatrix
    /// σ_i ∈ {−1, +1}.
    public internal(set) var spins: [Int8]
    /// M_μ = Σ_i ξ_i^μ σ_i.
    public internal(set) var overlapSums: [Sum]

    public var neurons: Int { patterns.neurons }
    public var patternCount: Int { patterns.patterns }

    /// - Precondition: `spins.count == patterns.neurons`, entries ±1, and `Sum` wide enough
    ///   (see ``OverlapWidth/required(neurons:patterns:)``).
    public init(patterns: PatternMatrix, spins: [Int8]) {
        precondition(spins.count == patterns.neurons && spins.allSatisfy { $0 == 1 || $0 == -1 })
        precondition(Sum.bitWidth >= (OverlapWidth.required(neurons: patterns.neurons,
                                                            patterns: patterns.patterns) == .int16 ? 16 : 32))
        self.patterns = patterns
        self.spins = spins
        self.overlapSums = Self.recomputedOverlapSums(patterns: patterns, spins: spins)
    }

    /// M_μ = Σ_i ξ_i^μ σ_i from scratch, O(NP).
    public static func recomputedOverlapSums(patterns: PatternMatrix, spins: [Int8]) -> [Sum] {
        let p = patterns.patterns
        var sums = [Int64](repeating: 0, count: p)
        for i in 0..<patterns.neurons {
            let s = Int64(spins[i])
            for mu in 0..<p { sums[mu] += Int64(patterns.entries[i * p + mu]) * s }
        }
        return sums.map { Sum($0) }
    }

    /// The incrementally kept sums equal a recomputation from the spins.
    public func checkInvariants() -> Bool {
        overlapSums == Self.recomputedOverlapSums(patterns: patterns, spins: spins)
    }

    /// m_μ = M_μ / N.
    public func overlap(_ mu: Int) -> Double { Double(overlapSums[mu]) / Double(neurons) }

    /// All Mattis overlaps m_μ.
    public var overlaps: [Double] { overlapSums.map { Double($0) / Double(neurons) } }

    /// N h_i = Σ_μ ξ_i^μ M_μ − c_i σ_i, exactly, in integers.
    public func scaledLocalField(_ i: Int) -> Int64 {
        var acc: Int64 = 0
        let p = patternCount
        for mu in 0..<p { acc += Int64(patterns.entries[i * p + mu]) * Int64(overlapSums[mu]) }
        return acc - Int64(patterns.selfCouplings[i]) * Int64(spins[i])
    }

    /// h_i = Σ_{j≠i} J_ij σ_j.
    public func localField(_ i: Int) -> Double { Double(scaledLocalField(i)) / Double(neurons) }

    /// Σ_μ M_μ², exactly.
    public var sumOfSquaredOverlapSums: Int64 {
        overlapSums.reduce(into: Int64(0)) { $0 += Int64($1) * Int64($1) }
    }

    /// Energy per neuron H/N = −½ Σ_μ m_μ² + Σ_i c_i/(2N²) = (Σ_i c_i − Σ_μ M_μ²) / (2N²).
    public var energyPerNeuron: Double {
        let n = Double(neurons)
        return Double(patterns.totalSelfCoupling - sumOfSquaredOverlapSums) / (2 * n * n)
    }
}

extension ClassicalHebbianReplica: MonteCarloReplica {
    public var measuredPatterns: Int { patternCount }
    @inline(__always)
    public func archetypeOverlapSum(_ mu: Int) -> Int { Int(overlapSums[mu]) }
    public var exampleOverlap: Double? { nil }
}
