import HopfieldKit
import XCTest

/// Monte Carlo of dense networks against their RS theory, and the Plefka engine against Monte Carlo
/// on the same networks. Sizes are small (tests run on 2 cores); tolerances are 4 standard errors
/// (thermal and disorder, `totalError`) plus an explicit O(1/N) finite-size allowance for the
/// overlaps: the Gardner field e_{P−1}(S) differs from S^{P−1}/(P−1)! at relative order P²/N, and
/// the measured deviations (in the comments) are well inside it.
final class DenseRetrievalTests: XCTestCase {
    let measure = try! GaussianMeasure()

    func run(p: Int, alpha: Double, t: Double, neurons: Int, training: TrainingSet? = nil, samples: Int = 8,
             sweeps: Int = 400, initialState: InitialState = .pattern) throws -> MonteCarloResult {
        var parameters = MonteCarloParameters(neurons: neurons, patterns: 1, temperature: t, thermalization: 100,
                                              sweeps: sweeps, samples: samples, replicas: 2, initialState: initialState, seed: 5)
        parameters.family = .dense(DenseSettings(order: p, training: training))
        parameters.patterns = parameters.family.patterns(alpha: alpha, neurons: neurons)
        return try MonteCarloRun.run(parameters, threads: 2)
    }

    func theory(_ p: Int, _ alpha: Double, _ t: Double, _ ex: ExampleStatistics = .none) -> ReplicaSymmetricSolution {
        DenseReplicaSymmetric(order: p, alpha: alpha, temperature: t, examples: ex, measure: measure).stableRetrieval()!
    }

    func assertClose(_ e: ObservableEstimate, _ value: Double, neurons: Int, _ label: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        let tolerance = 4 * e.totalError + 1 / Double(neurons)
        XCTAssertEqual(e.mean, value, accuracy: tolerance, "\(label): MC \(e.mean) ± \(e.totalError)", file: file, line: line)
    }

    /// Well inside the retrieval region MC agrees with the RS overlaps; the RS energy is reached by
    /// extrapolating N = 100, 200 linearly in 1/N (the measured gap is ≈ 1.1/N).
    /// Measured: P = 3, α = 0.03, T = 0.15: m 0.9892 vs 0.9900, q 0.9791 vs 0.9809 (N = 200).
    func testThreeBodyRetrievalAgreesWithReplicaSymmetry() throws {
        let rs = theory(3, 0.03, 0.15)
        let large = try run(p: 3, alpha: 0.03, t: 0.15, neurons: 200)
        assertClose(large.observables.m, rs.m, neurons: 200, "m")
        assertClose(large.observables.q!, rs.q, neurons: 200, "q")
        let small = try run(p: 3, alpha: 0.03, t: 0.15, neurons: 100)
        let extrapolated = 2 * large.observables.energy.mean - small.observables.energy.mean
        let error = (4 * pow(large.observables.energy.totalError, 2) + pow(small.observables.energy.totalError, 2)).squareRoot()
        XCTAssertEqual(extrapolated, rs.energy, accuracy: 4 * error, "energy extrapolated in 1/N")
    }

    /// P = 4 at N = 50 (K = 1250): measured m 0.9980 vs RS 0.9989.
    func testFourBodyRetrievalAgreesWithReplicaSymmetry() throws {
        let rs = theory(4, 0.01, 0.03)
        let mc = try run(p: 4, alpha: 0.01, t: 0.03, neurons: 50)
        assertClose(mc.observables.m, rs.m, neurons: 50, "m")
        assertClose(mc.observables.q!, rs.q, neurons: 50, "q")
    }

    /// Well outside: above the highest retrieval temperature (P = 3: T = 0.35 > 0.29) the overlap
    /// decays to the paramagnetic ~√(2/πN); beyond the RS spinodal in α at low T (α = 0.3 > 0.155)
    /// the network does not retrieve either (RS retrieval would have m > 0.75; a finite-size
    /// remanent m ≈ 0.3 stays, as in the pairwise model).
    func testRetrievalIsLostOutsideTheRetrievalRegion() throws {
        XCTAssertNil(DenseReplicaSymmetric(order: 3, alpha: 0.03, temperature: 0.35, measure: measure).stableRetrieval())
        let hot = try run(p: 3, alpha: 0.03, t: 0.35, neurons: 200, samples: 4, sweeps: 200)
        XCTAssertLessThan(hot.observables.mAbs.mean, 0.15)
        XCTAssertNil(DenseCriticalLines(order: 3, measure: measure).retrieval(0.3, 0.15, .none))
        let loaded = try run(p: 3, alpha: 0.3, t: 0.15, neurons: 150, samples: 4, sweeps: 200)
        XCTAssertLessThan(loaded.observables.m.mean, 0.5)
    }

