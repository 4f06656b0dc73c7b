import Foundation

/// Exact Monte Carlo and the Plefka engine on the same dense network (disorder sample 0 of the
/// parameters), from the same noisy start (ξ¹ with a fraction of spins flipped):
/// - exact: R heat-bath replicas for `sweeps` sweeps; the equilibrium m is the mean of the second
///   half of the replica-averaged series (binning error); the time to equilibrium is the first
///   sweep at which the replica-averaged m is within `tolerance` of it, times the cost of one
///   replica's sweep;
/// - Plefka: the damped sequential iteration from m_i = σ_i of the same start; its time to
///   equilibrium is the first sweep within `tolerance` of its own fixed point.
/// The deviation of the Plefka m from the exact m is reported in units of the exact error, and
/// both are compared with nothing else: this is a benchmark, the tests hold the tolerances.
public struct PlefkaBenchmark: Sendable, Codable {
    public var p: Int
    public var neurons: Int
    public var patterns: Int
    public var alpha: Double
    public var temperature: Double
    public var flipFraction: Double
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
    public var plefkaM: Double
    public var plefkaConverged: Bool
    public var plefkaSweeps: Int
    public var plefkaSecondsPerSweep: Double
    public var plefkaSweepsToEquilibrium: Int?
    public var plefkaSecondsToEquilibrium: Double?
    /// (m_Plefka − m_exact) / error_exact.
    public var deviationInErrors: Double
    /// exact seconds to equilibrium / Plefka seconds to equilibrium.
    public var speedup: Double?

    public static func run(order: Int, alpha: Double, temperature: Double, neurons: Int, sweeps: Int = 400,
                           replicas: Int = 4, flipFraction: Double = 0.3, tolerance: Double = 0.01,
                           plefkaOrder: PlefkaEngine.Order = .second, seed: UInt64 = 1) throws(ParameterError) -> PlefkaBenchmark {
        var parameters = MonteCarloParameters(neurons: neurons, patterns: 1, temperature: temperature, sweeps: sweeps,
                                              samples: 1, replicas: replicas, initialState: .noisy(flipFraction: flipFraction), seed: seed)
        parameters.family = .dense(DenseSettings(order: order))
        parameters.patterns = parameters.family.patterns(alpha: alpha, neurons: neurons)
        try parameters.validate()
        guard temperature > 0 else { throw ParameterError("--temperature", allowed: "> 0", given: "\(temperature)") }
        guard sweeps >= 64 else { throw ParameterError("--sweeps", allowed: "an integer ≥ 64", given: "\(sweeps)") }
        let network = DenseNetwork.make(parameters, sample: 0)
        var initStream = StreamKey(seed: seed, sample: 0, purpose: .initialState).generator()
        let start = parameters.initialState.configuration(condensed: network.archetypes.pattern(0), using: &initStream)

        // Exact Monte Carlo.
        var states = (0..<replicas).map { _ in DenseHebbianReplica(network: network, spins: start) }
        var streams = (0..<replicas).map { StreamKey(seed: seed, sample: 0, replica: UInt64($0), purpose: .dynamics).generator() }
        var series: [Double] = []
        let clock = ContinuousClock.now
        for _ in 0..<sweeps {
            var m = 0.0
            for a in 0..<replicas {
                _ = states[a].sweep(dynamics: .heatBath, beta: 1 / temperature, order: .sequential, rng: &streams[a])
                m += Double(states[a].archetypeOverlapSum(0)) / Double(neurons)
            }
            series.append(m / Double(replicas))
        }
        let exactSeconds = seconds(ContinuousClock.now - clock)
        let secondHalf = BinningAnalysis(Array(series[(sweeps / 2)...]))
        let exactToEquilibrium = series.firstIndex { abs($0 - secondHalf.mean) <= tolerance }.map { $0 + 1 }
        let perSweep = exactSeconds / Double(sweeps * replicas)

        // Plefka.
        var engine = PlefkaEngine(network: network, temperature: temperature, order: plefkaOrder)
        engine.maxSweeps = 10 * sweeps
        var trace: [Double] = []
        let xi = network.archetypes.pattern(0)
        let point = engine.solve(start: start.map(Double.init)) { _, m in
            trace.append(zip(xi, m).reduce(0.0) { $0 + Double($1.0) * $1.1 } / Double(neurons))
        }
        let plefkaM = engine.observables(point.magnetizations).m
        let plefkaToEquilibrium = trace.firstIndex { abs($0 - plefkaM) <= tolerance }.map { $0 + 1 }
        let plefkaPerSweep = point.seconds / Double(max(point.sweeps, 1))
        let exactTime = exactToEquilibrium.map { Double($0) * perSweep }
        let plefkaTime = plefkaToEquilibrium.map { Double($0) * plefkaPerSweep }
        var speedup: Double?
        if let e = exactTime, let p = plefkaTime, p > 0 { speedup = e / p }
        return PlefkaBenchmark(
            p: order, neurons: neurons, patterns: parameters.patterns, alpha: parameters.alpha, temperature: temperature,
            flipFraction: flipFraction, tolerance: tolerance, replicas: replicas, exactSweeps: sweeps,
            exactM: secondHalf.mean, exactError: secondHalf.error, exactSecondsPerSweep: perSweep,
            exactSweepsToEquilibrium: exactToEquilibrium, exactSecondsToEquilibrium: exactTime,
            plefkaOrder: plefkaOrder.rawValue, plefkaM: plefkaM, plefkaConverged: point.converged, plefkaSweeps: point.sweeps,
            plefkaSecondsPerSweep: plefkaPerSweep, plefkaSweepsToEquilibrium: plefkaToEquilibrium,
            plefkaSecondsToEquilibrium: plefkaTime,
            deviationInErrors: secondHalf.error > 0 ? (plefkaM - secondHalf.mean) / secondHalf.error : .infinity,
            speedup: speedup)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
