import Foundation
import HopfieldKit
import HopfieldKitTestSupport
import XCTest

/// ``OneStepAverages/finite(signal:sigma0:sigma1:beta:x:)`` (vector expm1, log1p, exp on the panel
/// rule) against the same rule evaluated with libm's scalar tanh, exp and log1p, node by node as
/// written in the type's documentation; and ∂ψ/∂x = E⟨ln 2cosh βh⟩, on which the analytic ∂f/∂x of
/// both 1RSB solvers rests, against a central difference of ψ.
final class OneStepAveragesTests: XCTestCase {
    static func scalarReference(signal s: Double, sigma0: Double, sigma1: Double, beta: Double, x: Double)
        -> (tanh: Double, tanh2: Double, tanhSq: Double, psi: Double, lnCosh: Double) {
        func lnTwoCosh(_ u: Double) -> Double { abs(u) + log1p(exp(-2 * abs(u))) }
        func inner(_ a: Double) -> (Double, Double, Double, Double) {
            let extent = OneStepAverages.innerHalfWidth(sigma1: sigma1, beta: beta, x: x)
            return PanelRule.withRule(kink: -a / sigma1, scale: min(1, 1 / (beta * sigma1)), halfWidth: extent) { z, w in
                let logs = z.map { x * lnTwoCosh(beta * (a + sigma1 * $0)) }
                let top = logs.max()!
                var total = 0.0, mean = 0.0, square = 0.0, lnCosh = 0.0
                for k in z.indices {
                    let weight = w[k] * exp(logs[k] - top), th = tanh(beta * (a + sigma1 * z[k]))
                    total += weight; mean += weight * th; square += weight * th * th
                    lnCosh += weight * lnTwoCosh(beta * (a + sigma1 * z[k]))
                }
                return (mean / total, square / total, top + log(total), lnCosh / total)
            }
        }
        let outer = PanelRule(kink: -s / sigma0, scale: OneStepAverages.outerScale(sigma0: sigma0, sigma1: sigma1, beta: beta, x: x))
        var r = (tanh: 0.0, tanh2: 0.0, tanhSq: 0.0, psi: 0.0, lnCosh: 0.0)
        for k in outer.nodes.indices {
            let (t, t2, lnZ, lnCosh) = inner(s + sigma0 * outer.nodes[k])
            r.lnCosh += outer.weights[k] * lnCosh
            r.tanh += outer.weights[k] * t; r.tanh2 += outer.weights[k] * t2
            r.tanhSq += outer.weights[k] * t * t; r.psi += outer.weights[k] * lnZ
        }
        return r
    }

    func testVectorKernelEqualsTheScalarFormula() {
        var worst = (0.0, "")
        for beta in [0.5, 2, 10, 100, 1000, 1e5] {
            for (signal, sigma0, sigma1) in [(0.0, 0.3, 0.2), (0.95, 0.4, 0.01), (0.5, 0.05, 0.5), (1.5, 0.2, 1e-4)] {
                for x in [1e-4, 0.01, 0.3, 1] {
                    let a = OneStepAverages.finite(signal: signal, sigma0: sigma0, sigma1: sigma1, beta: beta, x: x)
                    let b = Self.scalarReference(signal: signal, sigma0: sigma0, sigma1: sigma1, beta: beta, x: x)
                    for (u, v, name) in [(a.tanh, b.tanh, "m"), (a.tanh2, b.tanh2, "q1"), (a.tanhSq, b.tanhSq, "q0"), (a.psi / max(1, abs(b.psi)), b.psi / max(1, abs(b.psi)), "psi"),
                                         (a.lnCosh / max(1, abs(b.lnCosh)), b.lnCosh / max(1, abs(b.lnCosh)), "lnCosh")] {
                        let d = abs(u - v)
                        if d > worst.0 { worst = (d, "β = \(beta), s = \(signal), σ₀ = \(sigma0), σ₁ = \(sigma1), x = \(x): \(name) \(u) vs \(v)") }
                    }
                }
            }
        }
        XCTAssertLessThan(worst.0, 1e-13, "largest difference \(worst.0): \(worst.1)")
    }

