import Foundation
import Synchronization

/// Exact Monte Carlo and the family's Plefka engine on the same network (disorder sample 0 of the
/// parameters), each replica and the Plefka iteration from the `--init` configuration of their
/// streams (default: ξ¹ with a fraction of spins flipped):
/// - exact: R heat-bath replicas through the family's own sample loop for `sweeps` sweeps; the
///   equilibrium m is the mean of the second half of the replica-averaged series (binning error);
///   the time to equilibrium is the first sweep at which the replica-averaged m is within
///   `tolerance` of it, times the cost of one replica's sweep;
/// - Plefka: the damped sequential iteration from m_i = σ_i of replica 0's start; its time to
///   equilibrium is the first sweep within `tolerance` of its own fixed point.
/// Per-sweep costs are wall time over sweeps (one replica's sweep for exact MC). The deviation of
/// the Plefka m from the exact m is in units of the exact error; this is a benchmark, the tests hold
/// the tolerances.
public struct PlefkaBenchmark: Sendable, Codable {
    public var model: String
    public var p: Int
    public var dilution: Double?
    public var neurons: Int
    public var patterns: Int
    public var alpha: Double
    public var temperature: Double
    public var start: String
    public var flipFraction: Double?
    public var tolerance: Double
    public var replicas: Int
    public var exactSweeps: Int
    public var exactM: Double
    public var exactError: Double
    public var exactSecondsPerSweep: Double
    /// Sweeps (of one replica) and seconds until the exact m is within `tolerance` of equilibrium
    /// (nil if never).
    public var exactSweepsToEquilibrium: Int?
    public var exactSecondsToEquilibrium: Double?
    public var plefkaOrder: Int
    /// The sweep the engine ran: parallel or sequential.
    public var plefkaUpdate: PlefkaUpdate
    public var plefkaM: Double
    public var plefkaConverged: Bool
    public var plefkaSweeps: Int
    public var plefkaSecondsPerSweep: Double
    /// plefka_seconds_per_sweep / exact_seconds_per_sweep.
    public var perSweepRatio: Double
    public var plefkaSweepsToEquilibrium: Int?
    public var plefkaSecondsToEquilibrium: Double?
    /// (m_Plefka − m_exact) / error_exact.
    public var deviationInErrors: Double
    /// exact seconds to equilibrium / Plefka seconds to equilibrium.
    public var speedup: Double?
    /// `--init plefka` against starting exact MC from a random and from the noisy start.
    public var initPlefka: [StartComparison]

    /// Exact MC from `start` against exact MC from `--init plefka` (spins drawn from the second-order
    /// TAP fixed point reached from ξ¹), both traced: the equilibrium is the mean m of the second half
    /// of the `--init plefka` run, and a run has reached it at the first sweep within `tolerance`.
    /// `sweeps_saved` = sweeps from `start` − sweeps from the Plefka start − the Plefka iteration's
    /// cost in exact sweeps (its sweeps × per_sweep_ratio); nil when the run from `start` never gets
    /// there within the sweeps (it went to another state: the saving is then at least the sweeps run).
    public struct StartComparison: Sendable, Codable {
        public var start: String
        public var equilibriumM: Double
        public var sweepsFromStart: Int?
        public var sweepsFromPlefka: Int?
        public var plefkaCostInSweeps: Double
        public var sweepsSaved: Double?
        public var finalMFromStart: Double
    }

