import Dispatch
import Foundation
import Synchronization

/// The thermal means of one disorder sample at one size: what a finite-size study keeps per point.
public struct FiniteSizeSample: Sendable, Equatable, Codable {
    public var neurons: Int
    public var patterns: Int
    public var sample: Int
    /// Thermal mean of every observable recorded (names as in ``MonteCarloObservable``).
    public var values: [String: Double]
    /// Binning error of each thermal mean.
    public var thermalErrors: [String: Double]
    /// τ_int of each series, in sweeps (absent for a constant series).
    public var tau: [String: Double]
    public var flipRate: Double

    init(_ point: FiniteSizeStudy.Point, patterns: Int, outcome: MonteCarloRun.SampleOutcome, measureEvery: Int) {
        neurons = point.neurons; sample = point.sample; self.patterns = patterns
        values = outcome.series.mapValues(\.mean)
        thermalErrors = outcome.series.mapValues(\.error)
        tau = outcome.series.compactMapValues { $0.tau.map { $0 * Double(measureEvery) } }
        flipRate = outcome.flipRate
    }
}

/// A finite-size study directory (``StudyDirectory``): `study.json` and one file per finished disorder
/// sample, `samples/N<N>-s<s>.json`.
public struct FiniteSizeStore: Sendable {
    public static let schema = "hopsim.fss-study/1"
    let files: StudyDirectory<FiniteSizeStudy>
    public var directory: String { files.directory }

    public init(directory: String) {
        files = StudyDirectory(directory: directory, schema: Self.schema, pointsFolder: "samples")
    }

    /// Creates the directory for `study`, or checks that the one there holds the same study.
    public func open(_ study: FiniteSizeStudy) throws { try files.open(study) }

    /// The study a directory holds.
    public static func study(in directory: String) throws -> FiniteSizeStudy { try FiniteSizeStore(directory: directory).files.read() }

    public func load(_ point: FiniteSizeStudy.Point) -> FiniteSizeSample? {
        guard let sample = files.load(point.fileName, as: FiniteSizeSample.self),
              sample.neurons == point.neurons, sample.sample == point.sample else { return nil }
        return sample
    }

    func save(_ sample: FiniteSizeSample, _ point: FiniteSizeStudy.Point) throws { try files.save(sample, as: point.fileName) }
}

/// Runs the points of a finite-size study: all of them, or one shard's.
public enum FiniteSizeRun {
    /// A deterministic, cost-balanced split of the study's points into `count` shards (the grid's
    /// ``Sharding``, costs in neuron·pattern operations); the points of shard `index`.
    public static func shard(_ study: FiniteSizeStudy, index: Int, count: Int) -> [FiniteSizeStudy.Point] {
        let points = study.points
        let plan = points.enumerated().map { k, p in
            GridRun.PlannedPoint(point: k, x: study.alpha ?? 0, temperature: study.template.temperature,
                                 patterns: study.parameters(neurons: p.neurons).patterns,
                                 monteCarloOperations: study.operations(neurons: p.neurons),
                                 estimatedSeconds: study.operations(neurons: p.neurons))
        }
        return Sharding.assign(plan, shards: count)[index].map { points[$0] }
    }

    /// Computes `points` (default: all) that `store` does not hold yet, largest sizes first, on up to
    /// `threads` threads (one sample per thread), saving each as it finishes; returns the samples of
    /// `points`, from the store or computed. Without a store nothing is written. `progress` gets the
    /// fraction of the work done. Once `shouldStop` returns true no sample is started and running ones
    /// stop after their current sweep, unsaved; finished ones are kept, and
    /// ``MonteCarloRun/Interrupted`` is thrown (a rerun resumes).
    public static func run(_ study: FiniteSizeStudy, points: [FiniteSizeStudy.Point]? = nil, store: FiniteSizeStore?,
                           threads: Int, shouldStop: @escaping @Sendable () -> Bool = { false },
                           progress: (@Sendable (Double) -> Void)? = nil) throws -> [FiniteSizeSample] {
        try study.validate()
        try Limits.threads.check(threads)
        if let store { try store.open(study) }
        let wanted = points ?? study.points
        let existing = wanted.map { store?.load($0) }
        let todo = wanted.indices.filter { existing[$0] == nil }
            .sorted { wanted[$0].neurons != wanted[$1].neurons ? wanted[$0].neurons > wanted[$1].neurons : $0 < $1 }
        let total = max(todo.reduce(0.0) { $0 + study.operations(neurons: wanted[$1].neurons) }, 1)
        let done = Mutex<Double>(0)
        let computed = Parallel.map(todo.count, threads: threads) { k -> Result<FiniteSizeSample, Error> in
            let point = wanted[todo[k]]
            var p = study.parameters(neurons: point.neurons)
            p.samples = 1
            if shouldStop() { return .failure(MonteCarloRun.Interrupted()) }
            guard let outcome = MonteCarloRun.runSample(point.sample, p, control: RunControl(shouldStop: shouldStop), afterSweep: {}) else {
                return .failure(MonteCarloRun.Interrupted())
            }
            let sample = FiniteSizeSample(point, patterns: p.patterns, outcome: outcome, measureEvery: p.measureEvery)
            do { try store?.save(sample, point) } catch { return .failure(error) }
            let sum = done.withLock { $0 += study.operations(neurons: point.neurons); return $0 }
            progress?(sum / total)
            return .success(sample)
        }
        var result = existing
        var interrupted = false
        for (k, outcome) in zip(todo, computed) {
            switch outcome {
            case .success(let sample): result[k] = sample
            case .failure(let error as MonteCarloRun.Interrupted): interrupted = true; _ = error
            case .failure(let error): throw error
            }
        }
        if interrupted { throw MonteCarloRun.Interrupted() }
        return result.map { $0! }
    }

    /// The samples of every point of the study that the store holds, and the points it lacks.
    public static func collect(_ study: FiniteSizeStudy, store: FiniteSizeStore) -> (samples: [FiniteSizeSample], missing: [FiniteSizeStudy.Point]) {
        var samples: [FiniteSizeSample] = [], missing: [FiniteSizeStudy.Point] = []
        for point in study.points {
            if let s = store.load(point) { samples.append(s) } else { missing.append(point) }
        }
        return (samples, missing)
    }
}
