/// One replica of the classical Hopfield network (``ClassicalHebbianReplica``: the same Hamiltonian,
/// H/N = (P·N − Σ_μ M_μ²)/(2N²), and the same dynamics) on bit-packed ±1 patterns
/// (``PackedPatterns``). Besides the overlap sums M_μ it keeps their total S = Σ_μ M_μ, so that
/// ```
/// N h_i = Σ_μ ξ_i^μ M_μ − P σ_i = 2 A_i − S − P σ_i,   A_i = Σ_{μ: ξ_i^μ = +1} M_μ,
/// ```
/// and after a flip to σ_i, M_μ += 2σ_i ξ_i^μ and S += 2σ_i s_i (s_i = Σ_μ ξ_i^μ).
///
/// Every quantity is the same integer as in the Int8 engine, and the update rule sees the same
/// field, so the same streams give the same trajectory spin for spin (tested for heat-bath,
/// Metropolis and T = 0).
public struct PackedHebbianReplica<Sum: PackedOverlapSum>: Sendable {
    public let patterns: PackedPatterns
    /// σ_i ∈ {−1, +1}.
    public internal(set) var spins: [Int8]
    /// M_μ = Σ_i ξ_i^μ σ_i for μ < P, then scratch lanes up to ``PackedPatterns/paddedPatterns``.
    public internal(set) var paddedOverlapSums: [Sum]
    /// S = Σ_{μ<P} M_μ.
    public internal(set) var overlapTotal: Int64

    public var neurons: Int { patterns.neurons }
    public var patternCount: Int { patterns.patterns }

    /// - Precondition: `spins.count == patterns.neurons`, entries ±1, the kernels exact at this size
    ///   (``PackedKernels/supports(neurons:patterns:)``) and `Sum` wide enough.
    public init(patterns: PackedPatterns, spins: [Int8]) {
        precondition(spins.count == patterns.neurons && spins.allSatisfy { $0 == 1 || $0 == -1 })
        precondition(PackedKernels.supports(neurons: patterns.neurons, patterns: patterns.patterns))
        precondition(Sum.bitWidth >= (OverlapWidth.required(neurons: patterns.neurons,
                                                            patterns: patterns.patterns) == .int16 ? 16 : 32))
        self.patterns = patterns
        self.spins = spins
        // M = Σ_i σ_i ξ_i by the vector row update (|M_μ| ≤ N fits `Sum`; O(NP/32) vector operations
        // instead of NP bit reads), then the scratch lanes cleared.
        var sums = [Sum](repeating: 0, count: patterns.paddedPatterns)
        patterns.words.withUnsafeBufferPointer { rows in
            sums.withUnsafeMutableBufferPointer { m in
                for i in 0..<patterns.neurons {
                    Sum.addRow(rows.baseAddress! + i * patterns.wordsPerRow, times: Sum(spins[i]), to: m.baseAddress!,
                               patterns.wordsPerRow)
                }
            }
        }
        for mu in patterns.patterns..<sums.count { sums[mu] = 0 }
        self.paddedOverlapSums = sums
        self.overlapTotal = sums.reduce(Int64(0)) { $0 + Int64($1) }
    }

    /// M_μ = Σ_i ξ_i^μ σ_i from scratch, bit by bit, O(NP) (the check of ``checkInvariants()``).
    public static func recomputedOverlapSums(patterns: PackedPatterns, spins: [Int8]) -> [Int64] {
        var sums = [Int64](repeating: 0, count: patterns.patterns)
        for i in 0..<patterns.neurons {
            let s = Int64(spins[i])
            for mu in 0..<patterns.patterns { sums[mu] += Int64(patterns[neuron: i, pattern: mu]) * s }
        }
        return sums
    }

    /// M_μ for μ < P.
    public var overlapSums: [Sum] { Array(paddedOverlapSums.prefix(patternCount)) }

