import Foundation
import XCTest

/// End-to-end tests of `hopsim rs-solve`.
final class ReplicaSymmetricCommandTests: ScratchTestCase {


    func testJSONHasOneObjectPerBranchWithTheDocumentedKeys() throws {
        let run = try hopsim(["rs-solve", "--model", "classical", "--alpha", "0.1", "--temperature", "0.2", "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let all = try jsonLines(run.stdout)
        // The RS branches, then the 1RSB spin glass solved because the RS one is AT-unstable: global.
        XCTAssertEqual(all.map { $0["theory"] as? String }, ["rs", "rs", "rs", "1rsb"])
        XCTAssertEqual(all.last?["branch"] as? String, "spin-glass")
        XCTAssertEqual(all.last?["global"] as? Bool, true)
        let objects = all.filter { $0["theory"] as? String == "rs" }
        XCTAssertEqual(objects.map { $0["branch"] as? String }, ["spin-glass", "retrieval", "retrieval"])
        XCTAssertTrue(objects.allSatisfy { $0["global_theory"] as? String == "1rsb" && $0["global"] as? Bool == false })
        for o in objects {
            for key in ["alpha", "temperature", "branch", "m", "q", "r", "free_energy", "entropy", "stable", "global",
                        "converged", "iterations", "residual", "method"] {
                XCTAssertNotNil(o[key], key)
            }
            XCTAssertEqual(o["converged"] as? Bool, true)
        }
        let stable = try XCTUnwrap(objects.first { $0["branch"] as? String == "retrieval" && $0["stable"] as? Bool == true })
        XCTAssertEqual(try XCTUnwrap(stable["m"] as? Double), 0.989, accuracy: 1e-3)
    }

    func testGridWritesCSVAndProvenanceSidecar() throws {
        let path = scratch.appendingPathComponent("grid.csv").path
        let run = try hopsim(["rs-solve", "--alpha", "0.02:0.14:4", "--temperature", "0:0.9:4", "--output", path, "--format", "csv"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let csv = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(csv, run.stdout)
        let lines = csv.split(separator: "\n")
        XCTAssertTrue(lines[0].hasPrefix("model,alpha,temperature,branch,m,q,r"))
        XCTAssertGreaterThan(lines.count, 16)
        let sidecar = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path + ".json"))) as? [String: Any])
        let provenance = try XCTUnwrap(sidecar["provenance"] as? [String: Any])
        XCTAssertNotNil(provenance["version"])
        XCTAssertNotNil((provenance["quadrature"] as? [String: Any])?["hermite_nodes"])
        XCTAssertEqual(sidecar["points"] as? Int, 16)
        XCTAssertEqual(sidecar["not_converged"] as? Int, 0)
    }

