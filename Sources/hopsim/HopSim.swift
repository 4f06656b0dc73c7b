import ArgumentParser
import Foundation
import HopfieldKit

/// The `hopsim` command: parses, calls HopfieldKit, prints.
struct HopSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hopsim",
        abstract: "Monte Carlo and replica theory of Hopfield-type associative memories.",
        version: HopsimVersion.string,
        subcommands: [MonteCarloCommand.self, ReplicaSymmetricCommand.self, ReplicaSymmetryBreakingCommand.self, LearningCurveCommand.self, GridCommand.self, CompareCommand.self, FiniteSizeCommand.self, LearnCommand.self,
                      PlotCommand.self, VerifyCommand.self, BenchCommand.self])
}

/// Entry point. Errors are one line on stderr — `hopsim: error: <parameter> must be <range> (got
/// <value>)` — with exit 64 for bad input (EX_USAGE) and 73 for an output file that cannot be
/// created (EX_CANTCREAT); help and version print as usual.
@main
enum Main {
    static func main() {
        do {
            var command = try HopSim.parseAsRoot()
            try command.run()
        } catch let error as OutputFileError {
            fail(error.description, code: 73)
        } catch let error as ParameterError {
            fail(error.description, code: 64)
        } catch {
            let code = HopSim.exitCode(for: error)
            if code == .success || error is ExitCode { HopSim.exit(withError: error) }
            let message = HopSim.message(for: error)
                .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.joined(separator: " ")
            fail(message, code: code.rawValue == 1 ? 64 : code.rawValue)
        }
    }

    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("hopsim: error: \(message)\n".utf8))
        Foundation.exit(code)
    }
}
