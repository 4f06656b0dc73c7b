import Foundation
import HopfieldKit
import XCTest

/// Residuals re-checked independently (issue 13): every converged RS branch at random points of the
/// (α, T) plane satisfies its equations when the Gaussian averages are redone by GSL's adaptive
/// QAGI (not the fixed rules the solver used), and s = −∂f/∂T holds by finite differences.
final class TheoryVerificationTests: XCTestCase {
    static let measure = try! GaussianMeasure()

    /// A fixed sequence of points (SplitMix64 from a fixed seed), so a failure can be replayed.
    static func points(_ count: Int, alpha: ClosedRange<Double>, temperature: ClosedRange<Double>) -> [(Double, Double)] {
        var state: UInt64 = 2026
        func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) * 0x1.0p-53
        }
        return (0..<count).map { _ in
            (alpha.lowerBound + (alpha.upperBound - alpha.lowerBound) * uniform(),
             temperature.lowerBound + (temperature.upperBound - temperature.lowerBound) * uniform())
        }
    }

    func qagi(_ f: @escaping (Double) -> Double, kink: Double) throws -> Double {
        try XCTUnwrap(GaussianMeasure.adaptiveAverage(kink: kink, f))
    }

    /// Classical (AGS): m = E tanh β(m + √(αr) z), q = E tanh², r = q/(1 − C)², C = β(1 − q).
    func testClassicalResidualsByAdaptiveQuadrature() throws {
        var checked = 0
        for (alpha, t) in Self.points(12, alpha: 0.01...0.16, temperature: 0.05...1.2) {
            for s in ClassicalReplicaSymmetric(alpha: alpha, temperature: t, measure: Self.measure).solve() where s.converged {
                let beta = 1 / t, sigma = (alpha * s.r).squareRoot()
                let kink = sigma > 0 ? -s.m / sigma : 0
                let h: (Double) -> Double = { beta * (s.m + sigma * $0) }
                let m = try qagi({ tanh(h($0)) }, kink: kink), q = try qagi({ pow(tanh(h($0)), 2) }, kink: kink)
                let c = beta * (1 - s.q)
                XCTAssertEqual(s.m, m, accuracy: 1e-9, "α = \(alpha), T = \(t), \(s.branch)")
                XCTAssertEqual(s.q, q, accuracy: 1e-9, "α = \(alpha), T = \(t), \(s.branch)")
                XCTAssertEqual(s.r, s.q / ((1 - c) * (1 - c)), accuracy: 1e-9 * max(1, s.r), "α = \(alpha), T = \(t), \(s.branch)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 12)
    }

    /// Dense P = 3 (Gardner form, plain patterns): n = E tanh βh, q = E tanh² βh,
    /// h = n²/2 + σz, σ² = α q²/2.
    func testDenseResidualsByAdaptiveQuadrature() throws {
        var checked = 0
        for (alpha, t) in Self.points(10, alpha: 0.01...0.15, temperature: 0.05...0.3) {
            for s in DenseReplicaSymmetric(order: 3, alpha: alpha, temperature: t, measure: Self.measure).solve()
            where s.converged && s.branch != .paramagnet {
                let beta = 1 / t, n = s.n ?? s.m, sigma = (alpha * s.q * s.q / 2).squareRoot()
                let signal = n * n / 2
                let kink = sigma > 0 ? -signal / sigma : 0
                let h: (Double) -> Double = { beta * (signal + sigma * $0) }
                XCTAssertEqual(n, try qagi({ tanh(h($0)) }, kink: kink), accuracy: 1e-9, "α = \(alpha), T = \(t), \(s.branch)")
                XCTAssertEqual(s.q, try qagi({ pow(tanh(h($0)), 2) }, kink: kink), accuracy: 1e-9, "α = \(alpha), T = \(t), \(s.branch)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 10)
    }

    /// s = −∂f/∂T: the reported entropy against a central difference of the free energies solved at
    /// T ± 10⁻⁴ on the same branch (continued from it), for classical and dense retrieval states.
    func testEntropyIsMinusTheTemperatureDerivative() throws {
        let h = 1e-4
        var checked = 0
        for (alpha, t) in Self.points(6, alpha: 0.02...0.12, temperature: 0.1...0.6) {
            let at = ClassicalReplicaSymmetric(alpha: alpha, temperature: t, measure: Self.measure).solve()
            guard let s = at.first(where: { $0.branch == .retrieval && $0.stable && $0.converged }) else { continue }
            func f(_ temperature: Double) throws -> Double {
                let near = ClassicalReplicaSymmetric(alpha: alpha, temperature: temperature, measure: Self.measure)
                    .solve(hints: [s], thorough: false).filter { $0.branch == .retrieval && $0.converged }
                return try XCTUnwrap(near.min { abs($0.m - s.m) < abs($1.m - s.m) }).freeEnergy
            }
            XCTAssertEqual(s.entropy, -(try f(t + h) - f(t - h)) / (2 * h), accuracy: 1e-6, "classical α = \(alpha), T = \(t)")
            checked += 1
        }
        for (alpha, t) in Self.points(4, alpha: 0.02...0.08, temperature: 0.05...0.2) {
            let at = DenseReplicaSymmetric(order: 3, alpha: alpha, temperature: t, measure: Self.measure).solve()
            guard let s = at.first(where: { $0.branch == .retrieval && $0.stable && $0.converged }) else { continue }
            func f(_ temperature: Double) throws -> Double {
                let near = DenseReplicaSymmetric(order: 3, alpha: alpha, temperature: temperature, measure: Self.measure)
                    .solve(hints: [s]).filter { $0.branch == .retrieval && $0.converged }
                return try XCTUnwrap(near.min { abs($0.m - s.m) < abs($1.m - s.m) }).freeEnergy
            }
            XCTAssertEqual(s.entropy, -(try f(t + h) - f(t - h)) / (2 * h), accuracy: 1e-6, "dense α = \(alpha), T = \(t)")
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 6, "too few retrieval states to check")
    }
}
