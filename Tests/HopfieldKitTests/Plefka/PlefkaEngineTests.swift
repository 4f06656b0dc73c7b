import Foundation
import HopfieldKit
import HopfieldKitTestSupport
import XCTest

/// The Plefka (TAP) engines of every family: the incremental sums against a plain recomputation of
/// the TAP map, the expansion against exact enumeration order by order, and the fixed points against
/// exact Monte Carlo in deep retrieval (docs/physics.md §8).
final class PlefkaEngineTests: XCTestCase {
    // MARK: Plain recomputation of the TAP maps

    /// max_i |m_i − tanh β(Σ_{j≠i} J_ij m_j + h ξ_i¹ − (c_i/N) m_i χ/(1 − χ))| (second order;
    /// without the last term at first order), J from the patterns: no incremental sums.
    static func pairwiseResidual(_ xi: PatternMatrix, _ m: [Double], beta: Double, order: PlefkaOrder, cue: Double = 0) -> Double {
        let n = xi.neurons, p = xi.patterns
        let c = (0..<n).map { i in (0..<p).reduce(0.0) { $0 + Double(abs(xi.entries[i * p + $1])) } }
        let chi = beta * (0..<n).reduce(0.0) { $0 + c[$1] / Double(p) * (1 - m[$1] * m[$1]) } / Double(n)
        var worst = 0.0
        for i in 0..<n {
            var h = cue * Double(xi.entries[i * p])
            for j in 0..<n where j != i {
                var jij = 0
                for mu in 0..<p { jij += Int(xi.entries[i * p + mu]) * Int(xi.entries[j * p + mu]) }
                h += Double(jij) / Double(n) * m[j]
            }
            if order == .second { h -= c[i] / Double(n) * m[i] * chi / (1 - chi) }
            worst = max(worst, abs(m[i] - tanh(beta * h)))
        }
        return worst
    }

    /// The P-body couplings J_T = (w/N^{P−1}) Σ_ν Π_{j∈T} η_j^ν of every increasing tuple.
    static func denseCouplings(_ network: DenseNetwork) -> [(tuple: [Int], j: Double)] {
        let n = network.neurons, kc = network.couplingCount, order = network.order
        var result: [(tuple: [Int], j: Double)] = []
        func extend(_ tuple: [Int]) {
            if tuple.count == order {
                var total = 0.0
                for nu in 0..<kc { total += tuple.reduce(1.0) { $0 * Double(network.couplings[$1 * kc + nu]) / network.scale } }
                result.append((tuple, total * network.weight / pow(Double(n), Double(order - 1))))
                return
            }
            for k in (tuple.last.map { $0 + 1 } ?? 0)..<n { extend(tuple + [k]) }
        }
        extend([])
        return result
    }

    /// max_i |m_i − tanh β(Σ_{T∋i} J_T Π_{T∖i} m − β m_i Γ(P−1)(1 − q)q^{P−2})|, from the couplings.
    static func denseResidual(_ engine: PlefkaEngine, _ m: [Double], couplings: [(tuple: [Int], j: Double)]) -> Double {
        let n = engine.network.neurons, p = Double(engine.network.order), beta = 1 / engine.temperature
        let q = m.reduce(0) { $0 + $1 * $1 } / Double(n)
        var h = [Double](repeating: 0, count: n)
        for (tuple, j) in couplings {
            for i in tuple { h[i] += j * tuple.reduce(1.0) { $1 == i ? $0 : $0 * m[$1] } }
        }
        var worst = 0.0
        for i in 0..<n {
            var field = h[i]
            if engine.order == .second { field -= beta * m[i] * engine.reactionStrength * (p - 1) * (1 - q) * pow(q, p - 2) }
            worst = max(worst, abs(m[i] - tanh(beta * field)))
        }
        return worst
    }

