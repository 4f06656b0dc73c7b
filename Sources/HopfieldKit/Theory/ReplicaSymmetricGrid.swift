import Dispatch
import Synchronization

/// RS solutions of the classical Hopfield model on an (α, T) grid.
///
/// Each α row is solved along increasing T by continuation: the branches found at the previous
/// temperature are the starting points (hints) of the next, so a point costs a few Newton steps.
/// The first point of a row is solved by full bracketing; later points add the bracketing scan
/// only when a stable retrieval state appears without its unstable partner. Rows are independent
/// and run on up to `threads` threads; the result does not depend on the thread count.
public enum ReplicaSymmetricGrid {
    public static func solve(alphas: [Double], temperatures: [Double], dilution: Double = 0, measure: GaussianMeasure,
                             settings: SolverSettings, threads: Int = 1,
                             thorough: Bool = false) -> [[ReplicaSymmetricSolution]] {
        let temperaturesAscending = temperatures.enumerated().sorted { $0.element < $1.element }
        let rows = Mutex<[[[ReplicaSymmetricSolution]]?]>(Array(repeating: nil, count: alphas.count))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, alphas.count))) { _ in
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < alphas.count else { return }
                var row = [[ReplicaSymmetricSolution]](repeating: [], count: temperatures.count)
                var hints: [ReplicaSymmetricSolution] = []
                for (k, (j, t)) in temperaturesAscending.enumerated() {
                    let equations = ClassicalReplicaSymmetric(alpha: alphas[i], temperature: t, dilution: dilution,
                                                              measure: measure, settings: settings)
                    let solutions = equations.solve(hints: hints, thorough: thorough || k == 0)
                    row[j] = solutions
                    hints = solutions
                }
                rows.withLock { $0[i] = row }
            }
        }
        let result = rows.withLock { $0.map { $0! } }
        return alphas.indices.flatMap { i in temperatures.indices.map { j in result[i][j] } }
    }
}
