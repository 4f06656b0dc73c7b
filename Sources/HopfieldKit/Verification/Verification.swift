import Foundation

/// One textbook prediction checked by simulation against theory.
public struct VerificationResult: Sendable, Codable {
    public var prediction: String
    public var source: String
    public var theory: Double
    public var simulated: Double
    /// Statistical uncertainty of `simulated` (thermal and disorder).
    public var error: Double
    /// The tolerance used: z·error plus a stated finite-size allowance.
    public var tolerance: Double
    public var agrees: Bool
    /// How agreement is judged, in words, with the system size.
    public var criterion: String
}

/// The curated suite behind `hopsim verify`: classical Hopfield predictions, each simulated at a
/// size that finishes in minutes on a laptop (`quick`: seconds, for the tests) and judged with a
/// tolerance of 3 standard errors plus an explicit finite-size allowance a/√N (a stated per check,
/// because corrections near transitions are O(N^-1/2)); α_c is judged on the resolution of its α scan.
public enum Verification {
    /// One check: the Monte Carlo runs it needs and how its verdicts follow from their results.
    public struct Check {
        public var name: String
        public var runs: [MonteCarloParameters]
        let judge: ([MonteCarloResult]) throws -> [VerificationResult]
    }

    /// Every check, at full or quick sizes.
    public static func checks(quick: Bool) throws -> [Check] {
        let measure = try GaussianMeasure()
        let n = quick ? 800 : 4000
        let sweeps = quick ? 1000 : 4000, samples = quick ? 2 : 8
        func judge(_ prediction: String, _ source: String, theory: Double, simulated: Double, error: Double,
                   allowance a: Double, neurons: Int) -> VerificationResult {
            let tolerance = 3 * error + a / Double(neurons).squareRoot()
            return VerificationResult(prediction: prediction, source: source, theory: theory, simulated: simulated, error: error,
                                      tolerance: tolerance, agrees: abs(simulated - theory) <= tolerance,
                                      criterion: "|sim − theory| ≤ 3σ + \(a)/√N, N = \(neurons)")
        }
        var checks: [Check] = []

        // 1. Curie–Weiss limit: P = 1, T = 0.6.
        checks.append(Check(name: "Curie–Weiss limit", runs: [
            MonteCarloParameters(neurons: n, patterns: 1, temperature: 0.6, thermalization: 200, sweeps: sweeps,
                                 samples: 1, replicas: 4, seed: 11),
        ]) { results in
            let mc = results[0].observables.mAbs
            let m = CurieWeiss.magnetisation(temperature: 0.6) ?? .nan
            return [judge("Curie–Weiss limit: m = tanh(m/T) at P = 1, T = 0.6", "Curie–Weiss; AGS α → 0",
                          theory: m, simulated: mc.mean, error: mc.totalError, allowance: 1, neurons: n)]
        })
        // 2–3. Retrieval state at α = 0.05, T = 0.1: overlap and internal energy.
        let retrieval = MonteCarloParameters(neurons: n, patterns: Int((0.05 * Double(n)).rounded()), temperature: 0.1,
                                             thermalization: 200, sweeps: sweeps, samples: samples, replicas: 2, seed: 12)
        checks.append(Check(name: "retrieval at α = 0.05, T = 0.1", runs: [retrieval]) { results in
            let o = results[0].observables
            let rs = ClassicalReplicaSymmetric(alpha: retrieval.alpha, temperature: 0.1, measure: measure).solve()
                .first { $0.branch == .retrieval && $0.stable }
            return [judge("retrieval overlap m at α = 0.05, T = 0.1", "AGS 1985 RS equations",
                          theory: rs?.m ?? .nan, simulated: o.m.mean, error: o.m.totalError, allowance: 0.1, neurons: n),
                    judge("retrieval energy u = f + Ts at α = 0.05, T = 0.1", "AGS 1987 RS free energy",
                          theory: rs?.energy ?? .nan, simulated: o.energy.mean, error: o.energy.totalError, allowance: 0.1, neurons: n)]
        })
        // 4. Paramagnet above T_g: α = 0.05, T = 1.5 (the RS paramagnet is exact there).
        let paramagnet = MonteCarloParameters(neurons: n, patterns: Int((0.05 * Double(n)).rounded()), temperature: 1.5,
                                              thermalization: 200, sweeps: sweeps, samples: samples, replicas: 2,
                                              initialState: .random, seed: 13)
        checks.append(Check(name: "paramagnet above T_g", runs: [paramagnet]) { results in
            let o = results[0].observables
            let pm = ClassicalReplicaSymmetric(alpha: paramagnet.alpha, temperature: 1.5, measure: measure).paramagnet()
            return [judge("paramagnet energy above T_g: α = 0.05, T = 1.5", "AGS 1987 (paramagnetic free energy)",
                          theory: pm?.energy ?? .nan, simulated: o.energy.mean, error: o.energy.totalError, allowance: 0.5, neurons: n)]
        })
        // 5. T_g = 1 + √α, α = 0.05: the spin-glass order √⟨q²⟩ (replicas from independent random
        //    states) is at noise level (≤ 3/√N) at T_g + 0.3 and above it at T_g − 0.3; the
        //    simulated estimate is where √⟨q²⟩ falls through 3/√N, interpolated on T_g − 0.3, T_g,
        //    T_g + 0.3 (crude: ±0.3, and biased upward by the finite-N tail of q).
        let alphaG = 0.05, tg = 1 + alphaG.squareRoot()
        let glassTemperatures = [tg - 0.3, tg, tg + 0.3]
        checks.append(Check(name: "T_g", runs: glassTemperatures.map { t in
            MonteCarloParameters(neurons: n, patterns: Int((alphaG * Double(n)).rounded()), temperature: t,
                                 thermalization: 500, sweeps: sweeps, samples: samples, replicas: 2,
                                 initialState: .random, seed: 14)
        }) { results in
            let order = results.map { $0.observables.q2!.mean.squareRoot() }
            let noise = 3 / Double(n).squareRoot()
            let located = order[2] <= noise && order[0] > noise
            let crossing = Comparison.crossing(Array(zip(glassTemperatures, order)), noise) ?? .nan
            let theory = ClassicalCriticalLines(measure: measure).glassTransition(alpha: alphaG).temperature
            return [VerificationResult(
                prediction: "spin-glass transition T_g = 1 + √α at α = 0.05", source: "AGS 1985",
                theory: theory, simulated: crossing.isFinite ? crossing : tg + 0.3, error: 0.3, tolerance: 0.3,
                agrees: located && abs(crossing - theory) <= 0.3,
                criterion: String(format: "√⟨q²⟩ = %.3f, %.3f, %.3f at T = %.3f, %.3f, %.3f falls through 3/√N = %.3f inside the bracket, N = %d",
                                  order[0], order[1], order[2], glassTemperatures[0], glassTemperatures[1], glassTemperatures[2], noise, n))]
        })
        // 6. α_c(T = 0): zero-temperature dynamics from the pattern; where the sample-averaged m
        //    falls through 0.9 on a 0.01-step α scan (linear interpolation). Retrieval states have
        //    m ≥ 0.967 up to α_c; the states the dynamics falls into once retrieval is lost have
        //    m ≲ 0.7 on average at these N, so 0.9 separates the two.
        let step = 0.01
        let scanAlphas = (0...10).map { 0.10 + step * Double($0) }
        checks.append(Check(name: "α_c(T = 0)", runs: scanAlphas.map { alpha in
            MonteCarloParameters(neurons: n, patterns: Int((alpha * Double(n)).rounded()), temperature: 0,
                                 dynamics: .zeroTemperature, thermalization: 0, sweeps: 50,
                                 samples: samples * 2, replicas: 1, seed: 15)
        }) { results in
            let capacity = ClassicalCriticalLines(measure: measure).capacityAtZeroTemperature().alpha
            let scan = zip(scanAlphas, results.map(\.observables.m.mean)).map { ($0, $1) }
            let crossing = Comparison.crossing(scan, 0.9) ?? .nan
            let tolerance = step + 1 / Double(n).squareRoot()
            return [VerificationResult(
                prediction: "capacity α_c(T = 0) = 0.138", source: "AGS 1985; docs/physics.md §1.10",
                theory: capacity, simulated: crossing, error: step, tolerance: tolerance,
                agrees: abs(crossing - capacity) <= tolerance,
                criterion: String(format: "α where m falls through 0.9 (T = 0 dynamics from ξ¹, 0.01-step scan) within 0.01 + 1/√N = %.3f, N = %d", tolerance, n))]
        })
        // 7. Multitasking hierarchy at T = 0 (K = 3, d = 0.3): the sorted amplitudes of zero-temperature
        //    dynamics from ξ¹ against the exact low-storage solution m_k = (1 − d)d^{k−1}.
        var hierarchy = MonteCarloParameters(neurons: n, patterns: 3, temperature: 0, dynamics: .zeroTemperature,
                                             thermalization: 20, sweeps: 20, samples: samples * 2, replicas: 2, seed: 16)
        hierarchy.family = .multitasking(dilution: 0.3)
        checks.append(Check(name: "multitasking hierarchy", runs: [hierarchy]) { results in
            let sorted = results[0].observables.sortedOverlaps!
            let theory = try MultitaskingLowStorage(patterns: 3, dilution: 0.3, temperature: 0)
            let exact = theory.solveBranches().first { $0.global }?.m ?? theory.hierarchicalAnsatz
            return (0..<3).map { k in
                judge("multitasking hierarchy |m|_(\(k + 1)) at K = 3, d = 0.3, T = 0", "Agliari et al., PRL 108, 268101 (2012)",
                      theory: exact[k], simulated: sorted[k].mean, error: sorted[k].totalError, allowance: 1, neurons: n)
            }
        })
        // 10. Dense P = 3 network (Gardner form) in retrieval, α = 0.03, T = 0.15: overlap against its RS
        //     theory (hopsim's derivation, DenseReplicaSymmetric), N = 150 (quick) or 300.
        let nd = quick ? 150 : 300
        var dense = MonteCarloParameters(neurons: nd, patterns: 1, temperature: 0.15, thermalization: 100,
                                         sweeps: quick ? 200 : 600, samples: samples, replicas: 2, seed: 17)
        dense.family = .dense(DenseSettings(order: 3))
        dense.patterns = dense.family.patterns(alpha: 0.03, neurons: nd)
        checks.append(Check(name: "dense P = 3 retrieval", runs: [dense]) { results in
            let o = results[0].observables
            let rs = DenseReplicaSymmetric(order: 3, alpha: 0.03, temperature: 0.15, measure: measure).stableRetrieval()
            return [judge("dense P = 3 retrieval overlap at α = K/N² = 0.03, T = 0.15", "RS of the P-spin Hebbian network (DenseReplicaSymmetric)",
                          theory: rs?.m ?? .nan, simulated: o.m.mean, error: o.m.totalError, allowance: 0.2, neurons: nd)]
        })
        // 11. Multitasking network trained on M = 10 examples (r = 0.6) of K = 3 archetypes, d = 0.3,
        //     T = 0.05: the top archetype overlap against the exact low-storage equations.
        var trained = MonteCarloParameters(neurons: n, patterns: 3, temperature: 0.05, thermalization: 100,
                                           sweeps: quick ? 200 : 500, samples: samples, replicas: 2, seed: 18)
        trained.family = .multitasking(dilution: 0.3, training: TrainingSet(examples: 10, quality: 0.6, learning: .supervised))
        checks.append(Check(name: "trained multitasking", runs: [trained]) { results in
            let top = results[0].observables.sortedOverlaps![0]
            let theory = try MultitaskingLowStorage(patterns: 3, dilution: 0.3, temperature: 0.05,
                                                    training: trained.family.training).solveBranches().first { $0.global }
            return [judge("trained multitasking |m|_(1): K = 3, d = 0.3, M = 10, r = 0.6, T = 0.05",
                          "Agliari, Alessandrelli, Barra, Ricci-Tersenghi, arXiv 2308.04106 (low-storage equations)",
                          theory: theory?.m[0] ?? .nan, simulated: top.mean, error: top.totalError, allowance: 1, neurons: n)]
        })
        return checks
    }