    /// The residual the engine reports (from its overlap sums, three sweeps in, far from the fixed
    /// point) equals the plain recomputation's, for ±1 and diluted patterns, P across the kernels'
    /// 8-wide groups and 64-wide units (N = 600: nine whole units of neurons and a tail of three
    /// groups), both orders, parallel sweeps (the default) and sequential; converged fixed points solve
    /// the plain map (loads 0.008 … 0.11 at T = 0.2: retrieval, where χ = β(1 − q) < 1).
    func testPairwiseSumsMatchPlainRecomputation() {
        let n = 600, t = 0.2
        for (dilution, patterns) in [(0.0, 37), (0.0, 64), (0.4, 6), (0.2, 13), (0.0, 5), (0.0, 130), (0.3, 71)] {
            var rng = Xoshiro256StarStar(seed: UInt64(patterns))
            let xi = PatternMatrix.draw(neurons: n, patterns: patterns, dilution: dilution, using: &rng)
            var start = xi.pattern(0).map(Double.init)
            for i in stride(from: 0, to: n, by: 5) { start[i] = -0.4 * start[i] }
            for order in PlefkaOrder.allCases {
                for update in PlefkaUpdate.allCases {
                    let settings = PlefkaSettings(order: order, maxSweeps: 3, update: update)
                    let early = PairwiseTAP(patterns: xi, temperature: t, settings: settings).solve(start: start)
                    XCTAssertFalse(early.converged)
                    let plain = Self.pairwiseResidual(xi, early.magnetizations, beta: 1 / t, order: order)
                    XCTAssertEqual(early.residual, plain, accuracy: 1e-12, "d = \(dilution), P = \(patterns), order \(order), \(update)")
                }
                // P > 64 (α > 0.1, two pattern units) is checked only far from a fixed point.
                guard patterns <= 64 else { continue }
                var settings = PlefkaSettings(order: order)
                settings.maxSweeps = 5000
                settings.tolerance = 1e-12
                let fixed = PairwiseTAP(patterns: xi, temperature: t, settings: settings).solve(start: start)
                XCTAssertTrue(fixed.converged, "d = \(dilution), P = \(patterns), order \(order): \(fixed.failure ?? "")")
                XCTAssertLessThan(Self.pairwiseResidual(xi, fixed.magnetizations, beta: 1 / t, order: order), 1e-10)
            }
        }
    }

    /// The dense engine's power sums give the plain P-body field (P = 3 and 4; P = 3 with both sweeps,
    /// P = 4 has only the sequential one).
    func testDenseSumsMatchPlainRecomputation() throws {
        for (order, neurons, patterns) in [(3, 12, 30), (4, 9, 40)] {
            var p = MonteCarloParameters(neurons: neurons, patterns: patterns, temperature: 0.4, seed: 3)
            p.family = .dense(DenseSettings(order: order))
            let network = DenseNetwork.make(p, sample: 0)
            let couplings = Self.denseCouplings(network)
            var start = network.archetypes.pattern(0).map(Double.init)
            for i in stride(from: 0, to: neurons, by: 3) { start[i] = -0.5 * start[i] }
            for plefkaOrder in PlefkaOrder.allCases {
                for update in PlefkaUpdate.allCases {
                    let engine = PlefkaEngine(network: network, temperature: 0.4,
                                              settings: PlefkaSettings(order: plefkaOrder, maxSweeps: 3, update: update))
                    XCTAssertEqual(engine.sweepUpdate, order == 3 ? update : .sequential)
                    let early = engine.solve(start: start)
                    XCTAssertEqual(early.residual, Self.denseResidual(engine, early.magnetizations, couplings: couplings),
                                   accuracy: 1e-12, "P = \(order), order \(plefkaOrder), \(update)")
                }
            }
        }
    }

