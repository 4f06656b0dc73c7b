import Foundation

extension GridRun {
    /// This machine's speed on a grid's own work, measured in about a second: Monte Carlo
    /// neuron·pattern operations per second per thread from short runs of four of the grid's points
    /// (at the quartiles of both axes), and the seconds per theory point from solving the rows at the
    /// first axis's quartiles (at most 4 temperatures each) by the family's continuation.
    public struct Calibration: Sendable, Codable {
        public var monteCarloOperationsPerSecond: Double?
        public var theorySecondsPerPoint: Double?
        /// What the measurement itself took.
        public var seconds: Double
    }

    /// `threads`: the threads the grid will run on; the Monte Carlo runs one sample per thread at
    /// once, so the rate includes their contention for memory bandwidth.
    public func calibrate(threads: Int = 1) throws -> Calibration {
        let clock = DispatchTime.now().uptimeNanoseconds
        func seconds(since t: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t) * 1e-9 }
        var rate: Double? = nil
        if spec.compute.contains(.mc) {
            // Four points at the quartiles of both axes (the cost per operation depends on T, e.g.
            // T = 0 dynamics draws no random numbers, and on the load through the flip rate).
            let nT = spec.temperature.count, nX = spec.axis.count
            let chosen = Set([(1, 1), (1, 3), (3, 1), (3, 3)].map { i, j in (i * nX / 4) * nT + (j * nT / 4) }).sorted()
            var operations = 0.0, elapsed = 0.0
            for index in chosen {
                guard let point = spec.points.first(where: { $0.index == index }) else { continue }
                let parameters = spec.monteCarloParameters(point)
                // About a quarter of a second of work at the assumed speed, one sample per thread. A
                // point whose two sweeps would take over a second, or whose samples need over
                // 256 MB, is not run (the assumed speed stands for it).
                let perSweep = parameters.family.contract.operationsPerSweep(parameters) * Double(parameters.replicas)
                guard 2 * perSweep < Self.assumedOperationsPerSecond,
                      parameters.family.contract.estimatedBytes(parameters) * Double(max(1, threads)) < 256e6 else { continue }
                let probe = parameters.probe(seconds: 0.25, rate: Self.assumedOperationsPerSecond, samples: max(1, threads))
                let t = DispatchTime.now().uptimeNanoseconds
                _ = try MonteCarloRun.run(probe, threads: max(1, threads))
                elapsed += seconds(since: t) * Double(max(1, threads))
                operations += probe.operations
            }
            if elapsed > 0 { rate = operations / elapsed }
        }
        var theory: Double? = nil
        if spec.compute.contains(.rs) {
            var rows = spec
            let t = spec.temperature
            let step = max(1, (t.count + 3) / 4)
            rows.temperature = stride(from: 0, to: t.count, by: step).map { t[$0] }
            let xs = Array(Set([spec.axis.count / 4, 3 * spec.axis.count / 4])).sorted().map { spec.axis[$0] }
            let measure = try GaussianMeasure(settings: spec.quadrature)
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try rows.contract.solveTheory(rows: xs, spec: rows, measure: measure, threads: 1) { _, _ in true }
            theory = seconds(since: start) / Double(rows.temperature.count * xs.count)
        }
        return Calibration(monteCarloOperationsPerSecond: rate, theorySecondsPerPoint: theory, seconds: seconds(since: clock))
    }

    /// Every point's work (N·P·(thermalization + sweeps)·samples·replicas neuron·pattern operations,
    /// and one theory point) and its cost at the calibration's speeds (the assumed ones where nil).
    /// Assumed cost of one sample's Plefka iteration in exact Monte Carlo sweeps of one replica:
    /// ~60 sweeps (5–100 where it converges, 40–100 where it stops without) at ~8× a Monte Carlo
    /// sweep's cost (`hopsim bench plefka`: 2.4–10×).
    public static let assumedPlefkaSweepEquivalents = 480.0

    public func plan(calibration: Calibration) -> [PlannedPoint] {
        let rate = calibration.monteCarloOperationsPerSecond ?? Self.assumedOperationsPerSecond
        let theory = spec.compute.contains(.rs) ? (calibration.theorySecondsPerPoint ?? Self.assumedSecondsPerTheoryPoint) : 0
        return spec.points.map { point in
            let p = spec.monteCarloParameters(point)
            let ops = spec.compute.contains(.mc) ? p.operations : 0
            // A Plefka point (T > 0): each sample's iteration at an assumed cost in Monte Carlo sweeps.
            let plefka = spec.compute.contains(.plefka) && point.temperature > 0
                ? p.family.contract.operationsPerSweep(p) * Double(p.samples) * Self.assumedPlefkaSweepEquivalents : 0
            return PlannedPoint(point: point.index, x: point.x, temperature: point.temperature,
                                patterns: p.patterns, monteCarloOperations: ops, estimatedSeconds: (ops + plefka) / rate + theory)
        }
    }
}
