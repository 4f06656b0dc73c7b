import Foundation
import HopfieldKit
import XCTest

final class RecordTests: XCTestCase {
    func testRecordRoundTripsAndCarriesProvenance() throws {
        let p = MonteCarloParameters(neurons: 100, patterns: 7, temperature: 0.3, thermalization: 10,
                                     sweeps: 64, samples: 2, replicas: 2, initialState: .noisy(flipFraction: 0.25), seed: 42)
        let record = MonteCarloRecord(result: try MonteCarloRun.run(p), threads: 1, wallSeconds: 0.5)
        let data = try RecordCoding.encoder(pretty: true).encode(record)
        XCTAssertEqual(try RecordCoding.decoder().decode(MonteCarloRecord.self, from: data), record)

        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["schema"] as? String, "hopsim.record/1")
        XCTAssertEqual(object["version"] as? String, HopsimVersion.string)
        for name in ["m", "q", "r", "energy", "m_other"] {
            let o = try XCTUnwrap(object[name] as? [String: Any], name)
            for key in ["mean", "error", "tau", "sample_spread"] { XCTAssertNotNil(o[key], "\(name).\(key)") }
        }
        let parameters = try XCTUnwrap(object["parameters"] as? [String: Any])
        XCTAssertEqual(parameters["alpha"] as? Double, 0.07)
        XCTAssertEqual(parameters["seed"] as? Int, 42)
        XCTAssertEqual(parameters["flip_fraction"] as? Double, 0.25)
        let seed = try XCTUnwrap(object["seed"] as? [String: Any])
        XCTAssertEqual(seed["derivation"] as? String, StreamKey.derivationScheme)
    }

    func testAtomicWriteLeavesNoTemporaryFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hopsim-atomic-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("r.json").path
        try AtomicFile.checkWritable(path)
        try AtomicFile.write(Data("one\n".utf8), to: path)
        try AtomicFile.write(Data("two\n".utf8), to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "two\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["r.json"])
        XCTAssertThrowsError(try AtomicFile.checkWritable(dir.appendingPathComponent("missing/r.json").path))
    }
}