    /// Parallel and sequential sweeps are two iterations of the same equations: from the same start
    /// (ξ¹ with every fourth spin flipped) they reach the same fixed point (each to tolerance 1e-12,
    /// so the two agree to ~1e-10 where the map contracts), in retrieval: ±1 patterns at α = 0.075,
    /// T = 0.3 and α = 0.02, T = 0.5; diluted patterns (the multitasking test's d = 0.3, P = 3,
    /// T = 0.05, and d = 0.2, P = 8, T = 0.2), N = 800; dense P = 3 from ξ¹. Settings written before
    /// `update` existed decode as sequential.
    func testParallelAndSequentialSweepsReachTheSameFixedPoint() throws {
        func compare(_ label: String, _ solve: (PlefkaUpdate) -> PlefkaFixedPoint) {
            let parallel = solve(.parallel), sequential = solve(.sequential)
            XCTAssertTrue(parallel.converged && sequential.converged, "\(label): \(parallel.failure ?? "") \(sequential.failure ?? "")")
            let gap = zip(parallel.magnetizations, sequential.magnetizations).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThan(gap, 1e-9, label)
        }
        for (dilution, patterns, t) in [(0.0, 60, 0.3), (0.3, 3, 0.05), (0.2, 8, 0.2), (0.0, 16, 0.5)] {
            var rng = Xoshiro256StarStar(seed: 11)
            let xi = PatternMatrix.draw(neurons: 800, patterns: patterns, dilution: dilution, using: &rng)
            var start = xi.pattern(0).map(Double.init)
            for i in stride(from: 0, to: 800, by: 4) { start[i] = -start[i] }
            compare("pairwise d = \(dilution), P = \(patterns), T = \(t)") { update in
                PairwiseTAP(patterns: xi, temperature: t, settings: PlefkaSettings(tolerance: 1e-12, update: update)).solve(start: start)
            }
        }
        var p = MonteCarloParameters(neurons: 120, patterns: 200, temperature: 0.1, seed: 5)
        p.family = .dense(DenseSettings(order: 3))
        let network = DenseNetwork.make(p, sample: 0)
        compare("dense P = 3") { update in
            PlefkaEngine(network: network, temperature: 0.1, settings: PlefkaSettings(tolerance: 1e-12, update: update)).solve()
        }
        let old = #"{"order":2,"damping":1,"tolerance":1e-09,"maxSweeps":5000,"onsager":"self-averaged","cue":0}"#
        XCTAssertEqual(try JSONDecoder().decode(PlefkaSettings.self, from: Data(old.utf8)).update, .sequential)
    }

    // MARK: Exact enumeration, order by order

    /// ⟨σ_i⟩ under H = −Σ_T J_T σ_T − h Σ_i ξ_i¹ σ_i by summing all 2^N configurations.
    static func exactMagnetizations(_ couplings: [(tuple: [Int], j: Double)], condensed: [Int8], beta: Double, cue: Double) -> [Double] {
        let n = condensed.count
        var energies = [Double](repeating: 0, count: 1 << n)
        for state in 0..<(1 << n) {
            func spin(_ i: Int) -> Double { (state >> i) & 1 == 1 ? 1 : -1 }
            var e = 0.0
            for (tuple, j) in couplings { e -= j * tuple.reduce(1.0) { $0 * spin($1) } }
            for i in 0..<n { e -= cue * Double(condensed[i]) * spin(i) }
            energies[state] = e
        }
        let lowest = energies.min()!
        var z = 0.0, m = [Double](repeating: 0, count: n)
        for state in 0..<(1 << n) {
            let w = exp(-beta * (energies[state] - lowest))
            z += w
            for i in 0..<n { m[i] += w * ((state >> i) & 1 == 1 ? 1 : -1) }
        }
        return m.map { $0 / z }
    }

