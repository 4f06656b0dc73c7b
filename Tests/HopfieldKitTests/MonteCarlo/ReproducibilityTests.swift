import HopfieldKit
import XCTest

final class ReproducibilityTests: XCTestCase {
    /// Same seed ⇒ bit-identical results for 1, 2 and 3 threads (samples run in different orders on
    /// different threads; each depends on its stream keys only).
    func testResultsDoNotDependOnThreadCount() throws {
        for dynamics in [Dynamics.heatBath, .metropolis] {
            let p = MonteCarloParameters(neurons: 150, patterns: 20, temperature: 0.4, dynamics: dynamics,
                                         order: .random, thermalization: 50, sweeps: 400, samples: 5,
                                         replicas: 3, initialState: .noisy(flipFraction: 0.2), seed: 77)
            let one = try MonteCarloRun.run(p, threads: 1)
            XCTAssertEqual(one, try MonteCarloRun.run(p, threads: 2))
            XCTAssertEqual(one, try MonteCarloRun.run(p, threads: 3))
            var other = p
            other.seed = 78
            XCTAssertNotEqual(one.observables.m.mean, try MonteCarloRun.run(other, threads: 2).observables.m.mean)
        }
    }

    /// A sample's patterns depend on (seed, point, sample) only: adding samples leaves earlier ones alone.
    func testSamplesAreIndependentOfHowManyRun() throws {
        var p = MonteCarloParameters(neurons: 100, patterns: 10, temperature: 0.5, thermalization: 10,
                                     sweeps: 100, samples: 2, replicas: 2, seed: 3)
        let two = try MonteCarloRun.run(p, threads: 2)
        p.samples = 4
        let four = try MonteCarloRun.run(p, threads: 2)
        XCTAssertEqual(Array(four.perSample.prefix(2)), two.perSample)
    }
}
