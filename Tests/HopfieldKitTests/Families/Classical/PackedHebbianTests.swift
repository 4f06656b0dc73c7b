import HopfieldKit
import XCTest

/// The bit-packed layout (PackedPatterns, PackedHebbianReplica) against the Int8 engine: the same
/// patterns from the same stream, the same fields, and the same trajectories.
final class PackedHebbianTests: XCTestCase {
    func randomSpins(_ n: Int, _ rng: inout Xoshiro256StarStar) -> [Int8] {
        (0..<n).map { _ in (rng.next() & 1) == 1 ? 1 : -1 }
    }

    /// PackedPatterns.random draws the patterns PatternMatrix.random draws from the same stream, for
    /// P below, at and across word boundaries (it may read one word further ahead; the pattern
    /// stream is used for nothing else).
    func testRandomPatternsEqualInt8Patterns() {
        for (n, p) in [(7, 1), (13, 31), (11, 32), (9, 33), (5, 64), (6, 65), (4, 100), (3, 200)] {
            var a = Xoshiro256StarStar(seed: 41), b = a
            let bytes = PatternMatrix.random(neurons: n, patterns: p, using: &a)
            let bits = PackedPatterns.random(neurons: n, patterns: p, using: &b)
            XCTAssertEqual(bits, PackedPatterns(packing: bytes), "N = \(n), P = \(p)")
            for i in 0..<n { for mu in 0..<p { XCTAssertEqual(bits[neuron: i, pattern: mu], bytes[neuron: i, pattern: mu]) } }
            XCTAssertEqual(bits.rowSums, (0..<n).map { i in Int32((0..<p).reduce(0) { $0 + Int(bytes[neuron: i, pattern: $1]) }) })
            // Padding bits are zero, so the masked sum never reads the scratch lanes.
            for i in 0..<n { for mu in p..<bits.paddedPatterns {
                XCTAssertEqual((bits.words[i * bits.wordsPerRow + mu / 32] >> UInt32(mu % 32)) & 1, 0)
            } }
        }
    }

    /// N h_i from the packed kernel equals the Int8 engine's for every neuron, with both widths and
    /// P not a multiple of 32 (the masked tail).
    func testFieldsEqualInt8Engine() {
        for p in [1, 17, 32, 45, 64, 100, 257] {
            var rng = Xoshiro256StarStar(seed: UInt64(p))
            let xi = PatternMatrix.random(neurons: 301, patterns: p, using: &rng)
            let spins = randomSpins(301, &rng)
            let bytes = ClassicalHebbianReplica<Int16>(patterns: xi, spins: spins)
            let narrow = PackedHebbianReplica<Int16>(patterns: PackedPatterns(packing: xi), spins: spins)
            let wide = PackedHebbianReplica<Int32>(patterns: PackedPatterns(packing: xi), spins: spins)
            for i in 0..<301 {
                XCTAssertEqual(narrow.scaledLocalField(i), bytes.scaledLocalField(i), "P = \(p), i = \(i)")
                XCTAssertEqual(wide.scaledLocalField(i), bytes.scaledLocalField(i), "P = \(p), i = \(i)")
            }
            XCTAssertEqual(narrow.energyPerNeuron, bytes.energyPerNeuron)
        }
    }

    /// The same streams give the same trajectory, spin for spin, with every dynamics, order and
    /// width; the kept sums and their total stay equal to a recomputation.
    func testSameTrajectoryAsInt8Engine() {
        for dynamics in Dynamics.allCases {
            for order in UpdateOrder.allCases {
                var rng = Xoshiro256StarStar(seed: 9)
                let xi = PatternMatrix.random(neurons: 250, patterns: 70, using: &rng)
                let start = randomSpins(250, &rng)
                var bytes = ClassicalHebbianReplica<Int16>(patterns: xi, spins: start)
                var narrow = PackedHebbianReplica<Int16>(patterns: PackedPatterns(packing: xi), spins: start)
                var wide = PackedHebbianReplica<Int32>(patterns: PackedPatterns(packing: xi), spins: start)
                var r0 = rng, r1 = rng, r2 = rng
                let beta = dynamics == .zeroTemperature ? Double.infinity : 1 / 0.3
                var flips = 0
                for sweep in 0..<300 {
                    flips += bytes.sweep(dynamics: dynamics, beta: beta, order: order, rng: &r0)
                    _ = narrow.sweep(dynamics: dynamics, beta: beta, order: order, rng: &r1)
                    _ = wide.sweep(dynamics: dynamics, beta: beta, order: order, rng: &r2)
                    if sweep % 50 == 0 { XCTAssertEqual(narrow.spins, bytes.spins, "\(dynamics) \(order) sweep \(sweep)") }
                }
                XCTAssertGreaterThan(flips, 100, "\(dynamics) \(order): the test must exercise flips")
                XCTAssertEqual(narrow.spins, bytes.spins, "\(dynamics) \(order) Int16")
                XCTAssertEqual(wide.spins, bytes.spins, "\(dynamics) \(order) Int32")
                XCTAssertEqual(narrow.overlapSums, bytes.overlapSums)
                XCTAssertEqual(r1, r0, "the same random numbers were drawn")
                XCTAssertTrue(narrow.checkInvariants() && wide.checkInvariants(), "\(dynamics) \(order)")
            }
        }
    }