    /// The largest error of the Plefka magnetisations (the sample's own second-order term, cue βh =
    /// 0.8 so that m stays O(1) as β → 0) against exact enumeration at β = 0.05 and 0.1, and the
    /// slope of log error against log β. Plefka's truncation at order k leaves an error O(β^{k+1})
    /// at fixed m: slopes 2 (first order) and 3 (second). Measured in an independent Python check
    /// at these sizes: 1.99, 2.97 (pairwise), 2.02, 3.00 (P = 3); the allowance ±0.2 covers the next
    /// order's O(β) shift of a local slope.
    func assertOrderScaling(_ label: String, engine make: (Double, PlefkaOrder) -> any PlefkaSolver,
                            couplings: [(tuple: [Int], j: Double)], condensed: [Int8]) {
        let betas = [0.05, 0.1]
        var errors: [PlefkaOrder: [Double]] = [:]
        for order in PlefkaOrder.allCases {
            errors[order] = betas.map { beta in
                let solver = make(beta, order)
                let point = solver.solve(start: nil)
                XCTAssertTrue(point.converged, "\(label) order \(order) β = \(beta)")
                let exact = Self.exactMagnetizations(couplings, condensed: condensed, beta: beta, cue: 0.8 / beta)
                return zip(point.magnetizations, exact).map { abs($0 - $1) }.max()!
            }
        }
        for (order, expected) in [(PlefkaOrder.first, 2.0), (.second, 3.0)] {
            let e = errors[order]!
            let slope = log(e[1] / e[0]) / log(betas[1] / betas[0])
            XCTAssertEqual(slope, expected, accuracy: 0.2, "\(label): order \(order) errors \(e)")
        }
        XCTAssertLessThan(errors[.second]![0], 0.1 * errors[.first]![0], label)
    }

    func testPairwiseExpansionAgainstExactEnumeration() {
        var rng = Xoshiro256StarStar(seed: 3)
        let xi = PatternMatrix.random(neurons: 10, patterns: 2, using: &rng)
        var couplings: [(tuple: [Int], j: Double)] = []
        for i in 0..<10 { for j in (i + 1)..<10 {
            couplings.append(([i, j], Double((0..<2).reduce(0) { $0 + Int(xi.entries[i * 2 + $1]) * Int(xi.entries[j * 2 + $1]) }) / 10))
        } }
        assertOrderScaling("pairwise", engine: { beta, order in
            PairwiseTAP(patterns: xi, temperature: 1 / beta,
                        settings: PlefkaSettings(order: order, tolerance: 1e-14, onsager: .sample, cue: 0.8 / beta))
        }, couplings: couplings, condensed: xi.pattern(0))
    }

    func testDenseExpansionAgainstExactEnumeration() {
        var p = MonteCarloParameters(neurons: 8, patterns: 3, temperature: 1, seed: 5)
        p.family = .dense(DenseSettings(order: 3))
        let network = DenseNetwork.make(p, sample: 0)
        assertOrderScaling("dense P = 3", engine: { beta, order in
            PlefkaEngine(network: network, temperature: 1 / beta,
                         settings: PlefkaSettings(order: order, tolerance: 1e-14, onsager: .sample, cue: 0.8 / beta))
        }, couplings: Self.denseCouplings(network), condensed: network.archetypes.pattern(0))
    }

    // MARK: Against exact Monte Carlo in deep retrieval

    /// Classical, α = 0.05, T = 0.1, N = 400: exact MC (8 samples) and the second-order TAP fixed point
    /// from the same pattern start on the same networks. Deep in retrieval the TAP state is the
    /// thermal state up to O(1/N) per sample: m, q and the energy agree within 4 combined errors
    /// plus 1/N.
    func testClassicalTAPAgreesWithMonteCarlo() throws {
        let p = MonteCarloParameters(neurons: 400, patterns: 20, temperature: 0.1, thermalization: 100, sweeps: 400,
                                     samples: 8, replicas: 2, seed: 11)
        try assertAgreement(p, ["m", "q", "energy"])
    }

