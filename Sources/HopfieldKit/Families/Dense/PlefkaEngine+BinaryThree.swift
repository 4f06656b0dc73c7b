import Foundation

extension PlefkaEngine {
    /// Whether ``solveBinaryThree(start:afterSweep:)`` applies: P = 3, ±1 couplings, the
    /// self-averaged reaction.
    var usesBinaryThree: Bool {
        network.order == 3 && network.binary && network.scale == 1 && settings.onsager == .selfAveraged
    }

    /// The iteration of ``solve(start:afterSweep:)`` for P = 3 with ±1 couplings (plain dense networks,
    /// unsupervised examples). With (η_j^ν)² = 1 the second power sum is Q = Σ_j m_j² for every ν,
    /// so the field of §2.7 needs only S_ν = Σ_j η_j^ν m_j:
    /// ```
    /// Σ_ν η_i^ν e₂(η^ν m without i) = ½ Σ_ν η_i^ν S_ν² − m_i Σ_ν S_ν + ½ r_i (2m_i² − Q),   r_i = Σ_ν η_i^ν
    /// ```
    /// one pass over the row per site, fused with the previous site's S += δ η_j (as for a Monte
    /// Carlo flip). Same fixed point as the general path up to rounding.
    func solveBinaryThree(start: [Double]?, afterSweep: ((Int, [Double]) -> Void)?) -> PlefkaFixedPoint {
        let clock = ContinuousClock.now
        let n = network.neurons, kc = network.couplingCount
        let beta = 1 / temperature
        var m = start ?? network.archetypes.pattern(0).map(Double.init)
        let rows = network.couplings.map { Int8(truncatingIfNeeded: $0) }
        // r_i = Σ_ν η_i^ν, kept with the engine's coupling bits.
        let rowSums = bits?.rowSums ?? (0..<n).map { i in (0..<kc).reduce(0.0) { $0 + Double(rows[i * kc + $1]) } }
        var sums = [Double](repeating: 0, count: kc)
        var total = 0.0                              // T = Σ_ν S_ν
        var squares = m.reduce(0) { $0 + $1 * $1 }  // Q
        let gamma = reactionStrength * 2
        let prefactor = network.weight / Double(n * n)
        let cueDirection = network.archetypes.pattern(0).map(Double.init)
        let (order, cue) = (settings.order, settings.cue)
        var monitor = PlefkaMonitor(settings)
        var failure: String?
        var sweeps = 0, residual = 0.0, reactionSum = 0.0, fieldSum = 0.0
        rows.withUnsafeBufferPointer { rowBuffer in
            sums.withUnsafeMutableBufferPointer { sBuffer in
                m.withUnsafeMutableBufferPointer { mBuffer in
                    let eta = rowBuffer.baseAddress!, s = sBuffer.baseAddress!, mp = mBuffer.baseAddress!
                    for i in 0..<n {
                        PairwiseKernels.addRow(eta + i * kc, mp[i], s, kc)
                        total += rowSums[i] * mp[i]
                    }
                    var pending: (row: Int, delta: Double)?
                    func field(_ i: Int) -> Double {
                        let row = eta + i * kc
                        let d: Double
                        if let (j, delta) = pending {
                            d = PairwiseKernels.addRowThenSquaredDot(eta + j * kc, delta, row, s, kc)
                            pending = nil
                        } else {
                            d = PairwiseKernels.squaredDot(row, s, kc)
                        }
                        let mi = mp[i]
                        return prefactor * (0.5 * d - mi * total + 0.5 * rowSums[i] * (2 * mi * mi - squares)) + cue * cueDirection[i]
                    }
                    func onsager(_ i: Int) -> Double {
                        let q = squares / Double(n)
                        return beta * mp[i] * gamma * (1 - q) * q
                    }
                    var change = Double.infinity
                    while sweeps < settings.maxSweeps, change > settings.tolerance {
                        change = 0
                        for i in 0..<n {
                            let h = field(i)
                            let target = tanh(beta * (h - (order == .second ? onsager(i) : 0)))
                            let old = mp[i]
                            let new = (1 - monitor.damping) * old + monitor.damping * target
                            change = max(change, abs(target - old))
                            if new == old { continue }
                            pending = (i, new - old)
                            total += rowSums[i] * (new - old)
                            squares += new * new - old * old
                            mp[i] = new
                        }
                        if let (j, delta) = pending { PairwiseKernels.addRow(eta + j * kc, delta, s, kc); pending = nil }
                        sweeps += 1
                        if let afterSweep { afterSweep(sweeps, Array(mBuffer)) }
                        if let reason = monitor.afterSweep(change, sweeps: sweeps, mp, count: n) { failure = reason; break }
                    }
                    for i in 0..<n {
                        let h = field(i), r = onsager(i)
                        residual = max(residual, abs(mp[i] - tanh(beta * (h - (order == .second ? r : 0)))))
                        reactionSum += abs(r)
                        fieldSum += abs(h)
                    }
                }
            }
        }
        let elapsed = ContinuousClock.now - clock
        return PlefkaFixedPoint(magnetizations: m, sweeps: sweeps, converged: failure == nil && residual <= 10 * settings.tolerance,
                                residual: residual, reactionField: reactionSum / Double(n), meanField: fieldSum / Double(n),
                                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                                failure: failure)
    }
}

