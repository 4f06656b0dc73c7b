import CGSL
import Foundation

/// The single-site averages of the classical RS theory over the Gaussian field h = m + σz,
/// z ~ N(0, 1), at inverse temperature β ∈ (0, ∞]:
/// ```
/// tanh     = E tanh(βh)
/// tanh2    = E tanh²(βh)
/// c        = β E sech²(βh)                     (C = β(1 − q) at a solution)
/// lnCosh   = (1/β) E ln 2cosh(βh)              (→ E|h| as β → ∞)
/// entropy  = E[ln 2cosh(βh) − βh tanh(βh)]     (entropy of a spin in field h; → 0 as β → ∞)
/// sech4    = β E sech⁴(βh)                     (for the de Almeida–Thouless eigenvalue)
/// ```
public struct SiteAverages: Sendable, Equatable {
    public var tanh: Double
    public var tanh2: Double
    public var c: Double
    public var lnCosh: Double
    public var entropy: Double
    public var sech4: Double
}

/// Gaussian averages by fixed GSL quadrature rules (see ``QuadratureSettings``).
///
/// Kink-split rule, for σ > 0 and βσ large. With φ the standard normal density and
/// P±(v) = φ((±v/β − m)/σ), substituting u = βh and splitting at u = 0:
/// ```
/// E tanh(βh)        = erf(m/(σ√2)) + (1/βσ) ∫₀^∞ e^{−2v} [2/(1+e^{−2v})] (P₋ − P₊) dv
/// β E sech²(βh)     = (1/σ)  ∫₀^∞ e^{−2v} [4/(1+e^{−2v})²] (P₊ + P₋) dv
/// β E sech⁴(βh)     = (1/σ)  ∫₀^∞ e^{−2v} [16 e^{−2v}/(1+e^{−2v})⁴] (P₊ + P₋) dv
/// E ln 2cosh(βh)    = β E|h| + (1/βσ) ∫₀^∞ e^{−2v} [ln(1+e^{−2v}) e^{2v}] (P₊ + P₋) dv
/// E[ln 2cosh − βh tanh] = (1/βσ) ∫₀^∞ e^{−2v} [ln(1+e^{−2v}) e^{2v} + 2v/(1+e^{−2v})] (P₊ + P₋) dv
/// E|h|              = σ √(2/π) e^{−m²/2σ²} + m erf(m/(σ√2))
/// ```
/// (from tanh u − sign u = −sign u · 2e^{−2|u|}/(1+e^{−2|u|}), sech² u = 4e^{−2|u|}/(1+e^{−2|u|})²,
/// ln 2cosh u = |u| + ln(1 + e^{−2|u|})). Each integral has the weight e^{−2v} of GSL's
/// Laguerre rule (b = 2) times a smooth function. As β → ∞, P± → φ(m/σ) and the integrals become
/// the T = 0 equations: C = √(2/π) e^{−m²/2σ²}/σ, m = erf(m/(σ√2)).
public final class GaussianMeasure: Sendable {
    public let settings: QuadratureSettings
    /// Standard-normal nodes and weights (Σ w = 1).
    let hermiteNodes: [Double], hermiteWeights: [Double]
    /// Nodes and weights for ∫₀^∞ e^{−2v} g(v) dv.
    let laguerreNodes: [Double], laguerreWeights: [Double]

    public init(settings: QuadratureSettings = QuadratureSettings()) throws(ParameterError) {
        try settings.validate()
        GSLErrors.disableAbort()
        self.settings = settings
        guard let h = Self.fixedRule(hopsim_integration_fixed_hermite(), settings.hermiteNodes, a: 0, b: 0.5),
              let l = Self.fixedRule(hopsim_integration_fixed_laguerre(), settings.laguerreNodes, a: 0, b: 2) else {
            throw ParameterError("--hermite-nodes", allowed: "a node count GSL can build", given: "\(settings.hermiteNodes)")
        }
        let norm = (2 * Double.pi).squareRoot()
        hermiteNodes = h.nodes
        hermiteWeights = h.weights.map { $0 / norm }
        laguerreNodes = l.nodes
        laguerreWeights = l.weights
    }

    private static func fixedRule(_ type: UnsafePointer<gsl_integration_fixed_type>?, _ n: Int,
                                  a: Double, b: Double) -> (nodes: [Double], weights: [Double])? {
        guard let w = gsl_integration_fixed_alloc(type, n, a, b, 0, 0) else { return nil }
        defer { gsl_integration_fixed_free(w) }
        let nodes = Array(UnsafeBufferPointer(start: gsl_integration_fixed_nodes(w), count: n))
        let weights = Array(UnsafeBufferPointer(start: gsl_integration_fixed_weights(w), count: n))
        return (nodes, weights)
    }

    /// Which rule ``averages(m:sigma:beta:)`` uses at (σ, β).
    public func usesKinkSplit(sigma: Double, beta: Double) -> Bool {
        sigma > 0 && beta * sigma > settings.kinkThreshold
    }

