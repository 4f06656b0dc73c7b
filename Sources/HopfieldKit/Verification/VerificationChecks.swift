import Foundation

extension Verification {
    /// Every check, at full sizes (`hopsim verify`, minutes) or quick ones (`--quick`, under a minute,
    /// smaller N and fewer samples, so honestly wider errors). Each study's samples are disorder
    /// samples scaled as ⌈S·N_max/N⌉ unless said otherwise (``FiniteSizeStudy``).
    public static func checks(quick: Bool) throws -> [Check] {
        let measure = try GaussianMeasure()
        func study(_ template: MonteCarloParameters, alpha: Double? = nil, patterns: Int? = nil, sizes: [Int], samples: Int,
                   scaling: FiniteSizeStudy.SampleScaling = .inverseSize) -> FiniteSizeStudy {
            FiniteSizeStudy(template: template, alpha: alpha, patterns: patterns, neurons: sizes, samples: samples,
                            sampleScaling: scaling)
        }
        func run(_ t: Double, sweeps: Int, thermalization: Int = 200, replicas: Int = 2, initial: InitialState = .pattern,
                 seed: UInt64, family: NetworkFamily = .classical) -> MonteCarloParameters {
            MonteCarloParameters(neurons: 2, patterns: 1, temperature: t, dynamics: t == 0 ? .zeroTemperature : .heatBath,
                                 thermalization: thermalization, sweeps: sweeps, samples: 1, replicas: replicas,
                                 initialState: initial, seed: seed, family: family)
        }
        var checks: [Check] = []

        // 1. Curie–Weiss limit, P = 1, T = 0.6: |m| → m* = tanh(m*/T). P(m) ∝ e^{−N f(m)} is Gaussian
        //    about m* to leading order, so ⟨|m|⟩ = m* + O(1/N): ω = 1.
        let cw = study(run(0.6, sweeps: quick ? 400 : 1000, replicas: 1, seed: 11), patterns: 1,
                       sizes: quick ? [100, 200, 400, 800] : [250, 500, 1000, 2000, 4000], samples: quick ? 4 : 8)
        checks.append(Check(name: "Curie–Weiss limit", studies: [cw]) { s in
            [extrapolate("Curie–Weiss limit: m = tanh(m/T) at P = 1, T = 0.6", source: "Curie–Weiss; AGS α → 0",
                         samples: s[0], observable: "m_abs", omega: .fixed(1), theory: CurieWeiss.magnetisation(temperature: 0.6) ?? .nan,
                         study: cw, why: "ω = 1: Gaussian fluctuations about m*")]
        })

        // 2–5. Classical retrieval: overlap and energy at two (α, T), against the stable RS retrieval state.
        for (alpha, t, seed, sweeps) in [(0.05, 0.1, UInt64(12), 1000), (0.02, 0.5, UInt64(13), 2000)] {
            let retrieval = study(run(t, sweeps: quick ? sweeps / 4 : sweeps, seed: seed), alpha: alpha,
                                  sizes: quick ? [250, 500, 1000, 2000] : [500, 1000, 2000, 4000], samples: quick ? 4 : 8)
            let rs = ClassicalReplicaSymmetric(alpha: alpha, temperature: t, measure: measure).solve()
                .first { $0.branch == .retrieval && $0.stable }
            checks.append(Check(name: "retrieval at α = \(alpha), T = \(t)", studies: [retrieval]) { s in
                [extrapolate("retrieval overlap m at α = \(alpha), T = \(t)", source: "AGS 1985 RS equations", samples: s[0],
                             observable: "m", omega: .automatic, theory: rs?.m ?? .nan, study: retrieval),
                 extrapolate("retrieval energy u = f + Ts at α = \(alpha), T = \(t)", source: "AGS 1987 RS free energy", samples: s[0],
                             observable: "energy", omega: .automatic, theory: rs?.energy ?? .nan, study: retrieval)]
            })
        }

        // 6. Paramagnet above T_g (α = 0.05, T = 1.5; the RS paramagnet is exact there).
        let paramagnet = study(run(1.5, sweeps: quick ? 300 : 1000, initial: .random, seed: 14), alpha: 0.05,
                               sizes: quick ? [250, 500, 1000, 2000] : [500, 1000, 2000, 4000], samples: quick ? 4 : 8)
        let pm = ClassicalReplicaSymmetric(alpha: 0.05, temperature: 1.5, measure: measure).paramagnet()
        checks.append(Check(name: "paramagnet above T_g", studies: [paramagnet]) { s in
            [extrapolate("paramagnet energy above T_g: α = 0.05, T = 1.5", source: "AGS 1987 (paramagnetic free energy)",
                         samples: s[0], observable: "energy", omega: .automatic, theory: pm?.energy ?? .nan, study: paramagnet)]
        })

        // 7. T_g = 1 + √α at α = 0.05 from the scaling of ⟨q²⟩ (docs/physics.md, "Finite-size scaling"):
        //    mean-field spin-glass scaling gives ⟨q²⟩ = N^{−2/3} F(N^{1/3}(T − T_g)), so N^{2/3}⟨q²⟩ of two
        //    sizes cross at T_g (larger N above it below T_g, below it above). Replicas from random states.
        let glassTemperatures = [1.1, 1.175, 1.25, 1.325]
        let glassSizes = quick ? [250, 500, 1000] : [500, 1000, 2000, 4000]
        let glass = glassTemperatures.map { t in
            study(run(t, sweeps: quick ? 800 : 2000, thermalization: quick ? 300 : 500, initial: .random, seed: 15), alpha: 0.05,
                  sizes: glassSizes, samples: quick ? 8 : 16)
        }
        let tg = ClassicalCriticalLines(measure: measure).glassTransition(alpha: 0.05).temperature
        checks.append(Check(name: "T_g", studies: glass) { s in
            func sets(_ n: Int) -> [SizeSamples] {
                s.map { samples in
                    SizeSamples(neurons: n, values: samples.filter { $0.neurons == n }.sorted { $0.sample < $1.sample }
                        .map { [$0.values["q2"]! * pow(Double(n), 2.0 / 3)] })
                }
            }
            return [crossingVerdict(
                "spin-glass transition T_g = 1 + √α at α = 0.05", source: "AGS 1985", theory: tg, sizes: glassSizes,
                x: glassTemperatures, sets: sets, statistic: "N^{2/3}⟨q²⟩", axis: "T", notes: [])]
        })

        // 8. α_c(T = 0): zero-temperature dynamics from ξ¹; a sample retrieves when its final m > 0.9
        //    (retrieval states have m ≥ 0.967 up to α_c; the states reached once retrieval is lost have
        //    m ≈ 0.4–0.65 at these N, so the threshold sits in the gap). The fraction P_N(α) is a
        //    scaling function of (α − α_c)N^{1/ν̄}: curves of two sizes cross at α_c.
        let capacityAlphas = [0.13, 0.135, 0.14, 0.145, 0.15]
        let capacitySizes = quick ? [500, 1000, 2000] : [2000, 4000, 8000, 16000]
        let capacity = capacityAlphas.map { a in
            study(run(0, sweeps: 40, thermalization: 60, replicas: 1, seed: 16), alpha: a, sizes: capacitySizes,
                  samples: quick ? 48 : 256, scaling: .constant)
        }
        let rsCapacity = ClassicalCriticalLines(measure: measure).capacityAtZeroTemperature().alpha
        let rsbCapacity = ClassicalOneStepRSB.zeroTemperatureCapacity(measure: measure)?.alpha ?? .nan
        checks.append(Check(name: "α_c(T = 0)", studies: capacity) { s in
            func sets(_ n: Int) -> [SizeSamples] {
                s.map { samples in
                    SizeSamples(neurons: n, values: samples.filter { $0.neurons == n }.sorted { $0.sample < $1.sample }
                        .map { [$0.values["m"]! > 0.9 ? 1 : 0] })
                }
            }
            var result = crossingVerdict(
                "capacity α_c(T = 0) (RS 0.1379)", source: "AGS 1985; docs/physics.md §1.10", theory: rsCapacity,
                sizes: capacitySizes, x: capacityAlphas, sets: sets, statistic: "the fraction of samples with m > 0.9", axis: "α",
                notes: [])
            let gap = abs(rsbCapacity - rsCapacity)
            let zRSB = result.error > 0 ? (result.extrapolated - rsbCapacity) / result.error : .nan
            let verdict = gap < result.error
                ? String(format: "the data cannot distinguish them (that needs an error below about %.0e)", gap / 3)
                : "the data can tell them apart"
            result.notes.append(String(format: "1RSB α_c = %.5f (z = %+.2f against it); RS and 1RSB differ by %.1e, %.2f of this error: %@",
                                       rsbCapacity, zRSB, gap, gap / result.error, verdict))
            result.notes.append("T = 0 dynamics from ξ¹ tests the dynamical stability of the retrieval state, which is the thermodynamic α_c only if no barrier-free escape exists below it")
            return [result]
        })

        // 9. Multitasking hierarchy at finite T (K = 2, d = 0.3, T = 0.1): both sorted overlaps against
        //    the exact low-storage solution, including the excess of |m|_(2) at finite N.
        var tasking = run(0.1, sweeps: quick ? 500 : 2000, seed: 17, family: .multitasking(dilution: 0.3))
        tasking.thermalization = 200
        let hierarchy = study(tasking, patterns: 2, sizes: quick ? [250, 500, 1000, 2000] : [250, 500, 1000, 2000, 4000, 8000],
                              samples: quick ? 6 : 16)
        let low = try MultitaskingLowStorage(patterns: 2, dilution: 0.3, temperature: 0.1).solveBranches().first { $0.global }
        checks.append(Check(name: "multitasking hierarchy", studies: [hierarchy]) { s in
            (0..<2).map { k in
                extrapolate("multitasking hierarchy |m|_(\(k + 1)) at K = 2, d = 0.3, T = 0.1", source: "Agliari et al., PRL 108, 268101 (2012)",
                            samples: s[0], observable: "m_sorted_\(k + 1)", omega: .automatic, theory: low?.m[k] ?? .nan, study: hierarchy)
            }
        })

        // 10. Dense P = 3 network (Gardner form) in retrieval, α = K/N² = 0.03, T = 0.15.
        let dense = study(run(0.15, sweeps: quick ? 300 : 600, thermalization: 100, seed: 18, family: .dense(DenseSettings(order: 3))),
                          alpha: 0.03, sizes: quick ? [100, 141, 200, 283] : [100, 141, 200, 283, 400], samples: quick ? 4 : 8)
        let denseRS = DenseReplicaSymmetric(order: 3, alpha: 0.03, temperature: 0.15, measure: measure).stableRetrieval()
        checks.append(Check(name: "dense P = 3 retrieval", studies: [dense]) { s in
            [extrapolate("dense P = 3 retrieval overlap at α = K/N² = 0.03, T = 0.15", source: "RS of the P-spin Hebbian network (DenseReplicaSymmetric)",
                         samples: s[0], observable: "m", omega: .automatic, theory: denseRS?.m ?? .nan, study: dense)]
        })

        // 11. Multitasking network trained on M = 10 examples (r = 0.6, supervised) of K = 2 archetypes,
        //     d = 0.3, T = 0.05: the archetype overlap |m|_(1) and the overlap n with the label mean.
        let training = TrainingSet(examples: 10, quality: 0.6, learning: .supervised)
        let trained = study(run(0.05, sweeps: quick ? 200 : 500, thermalization: 100, seed: 19,
                                family: .multitasking(dilution: 0.3, training: training)),
                            patterns: 2, sizes: quick ? [250, 500, 1000, 2000] : [500, 1000, 2000, 4000, 8000], samples: quick ? 4 : 16)
        let trainedTheory = try MultitaskingLowStorage(patterns: 2, dilution: 0.3, temperature: 0.05, training: training)
            .solveBranches().first { $0.global }
        checks.append(Check(name: "trained multitasking", studies: [trained]) { s in
            let source = "Agliari, Alessandrelli, Barra, Ricci-Tersenghi, arXiv 2308.04106 (low-storage equations)"
            return [extrapolate("trained multitasking |m|_(1): K = 2, d = 0.3, M = 10, r = 0.6, T = 0.05", source: source,
                                samples: s[0], observable: "m_sorted_1", omega: .automatic, theory: trainedTheory?.m[0] ?? .nan, study: trained),
                    extrapolate("trained multitasking n (overlap with the label mean η̄¹), same network", source: source,
                                samples: s[0], observable: "n", omega: .automatic, theory: trainedTheory?.n?[0] ?? .nan, study: trained)]
        })
        // 12. Exponential network, log-sum-exp interaction, λ = ½ (K = e^{αN}): the retrieval state at
        //     α = 0.2, T = 0.5, m_max = tanh β and u = −tanh β. Its finite-N corrections are
        //     e^{−N(λ tanh β − φ)} = e^{−0.162 N} (the others' sum against the pattern's term; within
        //     the state the spins are independent, so no 1/N term): 2e-3 at N = 32, 2e-5 at N = 64, so
        //     the sizes start at N = 40. (The paramagnet's energy converges as fast, but its approach is
        //     not a power of N, which the extrapolation assumes: it is compared at fixed N in the tests.)
        let exponential = NetworkFamily.exponential(ExponentialSettings(interaction: .lse, lambda: 0.5))
        let exponentialSizes = quick ? [40, 48, 56] : [40, 48, 56, 64]
        let retrievalREM = study(run(0.5, sweeps: quick ? 200 : 400, thermalization: 100, replicas: 1, seed: 20, family: exponential),
                                 alpha: 0.2, sizes: exponentialSizes, samples: quick ? 6 : 12, scaling: .constant)
        let remRetrieval = try ExponentialTheory(settings: ExponentialSettings(interaction: .lse, lambda: 0.5), alpha: 0.2, temperature: 0.5)
            .states().first { $0.branch == "retrieval" && $0.stable }
        checks.append(Check(name: "exponential retrieval", studies: [retrievalREM]) { s in
            let source = "random-energy-model theory of the exponential network, docs/physics.md §5"
            return [extrapolate("exponential (lse, λ = 0.5) retrieval m_max = tanh β at α = ln K/N = 0.2, T = 0.5", source: source,
                                samples: s[0], observable: "m_max", omega: .automatic, theory: remRetrieval?.mMax ?? .nan, study: retrievalREM),
                    extrapolate("exponential (lse, λ = 0.5) retrieval energy u = −tanh β at α = 0.2, T = 0.5", source: source,
                                samples: s[0], observable: "energy", omega: .automatic, theory: remRetrieval?.energy ?? .nan, study: retrievalREM)]
        })
        return checks
    }

