import Foundation

/// Retrieval of diluted archetypes by a multitasking network trained on M examples of each, as M
/// (equivalently the dataset entropy ρ = (1 − r²)/(M r²)) varies: the exact low-storage theory
/// (``MultitaskingLowStorage`` with training, its global state) beside Monte Carlo of the same
/// network (the dense engine at P = 2 on diluted archetypes), one row per M.
public struct MultitaskingLearningCurve: Sendable, Codable {
    public struct Row: Sendable, Codable {
        public var examples: Int
        public var datasetEntropy: Double
        /// Theory: the global state's kind, archetype overlaps (sorted) and example-mean overlaps.
        public var branch: String
        public var m: [Double]
        public var n: [Double]
        public var converged: Bool
        /// Monte Carlo: sorted |m|_(k), their total errors, and the state classification.
        public var mcM: [Double]
        public var mcError: [Double]
        public var mcState: String
    }

    public var patterns: Int
    public var dilution: Double
    public var temperature: Double
    public var quality: Double
    public var learning: LearningProtocol
    public var neurons: Int
    public var samples: Int
    public var seed: UInt64
    public var version = HopsimVersion.string
    public var rows: [Row]
    /// Build, host, date and command line of the run.
    public var provenance: RunProvenance? = .current()

    public static func run(patterns k: Int, dilution d: Double, temperature t: Double, quality r: Double,
                           learning: LearningProtocol, examples: [Int], neurons: Int, samples: Int, sweeps: Int,
                           seed: UInt64, threads: Int) throws(ParameterError) -> MultitaskingLearningCurve {
        var rows: [Row] = []
        // Every parameter checked before any work.
        for m in examples {
            try TrainingSet(examples: m, quality: r, learning: learning).validate()
            var p = MonteCarloParameters(neurons: neurons, patterns: k, temperature: t, dynamics: t > 0 ? .heatBath : .zeroTemperature,
                                         thermalization: sweeps / 2, sweeps: sweeps, samples: samples, replicas: 2, seed: seed)
            p.family = .multitasking(dilution: d, training: TrainingSet(examples: m, quality: r, learning: learning))
            try p.validate()
        }
        for m in examples {
            let training = TrainingSet(examples: m, quality: r, learning: learning)
            let branches = try MultitaskingLowStorage(patterns: k, dilution: d, temperature: t, training: training).solveBranches()
            // The global state; without one (nothing stable converged) the row says so, with NaN
            // overlaps in every column and converged = false.
            let theory = branches.first { $0.global }
            var p = MonteCarloParameters(neurons: neurons, patterns: k, temperature: t, dynamics: t > 0 ? .heatBath : .zeroTemperature,
                                         thermalization: sweeps / 2, sweeps: sweeps, samples: samples, replicas: 2, seed: seed)
            p.family = .multitasking(dilution: d, training: training)
            let mc = try MonteCarloRun.run(p, threads: threads)
            let sorted = mc.observables.sortedOverlaps ?? []
            let missing = [Double](repeating: .nan, count: k)
            rows.append(Row(examples: m, datasetEntropy: training.datasetEntropy,
                            branch: theory?.branch ?? (branches.contains { !$0.converged } ? "not converged" : "no stable state"),
                            m: theory?.m ?? missing, n: theory?.n ?? missing, converged: theory?.converged ?? false,
                            mcM: sorted.map(\.mean), mcError: sorted.map(\.totalError),
                            mcState: mc.state?.kind.rawValue ?? ""))
        }
        return MultitaskingLearningCurve(patterns: k, dilution: d, temperature: t, quality: r, learning: learning,
                                         neurons: neurons, samples: samples, seed: seed, rows: rows)
    }
}
