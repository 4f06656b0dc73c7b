import Foundation
import XCTest

/// End-to-end: the exponential family through the generic layers — a sharded grid merges to the
/// single-process grid bit for bit, records carry the interaction and λ, bad input exits non-zero
/// with one line and no output file.
final class ExponentialCommandTests: ScratchTestCase {
    func testShardedGridEqualsOneProcessAndRecordsCarryTheInteraction() throws {
        let spec = scratch.appendingPathComponent("exp.yaml").path
        try """
        name: exp-shards
        model: exponential
        interaction: lse
        lambda: 0.5
        seed: 3
        axes: {alpha: [0.15, 0.35], temperature: [0, 0.6]}
        mc: {neurons: 18, thermalization: 20, sweeps: 80, samples: 2, replicas: 2}
        """.write(toFile: spec, atomically: true, encoding: .utf8)
        let reference = scratch.appendingPathComponent("reference").path, sharded = scratch.appendingPathComponent("sharded").path
        XCTAssertEqual(try hopsim(["grid", "run", spec, "--out", reference, "--threads", "2"]).status, 0)
        for i in 0..<2 {
            let run = try hopsim(["grid", "run", spec, "--out", sharded, "--shard", "\(i)/2", "--threads", "1"])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        XCTAssertEqual(try hopsim(["grid", "merge", sharded]).status, 0)
        for file in ["mc.csv", "rs.csv"] {
            XCTAssertEqual(try String(contentsOfFile: "\(sharded)/\(file)", encoding: .utf8),
                           try String(contentsOfFile: "\(reference)/\(file)", encoding: .utf8), file)
        }
        let record = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: "\(reference)/points").first { $0.hasPrefix("mc-") })
        let json = try String(contentsOfFile: "\(reference)/points/\(record)", encoding: .utf8)
        XCTAssertTrue(json.contains("\"interaction\":\"lse\"") || json.contains("\"interaction\" : \"lse\""), json)
        XCTAssertTrue(json.contains("\"model\":\"exponential\"") || json.contains("\"model\" : \"exponential\""))
    }

    func testBadInputIsOneLineAndNoFile() throws {
        let output = scratch.appendingPathComponent("never.json").path
        for args in [["--lambda", "-1"], ["--interaction", "exp", "--neurons", "800", "--alpha", "0.001"],
                     ["--neurons", "40", "--alpha", "0.69"], ["--init", "plefka"]] {
            let run = try hopsim(["mc", "--model", "exponential", "--output", output] + args)
            XCTAssertNotEqual(run.status, 0, args.joined(separator: " "))
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: output))
        }
    }
}
