import Dispatch
import Foundation
import Synchronization

/// Monte Carlo of the classical Hopfield network, averaged over disorder samples.
///
/// For each sample s (patterns from stream (seed, point, s, 0, patterns)), R replicas start from the
/// chosen initial state (stream (…, s, a, initialState)) and evolve in lockstep under their own
/// dynamics streams (…, s, a, dynamics): `thermalization` sweeps, then `sweeps` sweeps with a
/// measurement every `measureEvery`. At each measurement the single-replica observables are
/// averaged over replicas and q_ab, r_ab over pairs; each replica-averaged series is binned
/// (``BinningAnalysis``), and samples are combined into ``ObservableEstimate``s.
///
/// Samples run on up to `threads` threads, each sample on one thread, in any order: a sample's
/// numbers depend on its stream keys only, and samples are combined in index order, so the result
/// is bit-identical for every thread count.
public enum MonteCarloRun {
    /// Fraction of the work done, in [0, 1], reported after each sweep of each sample.
    public typealias Progress = @Sendable (Double) -> Void

    public static func run(_ parameters: MonteCarloParameters, threads: Int = 1,
                           progress: Progress? = nil) throws(ParameterError) -> MonteCarloResult {
        do { return try run(parameters, threads: threads, control: RunControl(), progress: progress) } catch {
            if let e = error as? ParameterError { throw e }
            preconditionFailure("a run without a stop condition cannot be interrupted")
        }
    }

    /// As ``run(_:threads:progress:)``, with a stop condition and checkpoints (``RunControl``):
    /// finished samples are saved and reused, a sample in progress saves its full state (spins,
    /// generator states, series so far) when stopped and every `checkpointInterval` seconds, and
    /// resumes from it. A resumed run gives bit-identical results. Throws ``Interrupted`` when stopped.
    public static func run(_ parameters: MonteCarloParameters, threads: Int, control: RunControl,
                           progress: Progress? = nil) throws -> MonteCarloResult {
        try parameters.validate()
        try Limits.threads.check(threads)
        let samples = parameters.samples
        let sweepsDone = Atomic<Int>(0)
        let totalSweeps = Double(samples * (parameters.thermalization + parameters.sweeps))
        // Threads the samples leave idle sweep the replicas of a sample side by side.
        let control = { var c = control; c.replicaThreads = max(1, threads / max(1, min(samples, threads))); return c }()
        // Once stopped, no sample is started; a running one checkpoints and returns nil.
        let collected = Parallel.map(samples, threads: threads) { s -> SampleOutcome? in
            if control.shouldStop() { return nil }
            if let saved = control.store?.finishedSample(s, parameters: parameters) { return saved }
            guard let outcome = runSample(s, parameters, control: control, afterSweep: {
                let done = sweepsDone.wrappingAdd(1, ordering: .relaxed).newValue
                progress?(Double(done) / totalSweeps)
            }) else { return nil }
            control.store?.saveFinishedSample(s, parameters: parameters, outcome)
            return outcome
        }
        guard collected.allSatisfy({ $0 != nil }) else { throw Interrupted() }
        return combine(collected.map { $0! }, parameters)
    }

    /// Resident memory of the process while `parameters` runs on `threads` threads: the runtime's own
    /// (``processBaselineBytes``) plus one sample's (``FamilyContract/estimatedBytes(_:)``) for
    /// every sample held at once (min(samples, threads)). Stated before a run, checked against the
    /// measured maximum RSS in the README.
    public static func estimatedPeakBytes(_ parameters: MonteCarloParameters, threads: Int) -> Double {
        processBaselineBytes + Double(min(parameters.samples, max(1, threads)))
            * parameters.family.contract.estimatedBytes(parameters)
    }

    /// The maximum RSS of `hopsim mc` on a tiny network (N = 100): the Swift runtime, Foundation and
    /// the executable (measured with /usr/bin/time -v: 33.6 MB on 1 or 2 threads).
    public static let processBaselineBytes = 33.6e6

    /// A run stopped by its ``RunControl`` before every sample finished.
    public struct Interrupted: Error, CustomStringConvertible {
        public var description: String { "interrupted; finished samples and the state of running ones are checkpointed" }
    }

    // MARK: - One sample

    /// What one finished disorder sample contributes (checkpointed as is).
    public struct SampleOutcome: Sendable, Codable, Equatable {
        var series: [String: BinningAnalysis]
        var flipRate: Double
        var width: OverlapWidth
    }

