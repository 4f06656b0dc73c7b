import Foundation

/// How a long Monte Carlo run may be stopped and resumed: a stop condition polled after every
/// sweep, and a place to keep finished samples and the state of running ones.
public struct RunControl: Sendable {
    public var shouldStop: @Sendable () -> Bool
    public var store: (any SampleCheckpointStore)?
    /// Seconds between periodic checkpoints of a running sample (∞: only when stopped).
    public var checkpointInterval: Double
    /// Threads one sample may use to sweep its replicas at the same time (set by
    /// ``MonteCarloRun/run(_:threads:control:progress:)`` from the threads the samples leave idle).
    /// Each replica has its own stream, so this changes no number.
    public var replicaThreads = 1
    /// Called after every sweep (thermalisation included) with the sweep count and the replica-averaged
    /// overlap m_1 (benchmarks: the relaxation of exact Monte Carlo).
    public var overlapTrace: (@Sendable (_ sweep: Int, _ m: Double) -> Void)?

    public init(shouldStop: @escaping @Sendable () -> Bool = { false }, store: (any SampleCheckpointStore)? = nil,
                checkpointInterval: Double = .infinity) {
        self.shouldStop = shouldStop; self.store = store; self.checkpointInterval = checkpointInterval
    }
}

/// Where checkpoints live. Implementations write atomically.
public protocol SampleCheckpointStore: Sendable {
    /// A finished sample saved for exactly these parameters, or nil.
    func finishedSample(_ sample: Int, parameters: MonteCarloParameters) -> MonteCarloRun.SampleOutcome?
    func saveFinishedSample(_ sample: Int, parameters: MonteCarloParameters, _ outcome: MonteCarloRun.SampleOutcome)
    func sampleState(_ sample: Int) -> SampleState?
    func saveSampleState(_ sample: Int, _ state: SampleState)
}

/// The complete state of one disorder sample in the middle of a run: with it the run continues
/// exactly where it stopped (the overlap sums are recomputed exactly from the spins, the patterns
/// from their stream key). Versioned; a state of another format, generator or parameter set is
/// not used.
public struct SampleState: Sendable, Codable, Equatable {
    public static let currentFormat = "hopsim.mc-sample-state/2"
    public var format = SampleState.currentFormat
    public var generator = Xoshiro256StarStar.identifier
    public var parameters: MonteCarloParameters
    public var sample: Int
    /// Sweeps done, thermalization included.
    public var sweepsDone: Int
    public var spins: [[Int8]]
    /// Each replica's dynamics generator, stored with its name and version.
    public var streams: [Xoshiro256StarStar]
    /// The replica-averaged series measured so far.
    public var series: [String: [Double]]
    public var flips: Int

    public init(parameters: MonteCarloParameters, sample: Int, sweepsDone: Int, spins: [[Int8]],
                streams: [Xoshiro256StarStar], series: [String: [Double]], flips: Int) {
        self.parameters = parameters; self.sample = sample; self.sweepsDone = sweepsDone; self.spins = spins
        self.streams = streams; self.series = series; self.flips = flips
    }

    func isCompatible(with p: MonteCarloParameters) -> Bool {
        format == Self.currentFormat && generator == Xoshiro256StarStar.identifier && parameters == p
            && spins.count == p.replicas && streams.count == p.replicas && spins.allSatisfy { $0.count == p.neurons }
    }
}

/// Checkpoints as JSON files in one directory: sample-0003.done.json, sample-0003.state.json.
public struct FileCheckpointStore: SampleCheckpointStore {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    func file(_ sample: Int, _ kind: String) -> String {
        directory.appendingPathComponent(String(format: "sample-%04d.%@.json", sample, kind)).path
    }

    func read<T: Decodable>(_ type: T.Type, _ path: String) -> T? {
        FileManager.default.contents(atPath: path).flatMap { try? RecordCoding.decoder().decode(type, from: $0) }
    }

    func write<T: Encodable>(_ value: T, _ path: String) {
        // Never through a symbolic link hopsim did not make.
        guard (try? AtomicFile.makeDirectory(directory.path)) != nil else { return }
        if let data = try? RecordCoding.encoder(pretty: false).encode(value) { try? AtomicFile.write(data, to: path) }
    }

    /// A finished sample on disk, with the parameters it was computed for.
    struct FinishedSample: Codable {
        static let currentFormat = "hopsim.mc-sample-outcome/2"
        var format = FinishedSample.currentFormat
        var parameters: MonteCarloParameters
        var outcome: MonteCarloRun.SampleOutcome
    }

    public func finishedSample(_ sample: Int, parameters: MonteCarloParameters) -> MonteCarloRun.SampleOutcome? {
        guard let saved = read(FinishedSample.self, file(sample, "done")),
              saved.format == FinishedSample.currentFormat, saved.parameters == parameters else { return nil }
        return saved.outcome
    }
    public func saveFinishedSample(_ sample: Int, parameters: MonteCarloParameters, _ outcome: MonteCarloRun.SampleOutcome) {
        write(FinishedSample(parameters: parameters, outcome: outcome), file(sample, "done"))
        try? FileManager.default.removeItem(atPath: file(sample, "state"))
    }
    public func sampleState(_ sample: Int) -> SampleState? { read(SampleState.self, file(sample, "state")) }
    public func saveSampleState(_ sample: Int, _ state: SampleState) { write(state, file(sample, "state")) }

    /// Removes the directory once the point's record is written.
    public func clear() { try? FileManager.default.removeItem(at: directory) }
}
