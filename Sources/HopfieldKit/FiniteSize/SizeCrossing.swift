import Foundation

/// Where the curves θ_N(x) of two sizes cross: a size-free estimate of a transition point x_c when θ
/// is scale-invariant there (a Binder cumulant, N^{2/3}⟨q²⟩ of a mean-field spin glass at T_g, the
/// fraction of samples still retrieving at α_c).
///
/// D(x) = θ_{large}(x) − θ_{small}(x) is evaluated on the control values; the crossing is a strict
/// change of sign of D from + to − along x (curves where the larger size is above below the
/// transition; a tie, e.g. both fractions saturated at 1, is not a crossing), linearly interpolated
/// between the two bracketing values (``Comparison/crossings(_:_:strict:)``).
///
/// Error: the jackknife over disorder samples. Sample s of size N is the same disorder realisation
/// at every x (its streams are (seed, N, s)), so the values at different x are correlated; deleting
/// sample s of size N therefore removes it from every x at once, the crossing is recomputed (the
/// sign change nearest the full-data one), and var = Σ_N (S_N − 1)/S_N Σ_s (x_c(N, s) − mean)².
/// A deletion that makes the crossing disappear is counted in `lost`; the error is then unreliable.
public struct SizeCrossing: Sendable, Equatable, Codable {
    public var small: Int
    public var large: Int
    public var value: Double
    public var error: Double
    /// Leave-one-out sets in which the curves no longer cross.
    public var lost: Int
    /// D at every control value (large − small), for the record.
    public var differences: [Double]

    /// The crossing of `small` and `large` (one ``SizeSamples`` per control value in `x`, increasing;
    /// sample s the same realisation at every x, so every x has the same sample count per size),
    /// with θ the disorder mean of each set's single component; nil when D does not change sign
    /// strictly from positive to negative along x.
    public static func find(x: [Double], small: [SizeSamples], large: [SizeSamples]) -> SizeCrossing? {
        precondition(x.count == small.count && x.count == large.count && x.count >= 2)
        precondition(Set(small.map(\.samples)).count == 1 && Set(large.map(\.samples)).count == 1)
        func means(_ sets: [SizeSamples], without s: Int?) -> [Double] {
            sets.map { set in
                let total = set.values.reduce(0) { $0 + $1[0] }
                guard let s else { return total / Double(set.samples) }
                return (total - set.values[s][0]) / Double(set.samples - 1)
            }
        }
        func roots(_ d: [Double]) -> [Double] { Comparison.crossings(Array(zip(x, d)), 0, strict: true) }
        let d = zip(means(large, without: nil), means(small, without: nil)).map { $0 - $1 }
        guard let full = roots(d).first else { return nil }
        var variance = 0.0, lost = 0
        for (isLarge, sets) in [(false, small), (true, large)] {
            let count = sets[0].samples
            guard count >= 2 else { continue }
            let other = isLarge ? means(small, without: nil) : means(large, without: nil)
            let replicas = (0..<count).map { s -> Double in
                let deleted = means(sets, without: s)
                let dk = isLarge ? zip(deleted, other).map { $0 - $1 } : zip(other, deleted).map { $0 - $1 }
                guard let r = roots(dk).min(by: { abs($0 - full) < abs($1 - full) }) else {
                    lost += 1
                    return full
                }
                return r
            }
            let m = replicas.reduce(0, +) / Double(count)
            variance += Double(count - 1) / Double(count) * replicas.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        }
        return SizeCrossing(small: small[0].neurons, large: large[0].neurons, value: full, error: variance.squareRoot(),
                            lost: lost, differences: d)
    }
}
