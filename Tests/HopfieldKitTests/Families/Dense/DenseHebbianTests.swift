import HopfieldKitTestSupport
import HopfieldKit
import XCTest

/// The dense engine against its definitions: tensor energies, exact fields, incremental sums, and
/// Monte Carlo against exact enumeration for P = 3 and P = 4.
final class DenseHebbianTests: XCTestCase {
    static func parameters(neurons: Int, patterns: Int, order: Int, hamiltonian: DenseHamiltonian = .gardner,
                           training: TrainingSet? = nil, seed: UInt64 = 7) -> MonteCarloParameters {
        var p = MonteCarloParameters(neurons: neurons, patterns: patterns, seed: seed)
        p.family = .dense(DenseSettings(order: order, hamiltonian: hamiltonian, training: training))
        return p
    }

    /// H from its definition, summing the coupling tensor over ordered index tuples:
    /// gardner −(w/(P! N^{P−1})) Σ_ν Σ_{distinct} Π η σ, krotov −(w/(P! N^{P−1})) Σ_ν Σ_{all} Π η σ.
    static func tensorEnergy(_ net: DenseNetwork, _ spins: [Int8]) -> Double {
        let n = net.neurons, p = net.order, kc = net.couplingCount
        var total = 0.0
        var index = [Int](repeating: 0, count: p)
        func recurse(_ depth: Int, _ nu: Int, _ product: Double) {
            if depth == p { total += product; return }
            for i in 0..<n {
                if net.hamiltonian == .gardner, index[0..<depth].contains(i) { continue }
                index[depth] = i
                recurse(depth + 1, nu, product * Double(net.couplings[i * kc + nu]) / net.scale * Double(spins[i]))
            }
        }
        for nu in 0..<kc { recurse(0, nu, 1) }
        let factorial = (1...p).reduce(1.0) { $0 * Double($1) }
        return -net.weight * total / (factorial * pow(Double(n), Double(p - 1)))
    }

    static let networks: [(String, MonteCarloParameters)] = [
        ("P=3 gardner", parameters(neurons: 7, patterns: 3, order: 3)),
        ("P=4 gardner", parameters(neurons: 7, patterns: 2, order: 4)),
        ("P=3 krotov", parameters(neurons: 7, patterns: 3, order: 3, hamiltonian: .krotov)),
        ("P=4 krotov", parameters(neurons: 6, patterns: 2, order: 4, hamiltonian: .krotov)),
        ("P=4 supervised M=3", parameters(neurons: 6, patterns: 2, order: 4,
                                          training: TrainingSet(examples: 3, quality: 0.5, learning: .supervised))),
        ("P=3 supervised M=4 krotov", parameters(neurons: 6, patterns: 2, order: 3, hamiltonian: .krotov,
                                                 training: TrainingSet(examples: 4, quality: 0.3, learning: .supervised))),
        ("P=3 unsupervised M=2", parameters(neurons: 7, patterns: 2, order: 3,
                                            training: TrainingSet(examples: 2, quality: 0.6, learning: .unsupervised))),
    ]

    /// Energies from kept power sums equal the tensor sums, and h_i equals [H(σ_i=−1) − H(σ_i=+1)]/2.
    func testEnergyAndFieldMatchTheTensorDefinition() {
        var rng = Xoshiro256StarStar(seed: 3)
        for (label, p) in Self.networks {
            let net = DenseNetwork.make(p, sample: 0)
            for _ in 0..<4 {
                var spins = (0..<p.neurons).map { _ in rng.nextUniform() < 0.5 ? Int8(1) : Int8(-1) }
                let replica = DenseHebbianReplica(network: net, spins: spins)
                let exact = Self.tensorEnergy(net, spins)
                XCTAssertEqual(replica.energyPerNeuron * Double(p.neurons), exact, accuracy: 1e-9 * max(1, abs(exact)), label)
                for i in 0..<p.neurons {
                    spins[i] = 1
                    let up = Self.tensorEnergy(net, spins)
                    spins[i] = -1
                    let down = Self.tensorEnergy(net, spins)
                    spins[i] = replica.spins[i]
                    XCTAssertEqual(replica.localField(i), (down - up) / 2, accuracy: 1e-9 * max(1, abs(up)), "\(label) h_\(i)")
                }
            }
        }
    }

    /// After thousands of sweeps with every dynamics, the kept sums equal a recomputation exactly.
    func testIncrementalSumsEqualRecomputation() {
        for (label, base) in Self.networks {
            var p = base
            p.neurons = 40
            p.patterns = 5
            let net = DenseNetwork.make(p, sample: 0)
            for dynamics in Dynamics.allCases {
                var rng = Xoshiro256StarStar(seed: 11)
                var replica = DenseHebbianReplica(network: net, spins: (0..<40).map { _ in rng.nextUniform() < 0.5 ? 1 : -1 })
                var flips = 0
                for _ in 0..<300 {
                    flips += replica.sweep(dynamics: dynamics, beta: dynamics == .zeroTemperature ? .infinity : 3,
                                           order: .random, rng: &rng)
                }
                XCTAssertGreaterThan(flips, 0, label)
                XCTAssertTrue(replica.checkInvariants(), "\(label) \(dynamics)")
            }
        }
    }

    /// Heat bath and Metropolis sample exp(−βH) exactly: P = 3 (N = 12) and P = 4 (N = 10), gardner
    /// and krotov, against sums over all 2^N states; z-tests with a Bonferroni threshold for the
    /// family (family-wise false-alarm rate 10⁻³).
    func testMonteCarloAgreesWithExactEnumeration() throws {
        let cases: [(String, MonteCarloParameters, Double)] = [
            ("P=3 N=12 gardner", Self.parameters(neurons: 12, patterns: 4, order: 3), 0.3),
            ("P=4 N=10 gardner", Self.parameters(neurons: 10, patterns: 3, order: 4), 0.15),
            ("P=3 N=12 krotov", Self.parameters(neurons: 12, patterns: 4, order: 3, hamiltonian: .krotov), 0.3),
            ("P=4 N=10 supervised", Self.parameters(neurons: 10, patterns: 2, order: 4,
                training: TrainingSet(examples: 3, quality: 0.6, learning: .supervised)), 0.1),
        ]
        let dynamics: [Dynamics] = [.heatBath, .metropolis]
        let zMax = Significance.bonferroniThreshold(familyAlpha: 1e-3, tests: cases.count * dynamics.count * 2)
        for (label, base, t) in cases {
            let truth = DenseExactEnumeration(network: DenseNetwork.make(base, sample: 0)).averages(temperature: t)
            for d in dynamics {
                var p = base
                p.temperature = t; p.dynamics = d; p.order = .random
                p.thermalization = 1000; p.sweeps = 60_000; p.samples = 1; p.replicas = 2; p.initialState = .random
                let r = try MonteCarloRun.run(p)
                assertAgrees(r.observables.energy.mean, error: r.observables.energy.error, exact: truth.energy,
                             zMax: zMax, "\(label) \(d) energy")
                assertAgrees(r.observables.m.mean, error: r.observables.m.error, exact: truth.m1,
                             zMax: zMax, "\(label) \(d) m1")
            }
        }
    }
}
