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
public enum ClassicalMonteCarlo {
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
        guard threads >= 1 else {
            throw ParameterError("--threads", allowed: "an integer ≥ 1", given: "\(threads)")
        }
        let samples = parameters.samples
        let outcomes = Mutex<[SampleOutcome?]>(Array(repeating: nil, count: samples))
        let nextSample = Atomic<Int>(0)
        let sweepsDone = Atomic<Int>(0)
        let totalSweeps = Double(samples * (parameters.thermalization + parameters.sweeps))
        let workers = min(threads, samples)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let s = nextSample.wrappingAdd(1, ordering: .relaxed).oldValue
                guard s < samples else { return }
                if control.shouldStop() { return }
                if let saved = control.store?.finishedSample(s, parameters: parameters) {
                    outcomes.withLock { $0[s] = saved }
                    continue
                }
                guard let outcome = runSample(s, parameters, control: control, afterSweep: {
                    let done = sweepsDone.wrappingAdd(1, ordering: .relaxed).newValue
                    progress?(Double(done) / totalSweeps)
                }) else { return }
                control.store?.saveFinishedSample(s, parameters: parameters, outcome)
                outcomes.withLock { $0[s] = outcome }
            }
        }
        let collected = outcomes.withLock { $0 }
        guard collected.allSatisfy({ $0 != nil }) else { throw Interrupted() }
        return combine(collected.map { $0! }, parameters)
    }

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

    /// The patterns of disorder sample `s` from stream (seed, point, s, 0, patterns): i.i.d. ±1, or
    /// diluted with P(ξ = 0) = d when `dilution` > 0.
    public static func patterns(for parameters: MonteCarloParameters, sample s: Int) -> PatternMatrix {
        var patternStream = StreamKey(seed: parameters.seed, point: parameters.point,
                                      sample: UInt64(s), purpose: .patterns).generator()
        if parameters.dilution > 0 {
            return PatternMatrix.diluted(neurons: parameters.neurons, patterns: parameters.patterns,
                                         dilution: parameters.dilution, using: &patternStream)
        }
        return PatternMatrix.random(neurons: parameters.neurons, patterns: parameters.patterns,
                                    using: &patternStream)
    }

    static func runSample(_ s: Int, _ parameters: MonteCarloParameters, control: RunControl,
                          afterSweep: () -> Void) -> SampleOutcome? {
        if parameters.dense != nil {
            let network = DenseNetwork.make(parameters, sample: s)
            // The Plefka fixed point is deterministic: solved once per sample (and only when a start
            // is drawn, not on resuming from a checkpoint), each replica then draws its own spins.
            lazy var plefka = PlefkaEngine(network: network, temperature: parameters.temperature, order: .second)
                .solve().magnetizations
            return runSample(s, parameters, control, afterSweep, width: .int64,
                             make: { DenseHebbianReplica(network: network, spins: $0) },
                             start: { a, stream in
                                 if case .plefka = parameters.initialState {
                                     return PlefkaEngine.spins(from: plefka, using: &stream)
                                 }
                                 return parameters.initialState.configuration(condensed: network.archetypes.pattern(0), using: &stream)
                             })
        }
        let xi = patterns(for: parameters, sample: s)
        let start: (Int, inout Xoshiro256StarStar) -> [Int8] = { _, stream in
            parameters.initialState.configuration(condensed: xi.pattern(0), using: &stream)
        }
        switch OverlapWidth.required(neurons: parameters.neurons, patterns: parameters.patterns) {
        case .int16:
            return runSample(s, parameters, control, afterSweep, width: .int16,
                             make: { ClassicalHebbianReplica<Int16>(patterns: xi, spins: $0) }, start: start)
        case .int32, .int64:
            return runSample(s, parameters, control, afterSweep, width: .int32,
                             make: { ClassicalHebbianReplica<Int32>(patterns: xi, spins: $0) }, start: start)
        }
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
        var lastCheckpoint = DispatchTime.now().uptimeNanoseconds
        while done < total {
            if control.shouldStop() {
                control.store?.saveSampleState(s, state())
                return nil
            }
            let measuring = done >= parameters.thermalization
            for a in 0..<replicaCount {
                let f = replicas[a].sweep(dynamics: parameters.dynamics, beta: beta, order: parameters.order,
                                          rng: &streams[a])
                if measuring { flips += f }
            }
            done += 1
            if measuring, (done - parameters.thermalization) % parameters.measureEvery == 0 { recorder.measure(replicas) }
            afterSweep()
            if control.store != nil, control.checkpointInterval.isFinite {
                let now = DispatchTime.now().uptimeNanoseconds
                if Double(now - lastCheckpoint) * 1e-9 >= control.checkpointInterval {
                    control.store?.saveSampleState(s, state())
                    lastCheckpoint = now
                }
            }
        }
        let rate = Double(flips) / Double(parameters.neurons * parameters.sweeps * replicaCount)
        return SampleOutcome(series: recorder.series.mapValues(BinningAnalysis.init), flipRate: rate, width: width)
    }

    // MARK: - Combining samples

    static func combine(_ outcomes: [SampleOutcome], _ parameters: MonteCarloParameters) -> MonteCarloResult {
        let every = parameters.measureEvery
        func estimate(_ name: String) -> ObservableEstimate? {
            guard outcomes[0].series[name] != nil else { return nil }
            return ObservableEstimate(perSample: outcomes.map { $0.series[name]! }, interval: every)
        }
        let k = min(parameters.patterns, ClassicalObservables.recordedOverlaps)
        let diluted = parameters.dilution > 0
        let observables = ClassicalObservables(
            m: estimate("m")!, mAbs: estimate("m_abs")!, mMax: estimate("m_max")!,
            mOther: estimate("m_other"), mOtherMax: estimate("m_other_max"),
            energy: estimate("energy")!, q: estimate("q"), q2: estimate("q2"), r: estimate("r"), n: estimate("n"),
            overlaps: diluted ? (1...k).map { estimate("m_\($0)")! } : nil,
            sortedOverlaps: diluted ? (1...k).map { estimate("m_sorted_\($0)")! } : nil)
        let summaries = outcomes.enumerated().map { s, o in
            MonteCarloResult.SampleSummary(sample: s, m: o.series["m"]!.mean, mAbs: o.series["m_abs"]!.mean,
                                           energy: o.series["energy"]!.mean, q: o.series["q"]?.mean,
                                           flipRate: o.flipRate)
        }
        let flipRate = outcomes.reduce(0) { $0 + $1.flipRate } / Double(outcomes.count)
        return MonteCarloResult(parameters: parameters, observables: observables, perSample: summaries,
                                flipRate: flipRate, overlapStorage: outcomes[0].width,
                                warnings: warnings(observables, parameters),
                                state: diluted ? MultitaskingState.classify(observables, parameters) : nil)
    }

    /// A thermal error is trustworthy when the run spans many autocorrelation times; say so when not.
    static func warnings(_ observables: ClassicalObservables, _ parameters: MonteCarloParameters) -> [String] {
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

/// Collects the replica-averaged time series of one sample.
struct SeriesRecorder {
    let neurons: Int
    let patterns: Int
    let replicaCount: Int
    /// Individual overlaps recorded (diluted patterns only; 0 otherwise).
    let individual: Int
    /// AGS's r is a quantity of the pairwise theory; dense networks do not record it.
    let pairwise: Bool
    private(set) var series: [String: [Double]] = [:]

    /// Continues from a checkpointed series.
    mutating func restore(_ saved: [String: [Double]]) {
        for (name, values) in saved where series[name] != nil { series[name] = values }
    }

    init(parameters: MonteCarloParameters) {
        neurons = parameters.neurons
        patterns = parameters.patterns
        replicaCount = parameters.replicas
        individual = parameters.dilution > 0 ? min(parameters.patterns, ClassicalObservables.recordedOverlaps) : 0
        pairwise = parameters.dense == nil
        var names = ["m", "m_abs", "m_max", "energy"]
        if parameters.dense?.training != nil { names.append("n") }
        for k in stride(from: 1, through: individual, by: 1) { names += ["m_\(k)", "m_sorted_\(k)"] }
        if patterns > 1 { names += ["m_other", "m_other_max"] }
        if replicaCount > 1 { names += ["q", "q2"] }
        if replicaCount > 1, patterns > 1, pairwise { names.append("r") }
        for name in names {
            series[name] = []
            series[name]!.reserveCapacity(parameters.measurements)
        }
    }

    mutating func measure<R: MonteCarloReplica>(_ replicas: [R]) {
        let n = Double(neurons)
        var m = 0.0, mAbs = 0.0, mMax = 0.0, mOther = 0.0, mOtherMax = 0.0, energy = 0.0, exampleOverlap = 0.0
        for replica in replicas {
            let m1 = Double(replica.archetypeOverlapSum(0)) / n
            m += m1
            mAbs += abs(m1)
            exampleOverlap += replica.exampleOverlap ?? 0
            var largest = abs(replica.archetypeOverlapSum(0)), largestOther = 0, otherSquares: Int64 = 0
            for mu in 1..<max(patterns, 1) {
                let v = abs(replica.archetypeOverlapSum(mu))
                largest = max(largest, v)
                largestOther = max(largestOther, v)
                otherSquares += Int64(v) * Int64(v)
            }
            mMax += Double(largest) / n
            mOtherMax += Double(largestOther) / n
            if patterns > 1 { mOther += (Double(otherSquares) / Double(patterns - 1)).squareRoot() / n }
            energy += replica.energyPerNeuron
        }
        let r = Double(replicaCount)
        series["m"]!.append(m / r)
        series["m_abs"]!.append(mAbs / r)
        series["m_max"]!.append(mMax / r)
        series["energy"]!.append(energy / r)
        if series["n"] != nil { series["n"]!.append(exampleOverlap / r) }
        if patterns > 1 {
            series["m_other"]!.append(mOther / r)
            series["m_other_max"]!.append(mOtherMax / r)
        }
        if individual > 0 {
            var signed = [Double](repeating: 0, count: individual), sorted = signed
            for replica in replicas {
                let magnitudes = (0..<patterns).map { abs(Double(replica.archetypeOverlapSum($0))) / n }.sorted(by: >)
                for k in 0..<individual {
                    signed[k] += Double(replica.archetypeOverlapSum(k)) / n
                    sorted[k] += magnitudes[k]
                }
            }
            for k in 0..<individual {
                series["m_\(k + 1)"]!.append(signed[k] / r)
                series["m_sorted_\(k + 1)"]!.append(sorted[k] / r)
            }
        }
        guard replicaCount > 1 else { return }
        var q = 0.0, q2 = 0.0, rAB = 0.0
        var pairs = 0.0
        for a in 0..<replicaCount {
            for b in (a + 1)..<replicaCount {
                let qab = Double(spinOverlap(replicas[a].spins, replicas[b].spins)) / n
                q += qab
                q2 += qab * qab
                if patterns > 1, pairwise {
                    var dot: Int64 = 0
                    for mu in 1..<patterns {
                        dot += Int64(replicas[a].archetypeOverlapSum(mu)) * Int64(replicas[b].archetypeOverlapSum(mu))
                    }
                    // r_ab = (1/α) Σ_{μ≥2} m_μ^a m_μ^b = Σ M^a M^b / (P N)
                    rAB += Double(dot) / (Double(patterns) * n)
                }
                pairs += 1
            }
        }
        series["q"]!.append(q / pairs)
        series["q2"]!.append(q2 / pairs)
        if patterns > 1, pairwise { series["r"]!.append(rAB / pairs) }
    }

    /// Σ_i σ_i^a σ_i^b.
    private func spinOverlap(_ a: [Int8], _ b: [Int8]) -> Int {
        var total = 0
        for i in 0..<a.count { total &+= Int(a[i]) &* Int(b[i]) }
        return total
    }
}
