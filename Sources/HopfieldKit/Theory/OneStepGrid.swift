import Dispatch
import Synchronization

/// 1RSB solutions on an (α, T) grid. Each temperature row is solved along increasing α by
/// continuation: a converged, genuinely broken (q₁ > q₀) solution is the start of the next point,
/// which keeps the solver on one branch and carries it past the RS spinodal (where the RS start
/// no longer exists); otherwise the point starts from its own RS solution. Rows run on threads and
/// the result does not depend on their number.
public enum OneStepGrid {
    public enum Model: Sendable, Equatable {
        case classical
        case dense(order: Int)
    }

    public static func solve(model: Model, alphas: [Double], temperatures: [Double], branch: ReplicaSymmetricSolution.Branch,
                             fixedX: Double? = nil, settings: SolverSettings = SolverSettings(), measure: GaussianMeasure,
                             threads: Int = 1) -> [ReplicaSymmetryBreakingSolution?] {
        let sortedAlphas = alphas.enumerated().sorted { $0.element < $1.element }
        let rows = Mutex<[[ReplicaSymmetryBreakingSolution?]?]>(Array(repeating: nil, count: temperatures.count))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, temperatures.count))) { _ in
            while true {
                let j = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard j < temperatures.count else { return }
                let t = temperatures[j]
                var row = [ReplicaSymmetryBreakingSolution?](repeating: nil, count: alphas.count)
                var previous: ReplicaSymmetryBreakingSolution?
                for (i, a) in sortedAlphas {
                    let start = previous.flatMap { startVector($0, model: model) }
                    var s = point(model, a, t, branch, fixedX, settings, measure, start: start)
                    if start != nil, s == nil || !(s!.converged) {
                        s = point(model, a, t, branch, fixedX, settings, measure, start: nil)
                    }
                    row[i] = s
                    if let s, s.converged, !s.reducesToReplicaSymmetry { previous = s } else { previous = nil }
                }
                rows.withLock { $0[j] = row }
            }
        }
        let result = rows.withLock { $0.map { $0! } }
        return alphas.indices.flatMap { i in temperatures.indices.map { j in result[j][i] } }
    }

    static func point(_ model: Model, _ a: Double, _ t: Double, _ branch: ReplicaSymmetricSolution.Branch, _ fixedX: Double?,
                      _ settings: SolverSettings, _ measure: GaussianMeasure, start: [Double]?) -> ReplicaSymmetryBreakingSolution? {
        switch model {
        case .classical:
            return ClassicalOneStepRSB(alpha: a, temperature: t, settings: settings, fixedX: fixedX)
                .solve(branch: branch, start: start, measure: measure)
        case .dense(let p):
            return DenseOneStepRSB(order: p, alpha: a, temperature: t, settings: settings, fixedX: fixedX, measure: measure)
                .solve(branch: branch, measure: measure, start: start)
        }
    }

    /// The start vector a neighbouring solution hands on: classical (m, q₀, q₁) or at T = 0 (m, q₀, C₁, μ);
    /// dense (n, q₀, q₁) or at T = 0 (n, q₀, μ).
    static func startVector(_ s: ReplicaSymmetryBreakingSolution, model: Model) -> [Double]? {
        switch model {
        case .classical:
            if let mu = s.mu, let c1 = s.c1 { return [s.m, s.q0, c1, mu] }
            return [s.m, s.q0, s.q1]
        case .dense:
            if let mu = s.mu { return [s.m, s.q0, mu] }
            return [s.m, s.q0, s.q1]
        }
    }
}