    /// Multitasking, d = 0.3, three patterns, T = 0.05, N = 400: parallel retrieval, m_1 ≈ 1 − d,
    /// m_2 ≈ d(1 − d), m_3 ≈ d²(1 − d) in both, per sample from the same start.
    func testMultitaskingTAPAgreesWithMonteCarlo() throws {
        var p = MonteCarloParameters(neurons: 400, patterns: 3, temperature: 0.05, thermalization: 100, sweeps: 400,
                                     samples: 8, replicas: 2, seed: 13)
        p.family = .multitasking(dilution: 0.3)
        try assertAgreement(p, ["m", "q", "energy", "m_1", "m_2", "m_3"])
    }

    func assertAgreement(_ p: MonteCarloParameters, _ names: [String]) throws {
        let mc = try MonteCarloRun.run(p, threads: 2)
        let plefka = try PlefkaRun.run(p, settings: PlefkaSettings(), threads: 2)
        XCTAssertTrue(plefka.approximation.allConverged)
        var tap: [String: PlefkaRun.Estimate] = ["m": plefka.m, "q": plefka.q]
        tap["energy"] = plefka.energy
        var exact: [String: ObservableEstimate] = ["m": mc.observables.m, "energy": mc.observables.energy]
        exact["q"] = mc.observables.q
        for (k, e) in (plefka.overlaps ?? []).enumerated() { tap["m_\(k + 1)"] = e }
        for (k, e) in (mc.observables.overlaps ?? []).enumerated() { exact["m_\(k + 1)"] = e }
        for name in names {
            let a = try XCTUnwrap(tap[name], name), b = try XCTUnwrap(exact[name], name)
            // Same networks and starts: the sample-to-sample spread is shared, so the thermal error
            // of MC and the spread of the per-sample differences bound the difference.
            XCTAssertEqual(a.mean, b.mean, accuracy: 4 * (pow(b.totalError, 2) + pow(a.error, 2)).squareRoot() + 1.0 / Double(p.neurons),
                           "\(name): TAP \(a.mean) vs MC \(b.mean) ± \(b.totalError)")
        }
    }

    /// `--init plefka` on the pairwise engine: spins drawn from the TAP fixed point thermalise to the
    /// state the pattern start reaches (classical α = 0.05, T = 0.4, where the drawn spins differ from ξ¹ by some 5%; four combined errors).
    func testPlefkaStartThermalisesToTheSameState() throws {
        var p = MonteCarloParameters(neurons: 300, patterns: 15, temperature: 0.4, thermalization: 50, sweeps: 300,
                                     samples: 4, replicas: 2, seed: 17)
        let fromPattern = try MonteCarloRun.run(p, threads: 2)
        p.initialState = .plefka
        let fromPlefka = try MonteCarloRun.run(p, threads: 2)
        XCTAssertEqual(fromPlefka.observables.m.mean, fromPattern.observables.m.mean,
                       accuracy: 4 * (pow(fromPlefka.observables.m.totalError, 2) + pow(fromPattern.observables.m.totalError, 2)).squareRoot())
        // The starts differ (the TAP state is not ξ¹): with the same dynamics streams the heat-bath
        // chains then coalesce, so the measured series may well be identical.
        let engine = PairwiseTAP(patterns: MonteCarloRun.patterns(for: p, sample: 0), temperature: 0.4)
        let overlap = engine.observables(engine.solve().magnetizations).m
        XCTAssertLessThan(overlap, 0.99)
        XCTAssertGreaterThan(overlap, 0.9)
    }

