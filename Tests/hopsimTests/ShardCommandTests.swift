import Foundation
import XCTest

/// Sharded runs, merge, status, Slurm scripts and clean stops, without a scheduler (the real
/// Slurm run is Scripts/slurm-test, part of Scripts/test).
final class ShardCommandTests: ScratchTestCase {

    func spec(sweeps: Int = 200, seed: Int = 5, axes: String = "{alpha: [0.03, 0.08, 0.15], temperature: [0.2, 0.7]}") throws -> String {
        let path = scratch.appendingPathComponent("spec-\(sweeps)-\(seed).yaml").path
        try """
        name: shards
        seed: \(seed)
        axes: \(axes)
        mc: {neurons: 300, thermalization: 20, sweeps: \(sweeps), measure_every: \(sweeps >= 10_000 ? 10 : 1), samples: 2, replicas: 2}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func testShardsMergeToTheSingleProcessGridBitForBit() throws {
        let spec = try spec()
        let reference = scratch.appendingPathComponent("reference").path, sharded = scratch.appendingPathComponent("sharded").path
        XCTAssertEqual(try hopsim(["grid", "run", spec, "--out", reference, "--threads", "2"]).status, 0)
        for i in 0..<3 {
            let run = try hopsim(["grid", "run", spec, "--out", sharded, "--shard", "\(i)/3", "--threads", "1"])
            XCTAssertEqual(run.status, 0, run.stderr)
            if i < 2 {
                let merge = try hopsim(["grid", "merge", sharded])
                XCTAssertEqual(merge.status, 65, "merge must refuse an incomplete grid")
                XCTAssertTrue(merge.stderr.contains("missing"), merge.stderr)
                XCTAssertFalse(FileManager.default.fileExists(atPath: sharded + "/mc.csv"))
            }
        }
        let status = try hopsim(["grid", "status", sharded])
        XCTAssertTrue(status.stdout.contains("total: 6/6 points done"), status.stdout)
        XCTAssertTrue(status.stdout.contains("shard    2: done"), status.stdout)
        let merge = try hopsim(["grid", "merge", sharded])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        XCTAssertEqual(try read(sharded + "/mc.csv"), try read(reference + "/mc.csv"))
        XCTAssertEqual(try read(sharded + "/rs.csv"), try read(reference + "/rs.csv"))
        XCTAssertEqual(try hopsim(["grid", "merge", sharded]).status, 0, "merge is safe to re-run")

        // A record from another spec (other seed) makes the merge refuse, naming it.
        let other = scratch.appendingPathComponent("other").path
        XCTAssertEqual(try hopsim(["grid", "run", try self.spec(seed: 6), "--out", other, "--shard", "0/3"]).status, 0)
        let foreign = try FileManager.default.contentsOfDirectory(atPath: other + "/points").first { $0.hasPrefix("mc-") }!
        try FileManager.default.removeItem(atPath: sharded + "/points/" + foreign)
        try FileManager.default.copyItem(atPath: other + "/points/" + foreign, toPath: sharded + "/points/" + foreign)
        let mixed = try hopsim(["grid", "merge", sharded])
        XCTAssertEqual(mixed.status, 65)
        XCTAssertTrue(mixed.stderr.contains("another spec"), mixed.stderr)
        XCTAssertEqual(mixed.stderr.split(separator: "\n").count, 1)
        // And a different spec in the same directory is refused outright.
        let refused = try hopsim(["grid", "run", try self.spec(seed: 6), "--out", sharded])
        XCTAssertEqual(refused.status, 73)
        XCTAssertTrue(refused.stderr.contains("different spec"), refused.stderr)
    }

    func testSlurmScriptsAreAJobArrayWithAChainedMerge() throws {
        let spec = try spec()
        let dir = scratch.appendingPathComponent("grid").path
        let run = try hopsim(["grid", "slurm", spec, "--out", dir, "--shards", "4", "--time", "02:00:00", "--cpus-per-task", "8"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let shards = try read(dir + "/slurm/shards.sbatch"), merge = try read(dir + "/slurm/merge.sbatch"), submit = try read(dir + "/slurm/submit.sh")
        for expected in ["#SBATCH --array=0-3", "%A_%a", "--shard \"${SLURM_ARRAY_TASK_ID}/4\"", "--threads \"${SLURM_CPUS_PER_TASK:-1}\"",
                         "#SBATCH --cpus-per-task=8", "#SBATCH --time=02:00:00", "#SBATCH --signal=B:USR1@300", "exec "] {
            XCTAssertTrue(shards.contains(expected), expected)
        }
        XCTAssertFalse(shards.contains("--partition"), "no site-specific settings unless asked")
        XCTAssertFalse(shards.contains("--account"))
        XCTAssertTrue(merge.contains("grid merge"))
        XCTAssertTrue(submit.contains("--dependency=afterok:"))
        let withPartition = try hopsim(["grid", "slurm", spec, "--out", dir, "--shards", "2", "--partition", "short", "--max-running", "1"])
        XCTAssertEqual(withPartition.status, 0)
        XCTAssertTrue(try read(dir + "/slurm/shards.sbatch").contains("#SBATCH --partition=short"))
        XCTAssertTrue(try read(dir + "/slurm/shards.sbatch").contains("#SBATCH --array=0-1%1"))
        XCTAssertEqual(try hopsim(["grid", "slurm", spec, "--out", dir, "--shards", "0"]).status, 64)
        XCTAssertEqual(try hopsim(["grid", "run", spec, "--out", dir, "--shard", "4/4"]).status, 64)
    }

    /// SIGTERM in the middle of a Monte Carlo point: exit 75, the point is checkpointed, not
    /// written; the rerun resumes it and the grid equals an uninterrupted run.
    func testTerminatedRunStopsCleanlyAndResumesIdentically() throws {
        let spec = try spec(sweeps: 100_000, axes: "{alpha: [0.1], temperature: [0.3]}")
        let dir = scratch.appendingPathComponent("grid").path
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("hopsim")
        process.arguments = ["grid", "run", spec, "--out", dir, "--threads", "2"]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        Thread.sleep(forTimeInterval: 0.5)
        process.terminate()                                   // SIGTERM
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 75, stderr)
        XCTAssertTrue(stderr.contains("interrupted"), stderr)
        let points = try FileManager.default.contentsOfDirectory(atPath: dir + "/points")
        XCTAssertTrue(points.contains { $0.hasSuffix(".checkpoint") }, "\(points)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/mc.csv"))
        let resumed = try hopsim(["grid", "run", spec, "--out", dir, "--threads", "1"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let reference = scratch.appendingPathComponent("reference").path
        XCTAssertEqual(try hopsim(["grid", "run", spec, "--out", reference]).status, 0)
        XCTAssertEqual(try read(dir + "/mc.csv"), try read(reference + "/mc.csv"))
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: dir + "/points").contains { $0.hasSuffix(".checkpoint") })
    }
}

extension ShardCommandTests {
    /// A job whose end time has passed (SLURM_JOB_END_TIME less the margin) starts no point.
    func testPastSlurmEndTimeStopsBeforeAnyPoint() throws {
        let spec = try spec()
        let dir = scratch.appendingPathComponent("grid").path
        let end = Int(Date().timeIntervalSince1970) + 60
        let run = try hopsim(["grid", "run", spec, "--out", dir, "--end-margin", "120"], environment: ["SLURM_JOB_END_TIME": "\(end)"])
        XCTAssertEqual(run.status, 75, run.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/points"), [])
    }
}
