import Foundation
import HopfieldKit
import HopfieldKitTestSupport
import XCTest

/// The random-energy-model theory of exponential networks (docs/physics.md §5): its pieces against
/// independent evaluations, and against the Monte Carlo engine at the largest N a test affords.
final class ExponentialTheoryTests: XCTestCase {
    let lse = ExponentialSettings(interaction: .lse, lambda: 0.5)

    /// I(tanh x) = x tanh x − ln cosh x (Legendre pair), I(m*) = α to 1e-12, and φ against the
    /// exact binomial sum at N = 2·10⁵ (φ_N − φ = O(λ ln N / N)) in both REM phases.
    func testRateFunctionAndCrosstalk() throws {
        for x in [0.1, 0.5, 1.0, 2.0] {
            XCTAssertEqual(ExponentialTheory.rate(tanh(x)), x * tanh(x) - log(cosh(x)), accuracy: 1e-13)
        }
        for alpha in [0.05, 0.2, 0.4, 0.6] {
            let ms = try XCTUnwrap(ExponentialTheory.maximalOverlap(alpha: alpha))
            XCTAssertEqual(ExponentialTheory.rate(ms), alpha, accuracy: 1e-12)
            for lambda in [0.5, 1.0, 3.0] {
                let phi = ExponentialTheory.crosstalk(alpha: alpha, lambda: lambda, maximalOverlap: ms)
                let n = 200_000
                let finite = ExponentialTheory.finiteCrosstalk(logPatterns: alpha * Double(n), neurons: n, lambda: lambda)
                XCTAssertEqual(finite, phi, accuracy: 2e-3, "α = \(alpha), λ = \(lambda)")
            }
        }
    }

    /// The retrieval state is where the Gibbs weight G(m) = ln 2 − I(m) + (β/λ) max(λm, φ) has an
    /// interior maximum above m* — found here by scanning G on a grid of 20001 overlaps, an
    /// evaluation independent of the closed-form conditions the states use.
    func testRetrievalExistenceAgainstDirectMaximisation() throws {
        for alpha in [0.05, 0.15, 0.25, 0.33, 0.4, 0.5] {
            for t in [0.3, 0.6, 1.0, 1.6, 2.5] {
                let states = try ExponentialTheory(settings: lse, alpha: alpha, temperature: t).states()
                let r = try XCTUnwrap(states.first { $0.branch == "retrieval" })
                XCTAssert(r.converged)
                let beta = 1 / t, lambda = lse.lambda, phi = r.crosstalk, ms = r.maximalOverlap
                func g(_ m: Double) -> Double { log(2.0) - ExponentialTheory.rate(m) + beta / lambda * max(lambda * m, phi) }
                let grid = (0...20000).map { ms + (1 - ms) * Double($0) / 20000 }
                let values = grid.map(g)
                let interior = (1..<20000).contains { values[$0] > values[$0 - 1] && values[$0] >= values[$0 + 1] }
                XCTAssertEqual(r.stable, interior, "α = \(alpha), T = \(t)")
                let entropy = try XCTUnwrap(r.entropy)
                XCTAssertGreaterThanOrEqual(entropy, 0)
            }
        }
    }

    /// The lines: α_1 and α_g continuous at T = 1/λ where both meet the REM condensation load
    /// I(tanh λ); α_g ≤ α_1; both decrease with T; exp's boundary is T-independent.
    func testLines() {
        let lambda = lse.lambda, tc = 1 / lambda
        let below = ExponentialTheory.retrievalBoundary(lse, temperature: tc * (1 - 1e-7))
        let above = ExponentialTheory.retrievalBoundary(lse, temperature: tc * (1 + 1e-7))
        XCTAssertEqual(below, above, accuracy: 1e-6)
        XCTAssertEqual(below, ExponentialTheory.condensationLoad(lse), accuracy: 1e-6)
        XCTAssertEqual(ExponentialTheory.globalBoundary(lse, temperature: tc * (1 - 1e-4)), below, accuracy: 1e-4)
        var last = Double.infinity
        for t in stride(from: 0.05, through: 4, by: 0.05) {
            let a1 = ExponentialTheory.retrievalBoundary(lse, temperature: t), ag = ExponentialTheory.globalBoundary(lse, temperature: t)
            XCTAssertLessThanOrEqual(ag, a1 + 1e-12, "T = \(t)")
            XCTAssertLessThan(a1, last, "T = \(t)")
            last = a1
        }
        let exp = ExponentialSettings(interaction: .exp, lambda: 1)
        XCTAssertEqual(ExponentialTheory.retrievalBoundary(exp, temperature: 0.1), ExponentialTheory.retrievalBoundary(exp, temperature: 5))
        XCTAssertEqual(ExponentialTheory.singleFlipBoundary(lambda: 1), 2 - log(cosh(2.0)), accuracy: 1e-14)
    }

