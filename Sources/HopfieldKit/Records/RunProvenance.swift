import Foundation

/// Who made a record, with what and when: hopsim's version, the git commit and code-generation flags
/// it was built with (``BuildInfo``, written by the BuildInfo plugin at every build), the host, the
/// date (ISO 8601, UTC) and the command line. Written as `provenance` in every Monte Carlo record,
/// theory sidecar, 1RSB output file, grid manifest and shard state. None of it changes a number.
public struct RunProvenance: Sendable, Equatable, Codable {
    public var version: String
    /// The commit the binary was built from; `-dirty` when tracked files differed from it,
    /// `unknown` when built outside a git checkout.
    public var gitCommit: String
    /// Code-generation flags of the library (Package.swift: HOPSIM_TARGET_CPU), the configuration and
    /// the instruction set of the packed-pattern kernels (``PackedKernels``).
    public var buildFlags: String
    public var host: String
    /// When the record was made, ISO 8601 in UTC (e.g. 2026-11-29T17:23:07Z).
    public var date: String
    /// The process's arguments, each quoted for a POSIX shell where needed, joined by spaces.
    public var commandLine: String

    public init(version: String, gitCommit: String, buildFlags: String, host: String, date: String, commandLine: String) {
        self.version = version; self.gitCommit = gitCommit; self.buildFlags = buildFlags
        self.host = host; self.date = date; self.commandLine = commandLine
    }

    /// This process, now.
    public static func current(date: Date = Date()) -> RunProvenance {
        RunProvenance(version: HopsimVersion.string, gitCommit: BuildInfo.gitCommit, buildFlags: buildFlags,
                      host: host, date: isoDate(date),
                      commandLine: CommandLine.arguments.map(shellQuoted).joined(separator: " "))
    }

    /// Looked up once per process (a host-name lookup can be slow where DNS is).
    static let host = ProcessInfo.processInfo.hostName

    /// The library's code-generation flags and the build configuration.
    public static var buildFlags: String {
        #if DEBUG
        let configuration = "-c debug"
        #else
        let configuration = "-c release"
        #endif
        return "\(configuration) \(BuildInfo.codeGenerationFlags), packed kernels \(PackedKernels.instructionSet)"
    }

    static func isoDate(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// `s` as one word of a POSIX shell: unchanged when it is made of safe characters, else in
    /// single quotes.
    static func shellQuoted(_ s: String) -> String {
        let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+%@")
        if !s.isEmpty, s.unicodeScalars.allSatisfy(safe.contains) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