    /// Networks trained on M = 10 examples of quality r = 0.6: archetype overlap m and example overlap
    /// n against RS with the exact binomial average. Measured (N = 200): supervised m 0.909 vs 0.914,
    /// n 0.583 vs 0.588; unsupervised m 0.898 vs 0.908, n 0.579 vs 0.586.
    func testTrainedNetworksAgreeWithReplicaSymmetry() throws {
        for learning in LearningProtocol.allCases {
            let rs = theory(3, 0.005, 0.04, .examples(10, quality: 0.6, learning))
            let mc = try run(p: 3, alpha: 0.005, t: 0.04, neurons: 200,
                             training: TrainingSet(examples: 10, quality: 0.6, learning: learning))
            assertClose(mc.observables.m, rs.m, neurons: 200, "\(learning) m")
            assertClose(mc.observables.n!, rs.n!, neurons: 200, "\(learning) n")
        }
    }

    /// Plefka against exact MC on the same networks. Deep retrieval (P = 3, α = 0.03, T = 0.15):
    /// the second-order fixed point's m agrees with MC within the MC error plus 1/N (measured
    /// 0.98912 vs 0.98920). High temperature (T = 0.6): the energy is all Onsager term, −βα/P! at
    /// second order and 0 at first; MC must lie within 10 % of the former (measured 1.7 %: the
    /// neglected β³ terms) and far from the latter.
    func testPlefkaAgreesWithExactMonteCarlo() throws {
        var p = MonteCarloParameters(neurons: 200, patterns: 1200, temperature: 0.15, thermalization: 100, sweeps: 400,
                                     samples: 8, replicas: 2, seed: 5)
        p.family = .dense(DenseSettings(order: 3))
        let mc = try MonteCarloRun.run(p, threads: 2)
        let plefka = try PlefkaRun.run(p, settings: PlefkaSettings(order: .second), threads: 2)
        XCTAssertTrue(plefka.approximation.allConverged)
        XCTAssertEqual(plefka.m.mean, mc.observables.m.mean,
                       accuracy: 4 * (pow(mc.observables.m.totalError, 2) + pow(plefka.m.error, 2)).squareRoot() + 1.0 / 200)

        p.temperature = 0.6
        p.initialState = .random
        let hot = try MonteCarloRun.run(p, threads: 2)
        let second = try PlefkaRun.run(p, settings: PlefkaSettings(order: .second), threads: 2)
        let first = try PlefkaRun.run(p, settings: PlefkaSettings(order: .first), threads: 2)
        let e = hot.observables.energy.mean
        XCTAssertEqual(try XCTUnwrap(second.energy).mean, -(1 / 0.6) * p.alpha / 6, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(second.energy).mean, e, accuracy: 0.1 * abs(e))
        XCTAssertGreaterThan(abs(try XCTUnwrap(first.energy).mean - e), 0.5 * abs(e))
    }

    /// Starting exact MC from spins drawn from the Plefka fixed point reaches the same equilibrium.
    func testPlefkaStartThermalisesToTheSameState() throws {
        let fromPattern = try run(p: 3, alpha: 0.03, t: 0.15, neurons: 150, samples: 4, sweeps: 300)
        let fromPlefka = try run(p: 3, alpha: 0.03, t: 0.15, neurons: 150, samples: 4, sweeps: 300, initialState: .plefka)
        XCTAssertEqual(fromPlefka.observables.m.mean, fromPattern.observables.m.mean,
                       accuracy: 4 * (pow(fromPlefka.observables.m.totalError, 2) + pow(fromPattern.observables.m.totalError, 2)).squareRoot())
    }
}