    /// Zero temperature: the fraction of samples whose pattern survives a zero-temperature sweep of
    /// the Monte Carlo engine (no flip) against the finite-N theory Φ(z)^N. The measured α where
    /// half survive must lie within the finite-size allowance ½|α_1(N) − α_1(∞)| of the finite-N
    /// boundary α_1(N): the theory's own correction must account for at least half of the distance
    /// between simulation and the N → ∞ boundary. N = 20, λ = ½, 160 samples per load.
    func testZeroTemperatureRetrievalBoundary() throws {
        let n = 20, lambda = 0.5, samples = 160
        let asymptote = ExponentialTheory.singleFlipBoundary(lambda: lambda)
        let finite = try XCTUnwrap(ExponentialTheory.finiteSingleFlipBoundary(lambda: lambda, neurons: n))
        let allowance = 0.5 * abs(finite - asymptote)
        let settings = ExponentialSettings(interaction: .lse, lambda: lambda)
        let loads = stride(from: finite - 0.09, through: finite + 0.09, by: 0.03).map { $0 }
        let surviving: [Double] = loads.map { a in
            let p = MonteCarloParameters(neurons: n, patterns: Int(exp(a * Double(n)).rounded()), temperature: 0,
                                         dynamics: .zeroTemperature, seed: 21, family: .exponential(settings))
            let kept = (0..<samples).filter { s in
                let net = ExponentialNetwork.make(p, settings, sample: s)
                var replica = ExponentialReplica(network: net, spins: net.patterns.pattern(0))
                var rng = Xoshiro256StarStar(seed: UInt64(s))
                return replica.sweep(dynamics: .zeroTemperature, beta: .infinity, order: .sequential, rng: &rng) == 0
            }.count
            return Double(kept) / Double(samples)
        }
        let crossing = try XCTUnwrap(Self.crossing(loads, surviving.map { 0.5 - $0 }), "survival \(surviving) never crosses ½")
        XCTAssertLessThan(abs(crossing - finite), allowance,
                          "MC crossing \(crossing), finite-N theory \(finite), N → ∞ \(asymptote), survival \(surviving)")
    }

    /// T > 0: Monte Carlo from ξ¹ at N = 24 (λ = ½, T = ½) hops among the retrieval states of the
    /// patterns near ξ¹ and, above the global line, into the paramagnet: its m_max crosses the mean
    /// of the two states' m_max (tanh β and m*(α)) where the theory's finite-N global line α_g(N)
    /// says, within the allowance 2|α_g(N) − α_g(∞)| (the next correction no larger than the first)
    /// plus three statistical errors of the crossing (the m_max errors over the slope).
    func testFiniteTemperatureBoundary() throws {
        let n = 24, t = 0.5
        let finite = try XCTUnwrap(ExponentialTheory.finiteGlobalBoundary(lse, temperature: t, neurons: n))
        let asymptote = ExponentialTheory.globalBoundary(lse, temperature: t)
        let loads = [finite - 0.06, finite - 0.03, finite, finite + 0.03, finite + 0.06]
        var excess: [Double] = [], errors: [Double] = []
        for a in loads {
            var p = MonteCarloParameters(neurons: n, patterns: Int(exp(a * Double(n)).rounded()), temperature: t,
                                         thermalization: 300, sweeps: 1500, samples: 8, replicas: 1, seed: 5,
                                         family: .exponential(lse))
            p.order = .sequential
            let r = try MonteCarloRun.run(p, threads: 2)
            let ms = try XCTUnwrap(ExponentialTheory.maximalOverlap(alpha: p.alpha))
            excess.append(r.observables.mMax.mean - 0.5 * (tanh(1 / t) + ms))
            errors.append(r.observables.mMax.totalError)
        }
        let crossing = try XCTUnwrap(Self.crossing(loads, excess.map { -$0 }), "m_max − midpoint \(excess) never changes sign")
        // The crossing's statistical error: the m_max error at the bracketing loads over the slope.
        let k = try XCTUnwrap((1..<loads.count).first { excess[$0 - 1] >= 0 && excess[$0] < 0 })
        let slope = abs(excess[k] - excess[k - 1]) / (loads[k] - loads[k - 1])
        let sigma = max(errors[k], errors[k - 1]) / slope
        let allowance = 2 * abs(finite - asymptote) + 3 * sigma
        XCTAssertLessThan(abs(crossing - finite), allowance,
                          "MC crossing \(crossing) ± \(sigma), finite-N α_g \(finite), N → ∞ \(asymptote), m_max − midpoint \(excess)")
    }

