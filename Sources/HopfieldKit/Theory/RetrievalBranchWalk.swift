import Foundation

/// RS retrieval equations in the unknowns (x, C) — x the condensed overlap (m, or the dense n) and
/// C = β(1 − q) — as ``RetrievalBranchWalk`` follows them: the classical/diluted and the dense RS solvers.
protocol RetrievalBranchEquations: Sendable {
    /// The largest admissible C.
    var cMax: Double { get }
    /// The residual the walk drives to zero at (x, C) (each family's own scaling of the C-equation).
    func branchResidual(_ x: Double, c: Double) -> [Double]
    /// The full record of the retrieval root (x, C), stable iff its det J > 0.
    func branchRecord(_ x: Double, c: Double, status: SolverStatus) -> ReplicaSymmetricSolution
}

/// Follows an RS retrieval branch in (x, ln C) by ``ArclengthContinuation`` — the one walk behind
/// `rs-solve --follow` (classical and dense), the dense spinodal lines and the trained root search.
enum RetrievalBranchWalk {
    /// The walk from (x₀, C₀) at parameter value λ₀ towards increasing λ if `direction` > 0; it ends
    /// where λ leaves `range` or x falls to 10⁻⁶. `equations(λ)` is nil outside the parameter's domain.
    static func walk<E: RetrievalBranchEquations>(from start: (x: Double, c: Double), at lambda0: Double, direction: Double,
                                                  within range: ClosedRange<Double>, settings: ArclengthSettings,
                                                  equations: @escaping (Double) -> E?) -> FollowedBranch {
        ArclengthContinuation.follow(
            from: [start.x, log(start.c)], at: lambda0, direction: direction, within: range, settings: settings,
            residual: { u, value in
                guard let e = equations(value), u[0] > 0 else { return nil }
                let c = exp(u[1])
                guard c < e.cMax else { return nil }
                return e.branchResidual(u[0], c: c)
            },
            stop: { u, _ in u[0] < 1e-6 ? "the overlap fell to \(u[0]): the unstable member meets the zero-overlap states" : nil })
    }

    /// The retrieval branch through `start` (a stable root at λ = `here`) followed in α or T within
    /// `range`, largest step `maxStep` (scaled), as records: each with `arclength`, `fold`,
    /// `folds_passed`, its own stability (det J > 0; a fold is marked not stable) and admissibility.
    static func follow<E: RetrievalBranchEquations>(_ parameter: FollowedParameter, from start: ReplicaSymmetricSolution, at here: Double,
                                                    within range: ClosedRange<Double>, maxStep: Double, tolerance: Double,
                                                    equations: @escaping (Double) -> E?) -> (records: [ReplicaSymmetricSolution], ending: String) {
        var settings = ArclengthSettings(parameterScale: max(range.upperBound - range.lowerBound, 1e-12), maxStep: maxStep,
                                         tolerance: tolerance)
        settings.name = parameter == .alpha ? "α" : "T"
        let branch = walk(from: (start.n ?? start.m, start.c), at: here, direction: here < range.upperBound ? 1 : -1,
                          within: range, settings: settings, equations: equations)
        let records = branch.points.compactMap { point -> ReplicaSymmetricSolution? in
            guard let e = equations(point.parameter) else { return nil }
            var record = e.branchRecord(point.unknowns[0], c: exp(point.unknowns[1]), status: point.status)
            if point.fold { record.stable = false }
            record.arclength = point.arclength
            record.fold = point.fold
            record.foldsPassed = point.foldsPassed
            record.judgeAdmissibility()
            return record
        }
        return (records, branch.ending)
    }
}
