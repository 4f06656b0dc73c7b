import HopfieldKit
import XCTest

/// Retrieval below and above the capacity α_c(T = 0) ≈ 0.138 (AGS 1985).
final class RetrievalTests: XCTestCase {
    /// α = 0.05, T = 0.1, N = 2000, from the pattern: RS theory gives m ≈ 1 − O(10⁻⁴); every sample
    /// must keep m_1 ≥ 0.99.
    func testLowLoadRetrievesThePattern() throws {
        let p = MonteCarloParameters(neurons: 2000, patterns: 100, temperature: 0.1, thermalization: 100,
                                     sweeps: 300, samples: 2, replicas: 1, seed: 5)
        let result = try MonteCarloRun.run(p, threads: 2)
        XCTAssertGreaterThanOrEqual(result.observables.m.mean, 0.99)
        for sample in result.perSample { XCTAssertGreaterThanOrEqual(sample.m, 0.99) }
    }

    /// α = 0.25, T = 0, N = 2000, from the pattern: far above α_c the retrieval state is gone and
    /// zero-temperature dynamics falls to a remanent overlap well below 0.5.
    func testHighLoadLosesThePattern() throws {
        let p = MonteCarloParameters(neurons: 2000, patterns: 500, temperature: 0, dynamics: .zeroTemperature,
                                     thermalization: 50, sweeps: 20, samples: 2, replicas: 1, seed: 5)
        let result = try MonteCarloRun.run(p, threads: 2)
        XCTAssertLessThan(result.observables.m.mean, 0.5)
        for sample in result.perSample { XCTAssertLessThan(sample.m, 0.5) }
        XCTAssertEqual(result.flipRate, 0, "zero-temperature dynamics should have reached a fixed point")
    }
}
