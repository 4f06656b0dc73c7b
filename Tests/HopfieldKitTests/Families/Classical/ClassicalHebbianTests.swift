import HopfieldKit
import XCTest

final class ClassicalHebbianTests: XCTestCase {
    func randomSpins(_ n: Int, _ rng: inout Xoshiro256StarStar) -> [Int8] {
        (0..<n).map { _ in (rng.next() & 1) == 1 ? 1 : -1 }
    }

    /// h_i and H from the explicit couplings J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ (i ≠ j) agree with the
    /// overlap form used by the engine.
    func testFieldAndEnergyMatchExplicitCouplings() {
        var rng = Xoshiro256StarStar(seed: 3)
        let n = 37, p = 5
        let xi = PatternMatrix.random(neurons: n, patterns: p, using: &rng)
        let spins = randomSpins(n, &rng)
        let replica = ClassicalHebbianReplica<Int16>(patterns: xi, spins: spins)
        func coupling(_ i: Int, _ j: Int) -> Double {
            i == j ? 0 : Double((0..<p).reduce(0) { $0 + Int(xi[neuron: i, pattern: $1]) * Int(xi[neuron: j, pattern: $1]) }) / Double(n)
        }
        var energy = 0.0
        for i in 0..<n {
            let h = (0..<n).reduce(0.0) { $0 + coupling(i, $1) * Double(spins[$1]) }
            XCTAssertEqual(replica.localField(i), h, accuracy: 1e-12)
            energy -= 0.5 * Double(spins[i]) * h
        }
        XCTAssertEqual(replica.energyPerNeuron, energy / Double(n), accuracy: 1e-12)
    }

    /// After thousands of sweeps with every dynamics, order and overlap width, the incrementally kept
    /// M_μ equal a recomputation from the spins, exactly.
    func testIncrementalOverlapsEqualRecomputation() {
        for dynamics in Dynamics.allCases {
            for order in UpdateOrder.allCases {
                var rng = Xoshiro256StarStar(seed: 5)
                let xi = PatternMatrix.random(neurons: 300, patterns: 40, using: &rng)
                let start = randomSpins(300, &rng)
                var narrow = ClassicalHebbianReplica<Int16>(patterns: xi, spins: start)
                var wide = ClassicalHebbianReplica<Int32>(patterns: xi, spins: start)
                var rngNarrow = rng, rngWide = rng
                let beta = dynamics == .zeroTemperature ? Double.infinity : 1.0 / 0.4
                var flips = 0
                for _ in 0..<2000 {
                    flips += narrow.sweep(dynamics: dynamics, beta: beta, order: order, rng: &rngNarrow)
                    _ = wide.sweep(dynamics: dynamics, beta: beta, order: order, rng: &rngWide)
                }
                XCTAssertGreaterThan(flips, 0)
                XCTAssertTrue(narrow.checkInvariants(), "\(dynamics) \(order) Int16")
                XCTAssertTrue(wide.checkInvariants(), "\(dynamics) \(order) Int32")
                // The two widths are the same arithmetic: identical trajectories.
                XCTAssertEqual(narrow.spins, wide.spins)
            }
        }
    }

    func testOverlapWidthChoice() {
        XCTAssertEqual(OverlapWidth.required(neurons: 10_000, patterns: 1_000), .int16)
        XCTAssertEqual(OverlapWidth.required(neurons: 40_000, patterns: 10), .int32)
        XCTAssertEqual(OverlapWidth.required(neurons: 30_000, patterns: 100_000), .int32)
    }
}
