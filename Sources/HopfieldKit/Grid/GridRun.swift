import Foundation

/// Computes a grid spec into a directory, one record per point, written atomically, so that an
/// interrupted run resumes where it stopped and finished points are never recomputed:
/// ```
/// DIR/spec.json              the spec (a directory holds one spec; another is refused)
/// DIR/points/mc-000012.json  one Monte Carlo record per point
/// DIR/points/rs-000012.json  the RS branches of one point
/// DIR/mc.csv, DIR/rs.csv     every point in the tidy schema (TidyRow), merged
/// DIR/grid.json              provenance and a summary (points, failures, wall time)
/// ```
public struct GridRun: Sendable {
    public let spec: GridSpec
    public let directory: URL

    public init(spec: GridSpec, directory: String) {
        self.spec = spec
        self.directory = URL(fileURLWithPath: directory)
    }

    /// Monte Carlo throughput assumed by ``plan()``, neuron·pattern operations per second per
    /// thread (what `hopsim bench mc` measures on this machine's AVX-512 cores, rounded down).
    public static let assumedOperationsPerSecond = 1.5e10
    /// Assumed RS cost of a point solved by continuation (measured: ~7e-5 s per point per thread).
    public static let assumedSecondsPerTheoryPoint = 1e-4

    public struct PlannedPoint: Sendable, Codable {
        public var point: Int
        public var alpha: Double
        public var temperature: Double
        public var patterns: Int
        /// N·P·(thermalization + sweeps)·samples·replicas.
        public var monteCarloOperations: Double
        public var estimatedSeconds: Double
    }

    public func plan() -> [PlannedPoint] {
        spec.points.map { point in
            let p = spec.monteCarloParameters(point)
            let ops = spec.compute.contains(.mc)
                ? Double(p.neurons) * Double(p.patterns) * Double(p.thermalization + p.sweeps) * Double(p.samples * p.replicas)
                : 0
            let theory = spec.compute.contains(.rs) ? Self.assumedSecondsPerTheoryPoint : 0
            return PlannedPoint(point: point.index, alpha: point.alpha, temperature: point.temperature,
                                patterns: p.patterns, monteCarloOperations: ops,
                                estimatedSeconds: ops / Self.assumedOperationsPerSecond + theory)
        }
    }

    public struct Summary: Sendable, Codable {
        public var schema = "hopsim.grid/1"
        public var version = HopsimVersion.string
        public var spec: GridSpec
        public var points: Int
        public var monteCarloComputed: Int
        public var monteCarloReused: Int
        public var theoryPointsComputed: Int
        /// Points with an RS branch that did not converge (marked converged=false in rs.csv).
        public var theoryPointsNotConverged: [Int]
        public var wallSeconds: Double
    }

    public enum RunError: Error, CustomStringConvertible {
        case io(String)
        case otherSpec(String)
        public var description: String {
            switch self {
            case .io(let s): s
            case .otherSpec(let s): s
            }
        }
    }

    var pointsDirectory: URL { directory.appendingPathComponent("points") }
    func pointFile(_ kind: String, _ index: Int) -> URL {
        pointsDirectory.appendingPathComponent(String(format: "%@-%06d.json", kind, index))
    }

    /// Creates the directory (or checks that it holds this very spec) and writes spec.json.
    func prepare() throws(RunError) {
        let fm = FileManager.default
        do { try fm.createDirectory(at: pointsDirectory, withIntermediateDirectories: true) } catch {
            throw .io("cannot create '\(pointsDirectory.path)': \(error.localizedDescription)")
        }
        let specURL = directory.appendingPathComponent("spec.json")
        if let data = fm.contents(atPath: specURL.path) {
            guard let existing = try? RecordCoding.decoder().decode(GridSpec.self, from: data), existing == spec else {
                throw .otherSpec("'\(directory.path)' holds results of a different spec (spec.json differs); use another directory")
            }
            return
        }
        do { try AtomicFile.write(try RecordCoding.encoder(pretty: true).encode(spec), to: specURL.path) } catch {
            throw .io("cannot write '\(specURL.path)': \(error)")
        }
    }

