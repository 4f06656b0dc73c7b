/// The kind of state a multitasking (diluted-pattern) network is in, from the sorted overlaps
/// a_k = ⟨|m|_(k)⟩ / (1 − d) (the k-th largest |m_μ| of each measurement, averaged, in units of its
/// largest possible value 1 − d), and the spin-glass order q:
///
/// - `paramagnet`: a_1 < θ and √⟨q²⟩ < θ;
/// - `spin glass`: a_1 < θ, √⟨q²⟩ ≥ θ;
/// - `single retrieval`: a_1 ≥ θ, a_2 < θ;
/// - `equal-amplitude parallel retrieval`: at least two a_k ≥ θ, and the retrieved ones equal within
///   tolerance: a_1 − a_n ≤ max(3 σ, 2/√N) (σ the combined error), n the number retrieved;
/// - `hierarchical parallel retrieval`: at least two a_k ≥ θ that are not equal in that sense.
///
/// θ = max(0.1, 5/√N): a retrieved overlap is one well above the O(N^{-1/2}) overlap of unrelated
/// patterns. The rule is written into every record that uses it.
public struct MultitaskingState: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case paramagnet
        case spinGlass = "spin glass"
        case single = "single retrieval"
        case hierarchical = "hierarchical parallel retrieval"
        case parallel = "equal-amplitude parallel retrieval"
    }

    public var kind: Kind
    /// How many patterns are retrieved (a_k ≥ θ).
    public var retrieved: Int
    /// The normalised amplitudes a_k.
    public var amplitudes: [Double]
    public var threshold: Double
    public var rule: String

    public static let ruleText = "a_k = <|m|_(k)>/(1-d) sorted; theta = max(0.1, 5/sqrt(N)); paramagnet: a_1 < theta and sqrt<q^2> < theta; spin glass: a_1 < theta, sqrt<q^2> >= theta; single: only a_1 >= theta; equal-amplitude parallel: >= 2 retrieved with a_1 - a_n <= max(3 sigma, 2/sqrt(N)); hierarchical parallel: >= 2 retrieved, otherwise"

    public static func classify(_ o: MonteCarloObservables, _ p: MonteCarloParameters) -> MultitaskingState? {
        guard let sorted = o.sortedOverlaps, p.dilution > 0 else { return nil }
        let scale = 1 - p.dilution
        let n = Double(p.neurons)
        let theta = max(0.1, 5 / n.squareRoot())
        let a = sorted.map { $0.mean / scale }
        let retrieved = a.filter { $0 >= theta }.count
        let kind: Kind
        switch retrieved {
        case 0:
            kind = (o.q2.map { $0.mean.squareRoot() } ?? 0) >= theta ? .spinGlass : .paramagnet
        case 1:
            kind = .single
        default:
            let last = retrieved - 1
            let sigma = (sorted[0].totalError * sorted[0].totalError + sorted[last].totalError * sorted[last].totalError).squareRoot() / scale
            kind = a[0] - a[last] <= max(3 * sigma, 2 / n.squareRoot()) ? .parallel : .hierarchical
        }
        return MultitaskingState(kind: kind, retrieved: retrieved, amplitudes: a, threshold: theta, rule: ruleText)
    }
}
