import HopfieldKit
import XCTest

/// ``LinearCollapse``: a fixed-x 1RSB solve is cut short only in the linear regime of a collapse
/// onto q₁ = q₀ with the replicon ρ clearly below 1, and the result is then exactly the RS state.
final class LinearCollapseTests: XCTestCase {
    let measure = try! GaussianMeasure()

    /// Feeds Δ_k = Δ₀ 2^{−k} with residual gap F_{q₁} − F_{q₀} = gap(Δ); the index of the iterate at
    /// which the detector fires, or nil.
    func firing(start: Double = 1e-4, q1: Double = 0.9, steps: Int = 60, _ gap: (Double) -> Double) -> Int? {
        var detector = LinearCollapse()
        for k in 0..<steps {
            let delta = start * pow(0.5, Double(k))
            if detector.observe(delta: delta, residualGap: gap(delta), q1: q1) { return k }
        }
        return nil
    }

    func testFiresOnlyInTheLinearRegimeOfAClearCollapse() {
        // ρ = 0.7, no curvature: the first iterate with Δ < 10⁻⁶ (k = 7: Δ = 7.8·10⁻⁷).
        XCTAssertEqual(firing { 0.3 * $0 }, 7)
        // A quadratic term, gap 0.3Δ + 300Δ²: the rate 0.3 + 300Δ changes by 300Δ and 600Δ over the
        // last three iterates, within 10⁻³ of it only from Δ = 3.9·10⁻⁷ (k = 8), one iterate later.
        XCTAssertEqual(firing { 0.3 * $0 + 300 * $0 * $0 }, 8)
        // ρ = 0.995: never (a broken branch may be near).
        XCTAssertNil(firing { 0.005 * $0 })
        // ρ > 1 (Δ grows under the map): never.
        XCTAssertNil(firing { -0.2 * $0 })
        // Near q₁ = 1 the gap must also be small against 1 − q₁: 1 − q₁ = 10⁻⁴ needs Δ < 10⁻⁷ (k = 10).
        XCTAssertEqual(firing(q1: 1 - 1e-4) { 0.3 * $0 }, 10)
        // A non-finite residual starts the record afresh: three more iterates are needed.
        var detector = LinearCollapse()
        XCTAssertFalse(detector.observe(delta: 4e-7, residualGap: 1.2e-7, q1: 0.9))
        XCTAssertFalse(detector.observe(delta: 2e-7, residualGap: 0.6e-7, q1: 0.9))
        XCTAssertFalse(detector.observe(delta: 1e-7, residualGap: .nan, q1: 0.9))
        XCTAssertFalse(detector.observe(delta: 5e-8, residualGap: 1.5e-8, q1: 0.9))
        XCTAssertFalse(detector.observe(delta: 2.5e-8, residualGap: 0.75e-8, q1: 0.9))
        XCTAssertTrue(detector.observe(delta: 1.25e-8, residualGap: 0.375e-8, q1: 0.9))
    }

    /// Dense P = 3 retrieval at α = 0.0822, T = 1/6 (ρ ≈ 0.12): the x = ½ probe collapses, is cut
    /// short and finished on q₁ = q₀; the result is the RS retrieval state (m, q, f to 10⁻¹⁰) and
    /// takes far fewer iterations than the 33 of the full walk of ln(q₁ − q₀) to the tolerance.
    func testCollapsedProbeIsFinishedOnTheReplicaSymmetricState() throws {
        let (alpha, t) = (0.0822, 1.0 / 6)
        let rs = try XCTUnwrap(DenseReplicaSymmetric(order: 3, alpha: alpha, temperature: t, measure: measure).stableRetrieval())
        let s = try XCTUnwrap(DenseOneStepRSB(order: 3, alpha: alpha, temperature: t, measure: measure).solve(branch: .retrieval, measure: measure))
        XCTAssertTrue(s.converged && s.reducesToReplicaSymmetry)
        XCTAssertTrue(s.method.contains("then on q₁ = q₀"), s.method)
        XCTAssertEqual(s.q1, s.q0)
        XCTAssertEqual(s.m, rs.m, accuracy: 1e-10)
        XCTAssertEqual(s.q0, rs.q, accuracy: 1e-10)
        XCTAssertEqual(s.freeEnergy, rs.freeEnergy, accuracy: 1e-12)
        XCTAssertLessThan(s.iterations, 25)
    }

    /// The glass is not cut short (its manifold finish in q₁ itself would step to q₁ < 0): well above
    /// T_d (P = 3, α = 0.1, J = 0.183, T = 0.3) the fixed-x glass collapses onto the paramagnet and
    /// converges there, and the 1RSB spin glass is the RS paramagnet.
    func testGlassCollapseOntoTheParamagnetConverges() throws {
        let solver = DenseOneStepRSB(order: 3, alpha: 0.1, temperature: 0.3, measure: measure)
        let fixed = solver.solveFixedX(0.5, from: (0, 0, 0.9), glass: true)
        XCTAssertTrue(fixed.status.converged, fixed.status.method)
        XCTAssertLessThan(fixed.q1, 1e-9)
        let s = try XCTUnwrap(solver.solve(branch: .spinGlass, measure: measure))
        XCTAssertTrue(s.converged, s.method)
        XCTAssertTrue(s.reducesToReplicaSymmetry)
        XCTAssertEqual(s.q1, 0, accuracy: 1e-9)
    }

    /// A rejected hybrids step repeats the iterate: it is not counted as a second agreeing rate.
    func testRepeatedIterateIsNotCountedTwice() {
        var detector = LinearCollapse()
        XCTAssertFalse(detector.observe(delta: 8e-7, residualGap: 2.4e-7, q1: 0.9))
        XCTAssertFalse(detector.observe(delta: 4e-7, residualGap: 1.2e-7, q1: 0.9))
        XCTAssertFalse(detector.observe(delta: 4e-7, residualGap: 1.2e-7, q1: 0.9))
        XCTAssertTrue(detector.observe(delta: 2e-7, residualGap: 0.6e-7, q1: 0.9))
    }
}
