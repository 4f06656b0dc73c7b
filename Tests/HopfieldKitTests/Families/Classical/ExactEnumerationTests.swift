import HopfieldKitTestSupport
import HopfieldKit
import XCTest

/// Monte Carlo against exact Boltzmann sums over all 2^N states (SpinMonteCarlo.jl's approach):
/// each comparison is a z-test with the binning error, thresholded with a Bonferroni correction so
/// that the whole family fails by chance with probability 10⁻³.
final class ExactEnumerationTests: XCTestCase {
    static let temperatures = [0.4, 1.0]
    static let comparisons = 2 * 2 * temperatures.count * 2     // dynamics × order × T × observable

    func testHeatBathAndMetropolisSampleTheBoltzmannDistribution() throws {
        let zMax = Significance.bonferroniThreshold(familyAlpha: 1e-3, tests: Self.comparisons)
        let base = MonteCarloParameters(neurons: 11, patterns: 3, thermalization: 2_000, sweeps: 100_000,
                                        samples: 1, replicas: 4, initialState: .random, seed: 2024)
        let exact = ExactEnumeration(patterns: MonteCarloRun.patterns(for: base, sample: 0))
        for dynamics in [Dynamics.heatBath, .metropolis] {
            for order in UpdateOrder.allCases {
                for t in Self.temperatures {
                    var p = base
                    p.dynamics = dynamics; p.order = order; p.temperature = t
                    let result = try MonteCarloRun.run(p)
                    let truth = exact.averages(temperature: t)
                    let label = "\(dynamics.rawValue) \(order.rawValue) T=\(t)"
                    assertAgrees(result.observables.energy.mean, error: result.observables.energy.error,
                                 exact: truth.energy, zMax: zMax, "\(label) energy")
                    assertAgrees(result.observables.mAbs.mean, error: result.observables.mAbs.error,
                                 exact: truth.absM1, zMax: zMax, "\(label) |m1|")
                }
            }
        }
    }

    /// The test has power: a 2 % wrong temperature is detected. (Guards against error bars so wide
    /// that the comparison above could never fail.)
    func testComparisonDetectsAWrongTemperature() throws {
        var p = MonteCarloParameters(neurons: 11, patterns: 3, temperature: 1.0, thermalization: 2_000,
                                     sweeps: 100_000, samples: 1, replicas: 4, initialState: .random, seed: 2024)
        let exact = ExactEnumeration(patterns: MonteCarloRun.patterns(for: p, sample: 0))
        p.temperature = 1.02
        let result = try MonteCarloRun.run(p)
        let truth = exact.averages(temperature: 1.0)
        let z = (result.observables.energy.mean - truth.energy) / result.observables.energy.error
        XCTAssertGreaterThan(abs(z), Significance.bonferroniThreshold(familyAlpha: 1e-3, tests: Self.comparisons))
    }

    /// Zero-temperature dynamics from every one of the 2^N states: the energy never rises, and it
    /// reaches a state where every σ_i h_i ≥ 0, which exact enumeration confirms to be a local minimum
    /// of H under single flips. In sequential order a sweep without flips already proves it.
    func testZeroTemperatureDynamicsDescendsToSingleFlipStableStates() {
        var rng = Xoshiro256StarStar(seed: 8)
        let n = 10
        let xi = PatternMatrix.random(neurons: n, patterns: 3, using: &rng)
        let exact = ExactEnumeration(patterns: xi)
        for order in UpdateOrder.allCases {
            var stream = Xoshiro256StarStar(seed: 9)
            for state in 0..<(1 << n) {
                let spins: [Int8] = (0..<n).map { (state >> $0) & 1 == 1 ? 1 : -1 }
                var replica = ClassicalHebbianReplica<Int16>(patterns: xi, spins: spins)
                var energy = exact.energy(of: spins)
                var stable = false
                for _ in 0..<500 {
                    let flips = replica.sweep(dynamics: .zeroTemperature, beta: .infinity, order: order, rng: &stream)
                    let e = exact.energy(of: replica.spins)
                    XCTAssertLessThanOrEqual(e, energy + 1e-12, "energy rose from state \(state)")
                    energy = e
                    stable = (0..<n).allSatisfy { Double(replica.spins[$0]) * replica.localField($0) >= 0 }
                    if order == .sequential, flips == 0 { XCTAssertTrue(stable) }
                    if stable { break }
                }
                XCTAssertTrue(stable, "no fixed point reached from state \(state) (\(order))")
                XCTAssertTrue(exact.isSingleFlipStable(replica.spins), "state \(state) ended off a local minimum")
            }
        }
    }
}
