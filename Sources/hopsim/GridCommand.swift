import ArgumentParser
import Foundation
import HopfieldKit
import Synchronization

/// `hopsim grid`: phase-diagram grids from a spec file.
struct GridCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid", abstract: "Phase-diagram grids: plan and compute a spec of Monte Carlo and theory points.",
        subcommands: [GridPlan.self, GridRunCommand.self, GridStatusCommand.self, GridMergeCommand.self, GridSlurmCommand.self])
}

/// Loads a spec, turning its error into a one-line usage error (exit 64).
func loadSpec(_ path: String) throws -> GridSpec {
    do { return try GridSpec.load(path: path) } catch { throw ValidationError("grid spec \(error.description)") }
}

struct GridPlan: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "How many points, and roughly what each costs.")
    @Argument(help: "Grid spec (YAML or JSON).") var spec: String
    @Option(help: "stdout format: text | json.") var format: OutputFormat = .text
    @Flag(help: "Use the assumed speeds (1.5e10 MC operations/s, 1e-4 s per theory point) instead of measuring this machine's for about a second.")
    var noCalibrate = false
    @OptionGroup var threading: ThreadOptions

    func validate() throws { try format.requireTextOrJSON("hopsim grid plan") }

    func run() throws {
        let grid = try loadSpec(spec)
        let run = GridRun(spec: grid, directory: ".")
        let calibration = noCalibrate ? nil : try run.calibrate(threads: threading.threads)
        let plan = calibration.map(run.plan(calibration:)) ?? run.plan()
        if format == .json {
            print(try TheoryOutput.jsonLines(plan), terminator: "")
            return
        }
        let total = plan.reduce(0) { $0 + $1.estimatedSeconds }
        let axis = grid.hasDilutionAxis ? "d (K = \(grid.patterns ?? 0))" : "α" + (grid.fixedDilution.map { " (d = \($0))" } ?? "")
        print("grid '\(grid.name)' (\(grid.model)): \(grid.axis.count) \(axis) × \(grid.temperature.count) T = \(plan.count) points; computes \(grid.compute.map(\.rawValue).joined(separator: " + "))")
        if grid.compute.contains(.mc) {
            let mc = grid.monteCarlo
            print("Monte Carlo: N = \(mc.neurons), \(mc.thermalization) + \(mc.sweeps) sweeps, \(mc.samples) samples × \(mc.replicas) replicas per point")
        }
        print("point  \(grid.hasDilutionAxis ? "d    " : "alpha")      T          P       MC ops       est. seconds (1 thread)")
        for p in plan {
            print(String(format: "%5d  %-9.5g  %-9.5g  %-6d  %-11.3e  %.3g", p.point, p.x, p.temperature, p.patterns,
                         p.monteCarloOperations, p.estimatedSeconds))
        }
        let threads = threading.threads
        print(String(format: "total: %.3g s on one thread, about %.3g s on %d threads", total, total / Double(threads), threads))
        if let c = calibration {
            var measured: [String] = []
            if let r = c.monteCarloOperationsPerSecond { measured.append(String(format: "%.2e MC operations/s per thread (short runs of 4 points)", r)) }
            if let t = c.theorySecondsPerPoint { measured.append(String(format: "%.2g s per theory point (2 rows)", t)) }
            print(String(format: "speeds measured on this machine in %.2g s: ", c.seconds) + measured.joined(separator: ", "))
        } else {
            print(String(format: "assumed speeds: %.1e MC operations/s per thread, %.0e s per theory point (--no-calibrate)",
                         GridRun.assumedOperationsPerSecond, GridRun.assumedSecondsPerTheoryPoint))
        }
    }
}