    /// The −526σ case of `hopsim bench plefka` (P = 3, α = 0.05, T = 0.15, 30% of ξ¹ flipped), here at
    /// N = 200: the two methods reach different states, not different values of one state.
    /// - Plefka from the noisy start falls to the paramagnetic TAP solution m_i = 0 (super-stable for
    ///   P = 3: the field is quadratic in m), whose G/N is the RS paramagnet's −T ln 2 − βα/(2·3!)
    ///   exactly; from ξ¹ it reaches the retrieval TAP state, lower in G by ≈ 0.035 (RS: 0.0365).
    /// - Exact Monte Carlo from the same start ends in retrieval states (of ξ¹ or of another stored
    ///   pattern): m_max ≈ 0.98 and the energy of retrieval (≈ −0.16), not the paramagnet's −βα/3! = −0.056.
    /// So MC is right about where the dynamics go; the Plefka iteration is a fixed-point map, not a
    /// dynamics, and its basins are not the physical ones (README, "Plefka").
    func testNoisyStartReachesDifferentStatesNotDifferentValues() throws {
        var p = MonteCarloParameters(neurons: 200, patterns: 2000, temperature: 0.15, thermalization: 200, sweeps: 400,
                                     samples: 4, replicas: 2, initialState: .noisy(flipFraction: 0.3), seed: 1)
        p.family = .dense(DenseSettings(order: 3))
        let beta = 1 / 0.15, alpha = p.alpha
        let paramagnetF = -0.15 * log(2.0) - beta * alpha / 12
        let noisy = try PlefkaRun.run(p, settings: PlefkaSettings(), threads: 2)
        XCTAssertTrue(noisy.approximation.allConverged)
        XCTAssertLessThan(noisy.q.mean, 1e-12)
        XCTAssertEqual(try XCTUnwrap(noisy.freeEnergy).mean, paramagnetF, accuracy: 1e-12)
        var fromPattern = p
        fromPattern.initialState = .pattern
        let retrieval = try PlefkaRun.run(fromPattern, settings: PlefkaSettings(), threads: 2)
        XCTAssertGreaterThan(retrieval.m.mean, 0.95)
        XCTAssertLessThan(try XCTUnwrap(retrieval.freeEnergy).mean, paramagnetF - 0.02)
        // Both TAP states satisfy Plefka's stability condition (x = 0 in the paramagnet, ≈ 0.03 here).
        XCTAssertTrue(retrieval.perSample.allSatisfy { ($0.replicon ?? 2) < 0.2 })
        XCTAssertTrue(noisy.perSample.allSatisfy { ($0.replicon ?? 2) < 1e-12 })

        let mc = try MonteCarloRun.run(p, threads: 2)
        XCTAssertGreaterThan(mc.observables.mMax.mean, 0.9, "every replica retrieves some pattern")
        XCTAssertLessThan(abs(mc.observables.energy.mean - (try XCTUnwrap(retrieval.energy)).mean), 0.02)
        XCTAssertGreaterThan(abs(mc.observables.energy.mean - (-beta * alpha / 6)), 0.08)
    }

    /// Plefka's stability condition: the paramagnetic TAP solution m = 0 of the classical network
    /// (α = 0.1, T_g = 1 + √α = 1.316) is a stable TAP state above T_g (x = αβ²/(1 − β)² = 0.40 at
    /// T = 1.5) and is refused below it (x = 2.5 at T = 1.2, where χ = β < 1 still), from a small random start.
    func testParamagnetBelowTgIsNotAStableTAPState() {
        var rng = Xoshiro256StarStar(seed: 21)
        let xi = PatternMatrix.random(neurons: 400, patterns: 40, using: &rng)
        let start = (0..<400).map { _ in 0.02 * (rng.nextUniform() - 0.5) }
        let hot = PairwiseTAP(patterns: xi, temperature: 1.5).solve(start: start)
        XCTAssertTrue(hot.converged, hot.failure ?? "")
        XCTAssertEqual(try XCTUnwrap(hot.replicon), 0.1 * pow(1 / 1.5, 2) / pow(1 - 1 / 1.5, 2), accuracy: 1e-6)
        let cold = PairwiseTAP(patterns: xi, temperature: 1.2).solve(start: start)
        XCTAssertFalse(cold.converged)
        XCTAssertEqual(try XCTUnwrap(cold.replicon), 0.1 * pow(1 / 1.2, 2) / pow(1 - 1 / 1.2, 2), accuracy: 1e-6)
        XCTAssertTrue(cold.failure?.contains("stability condition") ?? false, cold.failure ?? "")
    }
}
