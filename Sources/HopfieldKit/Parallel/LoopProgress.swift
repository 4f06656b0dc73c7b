import Synchronization

/// How far hopsim's outermost parallel loop has come, for a command-line progress reporter: every
/// parallel loop goes through ``Parallel/map(_:threads:_:)``, and the outermost one running (theory
/// rows, critical-line points, disorder samples) reports the fraction of its items done after each.
/// Loops started inside an item (depth > 0) do not report. Observing never changes a number.
public enum LoopProgress {
    /// `(loop, fraction)`: `loop` numbers the outermost loops in the order they start; reports of
    /// one loop may arrive out of order from its threads (a receiver keeps the largest fraction).
    public typealias Handler = @Sendable (_ loop: Int, _ fraction: Double) -> Void
    static let handler = Mutex<Handler?>(nil)
    static let depth = Atomic<Int>(0)
    static let loops = Atomic<Int>(0)

    /// Calls `handler(loop, fraction)` after each item of each outermost loop (nil: stop observing).
    public static func observe(_ handler: Handler?) {
        self.handler.withLock { $0 = handler }
    }

    static var current: Handler? { handler.withLock { $0 } }
    static func nextLoop() -> Int { loops.wrappingAdd(1, ordering: .relaxed).newValue }
}
