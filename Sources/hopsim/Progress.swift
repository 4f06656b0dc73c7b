import ArgumentParser
import Foundation
import HopfieldKit
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
    /// The loop being reported, when it began and the largest fraction it has reported.
    private let loop: Mutex<(id: Int, start: UInt64, fraction: Double)>

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
        loop = Mutex((0, start, 0))
    }

    /// Reports the fraction done of hopsim's outermost parallel loops (``LoopProgress``: theory
    /// rows, critical-line points, disorder samples); each new loop restarts the ETA's clock, and
    /// a report that arrives after a larger one of its loop (threads race) is skipped. On a
    /// terminal a finished loop erases its line, so that what the command prints next starts clean.
    /// `finish()` stops observing.
    func observeLoops() {
        guard enabled else { return }
        LoopProgress.observe { [self] id, fraction in
            let now = DispatchTime.now().uptimeNanoseconds
            let since = loop.withLock { state -> UInt64? in
                if id != state.id { state = (id, now, 0) }
                guard fraction > state.fraction else { return nil }
                state.fraction = fraction
                return state.start
            }
            guard let since else { return }
            report(fraction, detail: nil, loopStart: since)
            if fraction >= 1, case .terminal = mode { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        }
    }

    var enabled: Bool { if case .off = mode { return false } else { return true } }

    /// "42% · elapsed 1m03s · ETA 1m27s".
    /// `loopElapsed`: the time the fraction's own loop has run (default: `elapsed`).
    static func line(fraction: Double, elapsed: Double, loopElapsed: Double? = nil) -> String {
        let f = min(max(fraction, 0), 1)
        var text = "\(Int(f * 100))% · elapsed \(duration(elapsed))"
        if f > 0, f < 1 { text += " · ETA \(duration((loopElapsed ?? elapsed) * (1 - f) / f))" }
        return text
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
    }

    /// A line for `fraction` done; `loopStart`: when the loop the fraction belongs to began.
    func report(_ fraction: Double, detail: String? = nil, loopStart: UInt64? = nil) {
        let minimum: UInt64
        switch mode {
        case .off: return
        case .terminal: minimum = 200_000_000
        case .log(let interval): minimum = UInt64(interval * 1e9)
        }
        // The clock is read under the lock, so a later report never carries an earlier time (and
        // the final one is never dropped as stale).
        let shown: UInt64? = lastShown.withLock { last in
            let now = DispatchTime.now().uptimeNanoseconds
            guard now >= last, now - last >= minimum else { return nil }
            last = now
            return now
        }
        guard let now = shown else { return }
        let loopElapsed = loopStart.map { Double(now > $0 ? now - $0 : 0) * 1e-9 }
        let text = "\(label): " + Self.line(fraction: fraction, elapsed: Double(now - start) * 1e-9, loopElapsed: loopElapsed)
            + (detail.map { " · \($0)" } ?? "")
        if case .terminal = mode {
            FileHandle.standardError.write(Data("\r\(text)\u{1B}[K".utf8))
        } else {
            FileHandle.standardError.write(Data("\(text)\n".utf8))
        }
    }

    /// A line of its own (a stage begun, a check done), whatever the interval; not with --quiet.
    func note(_ message: String) {
        switch mode {
        case .off: return
        case .terminal: FileHandle.standardError.write(Data("\r\u{1B}[K\(label): \(message)\n".utf8))
        case .log: FileHandle.standardError.write(Data("\(label): \(message)\n".utf8))
        }
    }

    func finish() {
        LoopProgress.observe(nil)
        if case .terminal = mode { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
