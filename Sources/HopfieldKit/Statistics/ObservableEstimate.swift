/// A disorder-averaged observable: per pattern sample s a thermal mean ⟨O⟩_s with binning error
/// ε_s and τ_s, combined as
/// ```
/// mean          = (1/S) Σ_s ⟨O⟩_s
/// error         = (1/S) √(Σ_s ε_s²)                        thermal error of the mean
/// sample_spread = √(Σ_s (⟨O⟩_s − mean)² / (S − 1))          sample-to-sample spread (0 for S = 1)
/// tau           = (1/S) Σ_s τ_s                            integrated autocorrelation time, sweeps
/// ```
/// The thermal error and the disorder spread are reported apart: the first shrinks with longer runs,
/// the second with more samples (the disorder error of the mean is sample_spread/√S).
public struct ObservableEstimate: Sendable, Equatable, Codable {
    public var mean: Double
    public var error: Double
    /// In sweeps (the measurement interval times τ_int of the series); nil when every series was
    /// constant.
    public var tau: Double?
    public var sampleSpread: Double
    public var samples: Int
    /// Measurements per sample.
    public var measurements: Int
    /// Bins at the binning level used (the smallest over samples).
    public var bins: Int

    public init(mean: Double, error: Double, tau: Double?, sampleSpread: Double,
                samples: Int, measurements: Int, bins: Int) {
        self.mean = mean; self.error = error; self.tau = tau; self.sampleSpread = sampleSpread
        self.samples = samples; self.measurements = measurements; self.bins = bins
    }

    /// Combines one binning analysis per sample; `interval` converts τ to sweeps.
    public init(perSample: [BinningAnalysis], interval: Int = 1) {
        precondition(!perSample.isEmpty)
        let s = Double(perSample.count)
        mean = perSample.reduce(0) { $0 + $1.mean } / s
        error = perSample.reduce(0) { $0 + $1.error * $1.error }.squareRoot() / s
        let taus = perSample.compactMap(\.tau)
        tau = taus.isEmpty ? nil : taus.reduce(0, +) / Double(taus.count) * Double(interval)
        if perSample.count > 1 {
            let m = mean
            sampleSpread = (perSample.reduce(0) { $0 + ($1.mean - m) * ($1.mean - m) } / (s - 1)).squareRoot()
        } else {
            sampleSpread = 0
        }
        samples = perSample.count
        measurements = perSample.map(\.count).min()!
        bins = perSample.map(\.bins).min()!
    }

    /// Uncertainty of `mean` as an estimate of the disorder average: √(error² + sample_spread²/S).
    public var totalError: Double {
        (error * error + sampleSpread * sampleSpread / Double(samples)).squareRoot()
    }
}
