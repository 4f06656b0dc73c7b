import Foundation
import XCTest

/// One vocabulary (issue 17, item 2, in part): `--format` is honoured or refused, never ignored,
/// and `bench` takes `--format json` with `--json` kept as its alias.
final class FormatVocabularyTests: XCTestCase {
    func testCommandsWithoutATableRefuseCSV() throws {
        for arguments in [["compare", "a.csv", "b.csv"], ["grid", "plan", "spec.yaml"], ["grid", "status", "out"], ["verify"],
                          ["bench", "mc"], ["bench", "rs"], ["bench", "plefka"], ["bench", "rsb"]] {
            let run = try hopsim(arguments + ["--format", "csv"])
            XCTAssertEqual(run.status, 64, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("--format must be text or json"), "\(arguments): \(run.stderr)")
        }
    }

    func testBenchFormatJSONAndItsAlias() throws {
        let small = ["bench", "mc", "--neurons", "200", "--patterns", "20", "--sweeps", "2"]
        for flag in [["--format", "json"], ["--json"]] {
            let run = try hopsim(small + flag)
            XCTAssertEqual(run.status, 0, run.stderr)
            let records = try jsonLines(run.stdout)
            XCTAssertFalse(records.isEmpty)
            XCTAssertNotNil(records[0]["ops_per_second"], "\(flag)")
        }
    }
}
