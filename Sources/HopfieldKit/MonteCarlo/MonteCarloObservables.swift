/// The measured observables of the classical Hopfield network, each averaged over replicas, time and
/// disorder samples (see ``ObservableEstimate``). Observables that need several replicas or
/// patterns are absent (nil) otherwise.
///
/// | name          | per measurement                                   |
/// |---------------|---------------------------------------------------|
/// | `m`           | m_1 = (1/N) Σ_i ξ_i¹ σ_i, the condensed pattern    |
/// | `m_abs`       | |m_1| (the symmetric quantity exact sums compare) |
/// | `m_max`       | max_μ |m_μ| (condensation on any pattern)          |
/// | `m_other`     | √(Σ_{μ≥2} m_μ² / (P − 1)), rms crosstalk overlap  |
/// | `m_other_max` | max_{μ≥2} |m_μ|                                   |
/// | `energy`      | H/N = −½ Σ_μ m_μ² + P/(2N)                        |
/// | `q`           | q_ab = (1/N) Σ_i σ_i^a σ_i^b, mean over pairs a<b |
/// | `q2`          | q_ab², mean over pairs (spin-glass order parameter, blind to the sign of q_ab; ~1/N in a paramagnet) |
/// | `q4`          | q_ab⁴, mean over pairs (with `q2`, the Binder cumulant g = ½(3 − [⟨q⁴⟩]/[⟨q²⟩]²) of finite-size scaling) |
/// | `r`           | r_ab = (1/α) Σ_{μ≥2} m_μ^a m_μ^b, mean over pairs (AGS's r = (1/α) Σ_{μ≥2} ⟨m_μ⟩²) |
/// | `n`           | trained dense networks: mean overlap (1/N) Σ_i η_i σ_i with the coupling patterns of archetype 1 (its examples, or its label mean η̄) |
/// | `overlaps`    | (m_1, …, m_k), k = min(P, 16): each overlap, signed (diluted patterns only) |
/// | `sorted_overlaps` | the k largest |m_μ| of each measurement, in decreasing order (diluted patterns only) |
public struct MonteCarloObservables: Sendable, Equatable, Codable {
    public var m: ObservableEstimate
    public var mAbs: ObservableEstimate
    public var mMax: ObservableEstimate
    public var mOther: ObservableEstimate?
    public var mOtherMax: ObservableEstimate?
    public var energy: ObservableEstimate
    public var q: ObservableEstimate?
    public var q2: ObservableEstimate?
    public var q4: ObservableEstimate? = nil
    public var r: ObservableEstimate?
    public var n: ObservableEstimate? = nil
    public var overlaps: [ObservableEstimate]?
    public var sortedOverlaps: [ObservableEstimate]?

    /// How many individual overlaps are recorded for diluted patterns.
    public static let recordedOverlaps = 16

    /// (name, estimate) in the table's order, present ones only; names as written to disk.
    public var named: [(name: String, estimate: ObservableEstimate)] {
        let all: [(String, ObservableEstimate?)] = [
            ("m", m), ("n", n), ("m_abs", mAbs), ("m_max", mMax), ("m_other", mOther),
            ("m_other_max", mOtherMax), ("energy", energy), ("q", q), ("q2", q2), ("q4", q4), ("r", r),
        ]
        return all.compactMap { name, e in e.map { (name, $0) } }
    }
}
