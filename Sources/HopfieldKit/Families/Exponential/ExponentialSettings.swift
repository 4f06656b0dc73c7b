import Foundation

/// The interaction of an exponential ("modern") Hopfield network of N binary neurons and
/// K = round(e^{αN}) ±1 patterns, in terms of the unnormalised overlaps M_μ = Σ_i ξ_i^μ σ_i = N m_μ
/// (docs/physics.md §5):
/// ```
/// exp:  H(σ) = −Σ_μ exp(λ M_μ)                    Demircigil, Heusel, Löwe, Upgang, Vermet,
///                                                   J. Stat. Phys. 168, 288 (2017) (λ = 1 there)
/// lse:  H(σ) = −(1/λ) ln Σ_μ exp(λ M_μ)          Ramsauer et al. 2020 (their β is λ here) for
///                                                   binary states, where ½ xᵀx = N/2 is a constant
/// ```
/// Both have the same minima and the same zero-temperature dynamics (H_exp = −exp(−λ H_lse) is an
/// increasing function of H_lse); only `lse` is extensive (H = −N m at a retrieved pattern), so
/// only `lse` has a finite-temperature thermodynamic limit (the theory of ``ExponentialTheory``).
public enum ExponentialInteraction: String, Sendable, Codable, CaseIterable {
    case exp
    case lse
}

/// What makes a network exponential: the interaction and its inverse width λ.
public struct ExponentialSettings: Sendable, Equatable, Codable {
    public var interaction: ExponentialInteraction
    /// λ > 0, the inverse width of the exponential (the exponent is λ N m_μ).
    public var lambda: Double

    public static let defaultLambda = 1.0

    public init(interaction: ExponentialInteraction = .lse, lambda: Double = ExponentialSettings.defaultLambda) {
        self.interaction = interaction; self.lambda = lambda
    }

    /// λ ∈ (0, 50]: beyond, e^{±2λ} leaves the range where the flip's weights are accurate.
    public static let lambdaRange = "a number in (0, 50]"

    public func validate() throws(ParameterError) {
        guard lambda.isFinite, lambda > 0, lambda <= 50 else {
            throw ParameterError("--lambda", allowed: Self.lambdaRange, given: "\(lambda)")
        }
    }

    /// The Hamiltonian in one line, as records and text headers write it.
    public var hamiltonian: String {
        switch interaction {
        case .exp: "H = −Σ_μ exp(λ N m_μ), λ = \(lambda) (Demircigil et al. 2017)"
        case .lse: "H = −(1/λ) ln Σ_μ exp(λ N m_μ), λ = \(lambda) (log-sum-exp, Ramsauer et al. 2020)"
        }
    }
}
