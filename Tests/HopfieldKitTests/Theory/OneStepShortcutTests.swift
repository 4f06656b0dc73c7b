import HopfieldKit
import XCTest

/// The two shortcuts of the classical 1RSB grid solver against the full computations they replace:
/// the RS start from the damped iteration alone, and the RS point taken where the RS retrieval
/// state is AT-stable by a margin instead of the x = ½ probe.
final class OneStepShortcutTests: XCTestCase {
    let measure = try! GaussianMeasure()

    /// ClassicalReplicaSymmetric.stableRetrieval() finds the stable retrieval state of the full
    /// bracketing solve, and none where it has none (α up to beyond α_c, T from 0 to 0.6).
    func testStableRetrievalEqualsTheBracketingSolve() {
        var states = 0
        for alpha in stride(from: 0.01, through: 0.16, by: 0.015) {
            for t in stride(from: 0.0, through: 0.6, by: 0.06) {
                let rs = ClassicalReplicaSymmetric(alpha: alpha, temperature: t, measure: measure)
                let full = rs.solve().first { $0.branch == .retrieval && $0.stable && $0.converged }
                let fast = rs.stableRetrieval()
                XCTAssertEqual(full == nil, fast == nil, "α = \(alpha), T = \(t)")
                if let full, let fast {
                    states += 1
                    XCTAssertEqual(fast.m, full.m, accuracy: 1e-9, "α = \(alpha), T = \(t)")
                    XCTAssertEqual(fast.q, full.q, accuracy: 1e-9, "α = \(alpha), T = \(t)")
                }
            }
        }
        XCTAssertGreaterThan(states, 40, "the grid must hold retrieval states")
    }

    /// Where RS retrieval is AT-stable (replicon ≤ ½), the optimised-x solve takes the RS point
    /// (verified residual), and the x = ½ probe from q₀, q₁ = q ∓ 0.3(1 − q) — what the solver ran
    /// there before — collapses onto the same point.
    func testATStableShortcutAgreesWithTheProbe() throws {
        var shortcuts = 0, points = 0
        for alpha in [0.03, 0.07, 0.11] {
            for t in [0.1, 0.25, 0.45] {
                guard ClassicalReplicaSymmetric(alpha: alpha, temperature: t, measure: measure).stableRetrieval() != nil else { continue }
                points += 1
                let s = try XCTUnwrap(ClassicalOneStepRSB(alpha: alpha, temperature: t).solve(branch: .retrieval, measure: measure))
                let probe = try XCTUnwrap(ClassicalOneStepRSB(alpha: alpha, temperature: t, fixedX: 0.5).solve(branch: .retrieval, measure: measure))
                XCTAssertTrue(s.converged && s.reducesToReplicaSymmetry, "α = \(alpha), T = \(t)")
                XCTAssertTrue(probe.converged && probe.reducesToReplicaSymmetry, "α = \(alpha), T = \(t)")
                XCTAssertLessThanOrEqual(s.residual, 1e-11)
                if s.startFrom.contains("AT-stable") { shortcuts += 1 }
                XCTAssertEqual(s.m, probe.m, accuracy: 1e-9, "α = \(alpha), T = \(t)")
                XCTAssertEqual(s.q1, probe.q1, accuracy: 1e-8, "α = \(alpha), T = \(t)")
                XCTAssertEqual(s.freeEnergy, probe.freeEnergy, accuracy: 1e-11, "α = \(alpha), T = \(t)")
            }
        }
        XCTAssertGreaterThanOrEqual(points, 6)
        XCTAssertEqual(shortcuts, points, "every retrieval point here is AT-stable by the margin")
    }

    /// Above the margin (replicon 0.67 at α = 0.1367, T = 0.0256, near the AT line) the trial runs:
    /// the state is not taken from the shortcut, and the trial finds that it reduces to RS here.
    func testTrialRunsAboveTheMargin() throws {
        let rs = try XCTUnwrap(ClassicalReplicaSymmetric(alpha: 0.1367, temperature: 0.0256, measure: measure).stableRetrieval())
        let replicon = try XCTUnwrap(rs.replicon)
        XCTAssertGreaterThan(replicon, 0.5)
        XCTAssertLessThan(replicon, 1)
        let s = try XCTUnwrap(ClassicalOneStepRSB(alpha: 0.1367, temperature: 0.0256).solve(branch: .retrieval, measure: measure))
        XCTAssertFalse(s.startFrom.contains("AT-stable"), s.startFrom)
        XCTAssertTrue(s.converged && s.reducesToReplicaSymmetry)
        XCTAssertEqual(s.q1, rs.q, accuracy: 1e-8)
    }
}

/// Dense (plain network): a collapsed damped iteration means no stable retrieval state, as the full
/// search finds, so DenseReplicaSymmetric.stableRetrieval() skips the search there.
final class DenseStableRetrievalTests: XCTestCase {
    func testStableRetrievalEqualsTheFullSearch() throws {
        let measure = try GaussianMeasure()
        var states = 0, none = 0
        for order in [3, 4] {
            for alpha in stride(from: 0.01, through: 0.2, by: 0.038) {
                for t in stride(from: 0.0, through: 0.6, by: 0.1) {
                    let rs = DenseReplicaSymmetric(order: order, alpha: alpha, temperature: t, measure: measure)
                    let full = rs.retrieval(hints: []).first { $0.stable && $0.converged }
                    let fast = rs.stableRetrieval()
                    XCTAssertEqual(full == nil, fast == nil, "P = \(order), α = \(alpha), T = \(t)")
                    if let full, let fast {
                        states += 1
                        XCTAssertEqual(fast.m, full.m, accuracy: 1e-9, "P = \(order), α = \(alpha), T = \(t)")
                    } else { none += 1 }
                }
            }
        }
        XCTAssertGreaterThan(states, 5, "the grid must hold retrieval states")
        XCTAssertGreaterThan(none, 5, "and points without one")
    }
}
