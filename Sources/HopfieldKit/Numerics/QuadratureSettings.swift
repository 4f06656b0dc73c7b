/// How Gaussian averages E_z[·] are computed, recorded with every solution.
///
/// Two fixed rules, both from GSL (`gsl_integration_fixed`):
/// - **Gauss–Hermite** with `hermiteNodes` nodes, for smooth integrands (βσ ≤ `kinkThreshold`).
/// - **Kink split**: for βσ > `kinkThreshold` the integrand tanh β(m + σz) is nearly a step at
///   z₀ = −m/σ, which a fixed Hermite rule resolves badly: silently wrong answers at low T
///   (docs/physics.md §7.1). The step part is integrated exactly (erf), and the remainder, localised within
///   1/(βσ) of the kink, is integrated in u = β(m + σz) on each side of the kink by Gauss–Laguerre
///   with weight e^{−2u} and `laguerreNodes` nodes. The rule stays exact as β → ∞, where it becomes
///   the T = 0 equations.
public struct QuadratureSettings: Sendable, Hashable, Codable {
    public var hermiteNodes: Int
    public var laguerreNodes: Int
    /// βσ above which the kink-split rule is used.
    public var kinkThreshold: Double

    /// Measured against GSL's adaptive QAGIL/QAGIU (64 nodes each): Hermite is exact to ~1e-15 at
    /// βσ ≤ 0.5 and degrades fast above (β E sech⁴ off by 2e-10 at 0.75, 1e-7 at 1, 4e-3 at 2); the
    /// kink split is off by ~1e-12 at βσ = 0.5 and ≤ 1e-13 above 0.75. The switch at 0.6 keeps
    /// every average within ~1e-12.
    public init(hermiteNodes: Int = 64, laguerreNodes: Int = 64, kinkThreshold: Double = 0.6) {
        self.hermiteNodes = hermiteNodes
        self.laguerreNodes = laguerreNodes
        self.kinkThreshold = kinkThreshold
    }

    public func validate() throws(ParameterError) {
        try Limits.hermiteNodes.check(hermiteNodes)
        try Limits.laguerreNodes.check(laguerreNodes)
        try Limits.kinkThreshold.check(kinkThreshold)
    }
}
