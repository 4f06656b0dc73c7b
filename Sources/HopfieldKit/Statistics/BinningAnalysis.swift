/// Statistics of Monte Carlo time series.
///
/// | estimator                | what it gives                             | cost        | notes                                   |
/// |--------------------------|-------------------------------------------|-------------|-----------------------------------------|
/// | ``BinningAnalysis``      | mean, thermal error, τ_int of one series  | O(n) time, O(n) memory | error at the coarsest level with ≥ `minimumBins` bins |
/// | ``ObservableEstimate``   | disorder average over samples             | O(S)        | thermal error and sample spread kept apart |
///
/// Binning (Flyvbjerg & Petersen 1989): the series x_1…x_n is cut into bins of 2^ℓ consecutive
/// values; the standard error of the bin means, ε_ℓ = sd(bin means)/√(bins), rises with ℓ and
/// saturates at the true error once bins are longer than the autocorrelation time. The integrated
/// autocorrelation time follows from ε_ℓ² = ε_0² · 2τ_int, so τ_int = ε_ℓ² / (2 ε_0²) (τ_int = ½
/// for uncorrelated data, in units of the measurement interval).
public struct BinningAnalysis: Sendable, Equatable, Codable {
    /// The coarsest level used keeps at least this many bins: the error of an error estimated from
    /// B bins is about 1/√(2(B−1)), 13 % for 32.
    public static let minimumBins = 32

    public let count: Int
    public let mean: Double
    /// ε at the chosen level.
    public let error: Double
    /// τ_int = ε² / (2ε_0²); nil for a constant series.
    public let tau: Double?
    /// Number of bins at the chosen level.
    public let bins: Int
    /// ε_ℓ for ℓ = 0, 1, … (the binning curve).
    public let errorsByLevel: [Double]

    public init(_ series: [Double]) {
        count = series.count
        guard count > 0 else {
            mean = .nan; error = .nan; tau = nil; bins = 0; errorsByLevel = []
            return
        }
        mean = series.reduce(0, +) / Double(count)
        var values = series
        var levels: [Double] = []
        var level = 0
        while values.count >= Self.minimumBins || level == 0 {
            levels.append(Self.standardError(values))
            if values.count / 2 < Self.minimumBins { break }
            values = stride(from: 0, to: values.count - 1, by: 2).map { (values[$0] + values[$0 + 1]) / 2 }
            level += 1
        }
        errorsByLevel = levels
        error = levels.last!
        bins = values.count
        let naive = levels[0]
        tau = naive > 0 ? error * error / (2 * naive * naive) : nil
    }

    /// sd(values) / √n with the n − 1 estimator of the variance; 0 for fewer than two values.
    static func standardError(_ values: [Double]) -> Double {
        let n = values.count
        guard n > 1 else { return 0 }
        let m = values.reduce(0, +) / Double(n)
        let ss = values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (ss / Double(n - 1) / Double(n)).squareRoot()
    }
}
