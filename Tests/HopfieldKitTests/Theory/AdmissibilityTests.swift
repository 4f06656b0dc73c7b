import HopfieldKit
import XCTest

/// Every RS record states whether it can be physical (issue 13): converged, stable, entropy ≥ −10⁻⁶.
final class AdmissibilityTests: XCTestCase {
    static let measure = try! GaussianMeasure()

    /// Classical retrieval at T = 0: admissible deep in retrieval (s = −3·10⁻¹⁰ at α = 0.05), not
    /// near capacity (s = −9.1·10⁻⁴ at α = 0.137, AGS's negative RS entropy); the T = 0 spin glass
    /// has s < 0 everywhere.
    func testClassicalZeroTemperature() {
        let deep = ClassicalReplicaSymmetric(alpha: 0.05, temperature: 0, measure: Self.measure).solve()
        XCTAssertEqual(deep.first { $0.global }?.branch, .retrieval)
        XCTAssertEqual(deep.first { $0.global }?.admissible, true)
        let near = ClassicalReplicaSymmetric(alpha: 0.137, temperature: 0, measure: Self.measure).solve()
        let retrieval = near.first { $0.branch == .retrieval && $0.stable }!
        XCTAssertEqual(retrieval.entropy, -9.1e-4, accuracy: 1e-5)
        XCTAssertEqual(retrieval.admissible, false)
        XCTAssertTrue(retrieval.inadmissibleBecause?.contains("negative entropy") ?? false)
        for s in deep + near where s.branch == .spinGlass { XCTAssertEqual(s.admissible, false) }
    }

    /// The dense P = 3 paramagnet far below its entropy crisis (α = 0.03, T = 0.01, s = −24) is not
    /// admissible (negative entropy, and T < T_s); it used to be called global. The global state is
    /// the admissible retrieval state, below the 1RSB glass in f as well.
    func testDenseParamagnetBelowItsEntropyCrisis() throws {
        let all = DenseReplicaSymmetric(order: 3, alpha: 0.03, temperature: 0.01, measure: Self.measure).solve()
        let paramagnet = try XCTUnwrap(all.first { $0.branch == .paramagnet })
        XCTAssertLessThan(paramagnet.entropy, -20)
        XCTAssertEqual(paramagnet.admissible, false)
        XCTAssertFalse(paramagnet.global)
        XCTAssertTrue(paramagnet.inadmissibleBecause?.contains("static glass transition") ?? false)
        let global = try XCTUnwrap(all.first { $0.global })
        XCTAssertEqual(global.branch, .retrieval)
        XCTAssertEqual(global.admissible, true)
        let point = GlobalStateSelection.dense(all, order: 3, examples: .none, settings: SolverSettings(), measure: Self.measure,
                                               eager: true)
        XCTAssertEqual(point.replicaSymmetric.first { $0.global }?.branch, .retrieval)
        let glass = try XCTUnwrap(point.oneStep.first { $0.branch == "spin-glass" })
        XCTAssertTrue(glass.converged && !glass.reducesToReplicaSymmetry)
        XCTAssertGreaterThan(glass.freeEnergy, global.freeEnergy)
        XCTAssertGreaterThan(glass.freeEnergy, paramagnet.freeEnergy)      // a lower bound was replaced: f rises
    }

    /// Where the glass wins (P = 3, α = 0.13 beyond the T = 0 RS capacity), the global state is the
    /// 1RSB glass, whose T = 0 free energy is Gardner's 1RSB ground state of the P = 3 Ising spin
    /// glass, E₀ = −0.8132 J (J² = 2α/P!; Gardner, Nucl. Phys. B 257, 747 (1985)).
    func testDenseGlobalGlassIsTheOneStepGlass() throws {
        let alpha = 0.13
        let all = DenseReplicaSymmetric(order: 3, alpha: alpha, temperature: 0, measure: Self.measure).solve()
        XCTAssertNil(all.first { $0.global }, "the only RS state, the T = 0 spin glass, has s < 0")
        let point = GlobalStateSelection.dense(all, order: 3, examples: .none, settings: SolverSettings(), measure: Self.measure)
        let global = try XCTUnwrap(point.oneStep.first { $0.global == true })
        XCTAssertEqual(global.branch, "spin-glass")
        XCTAssertEqual(global.freeEnergy / (2 * alpha / 6).squareRoot(), -0.8132, accuracy: 1e-3)
        XCTAssertEqual(point.replicaSymmetric.first?.globalTheory, "1rsb")
    }

    /// Relative residuals (issue 13): at T = 3.4·10⁻⁵ the retrieval state's C is ~10³, where an
    /// absolute 10⁻¹² on its equation is below rounding; the global retrieval state (m = 0.908) was
    /// dropped and the paramagnet called global. Each equation is now solved on its own scale.
    func testLowTemperatureRetrievalIsNotDropped() {
        let all = DenseReplicaSymmetric(order: 4, alpha: 0.02, temperature: 3.361111111111114e-05,
                                        examples: .entropy(0.1, quality: 0.17407765595569785, .supervised),
                                        measure: Self.measure).solve()
        let global = all.first { $0.global }!
        XCTAssertEqual(global.branch, .retrieval)
        XCTAssertTrue(global.converged)
        XCTAssertEqual(global.m, 0.908, accuracy: 1e-3)
    }

    /// Exhaustive roots (issue 13): a trained P = 3 network (α = 0.1, T = 0.04, ρ = 0.595, r = 0.6,
    /// supervised) has a stable retrieval root (m = 0.176, q = 0.177) 15% above an unstable one
    /// (m = 0.153); the old ladder of five starts found only the unstable one.
    func testCloseRetrievalRootsAreBothFound() {
        let all = DenseReplicaSymmetric(order: 3, alpha: 0.1, temperature: 0.04,
                                        examples: .entropy(0.595, quality: 0.6, .supervised), measure: Self.measure).solve()
        let retrieval = all.filter { $0.branch == .retrieval }
        let stable = retrieval.first { $0.stable }
        XCTAssertEqual(stable?.m ?? 0, 0.176, accuracy: 1e-3)
        XCTAssertEqual(stable?.q ?? 0, 0.177, accuracy: 1e-3)
        XCTAssertTrue(retrieval.contains { !$0.stable && abs($0.m - 0.1527) < 1e-3 })
    }

    /// Four retrieval roots of the plain P = 3 network at α = 0.12, T = 0.1 (an independent scan of
    /// the (n, q) equations with 200-node Gauss–Hermite in numpy finds sign changes at n ≈ 0.91,
    /// 0.48, 0.23 and 0.21): two stable, two unstable; the close pair (0.2267 stable, 0.2081
    /// unstable) is where a single polish per start finds one or the other.
    func testFourRetrievalRootsAtOnePoint() {
        let retrieval = DenseReplicaSymmetric(order: 3, alpha: 0.12, temperature: 0.1, measure: Self.measure).solve()
            .filter { $0.branch == .retrieval }
        let expected: [(m: Double, stable: Bool)] = [(0.911947, true), (0.484289, false), (0.226726, true), (0.208147, false)]
        XCTAssertEqual(retrieval.count, expected.count)
        for (s, e) in zip(retrieval, expected) {
            XCTAssertEqual(s.m, e.m, accuracy: 1e-5)
            XCTAssertEqual(s.stable, e.stable)
            XCTAssertTrue(s.converged)
        }
    }
}
