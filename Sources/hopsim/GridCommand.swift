import ArgumentParser
import Foundation
import HopfieldKit

/// `hopsim grid`: phase-diagram grids from a spec file.
struct GridCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid", abstract: "Phase-diagram grids: plan and compute a spec of Monte Carlo and theory points.",
        subcommands: [GridPlan.self, GridRunCommand.self])
}

/// Loads a spec, turning its error into a one-line usage error (exit 64).
func loadSpec(_ path: String) throws -> GridSpec {
    do { return try GridSpec.load(path: path) } catch { throw ValidationError("grid spec \(error.description)") }
}

struct GridPlan: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "How many points, and roughly what each costs.")
    @Argument(help: "Grid spec (YAML or JSON).") var spec: String
    @Option(help: "stdout format: text | json.") var format: OutputFormat = .text

    func run() throws {
        let grid = try loadSpec(spec)
        let plan = GridRun(spec: grid, directory: ".").plan()
        if format == .json {
            print(try TheoryOutput.jsonLines(plan), terminator: "")
            return
        }
        let total = plan.reduce(0) { $0 + $1.estimatedSeconds }
        print("grid '\(grid.name)': \(grid.alpha.count) α × \(grid.temperature.count) T = \(plan.count) points; computes \(grid.compute.map(\.rawValue).joined(separator: " + "))")
        if grid.compute.contains(.mc) {
            let mc = grid.monteCarlo
            print("Monte Carlo: N = \(mc.neurons), \(mc.thermalization) + \(mc.sweeps) sweeps, \(mc.samples) samples × \(mc.replicas) replicas per point")
        }
        print("point  alpha      T          P       MC ops       est. seconds (1 thread)")
        for p in plan {
            print(String(format: "%5d  %-9.5g  %-9.5g  %-6d  %-11.3e  %.3g", p.point, p.alpha, p.temperature, p.patterns,
                         p.monteCarloOperations, p.estimatedSeconds))
        }
        print(String(format: "total: %.3g s on one thread (assuming %.1e MC ops/s per thread; measure yours with `hopsim bench mc`)",
                     total, GridRun.assumedOperationsPerSecond))
    }
}

struct GridRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Compute the grid into a directory (resumable: finished points are kept).",
        discussion: "Exit status 0 when every point is computed and every theory branch converged, 2 when some did not converge (they are marked converged=false in rs.csv).")
    @Argument(help: "Grid spec (YAML or JSON).") var spec: String
    @Option(name: .customLong("out"), help: "Output directory.") var directory: String
    @Option(parsing: .unconditional, transform: Parse.integer("--threads", allowed: "an integer ≥ 1"))
    var threads = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be an integer ≥ 1 (got \(threads))") }
    }

    func run() throws {
        let grid = try loadSpec(spec)
        let parent = URL(fileURLWithPath: directory).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: parent) else {
            throw OutputFileError(path: directory, reason: "directory '\(parent)' does not exist")
        }
        let verbose = isatty(STDERR_FILENO) == 1
        let summary: GridRun.Summary
        do {
            summary = try GridRun(spec: grid, directory: directory).run(threads: threads) { message in
                if verbose { FileHandle.standardError.write(Data("\(message)\n".utf8)) }
            }
        } catch let error as GridRun.RunError {
            throw OutputFileError(path: directory, reason: error.description)
        }
        print("grid '\(grid.name)': \(summary.points) points; Monte Carlo \(summary.monteCarloComputed) computed, \(summary.monteCarloReused) reused; theory \(summary.theoryPointsComputed) computed; \(String(format: "%.1f", summary.wallSeconds)) s")
        print("wrote \(directory)/mc.csv, rs.csv, grid.json, points/")
        if !summary.theoryPointsNotConverged.isEmpty {
            FileHandle.standardError.write(Data("hopsim: warning: theory did not converge at points \(summary.theoryPointsNotConverged.map(String.init).joined(separator: ", ")) (marked converged=false)\n".utf8))
            throw ExitCode(2)
        }
    }
}