    /// ∂ψ/∂x at fixed σ's is E⟨ln 2cosh βh⟩: against Richardson-extrapolated central differences of ψ
    /// (steps 10⁻² x and 5·10⁻³ x, truncation error O(h⁴) ~ 10⁻¹¹, rounding ~10⁻¹³/h).
    func testLnCoshIsTheXDerivativeOfPsi() {
        for (signal, sigma0, sigma1, beta, x) in [(0.9, 0.3, 0.2, 5.0, 0.5), (0.3, 0.5, 0.1, 20.0, 0.3), (0.0, 0.4, 1.0, 3.0, 0.8)] {
            func psi(_ v: Double) -> Double { OneStepAverages.finite(signal: signal, sigma0: sigma0, sigma1: sigma1, beta: beta, x: v).psi }
            func central(_ h: Double) -> Double { (psi(x + h) - psi(x - h)) / (2 * h) }
            let h = 1e-2 * x
            let richardson = (4 * central(h / 2) - central(h)) / 3
            let a = OneStepAverages.finite(signal: signal, sigma0: sigma0, sigma1: sigma1, beta: beta, x: x)
            XCTAssertEqual(a.lnCosh, richardson, accuracy: 1e-8 * max(1, abs(a.lnCosh)), "β = \(beta), x = \(x)")
        }
    }

    /// ``OneStepAverages/zero(signal:sigma0:sigma1:mu:)`` (vector erfc, log, expm1, log1p, exp) against
    /// the closed forms node by node with libm (ln Φ by erfc, or its asymptotic series where erfc
    /// underflows), on the same outer rule.
    func testZeroTemperatureKernelEqualsTheScalarFormula() {
        var worst = (0.0, "")
        // The last case's outer rule (scale ~10⁻⁵) has over 700 nodes: zeroInner's work space is 2n.
        for mu in [0.1, 1, 10, 100, 1000] {
            for (signal, sigma0, sigma1) in [(0.0, 0.3, 0.2), (0.95, 0.4, 0.01), (0.5, 0.0, 0.5), (1.5, 0.2, 1e-3), (0.3, 2.0, 0.05),
                                             (0.3, 80.0, 1e-4)] {
                let z = OneStepAverages.zero(signal: signal, sigma0: sigma0, sigma1: sigma1, mu: mu)
                let b = sigma1
                func inner(_ a: Double) -> (Double, Double, Double) { ZeroTemperatureClosedForms.inner(a, b: b, mu: mu) }
                var r = (0.0, 0.0, 0.0, 0.0)
                if sigma0 > 0 {
                    let outer = PanelRule(kink: -signal / sigma0, scale: OneStepAverages.zeroOuterScale(sigma0: sigma0, sigma1: b, mu: mu))
                    for k in outer.nodes.indices {
                        let (t, c, l) = inner(signal + sigma0 * outer.nodes[k])
                        let w = outer.weights[k]
                        r.0 += w * t; r.1 += w * t * t; r.2 += w * c; r.3 += w * l
                    }
                } else {
                    let (t, c, l) = inner(signal)
                    r = (t, t * t, c, l)
                }
                let scale = max(1, abs(r.3), abs(r.2))
                for (u, v, name) in [(z.tanh, r.0, "m"), (z.tanhSq, r.1, "q0"), (z.c1 / scale, r.2 / scale, "c1"), (z.lnZ / scale, r.3 / scale, "lnZ")] {
                    let d = abs(u - v)
                    if !(d <= worst.0) { worst = (d, "μ = \(mu), s = \(signal), σ₀ = \(sigma0), σ₁ = \(sigma1): \(name) \(u) vs \(v)") }
                }
            }
        }
        XCTAssertLessThan(worst.0, 1e-12, "largest difference \(worst.0): \(worst.1)")
    }

    /// E ∂ln Z/∂μ (``OneStepAverages/Zero/lnZSlope``, on which the analytic ∂f/∂μ of both T = 0
    /// solvers rests) against Richardson-extrapolated central differences of E ln Z in μ.
    func testLnZSlopeIsTheMuDerivativeOfLnZ() {
        for (signal, sigma0, sigma1, mu) in [(0.9, 0.3, 0.2, 3.0), (0.3, 0.5, 0.1, 20.0), (0.0, 0.4, 1.0, 0.7), (1.2, 0.0, 0.3, 5.0)] {
            func lnZ(_ v: Double) -> Double { OneStepAverages.zero(signal: signal, sigma0: sigma0, sigma1: sigma1, mu: v).lnZ }
            func central(_ h: Double) -> Double { (lnZ(mu + h) - lnZ(mu - h)) / (2 * h) }
            let h = 1e-2 * mu
            let richardson = (4 * central(h / 2) - central(h)) / 3
            let a = OneStepAverages.zero(signal: signal, sigma0: sigma0, sigma1: sigma1, mu: mu)
            XCTAssertEqual(a.lnZSlope, richardson, accuracy: 1e-8 * max(1, abs(a.lnZSlope)), "μ = \(mu), s = \(signal)")
        }
    }
}
