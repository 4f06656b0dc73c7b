import Foundation
import XCTest

/// End-to-end tests of the built `hopsim` executable: stdout, stderr, exit codes, files.
final class CommandLineTests: ScratchTestCase {
    static let small = ["--neurons", "200", "--sweeps", "200", "--thermalization", "20", "--samples", "3"]

    func testBadInputIsOneLineNamingTheParameterWithExit64AndNoFile() throws {
        let cases: [([String], String)] = [
            (["--alpha", "-1"], "--alpha"),
            (["--alpha", "abc"], "--alpha"),
            (["--alpha", "0"], "--alpha"),
            (["--neurons", "1"], "--neurons"),
            (["--temperature", "-0.1"], "--temperature"),
            (["--sweeps", "0"], "--sweeps"),
            (["--dynamics", "glauber-ish"], "--dynamics"),
            (["--order", "backwards"], "--order"),
            (["--replicas", "0"], "--replicas"),
            (["--samples", "-2"], "--samples"),
            (["--init", "noisy", "--flip-fraction", "2"], "--flip-fraction"),
            (["--temperature", "0", "--dynamics", "heat-bath"], "--dynamics"),
            (["--threads", "0"], "--threads"),
            (["--format", "xml"], "--format"),
        ]
        for (arguments, parameter) in cases {
            let output = scratch.appendingPathComponent("out.json").path
            let run = try hopsim(["mc"] + arguments + ["--output", output])
            XCTAssertEqual(run.status, 64, "\(arguments): \(run.stderr)")
            XCTAssertEqual(run.stdout, "", "\(arguments)")
            let lines = run.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.hasPrefix("hopsim: error: "), run.stderr)
            XCTAssertTrue(run.stderr.contains(parameter), "\(arguments): \(run.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: output), "\(arguments) left a file")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path), [])
        }
    }

    func testRangesAreStatedInTheMessage() throws {
        XCTAssertEqual(try hopsim(["mc", "--neurons", "1"]).stderr,
                       "hopsim: error: --neurons must be an integer in [2, 10000000] (got 1)\n")
        XCTAssertEqual(try hopsim(["mc", "--alpha", "-1"]).stderr,
                       "hopsim: error: --alpha must be a number > 0 (got -1.0)\n")
        XCTAssertEqual(try hopsim(["mc", "--temperature", "-0.1"]).stderr,
                       "hopsim: error: --temperature must be a finite number ≥ 0 (got -0.1)\n")
        XCTAssertEqual(try hopsim(["mc", "--sweeps", "0"]).stderr,
                       "hopsim: error: --sweeps must be an integer in [1, 100000000] (got 0)\n")
    }

