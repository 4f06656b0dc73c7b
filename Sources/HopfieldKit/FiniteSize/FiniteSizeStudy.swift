import Foundation

/// One Monte Carlo point simulated at several system sizes, for extrapolation N → ∞ (`hopsim fss`).
///
/// Every size runs the template's dynamics, temperature, sweeps, replicas, family and seed, at the
/// same load α (P = round(αN^{P−1})) or the same number of patterns. Disorder samples are scaled so
/// that every size has a comparable sample error: self-averaging quantities fluctuate from sample to
/// sample with variance ∝ 1/N, so S_N = ⌈S·N_max/N⌉ samples give the mean of every size the error
/// of S samples at N_max (`inverse-size`; `constant` keeps S everywhere).
///
/// Sample s of size N draws its streams from (seed, point = N, sample = s): it is the same disorder
/// realisation whichever other sizes, sample counts, shards or threads a study has, so another study
/// with more sizes or samples (in another directory) reproduces these samples exactly.
public struct FiniteSizeStudy: Sendable, Equatable, Codable {
    public enum SampleScaling: String, Sendable, Codable, CaseIterable {
        case inverseSize = "inverse-size", constant
    }

    /// The run at every size: N, P, samples and point are set per size.
    public var template: MonteCarloParameters
    /// The load α = P/N^{P−1} kept at every size, or nil when `patterns` is fixed.
    public var alpha: Double?
    /// A number of patterns kept at every size (e.g. P = 1, the Curie–Weiss limit), or nil.
    public var patterns: Int?
    /// The sizes, increasing.
    public var neurons: [Int]
    /// Disorder samples at the largest size.
    public var samples: Int
    public var sampleScaling: SampleScaling

    public init(template: MonteCarloParameters, alpha: Double?, patterns: Int?, neurons: [Int], samples: Int,
                sampleScaling: SampleScaling = .inverseSize) {
        self.template = template; self.alpha = alpha; self.patterns = patterns
        self.neurons = neurons.sorted(); self.samples = samples; self.sampleScaling = sampleScaling
    }

    /// Disorder samples at size N: ⌈S·N_max/N⌉ (inverse-size) or S.
    public func samples(neurons n: Int) -> Int {
        switch sampleScaling {
        case .constant: samples
        case .inverseSize: Int((Double(samples) * Double(neurons.last ?? n) / Double(n)).rounded(.up))
        }
    }

    /// The Monte Carlo run of size N (all its samples).
    public func parameters(neurons n: Int) -> MonteCarloParameters {
        var p = template
        p.neurons = n
        p.patterns = patterns ?? p.family.patterns(alpha: alpha ?? 0, neurons: n)
        p.samples = samples(neurons: n)
        p.point = UInt64(n)
        return p
    }

    /// One disorder sample at one size: the unit of work, of storage and of sharding.
    public struct Point: Sendable, Equatable, Hashable {
        public var neurons: Int
        public var sample: Int
        /// The file the sample is kept in, inside the study directory.
        public var fileName: String { "N\(neurons)-s\(sample).json" }
    }

    /// Every point, size by size in increasing N, samples in order.
    public var points: [Point] {
        neurons.flatMap { n in (0..<samples(neurons: n)).map { Point(neurons: n, sample: $0) } }
    }

    /// The largest number of sizes and of samples per size a study may have.
    public static let maximumSizes = 32
    public static let maximumSamplesPerSize = 100_000

    /// Every size's run is checked as `hopsim mc` checks it, after the study's own ranges:
    /// 2 to 32 distinct sizes; a load giving at least one pattern at the smallest size.
    public func validate() throws(ParameterError) {
        guard (2...Self.maximumSizes).contains(neurons.count) else {
            throw ParameterError("--neurons", allowed: "a list of 2 to \(Self.maximumSizes) sizes (e.g. 500,1000,2000,4000)", given: "\(neurons.count) size(s)")
        }
        guard Set(neurons).count == neurons.count else {
            throw ParameterError("--neurons", allowed: "distinct sizes", given: neurons.map(String.init).joined(separator: ","))
        }
        guard (alpha == nil) != (patterns == nil) else {
            throw ParameterError("--alpha", allowed: "exactly one of --alpha (a load kept at every size) and --patterns", given: alpha == nil ? "neither" : "both")
        }
        try Limits.samples.check(samples)
        if let alpha {
            try Limits.alpha.check(alpha)
            let smallest = neurons.first!
            guard template.family.patterns(alpha: alpha, neurons: smallest) >= 1 else {
                throw ParameterError("--alpha", allowed: "large enough that round(αN^{P−1}) ≥ 1 at the smallest size N = \(smallest)", given: "\(alpha)", key: .alpha)
            }
        }
        for n in neurons {
            let s = samples(neurons: n)
            guard s >= 2 else {
                throw ParameterError("--samples", allowed: "such that every size has at least 2 samples (an error needs two; N = \(n) would get \(s))", given: "\(samples)")
            }
            guard s <= Self.maximumSamplesPerSize else {
                throw ParameterError("--samples", allowed: "such that every size has at most \(Self.maximumSamplesPerSize) samples (N = \(n) would get \(s))", given: "\(samples)")
            }
            try parameters(neurons: n).validate()
        }
    }

    /// The names of the observables every sample records (as ``MonteCarloObservable/name``), and
    /// `binder_q` where q² and q⁴ are recorded: what the analysis can report.
    public var observableNames: [String] {
        let p = parameters(neurons: neurons.last ?? 2)
        let names = (MonteCarloObservable.common(p) + p.family.contract.familyObservables(p)).map(\.name)
        return names + (names.contains("q2") && names.contains("q4") ? ["binder_q"] : [])
    }

    /// Neuron·pattern operations of one sample of size N (what its time scales with).
    public func operations(neurons n: Int) -> Double {
        var p = parameters(neurons: n)
        p.samples = 1
        return p.operations
    }
}
