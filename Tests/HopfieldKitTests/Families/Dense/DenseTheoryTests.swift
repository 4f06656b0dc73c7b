import HopfieldKit
import XCTest

/// The dense RS theory against exact identities, its own thermodynamics, its T = 0 limit, and
/// Monte Carlo of the same networks.
final class DenseTheoryTests: XCTestCase {
    let measure = try! GaussianMeasure()

    func stable(_ p: Int, _ alpha: Double, _ t: Double, _ examples: ExampleStatistics = .none) -> ReplicaSymmetricSolution {
        DenseReplicaSymmetric(order: p, alpha: alpha, temperature: t, examples: examples, measure: measure).stableRetrieval()!
    }

    /// On the line βα = 1 (plain patterns) the crosstalk obeys a Nishimori-type identity: the field
    /// h = m^{P−1}/(P−1)! + σz has mean βσ² when m = q, and then E tanh βh = E tanh² βh, so the
    /// retrieval state has m = q exactly and u = −m^P/P! − (1 − q^P)/P! = −1/P!.
    func testNishimoriLineIdentity() {
        for (p, alpha) in [(3, 0.1), (3, 0.05), (4, 0.02)] {
            let s = stable(p, alpha, alpha)
            let factorial = (1...p).reduce(1.0) { $0 * Double($1) }
            XCTAssertEqual(s.m, s.q, accuracy: 1e-9, "P=\(p) α=\(alpha)")
            XCTAssertEqual(s.energy, -1 / factorial, accuracy: 1e-10, "P=\(p) α=\(alpha)")
        }
    }

    /// s = −∂f/∂T and u = f + Ts by central differences of the solved free energy (the derivation of
    /// s and u is checked, not assumed), plain and trained (exact binomial χ̄ average).
    func testEntropyAndEnergyAreTemperatureDerivativesOfTheFreeEnergy() {
        let cases: [(Int, Double, Double, ExampleStatistics)] = [
            (3, 0.05, 0.15, .none), (4, 0.01, 0.04, .none),
            (3, 0.005, 0.03, .examples(5, quality: 0.7, .supervised)),
            (3, 0.005, 0.03, .examples(4, quality: 0.7, .unsupervised)),
        ]
        for (p, alpha, t, ex) in cases {
            let h = 1e-5 * t
            let f = { (t: Double) in self.stable(p, alpha, t, ex).freeEnergy }
            let s = stable(p, alpha, t, ex)
            let derivative = (f(t + h) - f(t - h)) / (2 * h)
            XCTAssertEqual(s.entropy, -derivative, accuracy: 1e-6, "P=\(p) α=\(alpha) T=\(t) \(ex)")
            XCTAssertEqual(s.energy, s.freeEnergy + t * s.entropy, accuracy: 1e-8, "P=\(p) \(ex)")
        }
    }

