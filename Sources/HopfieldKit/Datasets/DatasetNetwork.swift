import Foundation

/// A dense P-body network trained on a prepared dataset, and the empirical quantities the random
/// theory needs, measured from the data (docs/physics.md §2.2, "Structured data").
///
/// With M examples η^{c,a} of each class c:
/// - archetype estimate ξ̂^c = sign(Σ_a η^{c,a}) (a tie gives +1);
/// - quality r̂_c from the second moment of the class sums a_i = Σ_a η_i^{c,a}: for random examples
///   E a_i² = M + M(M − 1) r², so r̂_c² = ((1/N) Σ_i a_i² − M)/(M(M − 1)) (M ≥ 2), unbiased for r²
///   whether or not ξ̂ is right (the mean overlap of the examples with ξ̂, `overlapWithEstimate`, is
///   biased upward when ξ̂ is built from the same few examples: 0.50 for r = 0.4 at M = 5);
///   r̂ = mean over classes (NaN for M = 1: one example has no spread to measure);
/// - dataset entropy ρ̂ = (1 − r̂²)/(M r̂²);
/// - archetype correlations C_cd = (1/N) ξ̂^c · ξ̂^d, which random theory takes to be O(N^{−1/2}).
///
/// Couplings (``DenseNetwork``): supervised, the example sums a_i^c = Σ_a η_i^{c,a} (η̄ = a/M,
/// the label means), or with `binarisedMeans` the ±1 patterns ξ̂^c themselves; unsupervised, every
/// example with weight 1/M.
public struct DatasetNetwork: Sendable {
    public var network: DenseNetwork
    public var labels: [Int]
    public var qualities: [Double]
    public var quality: Double
    /// (1/M) Σ_a (1/N) ξ̂^c · η^{c,a} per class: the examples' mean overlap with the archetype estimate.
    public var overlapWithEstimate: [Double]
    public var datasetEntropy: Double
    public var correlations: [[Double]]
    public var examples: Int
    public var learning: LearningProtocol
    public var binarisedMeans: Bool

    public init(_ data: DatasetPreparation.Prepared, order: Int, hamiltonian: DenseHamiltonian = .gardner,
                learning: LearningProtocol, binarisedMeans: Bool = false) throws(ParameterError) {
        let n = data.neurons, k = data.training.count, m = data.training[0].count
        guard (2...8).contains(order) else { throw ParameterError("--p", allowed: "an integer in [2, 8]", given: "\(order)") }
        if binarisedMeans, learning == .unsupervised {
            throw ParameterError("--binarised-means", allowed: "used only with --protocol supervised", given: "--protocol unsupervised")
        }
        var sums = [Int](repeating: 0, count: n * k)
        for c in 0..<k { for example in data.training[c] { for i in 0..<n { sums[i * k + c] += Int(example[i]) } } }
        let xi = sums.map { Int8($0 >= 0 ? 1 : -1) }
        let archetypes = PatternMatrix(neurons: n, patterns: k, entries: xi)
        /// (1/N) Σ_i ξ̂_i^c v_i.
        func overlap(_ c: Int, _ v: (Int) -> Int8) -> Double {
            var dot = 0
            for i in 0..<n { dot += Int(xi[i * k + c]) * Int(v(i)) }
            return Double(dot) / Double(n)
        }
        var naive: [Double] = [], q: [Double] = []
        for c in 0..<k {
            var total = 0.0
            for example in data.training[c] { total += overlap(c) { example[$0] } }
            naive.append(total / Double(m))
            let second = (0..<n).reduce(0.0) { $0 + Double(sums[$1 * k + c] * sums[$1 * k + c]) } / Double(n)
            q.append(m >= 2 ? max(0, (second - Double(m)) / Double(m * (m - 1))).squareRoot() : .nan)
        }
        overlapWithEstimate = naive
        qualities = q
        quality = q.reduce(0, +) / Double(k)
        datasetEntropy = quality > 0 ? (1 - quality * quality) / (Double(m) * quality * quality) : .infinity
        var corr: [[Double]] = []
        for c in 0..<k { corr.append((0..<k).map { d in overlap(c) { xi[$0 * k + d] } }) }
        correlations = corr
        let training = TrainingSet(examples: m, quality: quality.isFinite ? min(max(quality, 1e-9), 1) : 1, learning: learning)
        let settings = DenseSettings(order: order, hamiltonian: hamiltonian, training: training)
        try DenseNetwork.checkExactSums(neurons: n, examples: m, order: order, supervised: learning == .supervised && !binarisedMeans,
                                        flag: "--examples-per-class")
        if binarisedMeans {
            network = DenseNetwork(settings: settings, archetypes: archetypes, couplings: xi.map(Int16.init), couplingCount: k,
                                   scale: 1, weight: 1, firstArchetypeCouplings: 0..<1)
        } else {
            network = DenseNetwork.trained(settings: settings, archetypes: archetypes, examples: m, learning: learning) { c, a, i in
                Int16(data.training[c][a][i])
            }
        }
        labels = data.labels
        examples = m
        self.learning = learning
        self.binarisedMeans = binarisedMeans
    }

    /// The largest |C_cd|, c ≠ d: how far the archetypes are from the orthogonality random theory assumes.
    public var largestCorrelation: Double {
        var best = 0.0
        for c in correlations.indices { for d in correlations.indices where d != c { best = max(best, abs(correlations[c][d])) } }
        return best
    }

    /// The archetype estimate of class index c as ±1 pixels.
    public func archetype(_ c: Int) -> [Int8] { network.archetypes.pattern(c) }
}
