import Foundation

extension PlefkaEngine {
    /// The Jacobi form of ``solveBinaryThree(start:afterSweep:)`` (P = 3, ±1 couplings, self-averaged
    /// reaction): each sweep computes every field from the previous sweep's magnetisations,
    /// S_ν = Σ_j η_j^ν m_j and F_i = Σ_ν η_i^ν S_ν² from the coupling bits (two passes over N·K_c
    /// bits, ``SignBits``; S recomputed from scratch, nothing drifts), then
    /// ```
    /// m_i ← (1 − λ) m_i + λ tanh β[(w/N²)(½F_i − m_i T + ½ r_i (2m_i² − Q)) + h ξ_i¹ − β m_i′ Γ₂(1 − q)q],
    /// T = Σ_ν S_ν, Q = Σ_j m_j² = Nq, r_i = Σ_ν η_i^ν, Γ₂ = 2Γ,
    /// ```
    /// over the whole vector, m_i′ the sweep before's m_i in the Onsager term (the time index of
    /// approximate message passing: on the committed dense P = 3 grid, with the monitor's window at 20
    /// sweeps, it left 18 of 70 points unconverged against 27 with the current m; sequential sweeps 14,
    /// and this sweep with the window at 40, below, also 14). Same equations at the fixed
    /// point, same stopping rule; the residual is evaluated with the current m throughout.
    func solveBinaryThreeParallel(start: [Double]?, afterSweep: ((Int, [Double]) -> Void)?, bits: SignBits) -> PlefkaFixedPoint {
        let clock = ContinuousClock.now
        let n = network.neurons, kc = network.couplingCount
        let beta = 1 / temperature, nd = Double(n)
        var m = start ?? network.archetypes.pattern(0).map(Double.init)
        let rowSums = bits.rowSums                                     // r_i = Σ_ν η_i^ν
        let gamma = reactionStrength * 2
        let prefactor = network.weight / (nd * nd)
        let cue = settings.cue, xi1 = condensedDirection               // h, ξ_i¹
        let order = settings.order
        // A longer window than the sequential sweep's 20: near the retrieval edge the parallel map's change
        // plateaus for tens of sweeps before it converges (on the committed dense P = 3 grid, window 20
        // stopped one sample at each of four points that sequential sweeps converge at; window 40
        // converges at exactly the sequential sweep's 56 of 70 points). Its sweeps cost an eighth of a
        // sequential one (N = 300, K = 4500), so a failure still costs less.
        var monitor = PlefkaMonitor(settings, window: 40)
        var failure: String?
        var sweeps = 0, residual = 0.0, reactionSum = 0.0, fieldSum = 0.0
        let ones = [Double](repeating: 1, count: n)                    // Q = Σ_j 1·m_j²
        let workspace = ParallelWorkspace(neurons: n, columns: kc, start: m)
        defer { workspace.deallocate() }
        m.withUnsafeMutableBufferPointer { mBuffer in
            let mp = mBuffer.baseAddress!, sp = workspace.overlaps, fp = workspace.fields
            let up = workspace.arguments, tp = workspace.targets, back = workspace.twoBack
            let work = workspace.scratch
            var squares = 0.0
            for i in 0..<n { squares += mp[i] * mp[i] }
            /// u_i = β(h_i − reaction_i) at the current m into `up`, the reaction's m_i read
            /// from `previous` (the sweep before, in the iteration; the current m for the
            /// residual); with `sizes`, also Σ|h_i| and Σ|reaction_i|.
            func arguments(reactionOf previous: UnsafePointer<Double>, sizes: Bool) -> (field: Double, reaction: Double) {
                bits.overlaps(mp, into: sp, scratch: work)
                var total = 0.0
                for nu in 0..<kc { total += sp[nu] }
                for nu in 0..<kc { sp[nu] *= sp[nu] }
                let (a, b) = bits.fields(sp, into: fp, scratch: work)
                let q = squares / nd
                let reaction = order == .second ? beta * gamma * (1 - q) * q : 0
                var fieldTotal = 0.0, reactionTotal = 0.0
                for i in 0..<n {
                    let mi = mp[i]
                    let h = prefactor * (0.5 * (a * fp[i] - b) - mi * total + 0.5 * rowSums[i] * (2 * mi * mi - squares))
                        + cue * xi1[i]
                    up[i] = beta * (h - reaction * previous[i])
                    if sizes { fieldTotal += abs(h); reactionTotal += abs(beta * gamma * (1 - q) * q * mi) }
                }
                return (fieldTotal, reactionTotal)
            }
            var change = Double.infinity
            while sweeps < settings.maxSweeps, change > settings.tolerance {
                _ = arguments(reactionOf: back, sizes: false)
                VectorMath.tanh(up, tp, n)
                let sizes = ones.withUnsafeBufferPointer {
                    dampedUpdate(mp, toward: tp, twoBack: back, count: n, damping: monitor.damping, weights: $0.baseAddress!)
                }
                change = sizes.change
                squares = sizes.weightedSquares
                sweeps += 1
                if let afterSweep { afterSweep(sweeps, Array(mBuffer)) }
                if let reason = monitor.afterSweep(change, sweeps: sweeps, step: sizes.step, twoSteps: sizes.twoSteps) {
                    failure = reason; break
                }
            }
            (fieldSum, reactionSum) = arguments(reactionOf: mp, sizes: true)
            VectorMath.tanh(up, tp, n)
            for i in 0..<n { residual = max(residual, abs(mp[i] - tp[i])) }
        }
        if !residual.isFinite || residual.isNaN { residual = .infinity }
        let elapsed = ContinuousClock.now - clock
        return PlefkaFixedPoint(magnetizations: m, sweeps: sweeps, converged: failure == nil && residual <= 10 * settings.tolerance,
                                residual: residual, reactionField: reactionSum / nd, meanField: fieldSum / nd,
                                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                                failure: failure)
    }
}