extension PairwiseKernels {
    /// Σ_ν η_ν S_ν² over an Int8 row.
    @inline(__always)
    static func squaredDot(_ row: UnsafePointer<Int8>, _ s: UnsafePointer<Double>, _ count: Int) -> Double {
        var a0 = SIMD8<Double>(), a1 = SIMD8<Double>()
        var k = 0
        let raw = UnsafeRawPointer(row), sRaw = UnsafeRawPointer(s)
        @inline(__always) func step(_ k: Int, _ acc: inout SIMD8<Double>) {
            let v = sRaw.loadUnaligned(fromByteOffset: 8 * k, as: SIMD8<Double>.self)
            acc.addProduct(SIMD8<Double>(raw.loadUnaligned(fromByteOffset: k, as: SIMD8<Int8>.self)), v * v)
        }
        while k + 16 <= count { step(k, &a0); step(k + 8, &a1); k += 16 }
        while k + 8 <= count { step(k, &a0); k += 8 }
        var total = (a0 + a1).sum()
        while k < count { total += Double(row[k]) * s[k] * s[k]; k += 1 }
        return total
    }

    /// S_ν += δ η′_ν, then Σ_ν η_ν S_ν² with the updated S, in one pass.
    @inline(__always)
    static func addRowThenSquaredDot(_ previous: UnsafePointer<Int8>, _ delta: Double, _ row: UnsafePointer<Int8>,
                                     _ s: UnsafeMutablePointer<Double>, _ count: Int) -> Double {
        var a0 = SIMD8<Double>(), a1 = SIMD8<Double>()
        var k = 0
        let prev = UnsafeRawPointer(previous), raw = UnsafeRawPointer(row), sRaw = UnsafeMutableRawPointer(s)
        let d = SIMD8<Double>(repeating: delta)
        @inline(__always) func step(_ k: Int, _ acc: inout SIMD8<Double>) {
            var v = sRaw.loadUnaligned(fromByteOffset: 8 * k, as: SIMD8<Double>.self)
            v.addProduct(SIMD8<Double>(prev.loadUnaligned(fromByteOffset: k, as: SIMD8<Int8>.self)), d)
            sRaw.storeBytes(of: v, toByteOffset: 8 * k, as: SIMD8<Double>.self)
            acc.addProduct(SIMD8<Double>(raw.loadUnaligned(fromByteOffset: k, as: SIMD8<Int8>.self)), v * v)
        }
        while k + 16 <= count { step(k, &a0); step(k + 8, &a1); k += 16 }
        while k + 8 <= count { step(k, &a0); k += 8 }
        var total = (a0 + a1).sum()
        while k < count {
            s[k] += Double(previous[k]) * delta
            total += Double(row[k]) * s[k] * s[k]
            k += 1
        }
        return total
    }
}