    /// The T = 0 equations (q = 1, exact limit) join the finite-T kink-split quadrature, and satisfy
    /// n = erf(n^{P−1}/((P−1)! σ √2)), σ² = α/(P−1)!, evaluated independently.
    func testZeroTemperatureLimit() {
        for (p, alpha) in [(3, 0.1), (4, 0.03)] {
            let zero = stable(p, alpha, 0)
            let factorialMinusOne = (1..<p).reduce(1.0) { $0 * Double($1) }
            let sigma = (alpha / factorialMinusOne).squareRoot()
            let n = zero.n!
            XCTAssertEqual(n, erf(pow(n, Double(p - 1)) / (factorialMinusOne * sigma * 2.0.squareRoot())), accuracy: 1e-11)
            XCTAssertEqual(zero.q, 1)
            // s(0) = −α C²/(4 (P−2)!) < 0: replica symmetry is broken in the retrieval state at T = 0.
            XCTAssertEqual(zero.entropy, -alpha * zero.c * zero.c / (4 * factorialMinusOne / Double(p - 1)), accuracy: 1e-12)
            XCTAssertLessThan(zero.entropy, 0)
            // The approach is linear in T (σ² ∝ q^{P−1} = (1 − CT)^{P−1}): Richardson's 2x(T) − x(2T)
            // must reproduce the T = 0 values to O(T²) plus the kink-split quadrature's error at βσ ~ 10⁴
            // (measured: 1e-8 in m, 5e-8 in u, 2.4e-7 relative in C for P = 4, whose |C''| ≈ 5·10³).
            // A wrong join (e.g. the T = 0 branch without the noise term) is off by ≥ 10⁻³.
            let t = 1e-5
            let one = stable(p, alpha, t), two = stable(p, alpha, 2 * t)
            XCTAssertEqual(2 * one.m - two.m, zero.m, accuracy: 1e-7, "P=\(p)")
            XCTAssertEqual(2 * one.c - two.c, zero.c, accuracy: 1e-6 * zero.c, "P=\(p)")
            XCTAssertEqual(2 * one.energy - two.energy, zero.energy, accuracy: 2e-7, "P=\(p)")
            XCTAssertEqual(one.freeEnergy, zero.freeEnergy - t * zero.entropy, accuracy: 1e-8, "P=\(p)")   // ∂f/∂T = −s
        }
    }

    /// Degenerate training sets are plain networks; the large-M (ρ) form is the binomial's limit.
    func testTrainingReductions() {
        let plain = stable(3, 0.05, 0.1)
        for ex in [ExampleStatistics.examples(1, quality: 1, .supervised), .examples(1, quality: 1, .unsupervised),
                   .entropy(0, quality: 1, .supervised)] {
            let s = stable(3, 0.05, 0.1, ex)
            XCTAssertEqual(s.m, plain.m, accuracy: 1e-12, "\(ex)")
            XCTAssertEqual(s.freeEnergy, plain.freeEnergy, accuracy: 1e-12, "\(ex)")
        }
        // M = 400, r = 0.5: the binomial χ̄ and its Gaussian (CLT) approximation differ by O(1/M).
        let m = 400, r = 0.5
        let rho = (1 - r * r) / (Double(m) * r * r)
        for learning in LearningProtocol.allCases {
            let exact = stable(3, 0.002, 0.02, .examples(m, quality: r, learning))
            let gaussian = stable(3, 0.002, 0.02, .entropy(rho, quality: r, learning))
            XCTAssertEqual(exact.n!, gaussian.n!, accuracy: 5.0 / Double(m), "\(learning)")
            XCTAssertEqual(exact.m, gaussian.m, accuracy: 5.0 / Double(m), "\(learning)")
        }
    }

    /// The RS capacity α_c(T = 0) of P = 3 and P = 4 (hopsim's convention H = −(N/P!) Σ m^P,
    /// K = αN^{P−1}) equals the merging point of the two roots of the scaled T = 0 equation
    /// n = erf(a n^{P−1}), a = 1/(√(2α (P−1)!)): the largest α with a root, found here by a plain
    /// scan independent of the solver; the spinodal line must start there.
    func testZeroTemperatureCapacityFromTheScaledEquation() {
        for p in [3, 4] {
            let factorialMinusOne = (1..<p).reduce(1.0) { $0 * Double($1) }
            // n − erf(a n^{P−1}) < 0 somewhere iff a root pair exists; the threshold a* by bisection.
            func hasRoot(_ a: Double) -> Bool {
                stride(from: 0.01, through: 1, by: 1e-4).contains { $0 - erf(a * pow($0, Double(p - 1))) < 0 }
            }
            var lo = 0.1, hi = 20.0
            for _ in 0..<60 { let mid = 0.5 * (lo + hi); if hasRoot(mid) { hi = mid } else { lo = mid } }
            let alphaC = 1 / (2 * factorialMinusOne * hi * hi)
            let line = DenseCriticalLines(order: p, measure: measure).spinodal(temperature: 0)!
            XCTAssertEqual(line.alpha, alphaC, accuracy: 1e-5 * alphaC, "P=\(p)")
        }
    }
}