    /// The incrementally kept sums and their total equal a recomputation from the spins.
    public func checkInvariants() -> Bool {
        let fresh = Self.recomputedOverlapSums(patterns: patterns, spins: spins)
        return overlapSums.map { Int64($0) } == fresh && overlapTotal == fresh.reduce(0, +)
    }

    /// N h_i = Σ_μ ξ_i^μ M_μ − P σ_i, exactly, by the packed kernel.
    public func scaledLocalField(_ i: Int) -> Int64 {
        let a = patterns.words.withUnsafeBufferPointer { rows in
            paddedOverlapSums.withUnsafeBufferPointer { sums in
                Int64(Sum.maskedSum(rows.baseAddress! + i * patterns.wordsPerRow, sums.baseAddress!, patterns.wordsPerRow))
            }
        }
        return 2 * a - overlapTotal - Int64(patternCount) * Int64(spins[i])
    }

    /// m_μ = M_μ / N.
    public func overlap(_ mu: Int) -> Double { Double(paddedOverlapSums[mu]) / Double(neurons) }

    /// Energy per neuron H/N = (P·N − Σ_μ M_μ²) / (2N²).
    public var energyPerNeuron: Double {
        let squares = paddedOverlapSums.prefix(patternCount).reduce(into: Int64(0)) { $0 += Int64($1) * Int64($1) }
        let n = Double(neurons)
        return Double(Int64(patternCount) * Int64(neurons) - squares) / (2 * n * n)
    }

    /// One Monte Carlo sweep, as ``ClassicalHebbianReplica/sweep(rule:order:rng:)`` with the packed
    /// kernels: N h_i = 2A_i − S − Pσ_i, then on a flip M += 2σ_i ξ_i, S += 2σ_i s_i.
    public mutating func sweep<Rule: SpinUpdateRule>(rule: Rule, order: UpdateOrder,
                                                     rng: inout Xoshiro256StarStar) -> Int {
        let n = neurons
        let words = patterns.wordsPerRow
        let selfCoupling = Int64(patternCount)
        var total = overlapTotal
        var flips = 0
        patterns.rowSums.withUnsafeBufferPointer { rowSums in
            patterns.words.withUnsafeBufferPointer { rowBuffer in
                spins.withUnsafeMutableBufferPointer { sigma in
                    paddedOverlapSums.withUnsafeMutableBufferPointer { sums in
                        let rows = rowBuffer.baseAddress!
                        let m = sums.baseAddress!
                        for step in 0..<n {
                            let i = order == .sequential ? step : rng.nextIndex(below: n)
                            let row = rows + i * words
                            let a = Int64(Sum.maskedSum(row, m, words))
                            let current = sigma[i]
                            let field = 2 * a - total - selfCoupling * Int64(current)
                            let updated = rule.newSpin(current: current, scaledField: field, rng: &rng)
                            if updated != current {
                                sigma[i] = updated
                                let d = 2 * Int(updated)
                                Sum.addRow(row, times: Sum(truncatingIfNeeded: d), to: m, words)
                                total += Int64(d) * Int64(rowSums[i])
                                flips += 1
                            }
                        }
                    }
                }
            }
        }
        overlapTotal = total
        return flips
    }

    /// One sweep with the rule for `dynamics` at inverse temperature `beta` (ignored at T = 0).
    @_specialize(exported: true, where Sum == Int16)
    @_specialize(exported: true, where Sum == Int32)
    public mutating func sweep(dynamics: Dynamics, beta: Double, order: UpdateOrder,
                               rng: inout Xoshiro256StarStar) -> Int {
        sweepWithRule(of: dynamics, beta: beta, order: order, rng: &rng)
    }
}

extension PackedHebbianReplica: MonteCarloReplica {
    public var measuredPatterns: Int { patternCount }
    @inline(__always)
    public func archetypeOverlapSum(_ mu: Int) -> Int { Int(paddedOverlapSums[mu]) }
    public var exampleOverlap: Double? { nil }
}

extension PackedHebbianReplica: RuleSweeping {}