struct GridRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Compute the grid (or one shard of it) into a directory; resumable.",
        discussion: """
            Each point is written atomically to DIR/points/; a rerun skips finished points and resumes \
            checkpointed Monte Carlo points. With --shard I/N only shard I's points are computed (a \
            deterministic split balanced by estimated cost) and `grid merge` assembles the grid. \
            SIGTERM or SIGUSR1 (Slurm's --signal), or SLURM_JOB_END_TIME less --end-margin seconds, \
            stop the run cleanly: the running Monte Carlo point saves its state. Exit status: 0 done; \
            2 some theory did not converge (marked converged=false); 75 interrupted (rerun to resume).
            """)
    @Argument(help: "Grid spec (YAML or JSON).") var spec: String
    @Option(name: .customLong("out"), help: "Output directory.") var directory: String
    @Option(help: "Compute only shard I of N (0 ≤ I < N), e.g. 3/64.") var shard: String?
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var progressOptions: ProgressOptions
    var threads: Int { threading.threads }
    @Option(parsing: .unconditional, help: "Seconds before SLURM_JOB_END_TIME at which to stop.",
            transform: Parse.double("--end-margin", allowed: "a number ≥ 0")) var endMargin = 120.0
    @Option(parsing: .unconditional, help: "Seconds between checkpoints of a running Monte Carlo sample.",
            transform: Parse.double("--checkpoint-interval", allowed: "a number > 0")) var checkpointInterval = 300.0

    func validate() throws {
        if let shard { do { _ = try Sharding.parse(shard) } catch { throw error.validationError } }
        guard endMargin >= 0 else { throw ValidationError("--end-margin must be a number ≥ 0 (got \(endMargin))") }
        guard checkpointInterval > 0 else { throw ValidationError("--checkpoint-interval must be a number > 0 (got \(checkpointInterval))") }
    }

    func run() throws {
        guard !directory.isEmpty else { throw ValidationError("--out must be a directory path (got '')") }
        let grid = try loadSpec(spec)
        if let shard { do { _ = try Sharding.parse(shard, points: grid.points.count) } catch { throw error.validationError } }
        let parent = URL(fileURLWithPath: directory).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: parent) else {
            throw OutputFileError(path: directory, reason: "directory '\(parent)' does not exist")
        }
        let progress = ProgressReporter(label: "hopsim grid run\(shard.map { " (shard \($0))" } ?? "")", quiet: progressOptions.quiet)
        let shardSpec = try shard.map { text throws in try Sharding.parse(text) }
        StopSignals.install()
        let deadline = ProcessInfo.processInfo.environment["SLURM_JOB_END_TIME"].flatMap(Double.init).map { $0 - endMargin }
        let control = GridRun.Control(stopRequested: { StopSignals.requested }, deadline: deadline,
                                      checkpointInterval: checkpointInterval)
        let summary: GridRun.Summary
        do {
            summary = try GridRun(spec: grid, directory: directory).run(threads: threads, shard: shardSpec, control: control) { fraction, message in
                progress.report(fraction, detail: message)
            }
            progress.finish()
        } catch let error as GridRun.RunError {
            throw OutputFileError(path: directory, reason: error.description)
        } catch let error as GridRun.CorruptPoint {
            FileHandle.standardError.write(Data("hopsim: error: corrupt point record \(error.description)\n".utf8))
            throw ExitCode(65)
        } catch let error as GridRun.Interrupted {
            FileHandle.standardError.write(Data("hopsim: \(shard.map { "shard \($0) " } ?? "")\(error.description)\n".utf8))
            throw ExitCode(75)
        }
        for corrupt in summary.quarantined {
            FileHandle.standardError.write(Data("hopsim: warning: corrupt point record \(corrupt.description)\n".utf8))
        }
        let what = shardSpec.map { "shard \($0.index)/\($0.count): \(summary.points) of \(grid.points.count) points" } ?? "\(summary.points) points"
        var plefka = ""
        if let computed = summary.plefkaComputed {
            plefka = "; Plefka \(computed) computed"
            if let skipped = summary.plefkaSkippedAtZeroTemperature, skipped > 0 { plefka += " (\(skipped) points at T = 0 have none)" }
            if let failed = summary.plefkaPointsNotConverged, !failed.isEmpty { plefka += ", \(failed.count) not converged (marked in plefka.csv)" }
        }
        print("grid '\(grid.name)' \(what); Monte Carlo \(summary.monteCarloComputed) computed, \(summary.monteCarloReused) reused; theory \(summary.theoryPointsComputed) computed\(plefka); \(String(format: "%.1f", summary.wallSeconds)) s")
        let csvs = grid.compute.map { "\($0.rawValue).csv" }.joined(separator: ", ")
        print(shardSpec == nil ? "wrote \(directory)/\(csvs), grid.json, points/" : "wrote \(directory)/points/ (merge with `hopsim grid merge \(directory)`)")
        if !summary.theoryPointsNotConverged.isEmpty {
            FileHandle.standardError.write(Data("hopsim: warning: theory did not converge at points \(summary.theoryPointsNotConverged.map(String.init).joined(separator: ", ")) (marked converged=false)\n".utf8))
            throw ExitCode(2)
        }
    }
}

