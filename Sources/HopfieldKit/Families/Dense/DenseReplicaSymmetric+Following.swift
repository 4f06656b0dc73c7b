import Foundation

extension DenseReplicaSymmetric: RetrievalBranchEquations {
    /// (F₁, F₂/max(1, C)) in (n, C): the C-equation relative to max(1, C), as everywhere in the
    /// dense solver (its polish, the fold solve).
    func branchResidual(_ n: Double, c: Double) -> [Double] {
        let r = residual(n: n, c: c)
        return [r.f1, r.f2 / max(1, c)]
    }

    func branchRecord(_ n: Double, c: Double, status: SolverStatus) -> ReplicaSymmetricSolution {
        record(.retrieval, n: n, c: c, stable: isStable(n: n, c: c), status: status)
    }

    /// The retrieval branch through this point's stable retrieval state, followed in α or T by
    /// pseudo-arclength continuation (``RetrievalBranchWalk``, unknowns (n, ln C)) through its folds
    /// (the spinodal, the capacity of the trained network) onto the unstable partner, until the
    /// parameter leaves `range` or n falls to 10⁻⁶. Each point's `stable` is det ∂(F₁, F₂)/∂(n, C) > 0
    /// there (``isStable(n:c:)``). nil without a stable retrieval start.
    public func followRetrieval(_ parameter: FollowedParameter, within range: ClosedRange<Double>,
                                maxStep: Double) -> (records: [ReplicaSymmetricSolution], ending: String)? {
        guard let start = stableRetrieval() else { return nil }
        let (order, alpha, temperature, examples, measure, settings) = (self.order, self.alpha, self.temperature, self.examples,
                                                                         self.measure, self.settings)
        return RetrievalBranchWalk.follow(parameter, from: start, at: parameter == .alpha ? alpha : temperature, within: range,
                                          maxStep: maxStep, tolerance: settings.tolerance) { value -> DenseReplicaSymmetric? in
            let p = parameter.point(alpha: alpha, temperature: temperature, value: value)
            guard p.alpha > 0, p.temperature >= 0 else { return nil }
            return DenseReplicaSymmetric(order: order, alpha: p.alpha, temperature: p.temperature, examples: examples,
                                         measure: measure, settings: settings)
        }
    }
}
