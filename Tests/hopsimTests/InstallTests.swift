import Foundation
import XCTest

/// `Scripts/install` (issue 17, item 4) into a temporary prefix, and a README example run from PATH.
final class InstallTests: ScratchTestCase {
    var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }

    func testInstallPutsHopsimAndCompletionsUnderThePrefix() throws {
        let prefix = scratch.appendingPathComponent("prefix").path
        let built = productsDirectory.appendingPathComponent("hopsim").path
        let install = try run("/bin/bash", [repository.appendingPathComponent("Scripts/install").path, prefix],
                              environment: ["HOPSIM_BINARY": built, "PATH": "/usr/bin:/bin"])
        XCTAssertEqual(install.status, 0, install.stderr)
        XCTAssertTrue(install.stdout.contains("installed \(prefix)/bin/hopsim"), install.stdout)
        XCTAssertTrue(install.stdout.contains("is not on PATH"), "the script says how to put PREFIX/bin on PATH")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: prefix + "/bin/hopsim"))
        for file in ["share/bash-completion/completions/hopsim", "share/zsh/site-functions/_hopsim",
                     "share/fish/vendor_completions.d/hopsim.fish"] {
            let text = try String(contentsOfFile: prefix + "/" + file, encoding: .utf8)
            XCTAssertTrue(text.contains("rs-solve"), "\(file) completes the subcommands")
        }
        // A README example exactly as written, with PREFIX/bin on PATH.
        let example = try run("/bin/sh", ["-c", "hopsim rs-solve --alpha 0.05:0.065:4 --temperature 0.1 --format csv"],
                              environment: ["PATH": prefix + "/bin:/usr/bin:/bin"])
        XCTAssertEqual(example.status, 0, example.stderr)
        // Exact coordinates (issue 17, item 3): decimal values, not 0.05500000000000001.
        let alphas = Set(example.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] })
        XCTAssertEqual(alphas, ["0.05", "0.055", "0.06", "0.065"])
    }
}
