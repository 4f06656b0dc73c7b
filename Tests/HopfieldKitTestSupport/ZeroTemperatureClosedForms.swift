import Foundation

/// The T = 0 one-step RSB inner closed forms at one point a (b = σ₁), evaluated node by node with
/// libm, as the reference for ``HopfieldKit/OneStepAverages/zero(signal:sigma0:sigma1:mu:)``:
/// Z = e^{μ²b²/2}[e^{μa}Φ(a/b + μb) + e^{−μa}Φ(−a/b + μb)], S/Z, and the C₁ term 2φ(a/b)/(bZ).
public enum ZeroTemperatureClosedForms {
    /// ln Φ(y): ln(erfc(−y/√2)/2), or its asymptotic series where erfc underflows (y < −30).
    public static func logPhi(_ y: Double) -> Double {
        guard y < -30 else { return log(erfc(-y / 2.0.squareRoot()) / 2) }
        let r = 1 / (y * y)
        return -0.5 * y * y - log(-y) - 0.5 * log(2 * Double.pi) + log(1 - r + 3 * r * r - 15 * r * r * r)
    }

    /// (S/Z, 2φ(a/b)/(bZ), ln Z) at a.
    public static func inner(_ a: Double, b: Double, mu: Double) -> (ratio: Double, c1: Double, lnZ: Double) {
        let lp = mu * a + logPhi(a / b + mu * b), lm = -mu * a + logPhi(-a / b + mu * b)
        let top = max(lp, lm), ep = exp(lp - top), em = exp(lm - top)
        let lnZ = 0.5 * mu * mu * b * b + top + log(ep + em)
        return ((ep - em) / (ep + em), 2 * exp(-0.5 * (a / b) * (a / b) - 0.5 * log(2 * Double.pi) - lnZ) / b, lnZ)
    }
}
