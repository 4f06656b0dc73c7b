import Foundation

/// A dense network learned from a dataset at one or several M (examples per class): what was
/// measured from the data, how well the network recognises test images and retrieves its
/// archetypes, and the random-data RS prediction at the measured quality (`hopsim learn`).
public enum DatasetLearning {
    /// The network and dynamics of a learning run (everything but M and the data).
    public struct Settings: Sendable, Equatable, Codable {
        public var order: Int
        public var hamiltonian: DenseHamiltonian
        public var learning: LearningProtocol
        public var binarisedMeans: Bool
        public var retrieval: DatasetRetrieval.Settings
        /// Fraction of an archetype's pixels flipped for the retrieval starts, and starts per class.
        public var flip: Double
        public var repeats: Int

        public init(order: Int, hamiltonian: DenseHamiltonian = .gardner, learning: LearningProtocol, binarisedMeans: Bool = false,
                    retrieval: DatasetRetrieval.Settings, flip: Double = 0.1, repeats: Int = 10) {
            self.order = order; self.hamiltonian = hamiltonian; self.learning = learning; self.binarisedMeans = binarisedMeans
            self.retrieval = retrieval; self.flip = flip; self.repeats = repeats
        }
    }

    /// The RS prediction for random archetypes at the measured quality: the stable retrieval state of
    /// ``DenseReplicaSymmetric`` with M examples of quality r̂ at load α = K/N^{P−1}.
    public struct Theory: Sendable, Codable {
        /// The overlap with the true archetype ξ (the solution's m).
        public var m: Double
        /// The overlap with the majority estimate ξ̂ = sign(Σ_a η^a): what the measured archetype
        /// overlap (against the estimates from the data) compares with.
        public var mEstimate: Double
        public var converged: Bool
        public var alpha: Double
        public var source: String
    }

    public struct Result: Sendable, Codable {
        public var examples: Int
        /// P and T of this result's network and dynamics.
        public var order: Int
        public var temperature: Double
        public var neurons: Int
        public var classes: Int
        public var testImages: Int
        /// r̂ (mean over classes; from the second moment of the class sums, ``DatasetNetwork``), r̂ per class,
        /// ρ̂ = (1 − r̂²)/(M r̂²).
        public var quality: Double
        public var qualityByClass: [Double]
        /// The examples' mean overlap with their archetype estimate ξ̂ (biased upward at small M·r²).
        public var overlapWithEstimate: Double
        public var datasetEntropy: Double
        /// The archetype correlations C_cd = ξ̂^c·ξ̂^d/N and the largest |C_cd|, c ≠ d.
        public var correlations: [[Double]]
        public var largestCorrelation: Double
        /// Recognition from the test images.
        public var accuracy: DatasetRetrieval.Proportion
        public var accuracyByClass: [DatasetRetrieval.Proportion]
        public var spurious: DatasetRetrieval.Proportion
        public var testOverlap: DatasetRetrieval.Average
        /// Retrieval from the archetypes with `flip` of their pixels flipped: the end overlap with the
        /// class archetype, and how often the right class is reached.
        public var archetypeOverlap: DatasetRetrieval.Average
        public var archetypeRecovered: DatasetRetrieval.Proportion
        /// nil for P = 2, the Krotov form or no stable retrieval state.
        public var theory: Theory?
        /// archetypeOverlap − theory.mEstimate, and in units of the measured error (nil without theory or error).
        public var deviation: Double?
        public var z: Double?
    }

