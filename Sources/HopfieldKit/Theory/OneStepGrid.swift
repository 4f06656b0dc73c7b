/// A 1RSB solver of one family at one (α, T): ``ClassicalOneStepRSB``, ``DenseOneStepRSB``.
public protocol OneStepRSBSolver: Sendable {
    /// The 1RSB saddle point of `branch`, started from `start` (a neighbour's ``startVector(_:)``)
    /// or, for nil, from the RS solution; nil where there is no RS state to start from.
    func solve(branch: ReplicaSymmetricSolution.Branch, start: [Double]?, measure: GaussianMeasure) -> ReplicaSymmetryBreakingSolution?
    /// The start vector a neighbouring solution hands on to the next point.
    static func startVector(_ s: ReplicaSymmetryBreakingSolution) -> [Double]
    /// Whether `solve` itself reaches points beyond the RS spinodal (by following the branch), so
    /// that a point it leaves without a state has none and the grid's own continuation from 5%
    /// lower α is not needed.
    var continuesInternally: Bool { get }
}

extension OneStepRSBSolver {
    public var continuesInternally: Bool { false }
}

/// The 1RSB equations of one family at one point as ``SaddlePointEquations``: a converged, genuinely
/// broken (q₁ > q₀) neighbour is the start, which keeps the solver on one branch and carries it past
/// the RS spinodal (where the RS start no longer exists); when that fails, or there is no such
/// neighbour, the point starts from its own RS solution.
public struct OneStepEquations<Solver: OneStepRSBSolver>: SaddlePointEquations {
    public var solver: Solver
    public var branch: ReplicaSymmetricSolution.Branch
    public var measure: GaussianMeasure

    public init(solver: Solver, branch: ReplicaSymmetricSolution.Branch, measure: GaussianMeasure) {
        self.solver = solver; self.branch = branch; self.measure = measure
    }

    public func solve(hints: [ReplicaSymmetryBreakingSolution], thorough: Bool) -> [ReplicaSymmetryBreakingSolution] {
        let neighbour = hints.first { $0.converged && !$0.reducesToReplicaSymmetry }
        let start = neighbour.map(Solver.startVector)
        var s = solver.solve(branch: branch, start: start, measure: measure)
        // A solver that follows its branch itself has settled a nil (a fold before this point).
        if start != nil, s == nil ? !solver.continuesInternally || branch != .retrieval : !(s!.converged) {
            s = solver.solve(branch: branch, start: nil, measure: measure)
        }
        return s.map { [$0] } ?? []
    }
}

/// 1RSB solutions on an (α, T) grid: each temperature row continued along increasing α
/// (``Continuation``); rows run on threads and the result does not depend on their number.
public enum OneStepGrid {
    /// `result[i][j]`: the solutions (none or one) at (alphas[i], temperatures[j]).
    public static func solve<E: SaddlePointEquations>(alphas: [Double], temperatures: [Double], threads: Int,
                                                      equations: @Sendable @escaping (_ alpha: Double, _ temperature: Double) -> E)
        -> [[[E.Solution]]] {
        let rows = Continuation.solve(rows: temperatures.count, path: alphas, threads: threads) { j, a in
            equations(a, temperatures[j])
        }
        return alphas.indices.map { i in temperatures.indices.map { j in rows[j][i] } }
    }

    /// The family's 1RSB (nil where it has none), α-major: one entry per (α, T), nil where no
    /// solution was found even by internal continuation from a lower α.
    public static func solve(family: NetworkFamily, alphas: [Double], temperatures: [Double],
                             branch: ReplicaSymmetricSolution.Branch, fixedX: Double? = nil,
                             settings: SolverSettings = SolverSettings(), measure: GaussianMeasure,
                             threads: Int = 1) -> [ReplicaSymmetryBreakingSolution?]? {
        guard let solved = family.contract.oneStepRSB(alphas: alphas, temperatures: temperatures, branch: branch, fixedX: fixedX,
                                                      settings: settings, measure: measure, threads: threads) else { return nil }
        var result = solved.flatMap { $0.map(\.first) }
        // A point without a state to start from (beyond the RS spinodal, where RS has no retrieval
        // state, and no solved neighbour below it): continued internally from 5% lower α, where the
        // RS start exists, in steps that shrink quadratically towards the point (~10⁻⁵ α at the end)
        // so the branch is followed up to its fold.
        let missing = result.indices.filter { index in
            result[index] == nil && !family.contract.oneStepContinuesInternally(branch: branch, temperature: temperatures[index % temperatures.count],
                                                                               fixedX: fixedX)
        }
        let continued = Parallel.map(missing.count, threads: threads) { k -> ReplicaSymmetryBreakingSolution? in
            let index = missing[k]
            let alpha = alphas[index / temperatures.count], t = temperatures[index % temperatures.count]
            let n = 40
            let path = (0...n).map { step -> Double in
                let u = 1 - Double(step) / Double(n)
                return alpha * (1 - 0.05 * u * u)
            }
            // Only where a genuinely broken state exists 5% lower (one solve): only such a state is
            // handed on by continuation, and where 1RSB reduces to RS it ends with RS's spinodal.
            guard let first = family.contract.oneStepRSB(alphas: [path[0]], temperatures: [t], branch: branch, fixedX: fixedX,
                                                         settings: settings, measure: measure, threads: 1)?.first?.first?.first,
                  first.converged, !first.reducesToReplicaSymmetry else { return nil }
            return family.contract.oneStepRSB(alphas: path, temperatures: [t], branch: branch, fixedX: fixedX,
                                              settings: settings, measure: measure, threads: 1)?.last?.first?.first
        }
        for (k, index) in missing.enumerated() { result[index] = continued[k] }
        return result
    }
}

extension OneStepGrid {
    /// The 1RSB state at one (α, T) found without a grid: from its own RS start, else (beyond the RS
    /// spinodal, where there is none, or where that solve did not converge) continued from 5% lower α as in ``solve(family:alphas:temperatures:branch:fixedX:settings:measure:threads:)``.
    public static func point<E: SaddlePointEquations>(alpha: Double, temperature t: Double,
                                                      equations: (_ alpha: Double, _ temperature: Double) -> E)
        -> ReplicaSymmetryBreakingSolution? where E.Solution == ReplicaSymmetryBreakingSolution {
        let here = equations(alpha, t)
        let direct = here.solve(hints: [], thorough: false).first
        if let direct, direct.converged { return direct }
        if let oneStep = here as? any OneStepContinuing, oneStep.continuesInternally { return direct }
        let n = 40
        let path = (0...n).map { step -> Double in
            let u = 1 - Double(step) / Double(n)
            return alpha * (1 - 0.05 * u * u)
        }
        guard let first = equations(path[0], t).solve(hints: [], thorough: false).first,
              first.converged, !first.reducesToReplicaSymmetry else { return direct }
        var hints = [first]
        for a in path.dropFirst() { hints = equations(a, t).solve(hints: hints, thorough: false) }
        if let continued = hints.first, continued.converged || direct == nil { return continued }
        return direct
    }
}

/// ``OneStepEquations`` whose solver follows its branch itself (``OneStepRSBSolver/continuesInternally``).
protocol OneStepContinuing {
    var continuesInternally: Bool { get }
}

extension OneStepEquations: OneStepContinuing {
    var continuesInternally: Bool { solver.continuesInternally && branch == .retrieval }
}