/// SIGTERM, SIGUSR1 and SIGINT set a flag that the run polls after every sweep.
enum StopSignals {
    static let flag = Atomic<Bool>(false)
    static var requested: Bool { flag.load(ordering: .relaxed) }
    static func install() {
        for sig in [SIGTERM, SIGUSR1, SIGINT] {
            signal(sig) { _ in StopSignals.flag.store(true, ordering: .relaxed) }
        }
    }
}

struct GridStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Done, running, missing and failed points per shard.")
    @Argument(help: "Grid directory.") var directory: String
    @Option(help: "stdout format: text | json.") var format: OutputFormat = .text

    func validate() throws { try format.requireTextOrJSON("hopsim grid status") }

    func run() throws {
        let run: GridRun
        do { run = try GridRun.open(directory: directory) } catch { throw ValidationError("\(error)") }
        let status = try run.status()
        if format == .json { print(try TheoryOutput.jsonLines(status), terminator: ""); return }
        print("grid '\(run.spec.name)' in \(directory): \(run.spec.points.count) points, \(status.first?.shards ?? 1) shard(s)")
        for s in status {
            var line = String(format: "shard %4d: %-22@ %4d/%-4d done", s.shard, s.state, s.done, s.points)
            if !s.missing.isEmpty { line += ", missing \(s.missing.count)" }
            if !s.corrupt.isEmpty { line += ", corrupt \(s.corrupt.joined(separator: ", "))" }
            if !s.checkpointed.isEmpty { line += ", checkpointed \(s.checkpointed.map(String.init).joined(separator: " "))" }
            if !s.failed.isEmpty { line += ", not converged \(s.failed.map(String.init).joined(separator: " "))" }
            if let host = s.host { line += " (\(host))" }
            print(line)
        }
        let done = status.reduce(0) { $0 + $1.done }
        print("total: \(done)/\(run.spec.points.count) points done")
    }
}

struct GridMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Validate a grid directory and write the merged mc.csv, rs.csv and grid.json.",
        discussion: "Refuses, writing nothing, when a point is missing or unreadable, when a record comes from another spec or version, or when a stray point file is present. Safe to re-run.")
    @Argument(help: "Grid directory.") var directory: String

    func run() throws {
        let run: GridRun
        do { run = try GridRun.open(directory: directory) } catch { throw ValidationError("\(error)") }
        do {
            let summary = try run.validatedMerge()
            print("merged grid '\(run.spec.name)': \(summary.points) points into \(directory)/\(run.spec.compute.map { "\($0.rawValue).csv" }.joined(separator: ", ")), grid.json")
            if !summary.theoryPointsNotConverged.isEmpty {
                FileHandle.standardError.write(Data("hopsim: warning: theory did not converge at points \(summary.theoryPointsNotConverged.map(String.init).joined(separator: ", "))\n".utf8))
                throw ExitCode(2)
            }
        } catch let error as GridRun.MergeError {
            FileHandle.standardError.write(Data("hopsim: error: cannot merge \(directory): \(error.description)\n".utf8))
            throw ExitCode(65)
        }
    }
}
