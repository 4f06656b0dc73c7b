import Foundation
import XCTest

/// `hopsim fss`: extrapolation output, sharding that changes no number, resumable directories, the
/// Slurm scripts, and bad input.
final class FiniteSizeCommandTests: ScratchTestCase {
    let study = ["--alpha", "0.05", "--temperature", "0.1", "--neurons", "100,200,400,800", "--samples", "3",
                 "--thermalization", "20", "--sweeps", "100", "--quiet"]

    /// The analysis of a study directory, with the provenance's date and command line removed.
    func analysis(_ arguments: [String]) throws -> [String: Any] {
        let run = try hopsim(arguments + ["--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        var object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        object["provenance"] = nil
        return object
    }

    /// JSON: per observable an `extrapolated` object with mean, error, omega, chi2_dof and the per-N
    /// values; the retrieval overlap's theory value; and the same numbers from three shards run
    /// one by one as from one process on two threads.
    func testJSONAndShardsGiveTheSameNumbers() throws {
        let whole = scratch.appendingPathComponent("whole").path, parts = scratch.appendingPathComponent("parts").path
        let reference = try analysis(["fss"] + study + ["--output", whole, "--threads", "2"])
        let analysed = try XCTUnwrap(reference["analysis"] as? [String: Any])
        let observables = try XCTUnwrap(analysed["observables"] as? [[String: Any]])
        let m = try XCTUnwrap(observables.first { $0["observable"] as? String == "m" })
        let e = try XCTUnwrap(m["extrapolated"] as? [String: Any])
        for key in ["mean", "error", "omega", "chi2_dof", "sizes", "model", "choice"] { XCTAssertNotNil(e[key], key) }
        XCTAssertEqual((e["sizes"] as? [[String: Any]])?.count, 4)
        XCTAssertEqual((e["sizes"] as? [[String: Any]])?.first?["samples"] as? Int, 24, "⌈3·800/100⌉ samples at N = 100")
        XCTAssertNotNil(m["theory"] as? Double)
        XCTAssertNotNil(observables.first { $0["observable"] as? String == "binder_q" })
        // Shards: the study directory is created by `fss slurm` (scripts written, nothing run).
        let slurm = try hopsim(["fss", "slurm"] + study.filter { $0 != "--quiet" } + ["--out", parts, "--shards", "3"])
        XCTAssertEqual(slurm.status, 0, slurm.stderr)
        let script = try String(contentsOfFile: parts + "/slurm/shards.sbatch", encoding: .utf8)
        XCTAssertTrue(script.contains("fss shard") && script.contains("${SLURM_ARRAY_TASK_ID}/3"))
        let missing = try hopsim(["fss", "analyse", parts])
        XCTAssertEqual(missing.status, 3, "an incomplete study is not analysed")
        XCTAssertTrue(missing.stderr.contains("missing"), missing.stderr)
        for i in 0..<3 {
            let run = try hopsim(["fss", "shard", parts, "--shard", "\(i)/3", "--threads", "1", "--quiet"])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        let sharded = try analysis(["fss", "analyse", parts])
        XCTAssertEqual(try JSONSerialization.data(withJSONObject: sharded["analysis"]!, options: .sortedKeys),
                       try JSONSerialization.data(withJSONObject: reference["analysis"]!, options: .sortedKeys))
        // A rerun reuses every sample (same numbers, nothing recomputed).
        let again = try analysis(["fss"] + study + ["--output", whole])
        XCTAssertEqual(try JSONSerialization.data(withJSONObject: again["analysis"]!, options: .sortedKeys),
                       try JSONSerialization.data(withJSONObject: reference["analysis"]!, options: .sortedKeys))
    }

    /// A directory holding another study is refused; bad sizes and ω are one-line usage errors.
    func testBadInput() throws {
        let dir = scratch.appendingPathComponent("study").path
        XCTAssertEqual(try hopsim(["fss"] + study + ["--output", dir]).status, 0)
        let other = try hopsim(["fss"] + study.map { $0 == "0.05" ? "0.06" : $0 } + ["--output", dir])
        XCTAssertNotEqual(other.status, 0)
        XCTAssertTrue(other.stderr.contains("another study"), other.stderr)
        for (arguments, flag) in [(["fss", "--neurons", "500"], "--neurons"), (["fss", "--neurons", "500,500"], "--neurons"),
                                  (["fss", "--neurons", "500,x"], "--neurons"), (["fss", "--neurons", "100,200", "--omega", "-1"], "--omega"),
                                  (["fss", "--neurons", "100,200", "--theory", "m"], "--theory"),
                                  (["fss", "--neurons", "100,200", "--alpha", "0.001"], "--alpha"),
                                  (["fss", "--neurons", ",100,200"], "--neurons"),
                                  (["fss", "--neurons", "100,200", "--samples", "1", "--sample-scaling", "constant"], "--samples"),
                                  (["fss", "--neurons", "100,200", "--replicas", "1", "--observable", "q"], "--observable"),
                                  (["fss", "--neurons", "100,200", "--theory", "banana=1"], "--theory"),
                                  (["fss", "analyse", scratch.appendingPathComponent("nothing").path], "not a study directory")] {
            let run = try hopsim(arguments)
            XCTAssertEqual(run.status, 64, arguments.joined(separator: " "))
            XCTAssertTrue(run.stderr.contains(flag), run.stderr)
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
        }
    }

    /// SIGUSR1 (Slurm's warning) during a shard: exit 75, no sample file for the interrupted ones;
    /// the rerun completes the shard (samples are recomputed whole, so their numbers are those of an
    /// uninterrupted run) and the study analyses.
    func testSignalledShardStopsCleanlyAndResumes() throws {
        let long = ["--alpha", "0.05", "--temperature", "0.1", "--neurons", "1000,2000", "--samples", "2",
                    "--thermalization", "20", "--sweeps", "40000", "--seed", "3"]
        let dir = scratch.appendingPathComponent("signalled").path
        XCTAssertEqual(try hopsim(["fss", "slurm"] + long + ["--out", dir, "--shards", "1"]).status, 0)
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("hopsim")
        process.arguments = ["fss", "shard", dir, "--shard", "0/1", "--threads", "2", "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        Thread.sleep(forTimeInterval: 0.5)
        kill(process.processIdentifier, SIGUSR1)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 75, stderr)
        XCTAssertTrue(stderr.contains("interrupted"), stderr)
        let before = try FileManager.default.contentsOfDirectory(atPath: dir + "/samples").filter { $0.hasSuffix(".json") }
        XCTAssertLessThan(before.count, 6, "the signal came after the shard finished: \(before)")
        let resumed = try hopsim(["fss", "shard", dir, "--shard", "0/1", "--threads", "2", "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("\(6 - before.count) computed, \(before.count) already there"), resumed.stdout)
        XCTAssertEqual(try hopsim(["fss", "analyse", dir]).status, 0)
    }
}