    /// Prepares the data at every M of `examples`, trains, tests and compares; the test images are
    /// those after max(M, `testAfter`) training examples of each class. `figure` (if given)
    /// receives the trained network, the prepared data and the end states of the test images at
    /// each M, for pictures.
    public static func run(_ data: ImageDataset, preparation: DatasetPreparation, examples: [Int], settings: Settings,
                           threads: Int, measure: GaussianMeasure, testAfter: Int? = nil,
                           figure: ((DatasetNetwork, DatasetPreparation.Prepared, [[Int8]]) -> Void)? = nil) throws -> [Result] {
        guard !examples.isEmpty else { throw ParameterError("--examples-per-class", allowed: "at least one M", given: "none") }
        guard (0...1).contains(settings.flip) else { throw ParameterError("--flip", allowed: "a fraction in [0, 1]", given: "\(settings.flip)") }
        guard settings.repeats >= 1 else { throw ParameterError("--repeats", allowed: "an integer ≥ 1", given: "\(settings.repeats)") }
        try Limits.temperature.check(settings.retrieval.temperature)
        guard settings.retrieval.sweeps >= 1 else { throw ParameterError("--sweeps", allowed: "an integer ≥ 1", given: "\(settings.retrieval.sweeps)") }
        // The test set is the same at every M: the images after the largest M's training examples
        // (or after `testAfter` examples, for the points of a sweep run one by one).
        // One preparation at the largest M: a class's shuffled images are the same at every M, so the
        // first M of its training examples are those a preparation at M would take.
        var full = preparation
        full.examplesPerClass = max(examples.max()!, testAfter ?? 0)
        let all = try full.prepare(data)
        return try examples.map { m in
            var prepared = all
            prepared.training = all.training.map { Array($0.prefix(m)) }
            let trained = try DatasetNetwork(prepared, order: settings.order, hamiltonian: settings.hamiltonian,
                                             learning: settings.learning, binarisedMeans: settings.binarisedMeans)
            let (test, ends) = DatasetRetrieval.run(trained, starts: prepared.test, settings: settings.retrieval, threads: threads)
            let corrupted = DatasetRetrieval.corruptedArchetypes(trained, flip: settings.flip, repeats: settings.repeats,
                                                                  seed: settings.retrieval.seed)
            let (archetypes, _) = DatasetRetrieval.run(trained, starts: corrupted, settings: settings.retrieval, threads: threads)
            figure?(trained, prepared, ends)
            let k = prepared.labels.count, n = prepared.neurons
            let alpha = Double(k) / pow(Double(n), Double(settings.order - 1))
            var theory: Theory?
            if settings.order >= 3, settings.hamiltonian == .gardner, trained.quality.isFinite, trained.quality > 0 {
                // Binarised means store the archetype estimates ξ̂ themselves: a plain network on them.
                let statistics: ExampleStatistics = settings.binarisedMeans ? .none
                    : .examples(m, quality: min(trained.quality, 1), settings.learning)
                let rs = DenseReplicaSymmetric(order: settings.order, alpha: alpha, temperature: settings.retrieval.temperature,
                                               examples: statistics, measure: measure)
                if let s = rs.stableRetrieval(), let n = s.n {
                    theory = Theory(m: s.m, mEstimate: settings.binarisedMeans ? s.m : rs.majorityOverlap(n: n, c: s.c),
                                    converged: s.converged, alpha: alpha,
                                    source: settings.binarisedMeans ? "DenseReplicaSymmetric, random patterns (the stored ξ̂)"
                                        : "DenseReplicaSymmetric, random archetypes, M = \(m), r = r̂, \(settings.learning.rawValue)")
                }
            }
            let deviation = theory.map { archetypes.trueOverlap.mean - $0.mEstimate }
            let z = deviation.flatMap { d in archetypes.trueOverlap.error > 0 ? d / archetypes.trueOverlap.error : nil }
            return Result(examples: m, order: settings.order, temperature: settings.retrieval.temperature, neurons: n, classes: k, testImages: prepared.test.count, quality: trained.quality,
                          qualityByClass: trained.qualities,
                          overlapWithEstimate: trained.overlapWithEstimate.reduce(0, +) / Double(k), datasetEntropy: trained.datasetEntropy, correlations: trained.correlations,
                          largestCorrelation: trained.largestCorrelation, accuracy: test.accuracy, accuracyByClass: test.accuracyByClass,
                          spurious: test.spurious, testOverlap: test.trueOverlap, archetypeOverlap: archetypes.trueOverlap,
                          archetypeRecovered: archetypes.accuracy, theory: theory, deviation: deviation, z: z)
        }
    }
}
