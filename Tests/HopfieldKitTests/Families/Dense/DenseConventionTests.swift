import Foundation
import HopfieldKit
import XCTest

/// The conversion to other papers' conventions (issue 13): a hopsim RS solution, converted, solves
/// the other convention's equations (written out here, averaged by GSL's adaptive QAGI), and a known
/// number, the T = 0 capacity at P = 4, converts both ways.
final class DenseConventionTests: XCTestCase {
    static let measure = try! GaussianMeasure()

    func testRoundTripIsTheIdentity() {
        for p in 3...6 {
            for convention in [DenseConvention.halfOverlapPower(order: p), .overlapPower(order: p), DenseConvention(signal: 0.7, noise: 3.1)] {
                let there = convention.fromHopsim(order: p, alpha: 0.0123, temperature: 0.456)
                let back = convention.toHopsim(order: p, load: there.load, temperature: there.temperature)
                XCTAssertEqual(back.alpha, 0.0123, accuracy: 1e-16)
                XCTAssertEqual(back.temperature, 0.456, accuracy: 1e-15)
            }
        }
        // H = −(N/2) Σ m^P: T' = (P!/2) T and γ = (P!/2) α, the load is rescaled too (P = 4: 12×).
        let half = DenseConvention.halfOverlapPower(order: 4).fromHopsim(order: 4, alpha: 1, temperature: 1)
        XCTAssertEqual(half.load, 12, accuracy: 1e-12)
        XCTAssertEqual(half.temperature, 12, accuracy: 1e-12)
        let full = DenseConvention.overlapPower(order: 3).fromHopsim(order: 3, alpha: 1, temperature: 1)
        XCTAssertEqual(full.load, 6, accuracy: 1e-12)
        XCTAssertEqual(full.temperature, 6, accuracy: 1e-12)
    }

    /// m = E tanh β'[a m^{P−1} + √(bγ q^{P−1}) z], q = E tanh²(…) at the converted point, for the
    /// stable retrieval and spin-glass roots of hopsim at P = 3 and 4.
    func testConvertedSolutionSolvesTheOtherConventionsEquations() throws {
        var checked = 0
        for (p, alpha, t) in [(3, 0.1, 0.1), (3, 0.05, 0.2), (4, 0.02, 0.05)] {
            for s in DenseReplicaSymmetric(order: p, alpha: alpha, temperature: t, measure: Self.measure).solve()
            where s.converged && s.stable && s.branch != .paramagnet {
                for convention in [DenseConvention.halfOverlapPower(order: p), .overlapPower(order: p)] {
                    let (gamma, tp) = convention.fromHopsim(order: p, alpha: alpha, temperature: t)
                    let signal = convention.signal * pow(s.m, Double(p - 1))
                    let sigma = (convention.noise * gamma * pow(s.q, Double(p - 1))).squareRoot()
                    let h: (Double) -> Double = { (signal + sigma * $0) / tp }
                    let kink = -signal / sigma
                    let m = try XCTUnwrap(GaussianMeasure.adaptiveAverage(kink: kink) { tanh(h($0)) })
                    let q = try XCTUnwrap(GaussianMeasure.adaptiveAverage(kink: kink) { pow(tanh(h($0)), 2) })
                    XCTAssertEqual(m, s.m, accuracy: 1e-9, "P = \(p), α = \(alpha), T = \(t), \(s.branch)")
                    XCTAssertEqual(q, s.q, accuracy: 1e-9, "P = \(p), α = \(alpha), T = \(t), \(s.branch)")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 8)
    }

    /// The T = 0 capacity at P = 4: hopsim's spinodal (0.03298) and, independently, the fold of the
    /// other convention's T = 0 equation m = erf(a m^{P−1}/√(2bγ)), i.e. the maximum over m of
    /// γ(m) = a² m^{2(P−1)}/(2b erf⁻¹(m)²), convert into each other.
    func testCapacityConvertsBothWays() throws {
        let p = 4
        let hopsim = try XCTUnwrap(DenseCriticalLines(order: p, measure: Self.measure).spinodal(temperature: 0))
        XCTAssertEqual(hopsim.alpha, 0.03298, accuracy: 1e-5)
        let convention = DenseConvention.halfOverlapPower(order: p)
        func gamma(_ m: Double) -> Double {
            let u = Self.inverseErf(m)
            return pow(convention.signal, 2) * pow(m, Double(2 * (p - 1))) / (2 * convention.noise * u * u)
        }
        // Golden-section search for the maximum of γ(m) on (0.5, 1).
        var lo = 0.5, hi = 1 - 1e-12
        let r = (5.0.squareRoot() - 1) / 2
        while hi - lo > 1e-12 {
            let a = hi - r * (hi - lo), b = lo + r * (hi - lo)
            if gamma(a) < gamma(b) { lo = a } else { hi = b }
        }
        let paperCapacity = gamma(0.5 * (lo + hi))
        XCTAssertEqual(convention.fromHopsim(order: p, alpha: hopsim.alpha, temperature: 0).load, paperCapacity,
                       accuracy: 1e-7 * paperCapacity)
        XCTAssertEqual(convention.toHopsim(order: p, load: paperCapacity, temperature: 0).alpha, hopsim.alpha,
                       accuracy: 1e-7 * hopsim.alpha)
    }

    /// erf⁻¹ by Newton on erf (test helper).
    static func inverseErf(_ y: Double) -> Double {
        var x = 1.0
        for _ in 0..<100 {
            let step = (erf(x) - y) / (2 / Double.pi.squareRoot() * exp(-x * x))
            x -= step
            if abs(step) < 1e-15 * max(1, abs(x)) { break }
        }
        return x
    }
}
