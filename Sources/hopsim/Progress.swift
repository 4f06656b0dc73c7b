import Foundation
import Synchronization

/// Progress on stderr, only when stderr is a terminal: "hopsim mc: 42%" rewritten in place at most
/// five times a second, erased when done. Pipes and log files get nothing.
final class TerminalProgress: Sendable {
    private let label: String
    private let lastShown = Mutex<UInt64>(0)
    let enabled: Bool

    init(label: String) {
        self.label = label
        enabled = isatty(STDERR_FILENO) == 1
    }

    func report(_ fraction: Double) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let show = lastShown.withLock { last -> Bool in
            guard now - last > 200_000_000 else { return false }
            last = now
            return true
        }
        if show {
            FileHandle.standardError.write(Data("\r\(label): \(Int(fraction * 100))%".utf8))
        }
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
