import Foundation

/// Where the curves θ_N(x) of two sizes cross: a size-free estimate of a transition point x_c when θ
/// is scale-invariant there (a Binder cumulant, N^{2/3}⟨q²⟩ of a mean-field spin glass at T_g, the
/// fraction of samples still retrieving at α_c).
///
/// D(x) = θ_{large}(x) − θ_{small}(x) is evaluated on the control values; the crossing is the first
/// change of sign of D in the direction `from` (+ to − for curves where the larger size is above
/// below the transition), linearly interpolated between the two bracketing values. Its error is the
/// jackknife over the disorder samples of every (x, N) set: deleting one sample changes that set's
/// mean, the crossing is recomputed (the sign change nearest to the full-data one), and
/// var = Σ_sets (S − 1)/S Σ_s (x_c(s) − mean)².
public struct SizeCrossing: Sendable, Equatable, Codable {
    public var small: Int
    public var large: Int
    public var value: Double
    public var error: Double
    /// D at every control value (large − small), for the record.
    public var differences: [Double]

    /// The crossing of `small` and `large` (one ``SizeSamples`` per control value in `x`, increasing),
    /// with θ the disorder mean of each set's single component; nil when D does not change sign from
    /// positive to negative along x.
    public static func find(x: [Double], small: [SizeSamples], large: [SizeSamples]) -> SizeCrossing? {
        precondition(x.count == small.count && x.count == large.count && x.count >= 2)
        func mean(_ s: SizeSamples) -> Double { s.values.reduce(0) { $0 + $1[0] } / Double(s.samples) }
        let d = zip(large, small).map { mean($0) - mean($1) }
        guard let full = root(x, d) else { return nil }
        var variance = 0.0
        for (which, sets) in [(0, small), (1, large)] {
            for k in sets.indices {
                let data = sets[k]
                let s = data.samples
                guard s >= 2 else { continue }
                let total = data.values.reduce(0) { $0 + $1[0] }
                let full_k = total / Double(s)
                let roots = data.values.map { row -> Double in
                    var dk = d
                    let loo = (total - row[0]) / Double(s - 1)
                    dk[k] += which == 1 ? loo - full_k : -(loo - full_k)
                    return root(x, dk, near: full) ?? full
                }
                let m = roots.reduce(0, +) / Double(s)
                variance += Double(s - 1) / Double(s) * roots.reduce(0) { $0 + ($1 - m) * ($1 - m) }
            }
        }
        return SizeCrossing(small: small[0].neurons, large: large[0].neurons, value: full, error: variance.squareRoot(),
                            differences: d)
    }

    /// The x where d changes sign from ≥ 0 to < 0 (linear interpolation); with `near`, the such
    /// change closest to it, else the first.
    static func root(_ x: [Double], _ d: [Double], near: Double? = nil) -> Double? {
        var roots: [Double] = []
        for k in 1..<x.count where d[k - 1] >= 0 && d[k] < 0 {
            roots.append(x[k - 1] + (x[k] - x[k - 1]) * d[k - 1] / (d[k - 1] - d[k]))
        }
        guard let near else { return roots.first }
        return roots.min { abs($0 - near) < abs($1 - near) }
    }
}