    /// The patterns (archetypes) of disorder sample `s` from stream (seed, point, s, 0, patterns):
    /// i.i.d. ±1, or diluted with P(ξ = 0) = d for the multitasking family.
    public static func patterns(for parameters: MonteCarloParameters, sample s: Int) -> PatternMatrix {
        var patternStream = StreamKey(seed: parameters.seed, point: parameters.point,
                                      sample: UInt64(s), purpose: .patterns).generator()
        return PatternMatrix.draw(neurons: parameters.neurons, patterns: parameters.patterns,
                                  dilution: parameters.family.dilution, using: &patternStream)
    }

    /// One disorder sample, by the family (``FamilyContract/runSample(_:_:_:_:)``).
    static func runSample(_ s: Int, _ parameters: MonteCarloParameters, control: RunControl,
                          afterSweep: () -> Void) -> SampleOutcome? {
        parameters.family.contract.runSample(s, parameters, control, afterSweep)
    }

    /// The sample loop for any network: `make` builds a replica on the sample's quenched couplings
    /// from spins, `start` draws replica a's initial spins from its initial-state stream.
    static func runSample<R: MonteCarloReplica>(_ s: Int, _ parameters: MonteCarloParameters, _ control: RunControl,
                                                _ afterSweep: () -> Void, width: OverlapWidth,
                                                make: ([Int8]) -> R,
                                                start: (Int, inout Xoshiro256StarStar) -> [Int8]) -> SampleOutcome? {
        let replicaCount = parameters.replicas
        var replicas: [R] = []
        var streams: [Xoshiro256StarStar] = []
        var recorder = SeriesRecorder(parameters: parameters)
        var flips = 0
        var done = 0                               // sweeps done, thermalization included
        if let state = control.store?.sampleState(s), state.isCompatible(with: parameters) {
            replicas = state.spins.map(make)
            streams = state.streams
            recorder.restore(state.series)
            flips = state.flips
            done = state.sweepsDone
        } else {
            for a in 0..<replicaCount {
                var initStream = StreamKey(seed: parameters.seed, point: parameters.point, sample: UInt64(s),
                                           replica: UInt64(a), purpose: .initialState).generator()
                replicas.append(make(start(a, &initStream)))
                streams.append(StreamKey(seed: parameters.seed, point: parameters.point, sample: UInt64(s),
                                         replica: UInt64(a), purpose: .dynamics).generator())
            }
        }
        func state() -> SampleState {
            SampleState(parameters: parameters, sample: s, sweepsDone: done, spins: replicas.map(\.spins),
                        streams: streams, series: recorder.series, flips: flips)
        }
        let beta = parameters.temperature > 0 ? parameters.beta : .infinity
        let total = parameters.thermalization + parameters.sweeps
        let parallel = control.replicaThreads > 1 && replicaCount > 1
            && parameters.family.contract.operationsPerSweep(parameters) >= minimumParallelSweepOperations
        var lastCheckpoint = DispatchTime.now().uptimeNanoseconds
        while done < total {
            if control.shouldStop() {
                control.store?.saveSampleState(s, state())
                return nil
            }
            let measuring = done >= parameters.thermalization
            let f = sweepReplicas(&replicas, &streams, parameters, beta: beta, threads: parallel ? control.replicaThreads : 1)
            if measuring { flips += f }
            done += 1
            if let trace = control.overlapTrace {
                trace(done, replicas.reduce(0.0) { $0 + Double($1.archetypeOverlapSum(0)) } / Double(parameters.neurons * replicaCount))
            }
            if measuring, (done - parameters.thermalization) % parameters.measureEvery == 0 { recorder.measure(replicas) }
            afterSweep()
            if control.store != nil, control.checkpointInterval.isFinite {
                let now = DispatchTime.now().uptimeNanoseconds
                if Double(now - lastCheckpoint) * 1e-9 >= control.checkpointInterval {
                    control.store?.saveSampleState(s, state())
                    // Timed from the end of the save: a save slower than the interval does not
                    // make every following sweep save.
                    lastCheckpoint = DispatchTime.now().uptimeNanoseconds
                }
            }
        }
        let rate = Double(flips) / Double(parameters.neurons * parameters.sweeps * replicaCount)
        return SampleOutcome(series: recorder.series.mapValues(BinningAnalysis.init), flipRate: rate, width: width)
    }

