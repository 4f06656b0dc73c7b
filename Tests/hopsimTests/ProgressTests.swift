import Foundation
import XCTest

/// Progress with ETA on stderr (issue 17, item 5, in part): in a log (stderr not a terminal, as
/// here) a line every HOPSIM_PROGRESS_INTERVAL seconds, none with --quiet, none for a short run at
/// the default interval; stdout is never touched.
final class ProgressTests: ScratchTestCase {
    let mc = ["mc", "--alpha", "0.05", "--neurons", "300", "--sweeps", "200", "--samples", "2", "--threads", "2", "--format", "json"]

    func testMonteCarloProgressLinesInALog() throws {
        let run = try hopsim(mc, environment: ["HOPSIM_PROGRESS_INTERVAL": "0"])
        XCTAssertEqual(run.status, 0, run.stderr)
        // The memory stated before the run is the first line; progress lines follow.
        let all = run.stderr.split(separator: "\n")
        XCTAssertTrue(all.first?.hasPrefix("hopsim mc: memory ≈ ") ?? false, run.stderr)
        let lines = all.dropFirst().filter { $0.hasPrefix("hopsim mc: ") }
        XCTAssertFalse(lines.isEmpty, run.stderr)
        XCTAssertTrue(lines.allSatisfy { $0.contains("% · elapsed ") }, "\(lines.prefix(3))")
        XCTAssertEqual(try jsonLines(run.stdout).count, 1, "stdout holds the record only")
        let quiet = try hopsim(mc + ["--quiet"], environment: ["HOPSIM_PROGRESS_INTERVAL": "0"])
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertFalse(quiet.stderr.contains("hopsim mc: "), quiet.stderr)
        func numbers(_ text: String) -> String {       // the record without its wall time and provenance
            text.replacingOccurrences(of: #""wall_seconds":[0-9.eE+-]+"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #""provenance":\{[^}]*\},?"#, with: "", options: .regularExpression)
        }
        XCTAssertEqual(numbers(quiet.stdout), numbers(run.stdout), "progress never changes a number")
        let short = try hopsim(mc, environment: ["HOPSIM_PROGRESS_INTERVAL": "60"])
        XCTAssertFalse(short.stderr.contains("% · elapsed"), "no line before the first interval")
    }

    func testGridRunReportsPointsWithETA() throws {
        let spec = scratch.appendingPathComponent("spec.yaml").path
        try """
        name: progress
        axes: {alpha: [0.04, 0.08], temperature: [0.1, 0.3]}
        mc: {neurons: 100, thermalization: 20, sweeps: 40, samples: 1}
        """.write(toFile: spec, atomically: true, encoding: .utf8)
        let run = try hopsim(["grid", "run", spec, "--out", scratch.appendingPathComponent("out").path, "--threads", "1"],
                             environment: ["HOPSIM_PROGRESS_INTERVAL": "0"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stderr.split(separator: "\n").filter { $0.hasPrefix("hopsim grid run: ") }
        XCTAssertEqual(lines.filter { $0.contains("mc point") }.count, 4, run.stderr)
        XCTAssertTrue(lines.last?.contains("100% · elapsed") ?? false, "\(lines)")
    }

    func testTheoryCommandsReportTheirLoops() throws {
        // rs-solve on a grid: its rows are the outermost parallel loop; critical lines: the line points.
        for (arguments, label) in [(["rs-solve", "--alpha", "0.02:0.12:6", "--temperature", "0:0.5:6", "--threads", "2", "--format", "json"], "hopsim rs-solve: "),
                                   (["rs-solve", "--critical-lines", "--line-points", "6", "--threads", "2", "--format", "json"], "hopsim rs-solve: ")] {
            let run = try hopsim(arguments, environment: ["HOPSIM_PROGRESS_INTERVAL": "0"])
            XCTAssertEqual(run.status, 0, run.stderr)
            let lines = run.stderr.split(separator: "\n").filter { $0.hasPrefix(label) }
            XCTAssertFalse(lines.isEmpty, "\(arguments): \(run.stderr)")
            XCTAssertTrue(lines.contains { $0.contains("100% · elapsed") }, "\(lines)")
            XCTAssertNoThrow(try jsonLines(run.stdout), "stdout holds the records only")
            let quiet = try hopsim(arguments + ["--quiet"], environment: ["HOPSIM_PROGRESS_INTERVAL": "0"])
            XCTAssertFalse(quiet.stderr.contains(label), quiet.stderr)
            XCTAssertEqual(quiet.stdout, run.stdout, "progress never changes a number")
        }
    }

    func testETAFormat() throws {
        // Not a timing test: the line's arithmetic (ETA = elapsed·(1 − f)/f).
        let run = try hopsim(mc, environment: ["HOPSIM_PROGRESS_INTERVAL": "0"])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains(" · ETA ") || run.stderr.contains("100%"), run.stderr)
    }
}
