import HopfieldKit
import XCTest

final class BinningAnalysisTests: XCTestCase {
    /// Standard normal numbers by Box–Muller from the project's generator.
    func gaussians(_ n: Int, seed: UInt64) -> [Double] {
        var g = Xoshiro256StarStar(seed: seed)
        return (0..<n).map { _ in
            let u = 1 - g.nextUniform(), v = g.nextUniform()
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
    }

    func testUncorrelatedSeriesHasTauOneHalf() {
        let b = BinningAnalysis(gaussians(1 << 16, seed: 1))
        // mean of 65536 N(0,1): sd 1/256; 5 sd.
        XCTAssertEqual(b.mean, 0, accuracy: 5.0 / 256)
        XCTAssertEqual(b.errorsByLevel[0], 1.0 / 256, accuracy: 0.05 / 256)
        // τ from 32 bins has relative error √(2/31) ≈ 0.25 in ε²: allow 4 of those.
        XCTAssertEqual(try XCTUnwrap(b.tau), 0.5, accuracy: 0.5 * 4 * 0.254)
        XCTAssertGreaterThanOrEqual(b.bins, BinningAnalysis.minimumBins)
    }

    /// AR(1), x_t = ρ x_{t−1} + √(1−ρ²) ε_t: unit variance, τ_int = (1+ρ)/(2(1−ρ)) = 4.5 for ρ = 0.8.
    /// At bin size 256 (1024 bins) ε² should be 2τ/n within its statistical error √(2/1023) ≈ 4.4 %
    /// (5 of those) plus the known small-bin bias ≈ 2τ/256 ≈ 3.5 %.
    func testCorrelatedSeriesBinningRecoversTau() {
        let rho = 0.8, n = 1 << 18
        let noise = gaussians(n, seed: 2)
        var x = [Double](repeating: 0, count: n)
        x[0] = noise[0]
        for t in 1..<n { x[t] = rho * x[t - 1] + (1 - rho * rho).squareRoot() * noise[t] }
        let b = BinningAnalysis(x)
        let tau = (1 + rho) / (2 * (1 - rho))
        let expected = 2 * tau / Double(n)
        let level8 = b.errorsByLevel[8] * b.errorsByLevel[8]
        XCTAssertEqual(level8 / expected, 1, accuracy: 5 * 0.044 + 0.035)
        XCTAssertEqual(b.errorsByLevel[0] * b.errorsByLevel[0] * Double(n), 1, accuracy: 0.05)
    }

    func testConstantSeriesHasZeroErrorAndNoTau() {
        let b = BinningAnalysis([Double](repeating: 0.75, count: 100))
        XCTAssertEqual(b.mean, 0.75)
        XCTAssertEqual(b.error, 0)
        XCTAssertNil(b.tau)
    }

    func testSampleCombinationKeepsThermalErrorAndSpreadApart() {
        let a = BinningAnalysis([1, 1, 1, 1]), b = BinningAnalysis([3, 3, 3, 3])
        let e = ObservableEstimate(perSample: [a, b])
        XCTAssertEqual(e.mean, 2)
        XCTAssertEqual(e.error, 0)
        XCTAssertEqual(e.sampleSpread, 2.0.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(e.samples, 2)
    }
}
