import Foundation

/// Throughput of the classical heat-bath sweep on one network, measured the way
/// the reference C program of `Scripts/bench-mc` measures it: patterns and start state built first, then `sweeps`
/// timed sweeps; ops_per_second = N·P·sweeps / seconds.
public struct MonteCarloBenchmark: Sendable, Codable {
    public var engine: String
    public var neurons: Int
    public var patterns: Int
    public var temperature: Double
    public var dynamics: Dynamics
    public var sweeps: Int
    public var seed: UInt64
    public var overlapStorage: OverlapWidth
    /// The pattern layout of the kernel (int8 or packed) and the packed kernels' instruction set.
    public var patternLayout: PatternLayout
    public var instructionSet: String
    public var seconds: Double
    public var opsPerSecond: Double
    /// m_1 after the timed sweeps (a check that the work was real).
    public var m: Double

    /// Runs the benchmark. `dynamics` heat-bath at T > 0 matches the reference program.
    public static func run(neurons: Int, patterns: Int, temperature: Double, sweeps: Int, seed: UInt64,
                           dynamics: Dynamics = .heatBath, width: OverlapWidth? = nil,
                           layout: PatternLayout = .auto) -> MonteCarloBenchmark {
        var stream = StreamKey(seed: seed, sample: 0, purpose: .patterns).generator()
        let chosen = width ?? OverlapWidth.required(neurons: neurons, patterns: patterns)
        let used = layout.resolved(neurons: neurons, patterns: patterns, binary: true)
        var dynamicsStream = StreamKey(seed: seed, sample: 0, purpose: .dynamics).generator()
        // The replica in the chosen layout and overlap width, started in ξ¹.
        func timed<Sum: PackedOverlapSum>(_: Sum.Type) -> (Double, Double) {
            if used == .packed {
                let xi = PackedPatterns.random(neurons: neurons, patterns: patterns, using: &stream)
                return timeSweeps(PackedHebbianReplica<Sum>(patterns: xi, spins: xi.pattern(0)), temperature, dynamics, sweeps, &dynamicsStream)
            }
            let xi = PatternMatrix.random(neurons: neurons, patterns: patterns, using: &stream)
            return timeSweeps(ClassicalHebbianReplica<Sum>(patterns: xi, spins: xi.pattern(0)), temperature, dynamics, sweeps, &dynamicsStream)
        }
        let (seconds, m) = chosen == .int16 ? timed(Int16.self) : timed(Int32.self)
        return MonteCarloBenchmark(
            engine: "hopsim-\(HopsimVersion.string)", neurons: neurons, patterns: patterns,
            temperature: temperature, dynamics: dynamics, sweeps: sweeps, seed: seed, overlapStorage: chosen,
            patternLayout: used, instructionSet: PackedKernels.instructionSet, seconds: seconds, opsPerSecond: Double(neurons) * Double(patterns) * Double(sweeps) / seconds, m: m)
    }

    static func timeSweeps<R: MonteCarloReplica>(_ start: R, _ temperature: Double, _ dynamics: Dynamics, _ sweeps: Int,
                                                 _ rng: inout Xoshiro256StarStar) -> (Double, Double) {
        var replica = start
        let beta = temperature > 0 ? 1 / temperature : .infinity
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<sweeps { _ = replica.sweep(dynamics: dynamics, beta: beta, order: .sequential, rng: &rng) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        return (seconds, Double(replica.archetypeOverlapSum(0)) / Double(replica.spins.count))
    }
}

/// Throughput of the classical RS grid solver: a full grid (every branch, free energies, stability,
/// AT eigenvalue) solved by continuation, timed end to end, beside the same grid solved by
/// bracketing every point (the baseline that continuation is meant to beat).
public struct ReplicaSymmetricBenchmark: Sendable, Codable {
    public var engine: String
    public var alphas: Int
    public var temperatures: Int
    public var threads: Int
    public var points: Int
    public var solutions: Int
    public var notConverged: Int
    public var seconds: Double
    public var pointsPerSecond: Double
    /// Mean root-finder iterations per point (all branches).
    public var meanIterations: Double
    public var method: String

    public static func run(alphas: ParameterRange, temperatures: ParameterRange, threads: Int,
                           thorough: Bool) throws(ParameterError) -> ReplicaSymmetricBenchmark {
        let measure = try GaussianMeasure()
        let start = DispatchTime.now().uptimeNanoseconds
        let grid = ReplicaSymmetricGrid.solve(alphas: alphas.values, temperatures: temperatures.values,
                                              measure: measure, settings: SolverSettings(), threads: threads,
                                              thorough: thorough)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        let all = grid.joined()
        return ReplicaSymmetricBenchmark(
            engine: "hopsim-\(HopsimVersion.string)", alphas: alphas.count, temperatures: temperatures.count,
            threads: threads, points: grid.count, solutions: all.count, notConverged: all.filter { !$0.converged }.count,
            seconds: seconds, pointsPerSecond: Double(grid.count) / seconds,
            meanIterations: Double(all.reduce(0) { $0 + $1.iterations }) / Double(grid.count),
            method: thorough ? "bracketing at every point" : "continuation along T")
    }
}
