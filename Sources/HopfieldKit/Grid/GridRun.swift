import Foundation

/// Computes a grid spec into a directory, one record per point, written atomically, so that an
/// interrupted run resumes where it stopped and finished points are never recomputed:
/// ```
/// DIR/spec.json              the spec (a directory holds one spec; another is refused)
/// DIR/points/mc-000012.json  one Monte Carlo record per point
/// DIR/points/rs-000012.json  the RS branches of one point
/// DIR/points/plefka-000012.json  the Plefka record of one point (T > 0; with plefka in compute)
/// DIR/mc.csv, DIR/rs.csv, DIR/plefka.csv   every point in the tidy schema (TidyRow), merged
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
        /// The first-axis value (α, or d for multitasking).
        public var x: Double
        public var temperature: Double
        public var patterns: Int
        /// N·P·(thermalization + sweeps)·samples·replicas.
        public var monteCarloOperations: Double
        public var estimatedSeconds: Double
    }

    /// Every point's work and its cost at the assumed speeds (``plan(calibration:)`` with measured ones).
    public func plan() -> [PlannedPoint] {
        plan(calibration: Calibration(monteCarloOperationsPerSecond: nil, theorySecondsPerPoint: nil, seconds: 0))
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
        /// Plefka points computed by this run (nil without plefka in compute).
        public var plefkaComputed: Int? = nil
        /// Plefka points whose iteration did not converge for some sample (marked converged=false in plefka.csv).
        public var plefkaPointsNotConverged: [Int]? = nil
        /// Points at T = 0, where the Plefka engine (an expansion in β) is not run.
        public var plefkaSkippedAtZeroTemperature: Int? = nil
        /// Corrupt point records this run found, moved aside and recomputed.
        public var quarantined: [CorruptPoint] = []
        /// Build, host, date and command line of the run that wrote this summary.
        public var provenance: RunProvenance? = .current()
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
        guard !directory.path.isEmpty, !directory.relativePath.isEmpty else { throw .io("--out must not be empty") }
        do {
            try AtomicFile.makeDirectory(directory.path)
            try AtomicFile.makeDirectory(pointsDirectory.path)
        } catch {
            throw .io("cannot create '\(pointsDirectory.path)': \(error.reason)")
        }
        let specURL = directory.appendingPathComponent("spec.json")
        let records = ((try? fm.contentsOfDirectory(atPath: pointsDirectory.path)) ?? []).filter { $0.hasSuffix(".json") }
        if !records.isEmpty, !fm.fileExists(atPath: specURL.path) {
            throw .otherSpec("'\(directory.path)' holds \(records.count) point record(s) but no spec.json, so they cannot be matched to this spec; use another directory (or restore spec.json)")
        }
        if let data = fm.contents(atPath: specURL.path) {
            guard let existing = try? RecordCoding.decoder().decode(GridSpec.self, from: data), existing == spec else {
                // A directory written before parallel Plefka sweeps existed ran sequential ones.
                var sequential = spec
                if let settings = spec.plefka { sequential.plefka?.update = settings.update == .parallel ? .sequential : settings.update }
                if let existing = try? RecordCoding.decoder().decode(GridSpec.self, from: data), existing == sequential, existing != spec {
                    throw .otherSpec("'\(directory.path)' holds results of this spec with sequential Plefka sweeps (as every directory written before parallel sweeps existed); add 'update: sequential' to the spec's plefka key to resume it, or use another directory")
                }
                throw .otherSpec("'\(directory.path)' holds results of a different spec (spec.json differs); use another directory")
            }
            return
        }
        do { try AtomicFile.write(try RecordCoding.encoder(pretty: true).encode(spec), to: specURL.path) } catch {
            throw .io("cannot write '\(specURL.path)': \(error)")
        }
    }

    /// When to stop early: a flag (set by SIGTERM/SIGUSR1 in the CLI) and an optional wall-clock
    /// deadline (Slurm's SLURM_JOB_END_TIME less a margin). A point is not started when its
    /// estimated cost would overrun the deadline; a running Monte Carlo point checkpoints and stops.
    public struct Control: Sendable {
        public var stopRequested: @Sendable () -> Bool
        /// Seconds since 1970 after which no work is done.
        public var deadline: Double?
        /// Seconds between periodic checkpoints of a running Monte Carlo sample.
        public var checkpointInterval: Double

        public init(stopRequested: @escaping @Sendable () -> Bool = { false }, deadline: Double? = nil,
                    checkpointInterval: Double = 300) {
            self.stopRequested = stopRequested; self.deadline = deadline; self.checkpointInterval = checkpointInterval
        }

        func pastDeadline(plus seconds: Double = 0) -> Bool {
            deadline.map { Date().timeIntervalSince1970 + seconds >= $0 } ?? false
        }
    }

    /// The shard was stopped before finishing its points; everything finished is kept.
    public struct Interrupted: Error, CustomStringConvertible {
        public var remaining: Int
        /// Points skipped because another process held their lock (computing them now).
        public var lockedByAnother: [Int] = []
        public var description: String {
            guard lockedByAnother.isEmpty else {
                return "\(lockedByAnother.count) point(s) are being computed by another process (points \(lockedByAnother.prefix(8).map(String.init).joined(separator: ", "))\(lockedByAnother.count > 8 ? ", …" : "")); rerun when it has finished"
            }
            return "interrupted with \(remaining) point(s) left; finished points and checkpoints are kept, rerun to resume"
        }
    }

    /// What one shard process is doing, kept in DIR/shards/ for `grid status`.
    public struct ShardState: Sendable, Codable {
        public var shard: Int
        public var shards: Int
        public var state: String            // running, done, interrupted, failed
        public var host: String
        public var pid: Int32
        public var started: Date
        public var updated: Date
        public var points: [Int]
        /// Build, host, date and command line of the shard's run.
        public var provenance: RunProvenance? = .current()
    }

    func shardFile(_ shard: Int, _ shards: Int) -> URL {
        directory.appendingPathComponent("shards").appendingPathComponent(String(format: "shard-%04d-of-%04d.json", shard, shards))
    }

    func writeShardState(_ state: ShardState) {
        try? AtomicFile.makeDirectory(directory.appendingPathComponent("shards").path)
        if let data = try? RecordCoding.encoder(pretty: true).encode(state) {
            try? AtomicFile.write(data, to: shardFile(state.shard, state.shards).path)
        }
    }

    /// The points of shard `index` of `count` (all points for nil).
    public func points(shard: (index: Int, count: Int)?) -> [GridSpec.Point] {
        guard let shard else { return spec.points }
        let members = Set(Sharding.assign(plan(), shards: shard.count)[shard.index])
        return spec.points.filter { members.contains($0.index) }
    }

    /// Computes the missing points of one shard (or of the whole grid), skipping finished ones. A
    /// whole-grid run then merges (``merge()``); a shard leaves that to `grid merge`.
    public func run(threads: Int, shard: (index: Int, count: Int)? = nil, control: Control = Control(),
                    progress: (@Sendable (_ fraction: Double, _ message: String) -> Void)? = nil) throws -> Summary {
        let start = DispatchTime.now().uptimeNanoseconds
        try prepare()
        let points = points(shard: shard)
        let costs = Dictionary(uniqueKeysWithValues: plan().map { ($0.point, $0.estimatedSeconds) })
        var state = ShardState(shard: shard?.index ?? 0, shards: shard?.count ?? 1, state: "running",
                               host: ProcessInfo.processInfo.hostName, pid: getpid(), started: Date(), updated: Date(),
                               points: points.map(\.index))
        writeShardState(state)
        func finish(_ s: String) { state.state = s; state.updated = Date(); writeShardState(state) }
        var computed = 0, reused = 0, theoryComputed = 0, plefkaComputed = 0
        // Progress by estimated cost (``plan()``): Monte Carlo points done (computed or reused).
        let totalCost = max(points.reduce(0) { $0 + (costs[$1.index] ?? 0) }, 1e-300)
        var doneCost = 0.0
        var quarantined: [CorruptPoint] = [], locked: [Int] = []
        do {
            // Corrupt records (truncated, damaged, another spec's) are moved aside and recomputed.
            for point in points {
                for kind in spec.compute.map(\.rawValue) {
                    if case .corrupt(let why) = pointFileState(kind, point) { quarantined.append(try quarantine(kind, point, reason: why)) }
                }
            }
            if spec.compute.contains(.mc) {
                for (k, point) in points.enumerated() {
                    let file = pointFile("mc", point.index)
                    if FileManager.default.fileExists(atPath: file.path) { reused += 1; doneCost += costs[point.index] ?? 0; continue }
                    if control.stopRequested() || control.pastDeadline(plus: 2 * (costs[point.index] ?? 0) / Double(threads)) {
                        throw Interrupted(remaining: points.count - k)
                    }
                    // Another process computing this point holds its lock: leave the point to it.
                    guard let pointLock = try lock("mc", point) else { locked.append(point.index); continue }
                    defer { unlock(pointLock) }
                    if FileManager.default.fileExists(atPath: file.path) { reused += 1; continue }
                    let parameters = spec.monteCarloParameters(point)
                    let store = FileCheckpointStore(directory: pointFile("mc", point.index).deletingPathExtension().appendingPathExtension("checkpoint"))
                    let mcControl = RunControl(shouldStop: { control.stopRequested() || control.pastDeadline() },
                                               store: store, checkpointInterval: control.checkpointInterval)
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let result: MonteCarloResult
                    do { result = try MonteCarloRun.run(parameters, threads: threads, control: mcControl) } catch is MonteCarloRun.Interrupted {
                        throw Interrupted(remaining: points.count - k)
                    }
                    let wall = Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
                    let record = MonteCarloRecord(result: result, threads: threads, wallSeconds: wall)
                    try AtomicFile.write(try RecordCoding.encoder(pretty: false).encode(record), to: file.path)
                    store.clear()
                    computed += 1
                    state.updated = Date(); writeShardState(state)
                    doneCost += costs[point.index] ?? 0
                    progress?(doneCost / totalCost, "mc point \(point.index) (\(spec.axisName) = \(point.x), T = \(point.temperature)): m = \(String(format: "%.4f", result.observables.m.mean))")
                }
            }
            if spec.compute.contains(.plefka) {
                let wanted = Set(spec.plefkaPoints.map(\.index))
                for (k, point) in points.enumerated() where wanted.contains(point.index) {
                    let file = pointFile("plefka", point.index)
                    if FileManager.default.fileExists(atPath: file.path) { continue }
                    if control.stopRequested() || control.pastDeadline() { throw Interrupted(remaining: points.count - k) }
                    guard let pointLock = try lock("plefka", point) else { locked.append(point.index); continue }
                    defer { unlock(pointLock) }
                    if FileManager.default.fileExists(atPath: file.path) { continue }
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let result = try PlefkaRun.run(spec.monteCarloParameters(point), settings: spec.plefkaSettings, threads: threads)
                    let wall = Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
                    let record = PlefkaRecord(result: result, threads: threads, wallSeconds: wall)
                    try AtomicFile.write(try RecordCoding.encoder(pretty: false).encode(record), to: file.path)
                    plefkaComputed += 1
                    progress?(doneCost / totalCost, "plefka point \(point.index) (\(spec.axisName) = \(point.x), T = \(point.temperature)): m = \(String(format: "%.4f", result.m.mean))\(result.approximation.allConverged ? "" : " (not converged)")")
                }
            }
            if spec.compute.contains(.rs) {
                if control.stopRequested() || control.pastDeadline() { throw Interrupted(remaining: points.count) }
                theoryComputed = try solveTheory(points, threads: threads)
                if theoryComputed > 0 { progress?(1, "rs: \(theoryComputed) points solved") }
            }
            if !locked.isEmpty { throw Interrupted(remaining: locked.count, lockedByAnother: locked) }
        } catch let error as Interrupted {
            finish("interrupted")
            throw error
        } catch {
            finish("failed")
            throw error
        }
        finish("done")
        var summary: Summary
        if shard == nil {
            summary = try merge()
        } else {
            summary = Summary(spec: spec, points: points.count, monteCarloComputed: 0, monteCarloReused: 0,
                              theoryPointsComputed: 0, theoryPointsNotConverged: try notConverged(points), wallSeconds: 0)
        }
        summary.monteCarloComputed = computed
        summary.monteCarloReused = reused
        summary.theoryPointsComputed = theoryComputed
        summary.plefkaComputed = spec.compute.contains(.plefka) ? plefkaComputed : nil
        summary.wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        summary.quarantined = quarantined
        if shard == nil {
            try AtomicFile.write(try RecordCoding.encoder(pretty: true).encode(summary), to: directory.appendingPathComponent("grid.json").path)
        }
        return summary
    }

    /// Solves the theory for the rows (first-axis values) holding missing points; each row is solved
    /// whole, by continuation along T (``FamilyContract/solveTheory(rows:spec:measure:threads:)``), so
    /// a point's solution is the same whichever shard solves it.
    func solveTheory(_ points: [GridSpec.Point], threads: Int) throws -> Int {
        let nT = spec.temperature.count
        let wanted = Set(points.filter { !FileManager.default.fileExists(atPath: pointFile("rs", $0.index).path) }.map(\.index))
        let rowList = Set(wanted.map { $0 / nT }).sorted()
        guard !rowList.isEmpty else { return 0 }
        let measure = try GaussianMeasure(settings: spec.quadrature)
        let solved = try spec.contract.solveTheory(rows: rowList.map { spec.axis[$0] }, spec: spec, measure: measure,
                                                   threads: threads) { k, j in wanted.contains(rowList[k] * nT + j) }
        var count = 0
        for (k, row) in rowList.enumerated() {
            for j in 0..<nT where wanted.contains(row * nT + j) {
                guard let branches = solved[k][j] else { preconditionFailure("the family did not solve a wanted point") }
                try AtomicFile.write(branches.record, to: pointFile("rs", row * nT + j).path)
                count += 1
            }
        }
        return count
    }

    /// The grid family's critical lines (``FamilyContract/criticalLines(spec:points:threads:cached:)``),
    /// read from DIR/lines.json when it holds this family's lines, else computed and cached there.
    /// The cache is used only when DIR/lines-key.json says it was computed by this very build
    /// (version and git commit) with this many points per line; otherwise the lines are recomputed.
    public func criticalLines(points: Int, threads: Int) throws -> FamilyCriticalLines {
        let path = directory.appendingPathComponent("lines.json").path
        let keyPath = directory.appendingPathComponent("lines-key.json").path
        let key = try RecordCoding.encoder(pretty: true).encode(CacheKey(points: points))
        let valid = FileManager.default.contents(atPath: keyPath) == key
        let cached = valid ? FileManager.default.contents(atPath: path) : nil
        let lines = try spec.contract.criticalLines(spec: spec, points: points, threads: threads, cached: cached)
        if cached != lines.record {
            try AtomicFile.write(lines.record, to: path)
            try AtomicFile.write(key, to: keyPath)
        }
        return lines
    }

    /// What a cache of computed theory (lines.json, DIR/fine-theory) depends on beyond the spec:
    /// the build that computed it and, for lines, the points per line.
    struct CacheKey: Codable, Equatable {
        var version = HopsimVersion.string
        var gitCommit = RunProvenance.current().gitCommit
        var points: Int?
    }

    func notConverged(_ points: [GridSpec.Point]) throws -> [Int] {
        try points.filter { point in try theoryRows(point)?.contains { $0.failsItsPoint } ?? false }.map(\.index)
    }

    /// The theory rows of a point from its record (nil when absent), read by the grid's family.
    func theoryRows(_ point: GridSpec.Point) throws -> [TidyRow]? {
        let url = pointFile("rs", point.index)
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        do { return try spec.contract.theoryRows(data, point: point, spec: spec) } catch {
            throw CorruptPoint(file: url.path, reason: Self.reason(error, bytes: data.count))
        }
    }

    /// Reads every point file present and writes mc.csv and rs.csv (tidy schema).
    public func merge() throws -> Summary {
        var mcRows: [TidyRow] = [], rsRows: [TidyRow] = [], plefkaRows: [TidyRow] = []
        var notConverged: [Int] = [], plefkaNotConverged: [Int] = []
        let decoder = RecordCoding.decoder()
        for point in spec.points {
            let mcFile = pointFile("mc", point.index)
            if let data = FileManager.default.contents(atPath: mcFile.path) {
                do { mcRows += TidyRow.rows(try decoder.decode(MonteCarloRecord.self, from: data), point: point.index) } catch {
                    throw CorruptPoint(file: mcFile.path, reason: Self.reason(error, bytes: data.count))
                }
            }
            if let rows = try theoryRows(point) {
                if rows.contains(where: \.failsItsPoint) { notConverged.append(point.index) }
                rsRows += rows
            }
            let plefkaFile = pointFile("plefka", point.index)
            if let data = FileManager.default.contents(atPath: plefkaFile.path) {
                do {
                    let record = try decoder.decode(PlefkaRecord.self, from: data)
                    if !record.approximation.allConverged { plefkaNotConverged.append(point.index) }
                    plefkaRows += TidyRow.rows(record, point: point.index)
                } catch {
                    throw CorruptPoint(file: plefkaFile.path, reason: Self.reason(error, bytes: data.count))
                }
            }
        }
        if spec.compute.contains(.plefka) {
            try AtomicFile.write(Data(TidyRow.csv(plefkaRows).utf8), to: directory.appendingPathComponent("plefka.csv").path)
        }
        if spec.compute.contains(.mc) {
            try AtomicFile.write(Data(TidyRow.csv(mcRows).utf8), to: directory.appendingPathComponent("mc.csv").path)
        }
        if spec.compute.contains(.rs) {
            try AtomicFile.write(Data(TidyRow.csv(rsRows).utf8), to: directory.appendingPathComponent("rs.csv").path)
        }
        var summary = Summary(spec: spec, points: spec.points.count, monteCarloComputed: 0, monteCarloReused: 0,
                              theoryPointsComputed: 0, theoryPointsNotConverged: notConverged, wallSeconds: 0)
        if spec.compute.contains(.plefka) {
            summary.plefkaPointsNotConverged = plefkaNotConverged
            summary.plefkaSkippedAtZeroTemperature = spec.points.count - spec.plefkaPoints.count
        }
        return summary
    }
}