    /// A sweep of this many operations (N·P) or more is worth a thread of its own: at 10⁷ it takes
    /// about 0.3 ms, against some 10 µs to hand work to another thread and wait for it.
    static let minimumParallelSweepOperations = 1e7

    /// One sweep of every replica, each with its own stream; with `threads` > 1, the replicas at
    /// the same time on up to that many threads (worker w sweeps replicas w, w + k, …). Returns the
    /// flips, summed in replica order.
    public static func sweepReplicas<R: MonteCarloReplica>(_ replicas: inout [R], _ streams: inout [Xoshiro256StarStar],
                                                           _ parameters: MonteCarloParameters, beta: Double, threads: Int) -> Int {
        let count = replicas.count
        let workers = min(max(threads, 1), count)
        guard workers > 1 else {
            var flips = 0
            for a in replicas.indices {
                flips += replicas[a].sweep(dynamics: parameters.dynamics, beta: beta, order: parameters.order, rng: &streams[a])
            }
            return flips
        }
        return replicas.withUnsafeMutableBufferPointer { replicaBuffer in
            streams.withUnsafeMutableBufferPointer { streamBuffer in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { flips in
                    // Each replica (its spins, stream and flip count) is touched by one worker only.
                    nonisolated(unsafe) let (r, g, f) = (replicaBuffer, streamBuffer, flips)
                    DispatchQueue.concurrentPerform(iterations: workers) { w in
                        for a in stride(from: w, to: count, by: workers) {
                            f[a] = r[a].sweep(dynamics: parameters.dynamics, beta: beta, order: parameters.order, rng: &g[a])
                        }
                    }
                    return f.reduce(0, +)
                }
            }
        }
    }

    // MARK: - Combining samples

    static func combine(_ outcomes: [SampleOutcome], _ parameters: MonteCarloParameters) -> MonteCarloResult {
        let every = parameters.measureEvery
        func estimate(_ name: String) -> ObservableEstimate? {
            guard outcomes[0].series[name] != nil else { return nil }
            return ObservableEstimate(perSample: outcomes.map { $0.series[name]! }, interval: every)
        }
        let k = min(parameters.patterns, MonteCarloObservables.recordedOverlaps)
        let individual = outcomes[0].series[MonteCarloObservable.overlap(1).name] != nil
        let observables = MonteCarloObservables(
            m: estimate("m")!, mAbs: estimate("m_abs")!, mMax: estimate("m_max")!,
            mOther: estimate("m_other"), mOtherMax: estimate("m_other_max"),
            energy: estimate("energy")!, q: estimate("q"), q2: estimate("q2"), q4: estimate("q4"), r: estimate("r"), n: estimate("n"),
            overlaps: individual ? (1...k).map { estimate(MonteCarloObservable.overlap($0).name)! } : nil,
            sortedOverlaps: individual ? (1...k).map { estimate(MonteCarloObservable.sortedOverlap($0).name)! } : nil)
        let summaries = outcomes.enumerated().map { s, o in
            MonteCarloResult.SampleSummary(sample: s, m: o.series["m"]!.mean, mAbs: o.series["m_abs"]!.mean,
                                           energy: o.series["energy"]!.mean, q: o.series["q"]?.mean,
                                           flipRate: o.flipRate)
        }
        let flipRate = outcomes.reduce(0) { $0 + $1.flipRate } / Double(outcomes.count)
        return MonteCarloResult(parameters: parameters, observables: observables, perSample: summaries,
                                flipRate: flipRate, overlapStorage: outcomes[0].width,
                                warnings: warnings(observables, parameters),
                                state: parameters.family.contract.classify(observables, parameters))
    }

    /// A thermal error is trustworthy when the run spans many autocorrelation times; say so when not.
    static func warnings(_ observables: MonteCarloObservables, _ parameters: MonteCarloParameters) -> [String] {
        var notes: [String] = []
        for (name, e) in observables.named {
            guard let tau = e.tau else { continue }
            if Double(parameters.sweeps) < 50 * tau {
                notes.append("\(name): tau_int = \(String(format: "%.3g", tau)) sweeps is not small against --sweeps \(parameters.sweeps); its error bar is unreliable, run longer")
            } else if Double(parameters.thermalization) < 10 * tau {
                notes.append("\(name): --thermalization \(parameters.thermalization) is under 10 tau_int (\(String(format: "%.3g", tau)) sweeps); equilibrium is not assured")
            }
        }
        return notes
    }
}