    /// A whole run with --pattern-layout packed and int8 gives the same record numbers.
    func testRunIsLayoutIndependent() throws {
        var p = MonteCarloParameters(neurons: 200, patterns: 70, temperature: 0.3, thermalization: 20, sweeps: 60,
                                     samples: 2, replicas: 2, initialState: .noisy(flipFraction: 0.2), seed: 5)
        p.patternLayout = .int8
        let bytes = try MonteCarloRun.run(p)
        p.patternLayout = .packed
        let bits = try MonteCarloRun.run(p)
        XCTAssertEqual(bits.observables, bytes.observables)
    }

    /// Diluted patterns (zeros) cannot be packed one bit per entry: packed is refused by name.
    func testPackedRefusedForDilutedPatterns() {
        var p = MonteCarloParameters(neurons: 200, patterns: 70, family: .multitasking(dilution: 0.3))
        p.patternLayout = .packed
        XCTAssertThrowsError(try p.validate()) { error in
            XCTAssertTrue("\(error)".contains("--pattern-layout"), "\(error)")
        }
        XCTAssertEqual(PatternLayout.auto.resolved(neurons: 200, patterns: 70, binary: false), .int8)
    }

    /// The heat-bath rule's branch-free shortcut decides as the plain rule σ = +1 iff
    /// u (1 + e^{−x}) < 1 wherever that rule is unambiguous in doubles, for fields of both signs.
    func testHeatBathShortcutAgreesWithPlainRule() {
        let rule = HeatBathRule(beta: 2.5, neurons: 100)
        var rng = Xoshiro256StarStar(seed: 77)
        var mismatches = 0
        for k in 0..<200_000 {
            let field = Int64(k % 401) - 200
            var probe = rng
            let u = probe.nextUniform()
            let decided = rule.newSpin(current: 1, scaledField: field, rng: &rng)
            let x = rule.twoBetaOverN * Double(field)
            let plain: Int8 = u * (1 + exp(-x)) < 1 ? 1 : -1
            if decided != plain { mismatches += 1 }
        }
        XCTAssertEqual(mismatches, 0)
    }
}

/// Replicas swept side by side on threads (a sample with idle cores) end where serial sweeps end.
final class ParallelReplicaTests: XCTestCase {
    func testParallelReplicaSweepsEqualSerialOnes() {
        var rng = Xoshiro256StarStar(seed: 21)
        let xi = PackedPatterns.random(neurons: 400, patterns: 90, using: &rng)
        let p = MonteCarloParameters(neurons: 400, patterns: 90, temperature: 0.4)
        var serial = (0..<5).map { a -> PackedHebbianReplica<Int16> in
            var s = StreamKey(seed: 3, sample: 0, replica: UInt64(a), purpose: .initialState).generator()
            return PackedHebbianReplica<Int16>(patterns: xi, spins: InitialState.random.configuration(condensed: xi.pattern(0), using: &s))
        }
        var parallel = serial
        var serialStreams = (0..<5).map { StreamKey(seed: 3, sample: 0, replica: UInt64($0), purpose: .dynamics).generator() }
        var parallelStreams = serialStreams
        var flips = (0, 0)
        for _ in 0..<50 {
            flips.0 += MonteCarloRun.sweepReplicas(&serial, &serialStreams, p, beta: 2.5, threads: 1)
            flips.1 += MonteCarloRun.sweepReplicas(&parallel, &parallelStreams, p, beta: 2.5, threads: 2)
        }
        XCTAssertGreaterThan(flips.0, 0)
        XCTAssertEqual(flips.0, flips.1)
        XCTAssertEqual(serial.map(\.spins), parallel.map(\.spins))
        XCTAssertEqual(serialStreams, parallelStreams)
    }
}

/// The dense engine's field from packed coupling rows: the same trajectory, bit for bit.
final class DensePackedTests: XCTestCase {
    func testDenseTrajectoryIsLayoutIndependent() throws {
        for (order, training) in [(3, nil), (4, nil), (3, TrainingSet(examples: 3, quality: 0.6, learning: .unsupervised))] as [(Int, TrainingSet?)] {
            var p = MonteCarloParameters(neurons: 60, patterns: 45, temperature: 0.1, thermalization: 10, sweeps: 40, samples: 2,
                                         replicas: 2, initialState: .noisy(flipFraction: 0.2), seed: 4,
                                         family: .dense(DenseSettings(order: order, training: training)))
            p.patternLayout = .int8
            let rows = try MonteCarloRun.run(p)
            p.patternLayout = .packed
            let bits = try MonteCarloRun.run(p)
            XCTAssertEqual(bits.observables, rows.observables, "P = \(order), training \(String(describing: training))")
            XCTAssertGreaterThan(rows.flipRate, 0)
        }
    }

    func testPackedRefusedForSupervisedSums() {
        var p = MonteCarloParameters(neurons: 60, patterns: 45, family: .dense(DenseSettings(order: 3, training: TrainingSet(examples: 3, quality: 0.6, learning: .supervised))))
        p.patternLayout = .packed
        XCTAssertThrowsError(try p.validate()) { XCTAssertTrue("\($0)".contains("--pattern-layout"), "\($0)") }
    }
}
