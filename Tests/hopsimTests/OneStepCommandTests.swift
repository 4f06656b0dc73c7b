import Foundation
import XCTest

/// `hopsim rsb-solve` end to end.
final class OneStepCommandTests: ScratchTestCase {
    func testRecordsCarryOrderParametersStartAndStatus() throws {
        let output = scratch.appendingPathComponent("rsb.json").path
        let run = try hopsim(["rsb-solve", "--alpha", "0.05", "--temperature", "0.5", "--branch", "spin-glass",
                              "--format", "json", "--output", output])
        XCTAssertEqual(run.status, 0, run.stderr)
        let record = try XCTUnwrap(try jsonLines(run.stdout).first)
        for key in ["m", "q0", "q1", "x", "free_energy", "entropy", "converged", "iterations", "residual", "method",
                    "start", "start_from", "rs_free_energy", "reduces_to_replica_symmetry", "x_mode"] {
            XCTAssertNotNil(record[key], key)
        }
        XCTAssertEqual(record["x_mode"] as? String, "optimised")
        XCTAssertTrue(FileManager.default.fileExists(atPath: output))
        let dense = try hopsim(["rsb-solve", "--model", "dense", "--p", "3", "--alpha", "0.03", "--temperature", "0.1", "--format", "json"])
        XCTAssertEqual(dense.status, 0, dense.stderr)
        XCTAssertEqual(try XCTUnwrap(try jsonLines(dense.stdout).first)["reduces_to_replica_symmetry"] as? Bool, true)
    }

    /// Beyond the 1RSB capacity (0.138186) there is no retrieval state: the point still has a record
    /// (`exists: false`, with the reason), every CSV row has the header's columns, and the exit status
    /// is 3 (no such state), not 0 and not 2 (not converged).
    func testNoSuchStateIsARecordAndExitThree() throws {
        let json = try hopsim(["rsb-solve", "--alpha", "0.137:0.139:2", "--temperature", "0", "--format", "json"])
        XCTAssertEqual(json.status, 3, json.stderr)
        let records = try jsonLines(json.stdout)
        XCTAssertEqual(records.count, 2)
        XCTAssertEqual(records[0]["converged"] as? Bool, true)
        XCTAssertEqual(records[1]["exists"] as? Bool, false)
        XCTAssertNotNil(records[1]["reason"] as? String)
        let csv = try hopsim(["rsb-solve", "--alpha", "0.137:0.139:2", "--temperature", "0", "--format", "csv"])
        XCTAssertEqual(csv.status, 3, csv.stderr)
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3)
        // Quoted fields hold no commas here except inside the quotes: count outside them.
        func columns(_ line: String) -> Int {
            var count = 1, quoted = false
            for c in line { if c == "\"" { quoted.toggle() } else if c == ",", !quoted { count += 1 } }
            return count
        }
        for line in lines { XCTAssertEqual(columns(line), columns(lines[0]), line) }
    }

    func testBadInputIsOneLineWithExit64() throws {
        for (arguments, parameter) in [(["--x", "1.5"], "--x"), (["--alpha", "-0.1"], "--alpha"), (["--model", "dense"], "--p"),
                                       (["--model", "dense", "--p", "2"], "--p"), (["--branch", "mixture"], "--branch")] {
            let output = scratch.appendingPathComponent("out.json").path
            let run = try hopsim(["rsb-solve"] + arguments + ["--output", output])
            XCTAssertEqual(run.status, 64, "\(arguments): \(run.stderr)")
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
            XCTAssertTrue(run.stderr.contains(parameter), "\(arguments): \(run.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: output))
        }
    }
}
