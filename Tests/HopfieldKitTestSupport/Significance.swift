import CGSL
import Foundation

/// Two-sided z-tests for comparing a Monte Carlo estimate with an exact or theoretical value.
public enum Significance {
    /// The two-sided p-value of z: P(|Z| ≥ |z|) = 2 Q(|z|) for a standard normal Z (GSL).
    public static func twoSidedPValue(z: Double) -> Double {
        2 * gsl_cdf_ugaussian_Q(abs(z))
    }

    /// The |z| above which a family of `tests` comparisons is rejected at family-wise error rate
    /// `familyAlpha` (Bonferroni): z* = Q⁻¹(familyAlpha / (2·tests)).
    public static func bonferroniThreshold(familyAlpha: Double, tests: Int) -> Double {
        precondition(familyAlpha > 0 && familyAlpha < 1 && tests >= 1)
        return gsl_cdf_ugaussian_Qinv(familyAlpha / (2 * Double(tests)))
    }
}