    /// The first x where y changes sign from ≤ 0 to > 0 (y rising), by linear interpolation.
    static func crossing(_ x: [Double], _ y: [Double]) -> Double? {
        for k in 1..<x.count where y[k - 1] <= 0 && y[k] > 0 {
            return x[k - 1] + (x[k] - x[k - 1]) * (-y[k - 1]) / (y[k] - y[k - 1])
        }
        return nil
    }
}

extension ExponentialTheoryTests {
    /// The finite-N forms at sizes where K overflows an integer (N = 64 … 2000) stay finite and
    /// approach the N → ∞ lines; K = 2 and K = 3 give ordered sums (φ_N grows with K).
    func testFiniteSizeFormsAtLargeN() throws {
        var lastGap = Double.infinity
        for n in [64, 200, 2000] {
            let ag = try XCTUnwrap(ExponentialTheory.finiteGlobalBoundary(lse, temperature: 0.5, neurons: n), "N = \(n)")
            let a1 = try XCTUnwrap(ExponentialTheory.finiteRetrievalBoundary(lse, temperature: 0.5, neurons: n), "N = \(n)")
            let flip = try XCTUnwrap(ExponentialTheory.finiteSingleFlipBoundary(lambda: 0.5, neurons: n), "N = \(n)")
            XCTAssert(ag.isFinite && a1.isFinite && flip.isFinite)
            let gap = abs(ag - ExponentialTheory.globalBoundary(lse, temperature: 0.5))
            XCTAssertLessThan(gap, lastGap, "N = \(n)")
            lastGap = gap
        }
        XCTAssertLessThan(lastGap, 2e-3)
        let two = ExponentialTheory.finiteCrosstalk(patterns: 2, neurons: 24, lambda: 0.5)
        let three = ExponentialTheory.finiteCrosstalk(patterns: 3, neurons: 24, lambda: 0.5)
        XCTAssertLessThan(two, three)
        XCTAssertGreaterThan(two, -0.1)
    }

    /// Grid specs: plefka in `compute` is refused for a family without a Plefka engine (at the
    /// compute key, before anything runs); an rs-only grid is not held to Monte Carlo limits.
    func testGridSpecKeys() throws {
        let plefka = "model: exponential\ncompute: [mc, plefka]\naxes: {alpha: [0.2], temperature: [0.5]}\n"
        XCTAssertThrowsError(try GridSpec.parse(plefka, file: "p.yaml")) { error in
            XCTAssertTrue("\(error)".contains("compute: plefka is not available"), "\(error)")
        }
        let theoryOnly = "model: exponential\ninteraction: exp\nlambda: 40\ncompute: [rs]\naxes: {alpha: [0.2], temperature: [0.5]}\n"
        XCTAssertNoThrow(try GridSpec.parse(theoryOnly, file: "t.yaml"))
        let simulated = theoryOnly.replacingOccurrences(of: "[rs]", with: "[mc, rs]")
        XCTAssertThrowsError(try GridSpec.parse(simulated, file: "s.yaml")) { error in
            XCTAssertTrue("\(error)".contains("mc.neurons"), "\(error)")
        }
    }
}