    func testNoCriticalLineInTheRangeWritesNothingAndExits3() throws {
        // The dense lines lie below T ≈ 0.3: at T = 5 … 6 none exists.
        let output = scratch.appendingPathComponent("lines.csv").path
        let run = try hopsim(["rs-solve", "--model", "dense", "--p", "3", "--critical-lines", "--temperature", "5:6:2",
                              "--line-points", "5", "--output", output])
        XCTAssertEqual(run.status, 3, run.stderr)
        XCTAssertTrue(run.stderr.contains("no critical-line point exists"), run.stderr)
        XCTAssertEqual(run.stdout, "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: output))
    }

    func testBadInputExits64WithOneLineAndNoFile() throws {
        let cases: [([String], String)] = [
            (["--alpha", "0"], "--alpha"),
            (["--alpha", "-0.1"], "--alpha"),
            (["--temperature", "-1"], "--temperature"),
            (["--alpha", "0.1:0.2:0"], "--alpha"),
            (["--alpha", "0.2:0.1:5"], "--alpha"),
            (["--temperature", "1:0:3"], "--temperature"),
            (["--alpha", "abc"], "--alpha"),
            (["--model", "quantum"], "--model"),
            (["--hermite-nodes", "2"], "--hermite-nodes"),
        ]
        for (arguments, parameter) in cases {
            let path = scratch.appendingPathComponent("out.csv").path
            let run = try hopsim(["rs-solve"] + arguments + ["--output", path])
            XCTAssertEqual(run.status, 64, "\(arguments): \(run.stderr)")
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(parameter), "\(arguments): \(run.stderr)")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path), [], "\(arguments) left a file")
        }
    }

    func testCriticalLinesIncludeCapacityAndGlassLine() throws {
        let run = try hopsim(["rs-solve", "--critical-lines", "--line-points", "3", "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let objects = try jsonLines(run.stdout)
        let capacity = try XCTUnwrap(objects.first { $0["line"] as? String == "spinodal" && $0["temperature"] as? Double == 0 })
        XCTAssertEqual(try XCTUnwrap(capacity["alpha"] as? Double), 0.1379, accuracy: 1e-4)
        let glass = objects.filter { $0["line"] as? String == "glass" }
        XCTAssertEqual(glass.count, 3)
        for g in glass {
            let a = try XCTUnwrap(g["alpha"] as? Double), t = try XCTUnwrap(g["temperature"] as? Double)
            XCTAssertEqual(t, 1 + a.squareRoot(), accuracy: 1e-8)
        }
        XCTAssertTrue(objects.allSatisfy { $0["converged"] as? Bool == true && $0["residual"] != nil })
    }
}

extension ReplicaSymmetricCommandTests {
    func testMultitaskingBranchesAsJSON() throws {
        let run = try hopsim(["rs-solve", "--model", "multitasking", "--patterns", "3", "--dilution", "0.3", "--temperature", "0", "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let objects = try jsonLines(run.stdout)
        let global = try XCTUnwrap(objects.first { $0["global"] as? Bool == true })
        XCTAssertEqual(global["branch"] as? String, "hierarchical")
        let m = try XCTUnwrap(global["m"] as? [Double])
        XCTAssertEqual(m.count, 3)
        XCTAssertEqual(m[1], 0.21, accuracy: 1e-12)
        for key in ["free_energy", "converged", "residual"] { XCTAssertNotNil(global[key], key) }
        for bad in [["--dilution", "1"], ["--patterns", "13"], ["--patterns", "0"]] {
            var arguments = ["rs-solve", "--model", "multitasking", "--patterns", "3", "--dilution", "0.3"]
            let i = arguments.firstIndex(of: bad[0])!
            arguments[i + 1] = bad[1]
            let r = try hopsim(arguments)
            XCTAssertEqual(r.status, 64, "\(bad)")
            XCTAssertTrue(r.stderr.contains(bad[0]), r.stderr)
        }
        XCTAssertEqual(try hopsim(["rs-solve", "--model", "multitasking", "--patterns", "3"]).status, 64)
        XCTAssertEqual(try hopsim(["mc", "--model", "multitasking", "--dilution", "1.2"]).status, 64)
        XCTAssertEqual(try hopsim(["mc", "--dilution", "0.2"]).status, 64)
    }
}

extension ReplicaSymmetricCommandTests {
    func testMultitaskingHighStorage() throws {
        let run = try hopsim(["rs-solve", "--model", "multitasking", "--alpha", "0.05", "--dilution", "0.1", "--temperature", "0.1", "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let retrieval = try XCTUnwrap(try jsonLines(run.stdout).first { $0["branch"] as? String == "retrieval" && $0["stable"] as? Bool == true })
        XCTAssertEqual(retrieval["model"] as? String, "multitasking")
        XCTAssertEqual(retrieval["dilution"] as? Double, 0.1)
        XCTAssertEqual(try hopsim(["rs-solve", "--model", "multitasking", "--alpha", "0.05", "--patterns", "3", "--dilution", "0.1"]).status, 64)
        XCTAssertEqual(try hopsim(["rs-solve", "--model", "multitasking", "--alpha", "0.05"]).status, 64)
    }
}
