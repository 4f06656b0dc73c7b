import Foundation
import XCTest

/// Every record written to disk carries its provenance (issue 17, item 5): version, git commit,
/// build flags, host, date and command line — taken from the build and the process, not invented.
final class ProvenanceTests: ScratchTestCase {
    func provenance(_ object: Any?, file: StaticString = #filePath, line: UInt = #line) throws -> [String: String] {
        let block = try XCTUnwrap((object as? [String: Any])?["provenance"] as? [String: String], "no provenance block", file: file, line: line)
        for key in ["version", "git_commit", "build_flags", "host", "date", "command_line"] {
            XCTAssertFalse(block[key, default: ""].isEmpty, "provenance.\(key) is empty", file: file, line: line)
        }
        XCTAssertNotNil(ISO8601DateFormatter().date(from: block["date"] ?? ""), "date is ISO 8601: \(block["date"] ?? "")", file: file, line: line)
        XCTAssertEqual(block["host"], ProcessInfo.processInfo.hostName, file: file, line: line)
        return block
    }

    func testMonteCarloRecordCarriesProvenance() throws {
        let output = scratch.appendingPathComponent("run.json").path
        let run = try hopsim(["mc", "--alpha", "0.05", "--neurons", "100", "--sweeps", "20", "--thermalization", "5",
                              "--samples", "1", "--output", output])
        XCTAssertEqual(run.status, 0, run.stderr)
        let block = try provenance(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))))
        XCTAssertTrue(block["command_line"]!.hasSuffix("mc --alpha 0.05 --neurons 100 --sweeps 20 --thermalization 5 --samples 1 --output \(output)"),
                      block["command_line"]!)
        XCTAssertTrue(block["build_flags"]!.contains("-align-loops=64"), block["build_flags"]!)
        // The commit is the checkout's HEAD (built from this repository), or `unknown` outside git.
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let head = try? String(contentsOfFile: packageRoot.appendingPathComponent(".git/HEAD").path, encoding: .utf8)
        if head != nil {
            XCTAssertNotNil(block["git_commit"]!.range(of: #"^[0-9a-f]{40}(-dirty)?$"#, options: .regularExpression), block["git_commit"]!)
        }
    }

    func testTheoryOutputsCarryProvenance() throws {
        let csv = scratch.appendingPathComponent("rs.csv").path
        let rs = try hopsim(["rs-solve", "--alpha", "0.1", "--temperature", "0.2", "--output", csv])
        XCTAssertEqual(rs.status, 0, rs.stderr)
        let sidecar = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: csv + ".json"))) as? [String: Any]
        _ = try provenance(sidecar?["provenance"])

        let records = scratch.appendingPathComponent("rsb.json").path
        let rsb = try hopsim(["rsb-solve", "--alpha", "0.05", "--temperature", "0.5", "--branch", "spin-glass", "--x", "0.1", "--output", records])
        XCTAssertEqual(rsb.status, 0, rsb.stderr)
        let file = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: records))) as? [String: Any])
        XCTAssertEqual(file["schema"] as? String, "hopsim.records/1")
        XCTAssertEqual((file["records"] as? [Any])?.count, 1)
        _ = try provenance(file)
    }

    func testGridManifestAndShardStateCarryProvenance() throws {
        let spec = scratch.appendingPathComponent("spec.yaml").path
        try "name: provenance\naxes: {alpha: [0.05], temperature: [0.1]}\nmc: {neurons: 60, thermalization: 5, sweeps: 10, samples: 1}\n"
            .write(toFile: spec, atomically: true, encoding: .utf8)
        let out = scratch.appendingPathComponent("out")
        let run = try hopsim(["grid", "run", spec, "--out", out.path, "--quiet"])
        XCTAssertEqual(run.status, 0, run.stderr)
        _ = try provenance(JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("grid.json"))))
        let shards = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("shards").path)
        let shard = try XCTUnwrap(shards.first)
        _ = try provenance(JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("shards").appendingPathComponent(shard))))
    }
}
