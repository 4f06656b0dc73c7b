import Foundation
import HopfieldKit
import HopfieldKitTestSupport
import XCTest

/// The exponential network's engine: energy differences against direct evaluation (large N m_μ
/// included), kept sums against recomputation, Monte Carlo against exact enumeration.
final class ExponentialNetworkTests: XCTestCase {
    static func parameters(neurons: Int, patterns: Int, _ interaction: ExponentialInteraction, lambda: Double,
                           seed: UInt64 = 7) -> MonteCarloParameters {
        MonteCarloParameters(neurons: neurons, patterns: patterns, temperature: 1, seed: seed,
                             family: .exponential(ExponentialSettings(interaction: interaction, lambda: lambda)))
    }

    static func network(_ p: MonteCarloParameters, sample: Int = 0) -> ExponentialNetwork {
        guard case .exponential(let settings) = p.family else { fatalError() }
        return ExponentialNetwork.make(p, settings, sample: sample)
    }

    /// ΔH of every flip from the kept weights equals H(σ') − H(σ) evaluated directly (shifted
    /// log-sum-exp), to 1e-9 of the energy scale, at states from the pattern to random, for sizes
    /// where e^{λN m} overflows a double by far (lse: λN = 6000) and where exp's energies are ~e^{600}.
    func testFlipEnergyEqualsDirectDifference() {
        let cases: [(MonteCarloParameters, String)] = [
            (Self.parameters(neurons: 12, patterns: 30, .lse, lambda: 1), "lse N=12"),
            (Self.parameters(neurons: 12, patterns: 30, .exp, lambda: 0.7), "exp N=12"),
            (Self.parameters(neurons: 600, patterns: 50, .lse, lambda: 10), "lse N=600 λ=10"),
            (Self.parameters(neurons: 600, patterns: 50, .exp, lambda: 1), "exp N=600 λ=1"),
        ]
        for (p, label) in cases {
            let net = Self.network(p)
            var rng = Xoshiro256StarStar(seed: 3)
            for flipFraction in [0.0, 0.05, 0.3, 0.5] {
                let spins = net.patterns.pattern(0).map { rng.nextUniform() < flipFraction ? -$0 : $0 }
                let replica = ExponentialReplica(network: net, spins: spins)
                let h0 = net.energy(spins)
                for i in stride(from: 0, to: p.neurons, by: max(1, p.neurons / 12)) {
                    var flipped = spins
                    flipped[i] = -flipped[i]
                    let direct = net.energy(flipped) - h0
                    let kept = replica.flipEnergy(i)
                    XCTAssert(kept.isFinite, "\(label): ΔH not finite")
                    XCTAssertEqual(kept, direct, accuracy: 1e-9 * max(1, abs(h0)), "\(label) f=\(flipFraction) i=\(i)")
                }
                XCTAssertEqual(replica.energyPerNeuron * Double(p.neurons), h0, accuracy: 1e-9 * max(1, abs(h0)), label)
            }
        }
    }

    /// After sweeps of every dynamics (re-basing included: random starts move the largest M_μ),
    /// the kept M_μ and weights equal a recomputation exactly.
    func testKeptSumsEqualRecomputation() {
        for interaction in ExponentialInteraction.allCases {
            let p = Self.parameters(neurons: 40, patterns: 200, interaction, lambda: interaction == .lse ? 2 : 0.5)
            let net = Self.network(p)
            for (dynamics, beta) in [(Dynamics.heatBath, 1.0), (.metropolis, 0.5), (.zeroTemperature, Double.infinity)] {
                var rng = Xoshiro256StarStar(seed: 11)
                var replica = ExponentialReplica(network: net, spins: (0..<40).map { _ in rng.nextUniform() < 0.5 ? 1 : -1 })
                var flips = 0
                for _ in 0..<20 { flips += replica.sweep(dynamics: dynamics, beta: beta, order: .random, rng: &rng) }
                XCTAssertGreaterThan(flips, 0, "\(interaction) \(dynamics) never flipped: the check would be vacuous")
                XCTAssert(replica.checkInvariants(), "\(interaction) \(dynamics)")
            }
        }
    }

