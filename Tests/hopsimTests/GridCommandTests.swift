import Foundation
import XCTest

/// End-to-end: grid plan/run, compare, plot, verify.
final class GridCommandTests: ScratchTestCase {

    func write(_ text: String) throws -> String {
        let path = scratch.appendingPathComponent("spec.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testPlanRunCompareAndPlot() throws {
        let spec = try write("""
        name: e2e
        axes: {alpha: [0.04, 0.18], temperature: [0.1, 0.5]}
        mc: {neurons: 200, thermalization: 50, sweeps: 200, samples: 2}
        """)
        let plan = try hopsim(["grid", "plan", spec])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("4 points"))
        let out = scratch.appendingPathComponent("out").path
        let run = try hopsim(["grid", "run", spec, "--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        for file in ["mc.csv", "rs.csv", "grid.json", "spec.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/\(file)"), file)
        }
        let compare = try hopsim(["compare", "\(out)/mc.csv", "\(out)/rs.csv", "--format", "json"])
        XCTAssertEqual(compare.status, 0, compare.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(compare.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((object["points"] as? [Any])?.count, 4)
        XCTAssertNotNil(object["within2_sigma"])
        XCTAssertNotNil(object["boundaries"])
        let text = try hopsim(["compare", "\(out)/mc.csv", "\(out)/rs.csv"])
        XCTAssertTrue(text.stdout.contains("within 2σ"))
        XCTAssertTrue(text.stdout.contains("finite-size"))
        let plot = try hopsim(["plot", out, "--line-points", "4", "--theory-mesh", "8x6"])
        XCTAssertEqual(plot.status, 0, plot.stderr)
        for file in ["mc-m.svg", "rs-m.svg", "compare-m.svg", "phase-diagram-m.svg"] {
            let svg = try String(contentsOfFile: "\(out)/\(file)", encoding: .utf8)
            XCTAssertTrue(svg.hasPrefix("<?xml"), file)
            XCTAssertTrue(svg.contains("<polyline"), "\(file) lacks the critical lines")
        }
    }

    func testBadSpecIsOneLineWithKeyAndLineAndExit64() throws {
        let spec = try write("axes:\n  alpha: [0.1]\n  temperature: [0.1]\nmc:\n  neurons: 0\n")
        let out = scratch.appendingPathComponent("out").path
        let run = try hopsim(["grid", "run", spec, "--out", out])
        XCTAssertEqual(run.status, 64)
        XCTAssertEqual(run.stderr.split(separator: "\n").count, 1)
        XCTAssertTrue(run.stderr.contains("spec.yaml:5: mc.neurons"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testNonConvergingTheoryExitsTwoWithCompleteOutput() throws {
        let spec = try write("compute: [rs]\naxes: {alpha: [0.03, 0.2], temperature: [0.1, 0.6, 1.4]}\nrs: {tolerance: 1e-300, max_iterations: 3}\n")
        let out = scratch.appendingPathComponent("out").path
        let run = try hopsim(["grid", "run", spec, "--out", out])
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("did not converge"))
        let csv = try String(contentsOfFile: "\(out)/rs.csv", encoding: .utf8)
        XCTAssertTrue(csv.contains(",false,"))
    }

    func testQuickVerifyPassesEveryPrediction() throws {
        let run = try hopsim(["verify", "--quick", "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let results = try jsonLines(run.stdout)
        XCTAssertEqual(results.count, 15)
        XCTAssertTrue(results.allSatisfy { $0["agrees"] as? Bool == true })
        // Every line: theory, the extrapolated value with its error, z and the sizes used.
        for r in results { for key in ["theory", "extrapolated", "error", "z", "sizes", "verdict", "method"] { XCTAssertNotNil(r[key], key) } }
        let names = results.compactMap { $0["prediction"] as? String }.joined(separator: "\n")
        for required in ["Curie–Weiss", "α_c", "T_g", "multitasking hierarchy", "dense P = 3", "trained multitasking", "exponential"] { XCTAssertTrue(names.contains(required), required) }
    }
}