    /// The averages at h = m + σz (σ ≥ 0) and β ∈ (0, ∞].
    public func averages(m: Double, sigma: Double, beta: Double) -> SiteAverages {
        if !beta.isFinite, sigma == 0 {                 // a frozen spin in a fixed field
            let sign: Double = m > 0 ? 1 : (m < 0 ? -1 : 0)
            return SiteAverages(tanh: sign, tanh2: abs(sign), c: 0, lnCosh: abs(m), entropy: 0, sech4: 0)
        }
        return usesKinkSplit(sigma: sigma, beta: beta) ? kinkSplit(m, sigma, beta) : hermite(m, sigma, beta)
    }

    private func hermite(_ m: Double, _ sigma: Double, _ beta: Double) -> SiteAverages {
        var t = 0.0, t2 = 0.0, c = 0.0, lc = 0.0, s = 0.0, s4 = 0.0
        for k in 0..<hermiteNodes.count {
            let w = hermiteWeights[k]
            let u = beta * (m + sigma * hermiteNodes[k])
            let th = Foundation.tanh(u)
            let au = abs(u)
            let e = exp(-2 * au)
            let sech2 = 4 * e / ((1 + e) * (1 + e))
            let lnTwoCosh = au + log1p(e)
            t += w * th
            t2 += w * th * th
            c += w * sech2
            lc += w * lnTwoCosh
            s += w * (lnTwoCosh - u * th)
            s4 += w * sech2 * sech2
        }
        return SiteAverages(tanh: t, tanh2: t2, c: beta * c, lnCosh: lc / beta, entropy: s, sech4: beta * s4)
    }

    private func kinkSplit(_ m: Double, _ sigma: Double, _ beta: Double) -> SiteAverages {
        let invSqrt2Pi = 1 / (2 * Double.pi).squareRoot()
        let finite = beta.isFinite
        var odd = 0.0, sech2 = 0.0, sech4 = 0.0, lnPart = 0.0, entropyPart = 0.0
        for k in 0..<laguerreNodes.count {
            let v = laguerreNodes[k], w = laguerreWeights[k]
            let shift = finite ? v / beta : 0
            let zPlus = (shift - m) / sigma, zMinus = (-shift - m) / sigma
            let pPlus = invSqrt2Pi * exp(-0.5 * zPlus * zPlus)
            let pMinus = invSqrt2Pi * exp(-0.5 * zMinus * zMinus)
            let e = exp(-2 * v)
            let onePlus = 1 + e
            let sum = pPlus + pMinus
            odd += w * (2 / onePlus) * (pMinus - pPlus)
            sech2 += w * (4 / (onePlus * onePlus)) * sum
            sech4 += w * (16 * e / (onePlus * onePlus * onePlus * onePlus)) * sum
            let lnTerm = log1p(e) / e
            lnPart += w * lnTerm * sum
            entropyPart += w * (lnTerm + 2 * v / onePlus) * sum
        }
        let x = m / (sigma * 2.0.squareRoot())
        let erfX = erf(x)
        let absH = sigma * (2 / Double.pi).squareRoot() * exp(-x * x) + m * erfX
        let c = sech2 / sigma
        guard finite else {
            return SiteAverages(tanh: erfX, tanh2: 1, c: c, lnCosh: absH, entropy: 0, sech4: sech4 / sigma)
        }
        let bs = beta * sigma
        let t = erfX + odd / bs
        return SiteAverages(tanh: t, tanh2: 1 - c / beta, c: c, lnCosh: absH + lnPart / (bs * beta),
                            entropy: entropyPart / bs, sech4: sech4 / sigma)
    }
}

extension GaussianMeasure {
    /// E_z f(z) by GSL's adaptive QAGIL/QAGIU on (−∞, kink] and [kink, ∞) with relative tolerance
    /// `relativeTolerance` (1e-13): slow, independent of the fixed rules, for checking them. nil if
    /// GSL reports failure (e.g. the tolerance cannot be reached because of rounding).
    public static func adaptiveAverage(kink: Double, relativeTolerance: Double = 1e-13, _ f: @escaping (Double) -> Double) -> Double? {
        GSLErrors.disableAbort()
        final class Box { let f: (Double) -> Double; init(_ f: @escaping (Double) -> Double) { self.f = f } }
        let box = Box { z in f(z) * exp(-0.5 * z * z) / (2 * Double.pi).squareRoot() }
        var function = gsl_function(
            function: { z, params in Unmanaged<Box>.fromOpaque(params!).takeUnretainedValue().f(z) },
            params: Unmanaged.passUnretained(box).toOpaque())
        guard let workspace = gsl_integration_workspace_alloc(2000) else { return nil }
        defer { gsl_integration_workspace_free(workspace) }
        var left = 0.0, right = 0.0, error = 0.0
        guard gsl_integration_qagil(&function, kink, 1e-15, relativeTolerance, 2000, workspace, &left, &error) == GSL_SUCCESS,
              gsl_integration_qagiu(&function, kink, 1e-15, relativeTolerance, 2000, workspace, &right, &error) == GSL_SUCCESS
        else { return nil }
        return left + right
    }
}
