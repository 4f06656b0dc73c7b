import Foundation

/// A dense P-body network trained on a prepared dataset, and the empirical quantities the random
/// theory needs, measured from the data (docs/physics.md §2.2, "Structured data").
///
/// With M examples η^{c,a} of each class c:
/// - archetype estimate ξ̂^c = sign(Σ_a η^{c,a}) (a tie gives +1);
/// - quality r̂_c = (1/M) Σ_a (1/N) ξ̂^c · η^{c,a}, the mean overlap of a class's examples with its
///   archetype (random data: E r̂ = r, the probability of a correct pixel being (1 + r)/2, up to the
///   O(1/√M) bias of ξ̂ being built from the same examples); r̂ = mean over classes;
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
        var q: [Double] = []
        for c in 0..<k {
            var total = 0.0
            for example in data.training[c] { total += overlap(c) { example[$0] } }
            q.append(total / Double(m))
        }
        qualities = q
        quality = q.reduce(0, +) / Double(k)
        datasetEntropy = quality > 0 ? (1 - quality * quality) / (Double(m) * quality * quality) : .infinity
        var corr: [[Double]] = []
        for c in 0..<k { corr.append((0..<k).map { d in overlap(c) { xi[$0 * k + d] } }) }
        correlations = corr
        let training = TrainingSet(examples: m, quality: min(max(quality, 1e-9), 1), learning: learning)
        let settings = DenseSettings(order: order, hamiltonian: hamiltonian, training: training)
        switch learning {
        case .supervised where binarisedMeans:
            network = DenseNetwork(settings: settings, archetypes: archetypes, couplings: xi.map(Int16.init), couplingCount: k,
                                   scale: 1, weight: 1, firstArchetypeCouplings: 0..<1)
        case .supervised:
            network = DenseNetwork(settings: settings, archetypes: archetypes, couplings: sums.map { Int16($0) }, couplingCount: k,
                                   scale: Double(m), weight: 1, firstArchetypeCouplings: 0..<1)
        case .unsupervised:
            var couplings = [Int16](repeating: 0, count: n * k * m)
            for c in 0..<k { for (a, example) in data.training[c].enumerated() { for i in 0..<n {
                couplings[i * k * m + c * m + a] = Int16(example[i])
            } } }
            network = DenseNetwork(settings: settings, archetypes: archetypes, couplings: couplings, couplingCount: k * m,
                                   scale: 1, weight: 1 / Double(m), firstArchetypeCouplings: 0..<m)
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
