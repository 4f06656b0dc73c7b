import Foundation
import HopfieldKit
import XCTest

/// Multitasking (diluted-pattern) networks: low-storage theory and Monte Carlo.
final class MultitaskingTests: XCTestCase {
    /// At T = 0 the hierarchical state m_k = (1 − d)d^{k−1} (Agliari et al., PRL 108, 268101 (2012))
    /// is an exact solution, and the global one, exactly while d + … + d^{K−1} < 1.
    func testZeroTemperatureHierarchyIsExact() throws {
        for (k, d) in [(2, 0.6), (3, 0.3), (3, 0.6), (4, 0.2), (5, 0.45)] {
            let theory = try MultitaskingLowStorage(patterns: k, dilution: d, temperature: 0)
            let global = try XCTUnwrap(theory.solveBranches().first { $0.global })
            XCTAssertEqual(global.branch, "hierarchical")
            for (got, want) in zip(global.m, theory.hierarchicalAnsatz) { XCTAssertEqual(got, want, accuracy: 1e-14, "K = \(k), d = \(d)") }
            for (a, b) in zip(theory.map(global.m), global.m) { XCTAssertEqual(a, b, accuracy: 1e-14) }
        }
        // K = 3: the condition d + d² < 1 fails above (√5 − 1)/2 = 0.618…; there the ansatz is not a solution.
        let beyond = try MultitaskingLowStorage(patterns: 3, dilution: 0.63, temperature: 0)
        XCTAssertGreaterThan(zip(beyond.map(beyond.hierarchicalAnsatz), beyond.hierarchicalAnsatz).map { abs($0 - $1) }.max()!, 0.01)
        let below = try MultitaskingLowStorage(patterns: 3, dilution: 0.61, temperature: 0)
        for (a, b) in zip(below.map(below.hierarchicalAnsatz), below.hierarchicalAnsatz) { XCTAssertEqual(a, b, accuracy: 1e-14) }
    }

    /// The hierarchical state exists below T = 1 − d (physics.md §3; the linearised equation
    /// m_1 = β(1 − d) m_1 at m → 0), and finite T erases the weakest level first.
    func testRetrievalEndsAtOneMinusDilution() throws {
        let d = 0.3
        let above = try MultitaskingLowStorage(patterns: 2, dilution: d, temperature: 1 - d + 0.02).solveBranches()
        XCTAssertTrue(above.allSatisfy { $0.m.allSatisfy { abs($0) < 1e-8 } })
        let below = try XCTUnwrap(MultitaskingLowStorage(patterns: 2, dilution: d, temperature: 1 - d - 0.02).solveBranches().first { $0.global })
        XCTAssertGreaterThan(below.m[0], 0.05)
        let warm = try XCTUnwrap(MultitaskingLowStorage(patterns: 3, dilution: d, temperature: 0.2).solveBranches().first { $0.global })
        XCTAssertGreaterThan(warm.m[1], 0.05)
        XCTAssertEqual(warm.m[2], 0, accuracy: 1e-8, "the third level is erased at T = 0.2")
    }

    /// Monte Carlo at T = 0, N = 4000, K = 3, d = 0.3: the sorted amplitudes |m|_(k) match
    /// (1 − d)d^{k−1} = (0.7, 0.21, 0.063) within 3σ plus 1/√N (the O(N^{-1/2}) overlap of a
    /// pattern with spins it does not drive), and the state is classified hierarchical.
    func testSimulatedHierarchyAtZeroTemperature() throws {
        var p = MonteCarloParameters(neurons: 4000, patterns: 3, temperature: 0, dynamics: .zeroTemperature,
                                     thermalization: 20, sweeps: 20, samples: 4, replicas: 2, seed: 8)
        p.dilution = 0.3
        let result = try ClassicalMonteCarlo.run(p, threads: 2)
        let sorted = try XCTUnwrap(result.observables.sortedOverlaps)
        let expected = [0.7, 0.21, 0.063]
        for k in 0..<3 {
            XCTAssertEqual(sorted[k].mean, expected[k], accuracy: 3 * sorted[k].totalError + 1 / 4000.0.squareRoot(), "k = \(k + 1)")
        }
        XCTAssertEqual(result.state?.kind, .hierarchical)
    }

    /// Exact enumeration with diluted patterns (N = 10, K = 3, d = 0.3): heat-bath averages of the
    /// energy and |m_1| match the Boltzmann sums (Bonferroni z-test, family α = 1e-3).
    func testDilutedPatternsSampleTheBoltzmannDistribution() throws {
        var p = MonteCarloParameters(neurons: 10, patterns: 3, temperature: 0.5, thermalization: 2000, sweeps: 100_000,
                                     samples: 1, replicas: 4, initialState: .random, seed: 31)
        p.dilution = 0.3
        let xi = ClassicalMonteCarlo.patterns(for: p, sample: 0)
        XCTAssertTrue(xi.entries.contains(0))
        let exact = ExactEnumeration(patterns: xi).averages(temperature: 0.5)
        let o = try ClassicalMonteCarlo.run(p).observables
        let zMax = Significance.bonferroniThreshold(familyAlpha: 1e-3, tests: 2)
        assertAgrees(o.energy.mean, error: o.energy.error, exact: exact.energy, zMax: zMax, "energy")
        assertAgrees(o.mAbs.mean, error: o.mAbs.error, exact: exact.absM1, zMax: zMax, "|m1|")
    }

    func testBadInput() {
        XCTAssertThrowsError(try MultitaskingLowStorage(patterns: 13, dilution: 0.3, temperature: 0))
        XCTAssertThrowsError(try MultitaskingLowStorage(patterns: 0, dilution: 0.3, temperature: 0))
        XCTAssertThrowsError(try MultitaskingLowStorage(patterns: 3, dilution: 1, temperature: 0))
        var p = MonteCarloParameters()
        p.dilution = 1
        XCTAssertThrowsError(try p.validate())
    }
}

extension MultitaskingTests {
    /// The level boundaries: T_1 = 1 − d for every K; weaker levels vanish at lower T; in the
    /// strongly diluted (parallel) regime, d + d² > 1 for K = 3, all levels vanish together at 1 − d.
    func testLevelBoundaries() throws {
        for d in [0.1, 0.3, 0.5] {
            let lines = try MultitaskingLowStorage.levelTemperatures(patterns: 3, dilution: d)
            XCTAssertEqual(lines.count, 3)
            XCTAssertEqual(lines[0].temperature, 1 - d, accuracy: 1e-8)
            XCTAssertLessThan(lines[0].residual, 1e-7)
            XCTAssertGreaterThan(lines[0].temperature, lines[1].temperature)
            XCTAssertGreaterThan(lines[1].temperature, lines[2].temperature)
            XCTAssertTrue(lines.allSatisfy(\.converged))
        }
        let parallel = try MultitaskingLowStorage.levelTemperatures(patterns: 3, dilution: 0.7)
        for line in parallel { XCTAssertEqual(line.temperature, 0.3, accuracy: 1e-8) }
    }
}
