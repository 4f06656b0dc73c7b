import Foundation
import HopfieldKit
import XCTest

/// Branches reported once, thresholds tied to the solver's tolerance, and level lines that agree
/// with the point solver (issue 13).
final class MultitaskingBranchTests: XCTestCase {
    /// Exactly at T₁ = 1 − d the only state is the (marginal) paramagnet — before, five "stable"
    /// branches with m ≈ 10⁻⁴ under different names and no paramagnet. Just below T₁ a single
    /// retrieval state appears; the paramagnet is reported at every T.
    func testThresholdHasOneState() throws {
        let at = try MultitaskingLowStorage(patterns: 3, dilution: 0.3, temperature: 0.7).solveBranches()
        XCTAssertEqual(at.map(\.branch), ["paramagnet"])
        XCTAssertTrue(at[0].stable && at[0].global && at[0].converged)
        XCTAssertEqual(at[0].m, [0, 0, 0])
        let below = try MultitaskingLowStorage(patterns: 3, dilution: 0.3, temperature: 0.69).solveBranches()
        XCTAssertEqual(below.first { $0.global }?.branch, "single")
        for t in stride(from: 0.0, through: 1.0, by: 0.05) {
            let branches = try MultitaskingLowStorage(patterns: 3, dilution: 0.3, temperature: t).solveBranches()
            XCTAssertEqual(branches.filter { $0.branch == "paramagnet" }.count, 1, "T = \(t)")
            XCTAssertEqual(branches.filter(\.global).count, 1, "T = \(t)")
            // No two branches closer than the solver can tell apart.
            for (i, a) in branches.enumerated() {
                for b in branches[(i + 1)...] {
                    XCTAssertGreaterThan(zip(a.m, b.m).map { abs($0 - $1) }.max()!, 1e-3, "T = \(t): \(a.m) vs \(b.m)")
                }
            }
        }
    }

    /// A level line and the point solver agree: 10⁻⁴ below T_k(d) the global state has level k,
    /// 10⁻⁴ above it has not; every converged point of the line satisfies the linearised
    /// condition to 10⁻¹⁰ (T_1 = 1 − d to the same precision).
    func testLevelLineAgreesWithThePointSolver() throws {
        for d in [0.2, 0.3, 0.45] {
            let lines = try MultitaskingLowStorage.levelTemperatures(patterns: 2, dilution: d)
            XCTAssertEqual(lines[0].temperature, 1 - d, accuracy: 1e-10)
            for line in lines where line.converged {
                XCTAssertLessThanOrEqual(line.residual, 1e-10)
                let k = line.level - 1
                let cold = try MultitaskingLowStorage(patterns: 2, dilution: d, temperature: line.temperature - 1e-4).solveBranches()
                let warm = try MultitaskingLowStorage(patterns: 2, dilution: d, temperature: line.temperature + 1e-4).solveBranches()
                XCTAssertGreaterThan(try XCTUnwrap(cold.first { $0.global }).m[k], 1e-3, "d = \(d), level \(line.level)")
                XCTAssertEqual(try XCTUnwrap(warm.first { $0.global }).m[k], 0, "d = \(d), level \(line.level)")
            }
        }
    }
}

/// Converged means verified, for Parisi's block parameter: Brent's bracket closing is not enough.
final class BlockParameterSearchTests: XCTestCase {
    func refine(_ derivative: @escaping (Double) -> Double) -> SolverStatus {
        BlockParameterSearch.refine(0.1, 0.9, warm: 0.0, solve: { x, _ in
            (x, SolverStatus(converged: true, iterations: 1, residual: 0, method: "test"))
        }, derivative: { x, _ in derivative(x) }, method: "brent", tolerance: 1e-11).status
    }

    /// A smooth ∂f/∂x with a root is converged; one that jumps across 0 (two branches glued,
    /// as near the T = 0 fold) is not, although Brent's bracket closes on the jump.
    func testAJumpIsNoRoot() {
        XCTAssertTrue(refine { 0.3 - $0 }.converged)
        XCTAssertFalse(refine { $0 < 0.5 ? 1e-3 : -1e-3 }.converged)
        // A sign change only at the bracket's end (Brent collapses onto it).
        XCTAssertFalse(refine { $0 < 0.9 ? 1e-8 : -1e-8 }.converged)
    }
}
