import Foundation
import XCTest

/// Corrupt or contested grid directories, symbolic links, and the executable Slurm jobs run.
final class HardeningTests: ScratchTestCase {
    func spec() throws -> String {
        let path = scratch.appendingPathComponent("spec.yaml").path
        try """
        name: hard
        seed: 9
        axes: {alpha: [0.05, 0.1], temperature: [0.2, 0.6]}
        mc: {neurons: 120, thermalization: 10, sweeps: 60, samples: 2, replicas: 2}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// A truncated point record is named by `grid status` and `grid merge` (file and reason), and
    /// `grid run` moves it aside, recomputes it, and ends with the same grid as before.
    func testCorruptPointIsNamedMovedAsideAndRecomputed() throws {
        let spec = try spec(), dir = scratch.appendingPathComponent("g").path
        XCTAssertEqual(try hopsim(["grid", "run", spec, "--out", dir, "--threads", "1"]).status, 0)
        let reference = try read(dir + "/mc.csv")
        let victim = dir + "/points/mc-000002.json"
        let text = try read(victim)
        try String(text.prefix(text.count / 2)).write(toFile: victim, atomically: true, encoding: .utf8)
        try "".write(toFile: dir + "/points/rs-000001.json", atomically: true, encoding: .utf8)

        let status = try hopsim(["grid", "status", dir])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("total: 2/4 points done"), status.stdout)
        XCTAssertTrue(status.stdout.contains("mc-000002.json (not valid JSON"), status.stdout)
        XCTAssertTrue(status.stdout.contains("rs-000001.json (empty file)"), status.stdout)

        let merge = try hopsim(["grid", "merge", dir])
        XCTAssertEqual(merge.status, 65)
        XCTAssertTrue(merge.stderr.contains("mc-000002 (not valid JSON"), merge.stderr)

        let rerun = try hopsim(["grid", "run", spec, "--out", dir, "--threads", "1"])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertTrue(rerun.stderr.contains("corrupt point record mc-000002.json"), rerun.stderr)
        XCTAssertEqual(try read(dir + "/mc.csv"), reference, "the recomputed point gives the same numbers")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/points/corrupt").count, 2)
        XCTAssertEqual(try hopsim(["grid", "merge", dir]).status, 0, "the moved-aside files are not strays")
    }

    /// Point records without spec.json cannot be matched to a spec: `grid run` refuses the directory
    /// (before, a changed spec silently mixed two grids).
    func testPointsWithoutSpecAreRefused() throws {
        let spec = try spec(), dir = scratch.appendingPathComponent("g").path
        XCTAssertEqual(try hopsim(["grid", "run", spec, "--out", dir, "--threads", "1"]).status, 0)
        try FileManager.default.removeItem(atPath: dir + "/spec.json")
        let before = try FileManager.default.contentsOfDirectory(atPath: dir + "/points").sorted()
        let run = try hopsim(["grid", "run", spec, "--out", dir])
        XCTAssertEqual(run.status, 73)
        XCTAssertTrue(run.stderr.contains("no spec.json"), run.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/points").sorted(), before)
    }

    /// A point whose lock another process holds is left to that process: this run computes the
    /// others and exits 75 naming it; once the lock is released a rerun completes the grid.
    func testLockedPointIsLeftToItsOwner() throws {
        let spec = try spec(), dir = scratch.appendingPathComponent("g").path
        try FileManager.default.createDirectory(atPath: dir + "/points", withIntermediateDirectories: true)
        let fd = open(dir + "/points/mc-000001.lock", O_RDWR | O_CREAT, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        XCTAssertEqual(flock(fd, LOCK_EX | LOCK_NB), 0)
        let first = try hopsim(["grid", "run", spec, "--out", dir, "--threads", "1"])
        XCTAssertEqual(first.status, 75, first.stderr)
        XCTAssertTrue(first.stderr.contains("being computed by another process (points 1)"), first.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/points/mc-000001.json"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/points/mc-000003.json"))
        close(fd)
        let second = try hopsim(["grid", "run", spec, "--out", dir, "--threads", "1"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("Monte Carlo 1 computed, 3 reused"), second.stdout)
    }

    /// `--output` is written through an exclusively created temporary file and renamed: a symbolic
    /// link at the target is replaced, never written through, and nothing else in the directory
    /// is touched.
    func testOutputNeverWritesThroughASymlink() throws {
        let victim = scratch.appendingPathComponent("victim.txt").path
        try "keep me\n".write(toFile: victim, atomically: true, encoding: .utf8)
        let out = scratch.appendingPathComponent("out.json").path
        try FileManager.default.createSymbolicLink(atPath: out, withDestinationPath: victim)
        let run = try hopsim(["mc", "--neurons", "50", "--sweeps", "5", "--samples", "1", "--output", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try read(victim), "keep me\n")
        XCTAssertTrue(try read(out).contains("\"schema\" : \"hopsim.record/1\""))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted(), ["out.json", "victim.txt"])
    }

    /// Found on PATH, `grid slurm` writes the absolute path of the running executable into the
    /// scripts (before: `$PWD/hopsim`, from argv[0]).
    func testSlurmScriptsNameTheRunningExecutable() throws {
        let spec = try spec(), dir = scratch.appendingPathComponent("s").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["hopsim", "grid", "slurm", spec, "--out", dir, "--shards", "2"]
        process.environment = ["PATH": productsDirectory.path + ":/usr/bin:/bin"]
        process.currentDirectoryURL = scratch
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let script = try read(dir + "/slurm/shards.sbatch")
        let binary = productsDirectory.appendingPathComponent("hopsim").resolvingSymlinksInPath().path
        XCTAssertTrue(script.contains("exec '\(binary)' grid run"), script)
        XCTAssertTrue(script.contains("#SBATCH --output=\"\(dir)/slurm/logs/"), script)
    }
}
