import Foundation
import XCTest

/// What a run of the built `hopsim` executable printed and returned.
struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The directory holding the built products (the test bundle sits beside `hopsim`).
var productsDirectory: URL {
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
        return bundle.bundleURL.deletingLastPathComponent()
    }
    return Bundle.main.bundleURL
}

/// Runs `hopsim` with `arguments`, stdin closed, and collects its output.
func hopsim(_ arguments: [String], environment: [String: String]? = nil) throws -> Outcome {
    let process = Process()
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    process.executableURL = productsDirectory.appendingPathComponent("hopsim")
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
}

/// The JSON objects of a JSON-lines text.
func jsonLines(_ text: String) throws -> [[String: Any]] {
    try text.split(separator: "\n").map { line in
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw CocoaError(.coderReadCorrupt)
        }
        return object
    }
}

/// A test case with a fresh scratch directory, removed afterwards.
class ScratchTestCase: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hopsim-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }
}
