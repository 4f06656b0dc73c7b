import ArgumentParser
import Foundation
import Synchronization

/// `--quiet`: no progress lines on stderr.
struct ProgressOptions: ParsableArguments {
    @Flag(help: "No progress on stderr (otherwise: a live line on a terminal, a line every HOPSIM_PROGRESS_INTERVAL seconds, default 60, in a log).")
    var quiet = false
}

/// Progress with elapsed time and ETA on stderr, never on stdout:
/// - on a terminal, "hopsim mc: 42% · elapsed 1m03s · ETA 1m27s" rewritten in place at most five
///   times a second and erased when done;
/// - otherwise (a pipe, a Slurm output file) one such line every `HOPSIM_PROGRESS_INTERVAL` seconds
///   (default 60; the first after one interval, so short runs print nothing);
/// - nothing with `--quiet`.
/// ETA = elapsed·(1 − f)/f for the fraction f done (by estimated cost where the command knows it).
final class ProgressReporter: Sendable {
    enum Mode: Sendable { case terminal, log(interval: Double), off }

    private let label: String
    let mode: Mode
    private let start: UInt64
    private let lastShown: Mutex<UInt64>

    init(label: String, quiet: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.label = label
        if quiet {
            mode = .off
        } else if isatty(STDERR_FILENO) == 1 {
            mode = .terminal
        } else {
            let interval = environment["HOPSIM_PROGRESS_INTERVAL"].flatMap(Double.init).flatMap { $0 >= 0 ? $0 : nil } ?? 60
            mode = .log(interval: interval)
        }
        start = DispatchTime.now().uptimeNanoseconds
        lastShown = Mutex(start)
    }

    var enabled: Bool { if case .off = mode { return false } else { return true } }

    /// "42% · elapsed 1m03s · ETA 1m27s".
    static func line(fraction: Double, elapsed: Double) -> String {
        let f = min(max(fraction, 0), 1)
        var text = "\(Int(f * 100))% · elapsed \(duration(elapsed))"
        if f > 0, f < 1 { text += " · ETA \(duration(elapsed * (1 - f) / f))" }
        return text
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
    }

    func report(_ fraction: Double, detail: String? = nil) {
        let now = DispatchTime.now().uptimeNanoseconds
        let minimum: UInt64
        switch mode {
        case .off: return
        case .terminal: minimum = 200_000_000
        case .log(let interval): minimum = UInt64(interval * 1e9)
        }
        let show = lastShown.withLock { last -> Bool in
            guard now - last >= minimum else { return false }
            last = now
            return true
        }
        guard show else { return }
        let text = "\(label): " + Self.line(fraction: fraction, elapsed: Double(now - start) * 1e-9) + (detail.map { " · \($0)" } ?? "")
        if case .terminal = mode {
            FileHandle.standardError.write(Data("\r\(text)\u{1B}[K".utf8))
        } else {
            FileHandle.standardError.write(Data("\(text)\n".utf8))
        }
    }

    func finish() {
        if case .terminal = mode { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
