import Foundation
import XCTest

/// `hopsim mc --model dense` and `hopsim rs-solve --model dense` end to end.
final class DenseCommandTests: ScratchTestCase {
    static let small = ["mc", "--model", "dense", "--neurons", "60", "--sweeps", "100", "--thermalization", "20", "--samples", "2"]

    func testBadDenseInputIsOneLineWithExit64AndNoFile() throws {
        let cases: [([String], String)] = [
            (["--p", "1"], "--p"),
            (["--p", "0"], "--p"),
            ([], "--p"),
            (["--p", "3", "--examples", "0", "--quality", "0.5", "--protocol", "supervised"], "--examples"),
            (["--p", "3", "--examples", "5", "--quality", "0", "--protocol", "supervised"], "--quality"),
            (["--p", "3", "--examples", "5", "--quality", "1.01", "--protocol", "unsupervised"], "--quality"),
            (["--p", "3", "--examples", "5", "--quality", "0.5"], "--protocol"),
            (["--p", "3", "--examples", "5", "--quality", "0.5", "--protocol", "semi"], "--protocol"),
            (["--p", "3", "--alpha", "100", "--neurons", "3000"], "memory"),
            (["--p", "3", "--engine", "plefka", "--temperature", "0"], "--temperature"),
            (["--p", "3", "--engine", "plefka", "--plefka-order", "3"], "--plefka-order"),
            (["--p", "3", "--engine", "plefka", "--hamiltonian", "krotov"], "--hamiltonian"),
            (["--p", "3", "--dilution", "0.2"], "--dilution"),
            // 60·(2·10⁴)^7 ≈ 8·10³¹ ≥ 2^53: the supervised sums would no longer be exact integers.
            (["--p", "8", "--patterns", "1", "--examples", "20000", "--quality", "0.5", "--protocol", "supervised"], "--examples"),
        ]
        for (arguments, parameter) in cases {
            let output = scratch.appendingPathComponent("out.json").path
            let run = try hopsim(Self.small + arguments + ["--output", output])
            XCTAssertEqual(run.status, 64, "\(arguments): \(run.stderr)")
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.hasPrefix("hopsim: error: ") && run.stderr.contains(parameter), "\(arguments): \(run.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: output), "\(arguments) left a file")
        }
        let classical = try hopsim(["mc", "--p", "3"])
        XCTAssertEqual(classical.status, 64)
        XCTAssertTrue(classical.stderr.contains("--p must be used only with --model dense"), classical.stderr)
    }

    /// The record names the model, P, the Hamiltonian, the training set and ρ, and reports the
    /// archetype overlap m and the example overlap n; the text output prints ρ.
    func testTrainedRecordCarriesTheTrainingSetAndOverlaps() throws {
        let training = ["--p", "3", "--alpha", "0.005", "--examples", "5", "--quality", "0.7", "--protocol", "unsupervised",
                        "--temperature", "0.03"]
        let run = try hopsim(Self.small + training + ["--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let record = try XCTUnwrap(try jsonLines(run.stdout).first)
        let parameters = try XCTUnwrap(record["parameters"] as? [String: Any])
        XCTAssertEqual(parameters["model"] as? String, "dense")
        XCTAssertEqual(parameters["p"] as? Int, 3)
        XCTAssertEqual(parameters["hamiltonian"] as? String, "gardner")
        XCTAssertEqual(try XCTUnwrap(parameters["dataset_entropy"] as? Double), (1 - 0.49) / (5 * 0.49), accuracy: 1e-12)
        XCTAssertEqual((parameters["training"] as? [String: Any])?["learning"] as? String, "unsupervised")
        XCTAssertNotNil(record["n"] as? [String: Any])
        XCTAssertNotNil(record["m"] as? [String: Any])
        let text = try hopsim(Self.small + training)
        XCTAssertTrue(text.stdout.contains("dataset entropy ρ = (1 − r²)/(M r²) = 0.208163"), text.stdout)
    }

    func testPlefkaRecordStatesItsApproximation() throws {
        let run = try hopsim(Self.small + ["--p", "3", "--alpha", "0.02", "--engine", "plefka", "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let record = try XCTUnwrap(try jsonLines(run.stdout).first)
        XCTAssertEqual(record["schema"] as? String, "hopsim.plefka/1")
        let approximation = try XCTUnwrap(record["approximation"] as? [String: Any])
        XCTAssertEqual(approximation["order"] as? Int, 2)
        XCTAssertEqual(approximation["all_converged"] as? Bool, true)
        XCTAssertNotNil(approximation["neglected"] as? String)
        XCTAssertNotNil(approximation["reaction_field"] as? Double)
    }

    /// rs-solve for dense networks: one JSON object per branch with P, n and the free energy.
    func testDenseReplicaSymmetricSolve() throws {
        let run = try hopsim(["rs-solve", "--model", "dense", "--p", "3", "--alpha", "0.05", "--temperature", "0.1", "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let rows = try jsonLines(run.stdout)
        let retrieval = try XCTUnwrap(rows.first { $0["branch"] as? String == "retrieval" && $0["stable"] as? Bool == true })
        XCTAssertEqual(retrieval["p"] as? Int, 3)
        XCTAssertEqual(try XCTUnwrap(retrieval["m"] as? Double), 0.9929, accuracy: 1e-3)
        XCTAssertNotNil(retrieval["free_energy"] as? Double)
        let p2 = try hopsim(["rs-solve", "--model", "dense", "--p", "2"])
        XCTAssertEqual(p2.status, 64)
        XCTAssertTrue(p2.stderr.contains("--p must be an integer in [3, 8]"), p2.stderr)
    }
}
