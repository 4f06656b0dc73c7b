extension ClassicalHebbianReplica {
    /// One Monte Carlo sweep: N single-spin updates in the given order, each computing
    /// N h_i = Σ_μ ξ_i^μ M_μ − c_i σ_i from the kept overlap sums (O(P)) and, after a flip, updating
    /// M_μ += 2σ_i^new ξ_i^μ (O(P)). Returns the number of flips.
    ///
    /// The loop is plain and allocation-free: one contiguous pattern row (Int8) against the overlap
    /// sums (Int16 or Int32), accumulated in the wider integer type, which the compiler turns into
    /// vector multiply-adds.
    public mutating func sweep<Rule: SpinUpdateRule>(rule: Rule, order: UpdateOrder,
                                                     rng: inout Xoshiro256StarStar) -> Int {
        let n = neurons
        let p = patternCount
        var flips = 0
        patterns.selfCouplings.withUnsafeBufferPointer { selfCoupling in
            patterns.entries.withUnsafeBufferPointer { xiBuffer in
                spins.withUnsafeMutableBufferPointer { sigma in
                    overlapSums.withUnsafeMutableBufferPointer { sums in
                        let xi = xiBuffer.baseAddress!
                        let m = sums.baseAddress!
                        for step in 0..<n {
                            let i = order == .sequential ? step : rng.nextIndex(below: n)
                            let row = xi + i * p
                            let acc = Sum.patternDot(row, m, p)
                            let current = sigma[i]
                            let field = Int64(acc) - Int64(selfCoupling[i]) * Int64(current)
                            let updated = rule.newSpin(current: current, scaledField: field, rng: &rng)
                            if updated != current {
                                sigma[i] = updated
                                let d = Sum(truncatingIfNeeded: 2 * Int(updated))
                                Sum.addPatternRow(row, times: d, to: m, p)
                                flips += 1
                            }
                        }
                    }
                }
            }
        }
        return flips
    }

    /// One sweep with the rule for `dynamics` at inverse temperature `beta` (ignored at T = 0).
    /// Exported specialisations let other modules (tests, benchmarks) call the fast loop.
    @_specialize(exported: true, where Sum == Int16)
    @_specialize(exported: true, where Sum == Int32)
    public mutating func sweep(dynamics: Dynamics, beta: Double, order: UpdateOrder,
                               rng: inout Xoshiro256StarStar) -> Int {
        sweepWithRule(of: dynamics, beta: beta, order: order, rng: &rng)
    }
}

extension ClassicalHebbianReplica: RuleSweeping {}