    /// A limit is stated once (``Limits``): the CLI names the flag, a grid spec its own key, with the
    /// same range.
    func testOneLimitTwoSpellings() throws {
        XCTAssertEqual(try hopsim(["mc", "--samples", "0"]).stderr,
                       "hopsim: error: --samples must be an integer in [1, 100000] (got 0)\n")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hopsim-limits-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = dir.appendingPathComponent("spec.yaml").path
        try "axes: {alpha: [0.1], temperature: [0.1]}\nmc: {samples: 0}\n".write(toFile: spec, atomically: true, encoding: .utf8)
        let result = try hopsim(["grid", "plan", spec])
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.stderr, "hopsim: error: grid spec \(spec):2: mc.samples: must be an integer in [1, 100000] (got 0)\n")
    }

    func testUnwritableOutputExits73AndWritesNothing() throws {
        let missing = scratch.appendingPathComponent("no/such/dir/out.json").path
        let run = try hopsim(["mc"] + Self.small + ["--output", missing])
        XCTAssertEqual(run.status, 73)
        XCTAssertEqual(run.stdout, "")
        XCTAssertEqual(run.stderr.split(separator: "\n").count, 1)
        XCTAssertTrue(run.stderr.contains("--output"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path), [])

        let run2 = try hopsim(["mc"] + Self.small + ["--output", scratch.path])   // a directory
        XCTAssertEqual(run2.status, 73)
    }

    func testJSONOutputHasPhysicsNamesAndMatchesTheWrittenRecord() throws {
        let output = scratch.appendingPathComponent("record.json").path
        let run = try hopsim(["mc"] + Self.small + ["--alpha", "0.05", "--format", "json", "--output", output, "--seed", "9"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout.split(separator: "\n").count, 1)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        for name in ["m", "q", "energy"] {
            let o = try XCTUnwrap(object[name] as? [String: Any], name)
            for key in ["mean", "error", "tau", "sample_spread"] { XCTAssertNotNil(o[key] as? Double, "\(name).\(key)") }
        }
        let m = try XCTUnwrap((object["m"] as? [String: Any])?["mean"] as? Double)
        XCTAssertGreaterThan(m, 0.95, "α = 0.05, T = 0.1 retrieves")
        let parameters = try XCTUnwrap(object["parameters"] as? [String: Any])
        XCTAssertEqual(parameters["patterns"] as? Int, 10)
        XCTAssertEqual(parameters["seed"] as? Int, 9)
        XCTAssertEqual(parameters["dynamics"] as? String, "heat-bath")
        XCTAssertNotNil(object["version"] as? String)
        let written = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? NSDictionary)
        XCTAssertEqual(written, object as NSDictionary)
    }

    func testSameSeedSameNumbersWhateverTheThreadCount() throws {
        func numbers(_ threads: String) throws -> NSDictionary {
            let run = try hopsim(["mc"] + Self.small + ["--format", "json", "--threads", threads, "--order", "random"])
            XCTAssertEqual(run.status, 0, run.stderr)
            var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            object["wall_seconds"] = nil
            object["threads"] = nil
            object["provenance"] = nil      // the command line and date differ
            return object as NSDictionary
        }
        let one = try numbers("1")
        XCTAssertEqual(one, try numbers("2"))
        XCTAssertEqual(one, try numbers("3"))
    }

    func testCSVHasHeaderAndOneRowOfEqualWidth() throws {
        let run = try hopsim(["mc"] + Self.small + ["--format", "csv"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        XCTAssertEqual(header.count, lines[1].split(separator: ",", omittingEmptySubsequences: false).count)
        for column in ["alpha", "temperature", "seed", "m_mean", "m_error", "m_tau", "m_sample_spread", "q_mean", "energy_mean"] {
            XCTAssertTrue(header.contains(Substring(column)), column)
        }
    }

    func testTextOutputShowsEveryObservableWithErrors() throws {
        let run = try hopsim(["mc"] + Self.small)
        XCTAssertEqual(run.status, 0, run.stderr)
        for name in ["m ", "q ", "r ", "energy", "m_other", "thermal err", "tau", "sample spread", "seed 1"] {
            XCTAssertTrue(run.stdout.contains(name), "missing '\(name)' in\n\(run.stdout)")
        }
        // No progress on stderr when it is not a terminal: only the memory stated before the run.
        let lines = run.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, run.stderr)
        XCTAssertTrue(lines.first?.hasPrefix("hopsim mc: memory ≈ ") ?? false, run.stderr)
        XCTAssertEqual(try hopsim(["mc", "--quiet"] + Self.small).stderr, "", "--quiet silences it")
    }

    func testBenchPrintsOpsPerSecond() throws {
        let run = try hopsim(["bench", "mc", "--neurons", "500", "--patterns", "50", "--temperature", "0.1",
                              "--sweeps", "5", "--seed", "1", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let line = try XCTUnwrap(run.stdout.split(separator: "\n").last)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertGreaterThan(try XCTUnwrap(object["ops_per_second"] as? Double), 0)
    }

    func testVersionAndHelp() throws {
        let version = try hopsim(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertFalse(version.stdout.isEmpty)
        let help = try hopsim(["mc", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("--alpha"))
    }

    /// Options a theory command would ignore are refused (issue 13): the classical lines choose
    /// their own temperatures and loads.
    func testCriticalLinesRefuseIgnoredOptions() throws {
        let t = try hopsim(["rs-solve", "--critical-lines", "--temperature", "0:1:3"])
        XCTAssertEqual(t.status, 64)
        XCTAssertTrue(t.stderr.contains("--temperature is used by --critical-lines only with --model dense"), t.stderr)
        XCTAssertEqual(try hopsim(["rs-solve", "--critical-lines", "--alpha", "0.1"]).status, 64)
    }
}
