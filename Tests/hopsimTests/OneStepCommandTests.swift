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
