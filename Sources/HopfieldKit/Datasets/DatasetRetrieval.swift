import Foundation

/// Recognition and retrieval by a network trained on a dataset (`hopsim learn`).
///
/// From each start state the network runs `sweeps` sweeps of the chosen dynamics (zero temperature:
/// until a sweep flips nothing, at most `sweeps`); the end state's overlaps m_c = (1/N) ξ̂^c · σ with
/// every class archetype are its result, the overlaps averaged over the last half of the sweeps at
/// T > 0. The retrieved class is the largest m_c; an end state is spurious when that largest overlap
/// is below `spuriousBelow` (it is close to no archetype). Each start has its own dynamics stream
/// (seed, point = start index, purpose dynamics), so results do not depend on threads.
public struct DatasetRetrieval: Sendable, Codable {
    public struct Settings: Sendable, Equatable, Codable {
        public var temperature: Double
        public var sweeps: Int
        public var spuriousBelow: Double
        public var seed: UInt64
        public init(temperature: Double, sweeps: Int = 100, spuriousBelow: Double = 0.9, seed: UInt64 = 1) {
            self.temperature = temperature; self.sweeps = sweeps; self.spuriousBelow = spuriousBelow; self.seed = seed
        }
    }

    /// A proportion p̂ = s/n of n trials with its binomial standard error √(p̃(1 − p̃)/n), p̃ =
    /// (s + 1)/(n + 2) (Laplace's estimate, so that 0 or n successes do not claim a zero error).
    public struct Proportion: Sendable, Equatable, Codable {
        public var mean: Double
        public var error: Double
        public var trials: Int
        public init(successes: Int, trials: Int) {
            self.trials = trials
            mean = trials > 0 ? Double(successes) / Double(trials) : .nan
            let smoothed = Double(successes + 1) / Double(trials + 2)
            error = trials > 0 ? (smoothed * (1 - smoothed) / Double(trials)).squareRoot() : .nan
        }
    }

    /// Mean and standard error of a list of values.
    public struct Average: Sendable, Equatable, Codable {
        public var mean: Double
        public var error: Double
        public init(_ values: [Double]) {
            let n = Double(values.count)
            let m = values.reduce(0, +) / n
            mean = m
            error = values.count > 1 ? (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1) / n).squareRoot() : 0
        }
    }

    /// Accuracy: the retrieved class is the true one.
    public var accuracy: Proportion
    public var spurious: Proportion
    /// The overlap of the end state with the true class's archetype: the mean over starts, its error
    /// from the spread of the per-class means (starts of one class share its archetype, so they
    /// are not independent samples of the disorder).
    public var trueOverlap: Average
    /// Per class index: accuracy.
    public var accuracyByClass: [Proportion]
    /// End overlaps m_c of every start (rows: starts; for figures and further analysis).
    public var endOverlaps: [[Double]]
    public var retrievedClass: [Int]

    /// Runs the dynamics from every start (spins, class index).
    public static func run(_ trained: DatasetNetwork, starts: [(classIndex: Int, pattern: [Int8])], settings: Settings,
                           threads: Int) -> (DatasetRetrieval, endStates: [[Int8]]) {
        let network = trained.network
        let k = network.archetypes.patterns, n = Double(network.neurons)
        let t = settings.temperature
        let outcomes = Parallel.map(starts.count, threads: threads) { s -> ([Double], [Int8]) in
            var replica = DenseHebbianReplica(network: network, spins: starts[s].pattern)
            var rng = StreamKey(seed: settings.seed, point: UInt64(s), sample: 0, purpose: .dynamics).generator()
            var sums = [Double](repeating: 0, count: k)
            var measured = 0
            for sweep in 0..<settings.sweeps {
                let flips = replica.sweep(dynamics: t == 0 ? .zeroTemperature : .heatBath, beta: t == 0 ? .infinity : 1 / t,
                                          order: .sequential, rng: &rng)
                if t == 0 {
                    if flips == 0 { break }
                } else if sweep >= settings.sweeps / 2 {
                    for c in 0..<k { sums[c] += Double(replica.archetypeOverlapSum(c)) / n }
                    measured += 1
                }
            }
            let overlaps = measured > 0 ? sums.map { $0 / Double(measured) } : (0..<k).map { Double(replica.archetypeOverlapSum($0)) / n }
            return (overlaps, replica.spins)
        }
        let overlaps = outcomes.map(\.0)
        let retrieved = overlaps.map { m in m.indices.max { m[$0] < m[$1] }! }
        let correct = zip(retrieved, starts).filter { $0 == $1.classIndex }.count
        let spurious = overlaps.filter { ($0.max() ?? 0) < settings.spuriousBelow }.count
        let byClass = (0..<k).map { c -> Proportion in
            let members = starts.indices.filter { starts[$0].classIndex == c }
            return Proportion(successes: members.filter { retrieved[$0] == c }.count, trials: members.count)
        }
        let result = DatasetRetrieval(
            accuracy: Proportion(successes: correct, trials: starts.count),
            spurious: Proportion(successes: spurious, trials: starts.count),
            trueOverlap: classAverage(zip(overlaps, starts).map { ($1.classIndex, $0[$1.classIndex]) }, classes: k),
            accuracyByClass: byClass, endOverlaps: overlaps, retrievedClass: retrieved)
        return (result, outcomes.map(\.1))
    }

    /// The mean of per-start values and, as its error, the standard error of the K per-class means
    /// (each class weighted by its starts for the mean).
    static func classAverage(_ values: [(classIndex: Int, value: Double)], classes k: Int) -> Average {
        var average = Average(values.map(\.value))
        let means = (0..<k).compactMap { c -> Double? in
            let v = values.filter { $0.classIndex == c }.map(\.value)
            return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
        }
        average.error = Average(means).error
        return average
    }

    /// Starts at every archetype estimate with a fraction `flip` of its pixels flipped (stream
    /// (seed, point = class, purpose initialState)), `repeats` per class.
    public static func corruptedArchetypes(_ trained: DatasetNetwork, flip: Double, repeats: Int, seed: UInt64) -> [(classIndex: Int, pattern: [Int8])] {
        var starts: [(Int, [Int8])] = []
        for c in 0..<trained.network.archetypes.patterns {
            var rng = StreamKey(seed: seed, point: UInt64(c), sample: 0, purpose: .initialState).generator()
            for _ in 0..<repeats {
                let pattern = trained.archetype(c).map { x -> Int8 in rng.nextUniform() < flip ? -x : x }
                starts.append((c, pattern))
            }
        }
        return starts
    }
}
