import Dispatch
import Synchronization

/// Independent work items on threads. Every parallel loop of hopsim (disorder samples, theory rows,
/// critical-line points, Plefka samples) goes through here, so that each keeps hopsim's rule: a
/// result never depends on the thread count.
enum Parallel {
    /// [body(0), …, body(count − 1)], computed on up to `threads` threads (each index exactly once,
    /// taken in increasing order from a shared counter) and returned in index order.
    /// The outermost loop reports its fraction done to ``LoopProgress``.
    static func map<T: Sendable>(_ count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let results = Mutex<[T?]>(Array(repeating: nil, count: count))
        let next = Atomic<Int>(0), done = Atomic<Int>(0)
        let outermost = LoopProgress.depth.wrappingAdd(1, ordering: .relaxed).oldValue == 0
        defer { LoopProgress.depth.wrappingSubtract(1, ordering: .relaxed) }
        let report = outermost ? LoopProgress.current : nil
        let loop = report == nil ? 0 : LoopProgress.nextLoop()
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, count))) { _ in
            while true {
                let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard k < count else { return }
                let value = body(k)
                results.withLock { $0[k] = value }
                if let report { report(loop, Double(done.wrappingAdd(1, ordering: .relaxed).newValue) / Double(count)) }
            }
        }
        return results.withLock { $0.map { $0! } }
    }
}
