/// Which P-body Hamiltonian a dense network uses (docs/physics.md §2). With overlaps
/// n_μ = (1/N) Σ_j η_j^μ σ_j of the coupling patterns η^μ:
/// ```
/// gardner:  H = −(w/N^{P−1}) Σ_μ e_P(η_1^μσ_1, …, η_N^μσ_N)
///             = −(w/(P! N^{P−1})) Σ_μ Σ_{i_1,…,i_P distinct} η_{i_1}^μ…η_{i_P}^μ σ_{i_1}…σ_{i_P}
/// krotov:   H = −(w N/P!) Σ_μ n_μ^P        (all index tuples, self-interactions included)
/// ```
/// e_P is the elementary symmetric polynomial and w the weight of a coupling pattern (1, or 1/M
/// for unsupervised learning). At P = 2 both are the classical Hopfield Hamiltonian −(N/2) Σ m² up
/// to a constant. The 1/P! makes P = 2 the classical model and gives the RS theory of
/// ``DenseReplicaSymmetric`` its form; papers that write H = −N Σ_μ m_μ^P (or −(N/2) Σ …) differ
/// by a rescaling of T and, depending on how they normalise the crosstalk, of α (``DenseConvention``).
public enum DenseHamiltonian: String, Sendable, Codable, CaseIterable {
    /// Distinct indices only (Gardner 1987; Agliari et al.'s dense Hebbian networks): the
    /// Hamiltonian whose crosstalk the clean q^{P−1} RS theory describes.
    case gardner
    /// Krotov & Hopfield's dense associative memory F(x) = x^P on the full overlaps.
    case krotov
}

/// How the couplings are built from examples (Agliari, Albanese, Alemanno, Alessandrelli, Barra,
/// Giannotti, Lotito, Pedreschi, "Dense Hebbian neural networks: a replica symmetric picture of
/// supervised / unsupervised learning", 2022/23; docs/physics.md §2).
public enum LearningProtocol: String, Sendable, Codable, CaseIterable {
    /// One coupling pattern per archetype: the label-wise example mean η̄^μ = (1/M) Σ_a η^{μ,a}.
    case supervised
    /// One coupling pattern per example, η^{μ,a}, each with weight 1/M (labels unknown).
    case unsupervised
}

/// A training set of noisy examples of K archetypes ξ^μ ∈ {±1}^N: η_i^{μ,a} = χ_i^{μ,a} ξ_i^μ,
/// a = 1…M, with independent χ = ±1, P(χ = +1) = (1 + r)/2, so E[η ξ] = r (the quality).
public struct TrainingSet: Sendable, Equatable, Codable {
    /// Examples per archetype, M ≥ 1.
    public var examples: Int
    /// Quality r ∈ (0, 1].
    public var quality: Double
    public var learning: LearningProtocol

    public init(examples: Int, quality: Double, learning: LearningProtocol) {
        self.examples = examples; self.quality = quality; self.learning = learning
    }

    /// The dataset entropy ρ = (1 − r²)/(M r²) of the learning papers: the relative variance of the
    /// example mean, E[η̄²]/E[η̄]² = 1 + ρ.
    public var datasetEntropy: Double { DenseSettings.datasetEntropy(examples: Double(examples), quality: quality) }

    public func validate() throws(ParameterError) {
        try Limits.examples.check(examples)
        try Limits.quality.check(quality)
    }
}

/// What makes a network dense: the interaction order P, the Hamiltonian's form and, for networks
/// trained on examples, the training set. With K stored patterns (archetypes) the load is
/// α = K / N^{P−1}.
public struct DenseSettings: Sendable, Equatable, Codable {
    /// Interaction order P ≥ 2.
    public var order: Int
    public var hamiltonian: DenseHamiltonian
    public var training: TrainingSet?

    public init(order: Int, hamiltonian: DenseHamiltonian = .gardner, training: TrainingSet? = nil) {
        self.order = order; self.hamiltonian = hamiltonian; self.training = training
    }


    /// ρ = (1 − r²)/(M r²).
    public static func datasetEntropy(examples: Double, quality r: Double) -> Double {
        (1 - r * r) / (examples * r * r)
    }

    /// Coupling patterns stored: K (plain or supervised), K·M (unsupervised).
    public func couplingPatterns(archetypes: Int) -> Int {
        if let t = training, t.learning == .unsupervised { return archetypes * t.examples }
        return archetypes
    }

    /// The crosstalk weight w in the noise variance α w q^{P−1}/(P−1)! (derived in
    /// ``DenseReplicaSymmetric``): 1 for plain patterns, (r² + (1 − r²)/M)^P supervised,
    /// r^{2P} + (1 − r^{2P})/M unsupervised.
    public var crosstalkWeight: Double {
        guard let t = training else { return 1 }
        let p = Double(order), m = Double(t.examples), r2 = t.quality * t.quality
        switch t.learning {
        case .supervised: return pow(r2 + (1 - r2) / m, p)
        case .unsupervised: return pow(r2, p) + (1 - pow(r2, p)) / m
        }
    }

    public func validate() throws(ParameterError) {
        try Limits.interactionOrder.check(order)
        try training?.validate()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
