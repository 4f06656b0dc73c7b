import Foundation
import XCTest

/// `hopsim learn`: the JSON record and bad dataset files.
final class LearnCommandTests: ScratchTestCase {
    /// A CSV of two classes of 4 × 4 images (vertical bar / horizontal bar) with one pixel of noise each.
    func bars() throws -> String {
        var lines = ["p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,p10,p11,p12,p13,p14,p15,label"]
        for k in 0..<24 {
            let label = k % 2
            var pixels = (0..<16).map { i in (label == 0 ? i % 4 == 1 : i / 4 == 1) ? 200 : 10 }
            pixels[(k * 5) % 16] = pixels[(k * 5) % 16] > 100 ? 10 : 200
            lines.append((pixels.map(String.init) + [String(label)]).joined(separator: ","))
        }
        let path = scratch.appendingPathComponent("bars.csv").path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testJSONCarriesAccuracyAndTheMeasuredStatistics() throws {
        let run = try hopsim(["learn", "--dataset", try bars(), "--examples-per-class", "3,6", "--p", "3", "--format", "json", "--threads", "2"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let record = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(record["schema"] as? String, "hopsim.learn/1")
        XCTAssertNotNil(record["provenance"])
        let results = try XCTUnwrap(record["results"] as? [[String: Any]])
        XCTAssertEqual(results.map { $0["examples"] as? Int }, [3, 6])
        for r in results {
            let accuracy = try XCTUnwrap(r["accuracy"] as? [String: Any])
            XCTAssertNotNil(accuracy["mean"] as? Double)
            XCTAssertNotNil(accuracy["error"] as? Double)
            XCTAssertNotNil(r["quality"] as? Double)
            XCTAssertNotNil(r["dataset_entropy"] as? Double)
            XCTAssertNotNil(r["correlations"] as? [[Double]])
            // Two well separated bars: every test image is recognised.
            XCTAssertEqual(accuracy["mean"] as? Double, 1)
        }
    }

    /// Bad files and options: one line naming the file or flag, exit 64, nothing on stdout.
    func testBadDatasets() throws {
        let bad = scratch.appendingPathComponent("bad.idx").path
        try Data([1, 2, 3, 4, 0, 0, 0, 1]).write(to: URL(fileURLWithPath: bad))
        let truncated = scratch.appendingPathComponent("short.idx").path
        try Data([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3]).write(to: URL(fileURLWithPath: truncated))
        let labels = scratch.appendingPathComponent("labels.idx").path
        try Data([0, 0, 8, 1, 0, 0, 0, 2, 0, 1]).write(to: URL(fileURLWithPath: labels))
        for (arguments, expected) in [
            (["--dataset", bad, "--labels", labels], "magic"),
            (["--dataset", truncated, "--labels", labels], "truncated"),
            (["--dataset", scratch.appendingPathComponent("none.csv").path], "cannot be read"),
            (["--dataset", try bars(), "--classes", "0,7"], "--classes"),
            (["--dataset", try bars(), "--examples-per-class", "12"], "--examples-per-class"),
            (["--dataset", try bars(), "--downsample", "3"], "--downsample"),
        ] {
            var args = ["learn"] + arguments
            if !arguments.contains("--examples-per-class") { args += ["--examples-per-class", "2"] }
            let run = try hopsim(args)
            XCTAssertEqual(run.status, 64, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(expected), run.stderr)
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
            XCTAssertTrue(run.stdout.isEmpty)
        }
    }

    /// A sweep over M × P × T: two shards of `learn slurm`'s directory, run one by one, give the
    /// same results as one process; `collect` refuses an incomplete sweep.
    func testShardedSweepEqualsOneProcess() throws {
        let sweep = ["--dataset", try bars(), "--examples-per-class", "3,6", "--p", "3,4", "--temperature", "0,0.05", "--seed", "2"]
        let whole = try hopsim(["learn"] + sweep + ["--format", "json", "--threads", "2"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        let dir = scratch.appendingPathComponent("sweep").path
        XCTAssertEqual(try hopsim(["learn", "slurm"] + sweep + ["--out", dir, "--shards", "2"]).status, 0)
        XCTAssertEqual(try hopsim(["learn", "collect", dir]).status, 3)
        for i in 0..<2 { XCTAssertEqual(try hopsim(["learn", "shard", dir, "--shard", "\(i)/2", "--threads", "1"]).status, 0) }
        let collected = try hopsim(["learn", "collect", dir, "--format", "json"])
        XCTAssertEqual(collected.status, 0, collected.stderr)
        func results(_ text: String) throws -> Data {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let list = try XCTUnwrap(object["results"] as? [[String: Any]])
            XCTAssertEqual(list.count, 8)
            return try JSONSerialization.data(withJSONObject: list, options: .sortedKeys)
        }
        XCTAssertEqual(try results(collected.stdout), try results(whole.stdout))
    }
}