    /// Computes every missing point (those in `only`, if given), then merges.
    public func run(threads: Int, only: Set<Int>? = nil,
                    progress: (@Sendable (String) -> Void)? = nil) throws -> Summary {
        let start = DispatchTime.now().uptimeNanoseconds
        try prepare()
        let points = spec.points.filter { only?.contains($0.index) ?? true }
        var computed = 0, reused = 0, theoryComputed = 0
        if spec.compute.contains(.mc) {
            for point in points {
                let file = pointFile("mc", point.index)
                if FileManager.default.fileExists(atPath: file.path) { reused += 1; continue }
                let parameters = spec.monteCarloParameters(point)
                let t0 = DispatchTime.now().uptimeNanoseconds
                let result = try ClassicalMonteCarlo.run(parameters, threads: threads)
                let wall = Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
                let record = MonteCarloRecord(result: result, threads: threads, wallSeconds: wall)
                try AtomicFile.write(try RecordCoding.encoder(pretty: false).encode(record), to: file.path)
                computed += 1
                progress?("mc point \(point.index) (α = \(point.alpha), T = \(point.temperature)): m = \(String(format: "%.4f", result.observables.m.mean))")
            }
        }
        if spec.compute.contains(.rs) {
            let measure = try GaussianMeasure(settings: spec.quadrature)
            let nT = spec.temperature.count
            let rows = Set(points.filter { !FileManager.default.fileExists(atPath: pointFile("rs", $0.index).path) }
                .map { $0.index / nT })
            let rowList = rows.sorted()
            let solved = ReplicaSymmetricGrid.solve(alphas: rowList.map { spec.alpha[$0] }, temperatures: spec.temperature,
                                                    measure: measure, settings: spec.solver, threads: threads)
            for (k, row) in rowList.enumerated() {
                for j in 0..<nT {
                    let index = row * nT + j
                    guard only?.contains(index) ?? true else { continue }
                    let file = pointFile("rs", index)
                    if FileManager.default.fileExists(atPath: file.path) { continue }
                    try AtomicFile.write(try RecordCoding.encoder(pretty: false).encode(solved[k * nT + j]), to: file.path)
                    theoryComputed += 1
                }
            }
            if !rowList.isEmpty { progress?("rs: \(theoryComputed) points solved") }
        }
        var summary = try merge()
        summary.monteCarloComputed = computed
        summary.monteCarloReused = reused
        summary.theoryPointsComputed = theoryComputed
        summary.wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        try AtomicFile.write(try RecordCoding.encoder(pretty: true).encode(summary), to: directory.appendingPathComponent("grid.json").path)
        return summary
    }

    /// Reads every point file present and writes mc.csv and rs.csv (tidy schema).
    public func merge() throws -> Summary {
        var mcRows: [TidyRow] = [], rsRows: [TidyRow] = []
        var notConverged: [Int] = []
        let decoder = RecordCoding.decoder()
        for point in spec.points {
            if let data = FileManager.default.contents(atPath: pointFile("mc", point.index).path) {
                mcRows += TidyRow.rows(try decoder.decode(MonteCarloRecord.self, from: data), point: point.index)
            }
            if let data = FileManager.default.contents(atPath: pointFile("rs", point.index).path) {
                let solutions = try decoder.decode([ReplicaSymmetricSolution].self, from: data)
                if solutions.contains(where: { !$0.converged }) { notConverged.append(point.index) }
                rsRows += solutions.flatMap { TidyRow.rows($0, point: point.index, requestedAlpha: point.alpha) }
            }
        }
        if spec.compute.contains(.mc) {
            try AtomicFile.write(Data(TidyRow.csv(mcRows).utf8), to: directory.appendingPathComponent("mc.csv").path)
        }
        if spec.compute.contains(.rs) {
            try AtomicFile.write(Data(TidyRow.csv(rsRows).utf8), to: directory.appendingPathComponent("rs.csv").path)
        }
        return Summary(spec: spec, points: spec.points.count, monteCarloComputed: 0, monteCarloReused: 0,
                       theoryPointsComputed: 0, theoryPointsNotConverged: notConverged, wallSeconds: 0)
    }
}
