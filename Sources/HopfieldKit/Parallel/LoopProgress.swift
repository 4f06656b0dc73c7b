import Synchronization

/// How far hopsim's outermost parallel loop has come, for a command-line progress reporter: every
/// parallel loop goes through ``Parallel/map(_:threads:_:)``, and the outermost one running (theory
/// rows, critical-line points, disorder samples) reports the fraction of its items done after each.
/// Loops started inside an item (depth > 0) do not report. Observing never changes a number.
public enum LoopProgress {
    static let handler = Mutex<(@Sendable (Double) -> Void)?>(nil)
    static let depth = Atomic<Int>(0)

    /// Calls `handler(fraction)` after each item of each outermost loop (nil: stop observing).
    public static func observe(_ handler: (@Sendable (Double) -> Void)?) {
        self.handler.withLock { $0 = handler }
    }

    static var current: (@Sendable (Double) -> Void)? { handler.withLock { $0 } }
}
