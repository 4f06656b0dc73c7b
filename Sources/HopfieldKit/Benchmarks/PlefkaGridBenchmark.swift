import Foundation

/// A grid spec's Monte Carlo and Plefka points side by side (`hopsim bench plefka --grid SPEC`): every
/// point where the Plefka engine runs (T > 0) is computed both ways, on the same networks from the
/// same start with the same threads, timed; the deviations are z = (MC − Plefka)/σ_MC
/// (``Comparison/compare(simulation:approximation:observable:threshold:)``) at the points where every
/// Plefka iteration converged.
public struct PlefkaGridBenchmark: Sendable, Codable {
    public struct Deviation: Sendable, Codable {
        public var observable: String
        /// Points compared (Plefka converged, MC error > 0).
        public var points: Int
        public var medianAbsZ: Double?
        public var p90AbsZ: Double?
        public var maxAbsZ: Double?
    }

    public var spec: String
    public var model: String
    public var points: Int
    public var plefkaConverged: Int
    public var threads: Int
    public var monteCarloSeconds: Double
    public var plefkaSeconds: Double
    /// Monte Carlo seconds / Plefka seconds over the same points.
    public var gridSpeedup: Double
    /// The same over the points where Plefka converged (what a converged Plefka point costs).
    public var convergedSpeedup: Double?
    public var deviations: [Deviation]

    public static func run(_ spec: GridSpec, threads: Int, observables: [String] = ["m", "q", "energy"],
                           progress: (@Sendable (String) -> Void)? = nil) throws -> PlefkaGridBenchmark {
        let points = spec.plefkaPoints
        guard !points.isEmpty else { throw ParameterError("--grid", allowed: "a spec with points at T > 0", given: spec.name) }
        var mcRows: [TidyRow] = [], plefkaRows: [TidyRow] = []
        var mcSeconds = 0.0, plefkaSeconds = 0.0, mcConverged = 0.0, plefkaConvergedSeconds = 0.0, converged = 0
        for point in points {
            let parameters = spec.monteCarloParameters(point)
            var clock = ContinuousClock.now
            let mc = try MonteCarloRun.run(parameters, threads: threads)
            let mcTime = PlefkaBenchmark.seconds(ContinuousClock.now - clock)
            clock = ContinuousClock.now
            let plefka = try PlefkaRun.run(parameters, settings: spec.plefkaSettings, threads: threads)
            let plefkaTime = PlefkaBenchmark.seconds(ContinuousClock.now - clock)
            mcSeconds += mcTime; plefkaSeconds += plefkaTime
            if plefka.approximation.allConverged {
                converged += 1; mcConverged += mcTime; plefkaConvergedSeconds += plefkaTime
            }
            mcRows += TidyRow.rows(MonteCarloRecord(result: mc, threads: threads, wallSeconds: mcTime), point: point.index)
            plefkaRows += TidyRow.rows(PlefkaRecord(result: plefka, threads: threads, wallSeconds: plefkaTime), point: point.index)
            progress?(String(format: "point %d (%@ = %g, T = %g): MC %.3f s, Plefka %.3f s%@", point.index, spec.axisName, point.x,
                             point.temperature, mcTime, plefkaTime, plefka.approximation.allConverged ? "" : " (not converged)"))
        }
        let deviations = observables.map { name -> Deviation in
            let z = Comparison.compare(simulation: mcRows, approximation: plefkaRows, observable: name).points
                .compactMap(\.z).map(abs).sorted()
            func quantile(_ q: Double) -> Double? {
                z.isEmpty ? nil : z[min(z.count - 1, Int((q * Double(z.count - 1)).rounded()))]
            }
            return Deviation(observable: name, points: z.count, medianAbsZ: quantile(0.5), p90AbsZ: quantile(0.9), maxAbsZ: z.last)
        }
        return PlefkaGridBenchmark(spec: spec.name, model: spec.model.rawValue, points: points.count, plefkaConverged: converged,
                                   threads: threads, monteCarloSeconds: mcSeconds, plefkaSeconds: plefkaSeconds,
                                   gridSpeedup: mcSeconds / plefkaSeconds,
                                   convergedSpeedup: plefkaConvergedSeconds > 0 ? mcConverged / plefkaConvergedSeconds : nil,
                                   deviations: deviations)
    }
}