    /// Runs every check; `progress` gets each verdict as a line, `fraction` the share of the
    /// planned Monte Carlo work done after each run.
    public static func run(quick: Bool, threads: Int, progress: (@Sendable (String) -> Void)? = nil,
                           fraction: (@Sendable (Double) -> Void)? = nil) throws -> [VerificationResult] {
        let checks = try checks(quick: quick)
        let total = max(checks.flatMap(\.runs).map(\.operations).reduce(0, +), 1)
        var done = 0.0
        var results: [VerificationResult] = []
        for check in checks {
            let outcomes = try check.runs.map { p throws -> MonteCarloResult in
                let r = try MonteCarloRun.run(p, threads: threads)
                done += p.operations
                fraction?(done / total)
                return r
            }
            for r in try check.judge(outcomes) {
                results.append(r)
                progress?("\(r.agrees ? "ok  " : "FAIL") \(r.prediction)")
            }
        }
        return results
    }

    /// The suite's wall time on `threads` threads, estimated from this machine: the first run of each
    /// check, shortened to about 0.1 s (one sample per thread, thermalisation and measurement in the
    /// run's proportion), gives that check's speed in operations per second; each run's work divided
    /// by it and by the threads its samples can use is summed. Returns (estimate, seconds measuring).
    public static func estimate(quick: Bool, threads: Int) throws -> (seconds: Double, measuring: Double) {
        let clock = DispatchTime.now().uptimeNanoseconds
        var seconds = 0.0
        for check in try checks(quick: quick) {
            guard let first = check.runs.first else { continue }
            let width = max(1, min(threads, first.samples))
            let probe = first.probe(seconds: 0.1, rate: GridRun.assumedOperationsPerSecond, samples: width)
            let t = DispatchTime.now().uptimeNanoseconds
            _ = try MonteCarloRun.run(probe, threads: width)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - t) * 1e-9
            let rate = probe.operations / max(elapsed, 1e-9)          // operations per second on `width` threads
            for p in check.runs {
                let parallel = Double(max(1, min(threads, p.samples))) / Double(width)
                seconds += p.operations / rate / parallel
            }
        }
        return (seconds, Double(DispatchTime.now().uptimeNanoseconds - clock) * 1e-9)
    }
}
