import HopfieldKitTestSupport
import Foundation
import HopfieldKit
import XCTest

/// P = 1: the Hopfield network is the Curie–Weiss ferromagnet (gauge σ_i → ξ_i σ_i), m = tanh(m/T).
final class CurieWeissTests: XCTestCase {
    static let temperatures = [0.5, 0.7, 0.85]

    func testSpontaneousMagnetisationSolvesMeanFieldEquation() throws {
        // Values from an independent solver (SciPy's brentq on m − tanh(m/T)), to 1e-12.
        let reference = [0.5: 0.9575040240772688, 0.7: 0.8286347986408344, 0.85: 0.629501476391139]
        for (t, m) in reference {
            let solved = try XCTUnwrap(CurieWeiss.magnetisation(temperature: t))
            XCTAssertEqual(solved, m, accuracy: 1e-12)
            XCTAssertEqual(solved, tanh(solved / t), accuracy: 1e-13)
        }
        XCTAssertEqual(CurieWeiss.magnetisation(temperature: 1.2), 0)
        // Near T = 1, m ≈ √(3(1 − T)): the bracket must still be found.
        let nearCritical = try XCTUnwrap(CurieWeiss.magnetisation(temperature: 0.9999))
        XCTAssertEqual(nearCritical, (3 * 0.0001).squareRoot(), accuracy: 2e-4)
    }

    /// Monte Carlo at P = 1, N = 1000, against (a) the exact finite-N average from the binomial sum,
    /// in a z-test, and (b) the N → ∞ solution m*, allowing exactly the finite-size bias that the
    /// binomial sum shows (|⟨|m|⟩_N − m*|, itself checked to halve when N doubles).
    func testSingleStoredPatternReproducesCurieWeiss() throws {
        let n = 1000
        let zMax = Significance.bonferroniThreshold(familyAlpha: 1e-3, tests: 2 * Self.temperatures.count)
        for t in Self.temperatures {
            let p = MonteCarloParameters(neurons: n, patterns: 1, temperature: t, thermalization: 500,
                                         sweeps: 10_000, samples: 1, replicas: 4, seed: 17)
            let result = try MonteCarloRun.run(p)
            let mc = result.observables.mAbs
            let mStar = try XCTUnwrap(CurieWeiss.magnetisation(temperature: t))
            let finite = CurieWeiss.exactFiniteSize(neurons: n, temperature: t)
            let bias = abs(finite.absM - mStar)
            // O(1/N): doubling N halves the bias (to 10 %; the next order is O(1/N²)).
            let biasDoubled = abs(CurieWeiss.exactFiniteSize(neurons: 2 * n, temperature: t).absM - mStar)
            XCTAssertEqual(bias / biasDoubled, 2, accuracy: 0.2, "finite-size bias at T = \(t) is not O(1/N)")
            assertAgrees(mc.mean, error: mc.error, exact: finite.absM, zMax: zMax, "T=\(t) vs exact N=\(n)")
            XCTAssertLessThan(abs(mc.mean - mStar), zMax * mc.error + bias,
                              "T=\(t): MC \(mc.mean) ± \(mc.error) vs m* = \(mStar), finite-size bias \(bias)")
        }
    }
}
