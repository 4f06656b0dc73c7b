import HopfieldKit
import XCTest

/// Branch tracking in ``Continuation`` (issue 13), on equations whose warm-started solver lands on
/// the root nearest its start, as Newton does: roots s − 1, s, s + 1, so a step of 0.7 from the
/// middle root lands on the lower one (0.3 away) instead of its continuation (0.7 away).
final class ContinuationTests: XCTestCase {
    struct Root: TheoryBranch, Equatable {
        var branch: String
        var m: Double
        var method = "nearest root"
        var converged: Bool { true }
        var continuity: (key: String, values: [Double])? { (branch, [m]) }
        mutating func noteDiscontinuity(_ note: String) { method += "; " + note }
    }

    struct NearestRoot: SaddlePointEquations {
        var s: Double
        /// Roots s + {−1, 0, 1}, plus (folding) a root s − 10 that exists only for s < 1.2.
        var roots: [Double] { [s - 1, s, s + 1] + (s < 1.2 ? [s - 10] : []) }
        func solve(hints: [Root], thorough: Bool) -> [Root] {
            if hints.isEmpty { return [Root(branch: "middle", m: s), Root(branch: "edge", m: s - 10)] }
            return hints.map { h in Root(branch: h.branch, m: roots.min { abs($0 - h.m) < abs($1 - h.m) }!) }
        }
    }

    func testCoarseStepsStayOnTheBranch() throws {
        let path = [0, 0.7, 1.4, 2.1, 2.8]
        let rows = Continuation.solve(rows: 1, path: path) { _, s in NearestRoot(s: s) }
        for (j, s) in path.enumerated() {
            let middle = try XCTUnwrap(rows[0][j].first { $0.branch == "middle" })
            XCTAssertEqual(middle.m, s, accuracy: 1e-12, "s = \(s): the middle root jumped")
            XCTAssertFalse(middle.method.contains("continuity"), "s = \(s)")
        }
    }

    /// A branch that ends at a fold while another root of its kind exists is not made continuous:
    /// its continuation is the nearest root, and the record says so.
    func testABranchEndingAtAFoldIsNoted() throws {
        let rows = Continuation.solve(rows: 1, path: [0, 0.6, 1.8]) { _, s in NearestRoot(s: s) }
        let edge = try XCTUnwrap(rows[0][2].first { $0.branch == "edge" })
        XCTAssertNotEqual(edge.m, 1.8 - 10)
        XCTAssertTrue(edge.method.contains("no continuous path"), edge.method)
    }
}

/// Continuity on the real solvers: a classical RS row along T crossing the retrieval spinodal.
final class SpinodalCrossingTests: XCTestCase {
    static let measure = try! GaussianMeasure()

    /// α = 0.1, T = 0 … 0.5 in steps of 0.02: the stable retrieval branch is continuous and
    /// decreasing in T (no step larger than twice the previous one plus 10⁻³), ends within a grid
    /// step of the spinodal T_M(0.1), and the unstable partner is below it wherever both exist,
    /// never handed on as the stable branch; no continuity notes.
    func testStableRetrievalIsContinuousUpToTheSpinodal() throws {
        let temperatures = (0...25).map { 0.02 * Double($0) }
        let row = ReplicaSymmetricGrid.solve(alphas: [0.1], temperatures: temperatures, measure: Self.measure, settings: SolverSettings())
        var stable: [(t: Double, m: Double)] = []
        for (t, point) in zip(temperatures, row) {
            XCTAssertFalse(point.contains { $0.method.contains("continuity") }, "T = \(t)")
            let up = point.filter { $0.branch == .retrieval && $0.stable && $0.converged }
            XCTAssertLessThanOrEqual(up.count, 1, "T = \(t)")
            if let s = up.first {
                stable.append((t, s.m))
                for u in point where u.branch == .retrieval && !u.stable { XCTAssertLessThan(u.m, s.m, "T = \(t)") }
            } else {
                XCTAssertFalse(point.contains { $0.branch == .retrieval && $0.stable }, "T = \(t)")
            }
        }
        XCTAssertGreaterThan(stable.count, 5)
        for k in 1..<stable.count {
            XCTAssertLessThanOrEqual(stable[k].m, stable[k - 1].m, "T = \(stable[k].t)")
            if k >= 2 {
                let step = stable[k - 1].m - stable[k].m, previous = stable[k - 2].m - stable[k - 1].m
                XCTAssertLessThanOrEqual(step, 2 * previous + 1e-3, "T = \(stable[k].t): a jump")
            }
        }
        // The branch ends where the spinodal α_M(T) crosses 0.1: α_M ≥ 0.1 at its last T, < 0.1 one step on.
        let lines = ClassicalCriticalLines(measure: Self.measure)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(lines.spinodal(temperature: stable.last!.t)).alpha, 0.1)
        XCTAssertLessThan(lines.spinodal(temperature: stable.last!.t + 0.02)?.alpha ?? 0, 0.1)
    }
}