    /// The benchmark at `parameters` (samples, thermalisation and measurement interval are set here:
    /// one sample, every sweep traced, the second half measured).
    public static func run(_ parameters: MonteCarloParameters, tolerance: Double = 0.01,
                           plefka: PlefkaSettings = PlefkaSettings()) throws(ParameterError) -> PlefkaBenchmark {
        var p = parameters
        p.samples = 1
        p.thermalization = 0
        p.measureEvery = 1
        p.dynamics = .heatBath
        try p.validate()
        guard p.temperature > 0 else { throw ParameterError("--temperature", allowed: "> 0", given: "\(p.temperature)") }
        guard p.sweeps >= 64 else { throw ParameterError("--sweeps", allowed: "an integer ≥ 64", given: "\(p.sweeps)") }
        if case .plefka = p.initialState {
            throw ParameterError("--init", allowed: "pattern, random or noisy (the Plefka iteration starts from it)", given: "plefka")
        }
        let contract = p.family.contract
        _ = try contract.plefkaNeglects(p, plefka)

        // Exact Monte Carlo through the family's sample loop from `initial`, m traced after every sweep.
        func traced(_ initial: InitialState) -> [Double] {
            var q = p
            q.initialState = initial
            let trace = Mutex<[Double]>([])
            var control = RunControl()
            control.overlapTrace = { _, m in trace.withLock { $0.append(m) } }
            _ = contract.runSample(0, q, control, {})
            return trace.withLock { $0 }
        }
        // Timings are the fastest of repeated runs (the least disturbed by the rest of the machine):
        // Monte Carlo the fastest of three runs of the same sweeps.
        var exactSeconds = Double.infinity
        var series: [Double] = []
        for _ in 0..<3 {
            let clock = ContinuousClock.now
            series = traced(p.initialState)
            exactSeconds = min(exactSeconds, seconds(ContinuousClock.now - clock))
        }
        let secondHalf = BinningAnalysis(Array(series[(p.sweeps / 2)...]))
        let exactToEquilibrium = series.firstIndex { abs($0 - secondHalf.mean) <= tolerance }.map { $0 + 1 }
        let perSweep = exactSeconds / Double(p.sweeps * p.replicas)

        // Plefka from replica 0's start.
        var settings = plefka
        settings.maxSweeps = max(settings.maxSweeps, 10 * p.sweeps)
        let engine = contract.plefkaSolver(0, p, settings)
        let start = PlefkaRun.start(engine, p, sample: 0)
        var plefkaTrace: [Double] = []
        let xi = engine.condensedPattern.map(Double.init)
        let point = engine.solve(start: start) { _, m in
            plefkaTrace.append(zip(xi, m).reduce(0.0) { $0 + $1.0 * $1.1 } / Double(p.neurons))
        }
        let plefkaM = engine.observables(point.magnetizations).m
        let plefkaToEquilibrium = plefkaTrace.firstIndex { abs($0 - plefkaM) <= tolerance }.map { $0 + 1 }
        // The time per sweep in steady state, as for Monte Carlo's runs of 400 sweeps: five blocks of
        // the same solve repeated without the trace until the block has run 0.01 s (at least 3
        // solves), the fastest block's time per sweep. Each solve's time covers its sweeps and the
        // final residual pass (one more field per site), counted as a sweep.
        var plefkaPerSweep = Double.infinity
        for _ in 0..<5 {
            var timedSeconds = 0.0, timedSweeps = 0, runs = 0
            repeat {
                let again = engine.solve(start: start)
                timedSeconds += again.seconds; timedSweeps += again.sweeps + 1; runs += 1
            } while runs < 3 || timedSeconds < 0.01
            plefkaPerSweep = min(plefkaPerSweep, timedSeconds / Double(timedSweeps))
        }
        let exactTime = exactToEquilibrium.map { Double($0) * perSweep }
        let plefkaTime = plefkaToEquilibrium.map { Double($0) * plefkaPerSweep }
        var speedup: Double?
        if let e = exactTime, let t = plefkaTime, t > 0 { speedup = e / t }
        var flip: Double?
        if case .noisy(let f) = p.initialState { flip = f }

        // --init plefka against a random and the noisy start (the TAP state from ξ¹ costs its own
        // sweeps, counted in exact sweeps).
        let fromPlefka = traced(.plefka)
        let target = BinningAnalysis(Array(fromPlefka[(p.sweeps / 2)...])).mean
        func reach(_ series: [Double]) -> Int? { series.firstIndex { abs($0 - target) <= tolerance }.map { $0 + 1 } }
        let tapFromPattern = contract.plefkaSolver(0, p, PlefkaSettings()).solve()
        let cost = Double(tapFromPattern.sweeps + 1) * plefkaPerSweep / perSweep
        let starts: [InitialState] = [.random, flip.map { .noisy(flipFraction: $0) } ?? .noisy(flipFraction: 0.3)]
        let comparisons = starts.map { initial -> StartComparison in
            let series = initial == p.initialState ? series : traced(initial)
            let a = reach(series), b = reach(fromPlefka)
            return StartComparison(start: initial == .random ? "random" : "noisy", equilibriumM: target, sweepsFromStart: a,
                                   sweepsFromPlefka: b, plefkaCostInSweeps: cost,
                                   sweepsSaved: a.flatMap { a in b.map { Double(a - $0) - cost } }, finalMFromStart: series.last ?? .nan)
        }
        return PlefkaBenchmark(
            model: p.family.name, p: p.family.interactionOrder, dilution: p.family.dilution > 0 ? p.family.dilution : nil,
            neurons: p.neurons, patterns: p.patterns, alpha: p.alpha, temperature: p.temperature, start: p.initialState.name,
            flipFraction: flip, tolerance: tolerance, replicas: p.replicas, exactSweeps: p.sweeps,
            exactM: secondHalf.mean, exactError: secondHalf.error, exactSecondsPerSweep: perSweep,
            exactSweepsToEquilibrium: exactToEquilibrium, exactSecondsToEquilibrium: exactTime,
            plefkaOrder: settings.order.rawValue, plefkaUpdate: engine.sweepUpdate, plefkaM: plefkaM, plefkaConverged: point.converged, plefkaSweeps: point.sweeps,
            plefkaSecondsPerSweep: plefkaPerSweep, perSweepRatio: plefkaPerSweep / perSweep,
            plefkaSweepsToEquilibrium: plefkaToEquilibrium, plefkaSecondsToEquilibrium: plefkaTime,
            deviationInErrors: secondHalf.error > 0 ? (plefkaM - secondHalf.mean) / secondHalf.error : .infinity,
            speedup: speedup, initPlefka: comparisons)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
