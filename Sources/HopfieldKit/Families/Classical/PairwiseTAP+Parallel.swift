import Foundation

extension PairwiseTAP {
    /// The Jacobi form of ``solve(start:afterSweep:)``: each sweep computes every field from the
    /// previous sweep's magnetisations, S = ξᵀm and F = ξS from the pattern bits (O(N P), two passes
    /// over N·P bits, the overlaps recomputed from scratch so that nothing drifts), then
    /// m_i ← (1 − λ) m_i + λ tanh β[F_i/N + h ξ_i¹ − (c_i/N)(m_i + m_i′ χ/(1 − χ))] over the whole
    /// vector, m_i′ the sweep before's m_i in the Onsager part (the time index of approximate message
    /// passing; on the committed classical grid the same 27 of 120 points converge either way).
    /// Same equations at the fixed point, reaction forms, χ cap, stopping rule, stability condition and
    /// residual (with the current m throughout) as the sequential sweep.
    func solveParallel(start: [Double]?, afterSweep: ((Int, [Double]) -> Void)?) -> PlefkaFixedPoint {
        let clock = ContinuousClock.now
        let n = patterns.neurons, p = patterns.patterns
        let beta = 1 / temperature, nd = Double(n)
        let (order, onsager, cue) = (settings.order, settings.onsager, settings.cue)
        var monitor = PlefkaMonitor(settings)
        var m = start ?? patterns.pattern(0).map(Double.init)
        let c = selfCouplingsPerNeuron                                 // c_i/N
        let xi1 = condensedDirection                                   // ξ_i¹, for the cue
        let totalC = Double(patterns.totalSelfCoupling)
        var sweeps = 0, residual = 0.0, reactionSum = 0.0, fieldSum = 0.0
        var failure: String?
        var replicon: Double?
        // χ = (β/N) Σ_j (c_j/P)(1 − m_j²).
        func chi(_ m: UnsafeMutablePointer<Double>) -> Double {
            var weighted = 0.0
            for i in 0..<n { weighted += c[i] * m[i] * m[i] }
            return beta * (totalC / nd - weighted) / Double(p)
        }
        let work = ParallelWorkspace(neurons: n, columns: p, start: m)
        defer { work.deallocate() }
        m.withUnsafeMutableBufferPointer { mBuffer in
            let mp = mBuffer.baseAddress!, sp = work.overlaps, fp = work.fields
            let up = work.arguments, tp = work.targets, back = work.twoBack
            var x = chi(mp)
            // The cap on χ in the resummed reaction (see the sequential sweep).
            var cap = 0.5
            /// u_i = β(field_i − reaction_i) at the current m into `up`, the reaction's χ
            /// capped at `limit` (nil: uncapped; then also Σ|field|, Σ|Onsager part|).
            func arguments(cap limit: Double?) -> (field: Double, onsager: Double) {
                bits.overlaps(mp, into: sp, scratch: work.scratch)
                let (a, b) = bits.fields(sp, into: fp, scratch: work.scratch)
                let (scale, offset) = (a / nd, b / nd)
                let capped = limit.map { min(x, $0) } ?? x
                let resummed = capped < 1 ? capped / (1 - capped) : Double.infinity
                if limit != nil, onsager == .selfAveraged {
                    // The sweep's loop: u_i = β[F_i/N + h ξ_i¹ − (c_i/N)(m_i + m_i′ χ/(1 − χ))]: the
                    // self-coupling removed with the current m_i (it cancels F's j = i term), the
                    // Onsager part (second order) with m_i′ from the sweep before.
                    let extra = order == .second ? resummed : 0
                    for i in 0..<n {
                        up[i] = beta * (scale * fp[i] - offset + cue * xi1[i] - c[i] * (mp[i] + back[i] * extra))
                    }
                    return (0, 0)
                }
                // The size of the reaction where the uncapped term is infinite: at the cap reached.
                let reported = limit == nil && !(x < 1) ? min(x, cap) / (1 - min(x, cap)) : resummed
                var fieldTotal = 0.0, onsagerTotal = 0.0
                for i in 0..<n {
                    let field = scale * fp[i] - offset + cue * xi1[i]
                    let self_ = c[i] * mp[i]
                    let extra: Double
                    switch onsager {
                    case .selfAveraged:
                        extra = self_ * resummed
                        onsagerTotal += abs(self_ * reported)
                    case .sample:
                        extra = beta * mp[i] * sampleReactionSum(i, UnsafePointer(mp))
                        onsagerTotal += abs(extra)
                    }
                    up[i] = beta * (field - (order == .second ? self_ + extra : self_))
                    fieldTotal += abs(field)
                }
                return (fieldTotal, onsagerTotal)
            }
            var change = Double.infinity
            while sweeps < settings.maxSweeps {
                if change <= settings.tolerance {
                    guard order == .second, onsager == .selfAveraged, x >= cap else { break }
                    guard cap < 1 - 1e-9, x < 1 else {
                        failure = "χ = β(1 − q̃) = \(x) ≥ 1 at the fixed point: outside the domain of the resummed Onsager term"
                        break
                    }
                    cap = 0.5 * (1 + cap)
                    monitor.reset()
                }
                _ = arguments(cap: cap)
                VectorMath.tanh(up, tp, n)
                // The update, with what the monitor and the next sweep need, in one pass.
                let sizes = c.withUnsafeBufferPointer {
                    dampedUpdate(mp, toward: tp, twoBack: back, count: n, damping: monitor.damping, weights: $0.baseAddress!)
                }
                change = sizes.change
                x = beta * (totalC / nd - sizes.weightedSquares) / Double(p)
                sweeps += 1
                if let afterSweep { afterSweep(sweeps, Array(mBuffer)) }
                if let reason = monitor.afterSweep(change, sweeps: sweeps, step: sizes.step, twoSteps: sizes.twoSteps) {
                    failure = reason; break
                }
            }
            // Plefka's stability condition (as in the sequential sweep).
            x = chi(mp)
            if order == .second, onsager == .selfAveraged, x < 1 {
                let v = totalC / (nd * Double(p))
                var fourth = 0.0
                for i in 0..<n { fourth += (1 - mp[i] * mp[i]) * (1 - mp[i] * mp[i]) }
                let value = Double(p) / nd * beta * beta * v * v * (fourth / nd) / ((1 - x) * (1 - x))
                replicon = value
                if value >= 1, failure == nil {
                    failure = "Plefka's stability condition fails: x = αβ²v²⟨(1 − m²)²⟩/(1 − χ)² = \(String(format: "%.3g", value)) ≥ 1 (AGS's replicon): not a stable TAP state (spin-glass region)"
                }
            }
            // Residual at the returned point with the uncapped reaction.
            (fieldSum, reactionSum) = arguments(cap: nil)
            VectorMath.tanh(up, tp, n)
            for i in 0..<n { residual = max(residual, abs(mp[i] - tp[i])) }
            // Where χ ≥ 1 the uncapped reaction, and with it the residual, is undefined.
            if order == .second, onsager == .selfAveraged, !(x < 1) { residual = .infinity }
        }
        if !residual.isFinite || residual.isNaN { residual = .infinity }
        let elapsed = ContinuousClock.now - clock
        return PlefkaFixedPoint(magnetizations: m, sweeps: sweeps, converged: failure == nil && residual <= 10 * settings.tolerance,
                                residual: residual, reactionField: reactionSum / nd, meanField: fieldSum / nd,
                                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                                failure: failure, replicon: replicon)
    }
}
