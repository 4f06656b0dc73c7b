/// What one Monte Carlo run produced: disorder-averaged observables, a summary per sample, and the
/// warnings a careful user must see.
public struct MonteCarloResult: Sendable, Equatable, Codable {
    public var parameters: MonteCarloParameters
    public var observables: MonteCarloObservables
    public var perSample: [SampleSummary]
    /// Accepted flips per neuron per sweep during measurement, averaged over samples and replicas.
    public var flipRate: Double
    /// Integer width of the kept overlap sums (an implementation detail that cannot change results).
    public var overlapStorage: OverlapWidth
    public var warnings: [String]
    /// For diluted patterns: which kind of state the network is in, and the rule that says so.
    public var state: MultitaskingState?

    /// Thermal means of one disorder sample.
    public struct SampleSummary: Sendable, Equatable, Codable {
        public var sample: Int
        public var m: Double
        public var mAbs: Double
        public var energy: Double
        public var q: Double?
        public var flipRate: Double
    }
}