    /// Heat-bath and Metropolis Monte Carlo against exact Boltzmann averages over all 2^N states
    /// (energies by direct evaluation): ⟨H/N⟩ and ⟨m_1⟩, z-tests at a Bonferroni threshold.
    func testMonteCarloAgreesWithExactEnumeration() throws {
        let cases: [(String, MonteCarloParameters, Double)] = [
            ("lse N=12 K=20 λ=1", Self.parameters(neurons: 12, patterns: 20, .lse, lambda: 1), 1.5),
            ("lse N=10 K=40 λ=3", Self.parameters(neurons: 10, patterns: 40, .lse, lambda: 3), 2.0),
            ("exp N=10 K=8 λ=0.3", Self.parameters(neurons: 10, patterns: 8, .exp, lambda: 0.3), 4.0),
        ]
        let dynamics: [Dynamics] = [.heatBath, .metropolis]
        let zMax = Significance.bonferroniThreshold(familyAlpha: 1e-3, tests: cases.count * dynamics.count * 2)
        for (label, base, t) in cases {
            let net = Self.network(base)
            let n = base.neurons
            var z = 0.0, e = 0.0, m = 0.0
            var energies = [Double](), overlaps = [Double]()
            for b in 0..<(1 << n) {
                let spins = (0..<n).map { (b >> $0) & 1 == 1 ? Int8(1) : Int8(-1) }
                energies.append(net.energy(spins))
                overlaps.append(Double(zip(spins, net.patterns.pattern(0)).reduce(0) { $0 + Int($1.0) * Int($1.1) }) / Double(n))
            }
            let lowest = energies.min()!
            for k in energies.indices {
                let w = exp(-(energies[k] - lowest) / t)
                z += w; e += w * energies[k] / Double(n); m += w * overlaps[k]
            }
            for d in dynamics {
                var p = base
                p.temperature = t; p.dynamics = d; p.order = .random
                p.thermalization = 1000; p.sweeps = 40_000; p.samples = 1; p.replicas = 2; p.initialState = .random
                let r = try MonteCarloRun.run(p)
                assertAgrees(r.observables.energy.mean, error: r.observables.energy.error, exact: e / z, zMax: zMax, "\(label) \(d) energy")
                assertAgrees(r.observables.m.mean, error: r.observables.m.error, exact: m / z, zMax: zMax, "\(label) \(d) m1")
            }
        }
    }

    /// The same seed gives the same numbers whatever the thread count; K = round(e^{αN}).
    func testLoadAndReproducibility() throws {
        let family = NetworkFamily.exponential(ExponentialSettings())
        XCTAssertEqual(family.patterns(alpha: 0.2, neurons: 30), 403)
        XCTAssertEqual(family.alpha(patterns: 403, neurons: 30), log(403.0) / 30, accuracy: 1e-15)
        var p = Self.parameters(neurons: 20, patterns: 300, .lse, lambda: 1)
        p.temperature = 0.8; p.thermalization = 20; p.sweeps = 50; p.samples = 3
        let one = try MonteCarloRun.run(p, threads: 1), two = try MonteCarloRun.run(p, threads: 2)
        XCTAssertEqual(one.observables.m.mean, two.observables.m.mean)
        XCTAssertEqual(one.observables.energy.mean, two.observables.energy.mean)
    }
}

extension ExponentialNetworkTests {
    /// A run stopped during its samples and resumed from the checkpoints (replicas rebuilt from
    /// their spins) gives exactly the numbers of an uninterrupted run.
    func testResumedRunIsBitIdentical() throws {
        var p = Self.parameters(neurons: 24, patterns: 500, .lse, lambda: 0.5)
        p.temperature = 0.7; p.order = .random; p.thermalization = 30; p.sweeps = 200; p.samples = 2; p.replicas = 2
        let reference = try MonteCarloRun.run(p, threads: 2)
        for stopAfter in [10, 150] {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hopsim-exp-ckpt-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            let store = FileCheckpointStore(directory: dir)
            let polls = PollCounter()
            XCTAssertThrowsError(try MonteCarloRun.run(p, threads: 1, control: RunControl(shouldStop: { polls.next() > stopAfter }, store: store)))
            XCTAssertEqual(try MonteCarloRun.run(p, threads: 2, control: RunControl(store: store)), reference, "stopped after \(stopAfter) polls")
        }
    }
}

/// A thread-safe counter of stop polls.
final class PollCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func next() -> Int { lock.lock(); defer { lock.unlock() }; count += 1; return count }
}

extension ExponentialNetworkTests {
    /// An exact tie: two patterns that differ only at neuron i, the state at the first. Flipping i
    /// moves the state onto the second pattern: ΔH = 0 exactly (lse and exp alike), so zero-temperature
    /// dynamics keeps the spin.
    func testExactTieIsZero() {
        let n = 12
        var rng = Xoshiro256StarStar(seed: 9)
        let first: [Int8] = (0..<n).map { _ in rng.nextUniform() < 0.5 ? 1 : -1 }
        var second = first
        second[5] = -second[5]
        var entries = [Int8](repeating: 0, count: 2 * n)
        for i in 0..<n { entries[2 * i] = first[i]; entries[2 * i + 1] = second[i] }
        for settings in [ExponentialSettings(interaction: .exp, lambda: 3.7), ExponentialSettings(interaction: .exp, lambda: 2),
                         ExponentialSettings(interaction: .lse, lambda: 0.3)] {
            let net = ExponentialNetwork(settings: settings, patterns: PatternMatrix(neurons: n, patterns: 2, entries: entries))
            var replica = ExponentialReplica(network: net, spins: first)
            XCTAssertEqual(replica.flipEnergy(5), 0, "\(settings)")
            var r = Xoshiro256StarStar(seed: 1)
            XCTAssertEqual(replica.sweep(dynamics: .zeroTemperature, beta: .infinity, order: .sequential, rng: &r), 0, "\(settings)")
        }
    }
}