    /// The verdict on a crossing: the crossing of the two largest sizes is compared with theory; the
    /// crossings of smaller pairs are listed, so a drift with N is visible.
    static func crossingVerdict(_ prediction: String, source: String, theory: Double, sizes: [Int], x: [Double],
                                sets: (Int) -> [SizeSamples], statistic: String, axis: String, notes: [String]) -> VerificationResult {
        let pairs = zip(sizes, sizes.dropFirst()).map { SizeCrossing.find(x: x, small: sets($0), large: sets($1)) }
        let pairText = zip(zip(sizes, sizes.dropFirst()), pairs).map { p, c in
            c.map { String(format: "%d/%d: %.4f ± %.4f", p.0, p.1, $0.value, $0.error) } ?? "\(p.0)/\(p.1): no crossing"
        }.joined(separator: ", ")
        let range = "\(axis) = " + x.map { String(format: "%g", $0) }.joined(separator: ", ")
        guard let last = pairs.last, let c = last else {
            return VerificationResult(prediction: prediction, source: source, theory: theory, extrapolated: .nan, error: .nan,
                                      sizes: sizes, method: "crossing of \(statistic) between N = \(sizes.suffix(2).map(String.init).joined(separator: " and ")) at \(range)",
                                      notes: notes + ["the curves of the two largest sizes do not cross in the range (\(pairText))"])
        }
        // A crossing that disappears in more than 5 % of the leave-one-out sets has no usable error.
        let deletions = Double(max(1, sets(c.small)[0].samples + sets(c.large)[0].samples))
        let lostNote = c.lost > 0 ? ["the curves no longer cross in \(c.lost) of the leave-one-out sets"] : []
        return VerificationResult(prediction: prediction, source: source, theory: theory, extrapolated: c.value, error: c.error,
                                  sizes: sizes, method: "crossing of \(statistic) between N = \(c.small) and \(c.large) at \(range) (jackknife error)",
                                  notes: notes + ["crossings of consecutive sizes: \(pairText)"] + lostNote,
                                  unreliable: Double(c.lost) > 0.05 * deletions ? ["the crossing is lost in \(c.lost) leave-one-out sets"] : [])
    }
}
