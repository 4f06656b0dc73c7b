import Foundation

extension ClassicalReplicaSymmetric: RetrievalBranchEquations {
    /// (F₁, F₂) in (m, C).
    func branchResidual(_ m: Double, c: Double) -> [Double] {
        let r = residual(m: m, c: c)
        return [r.f1, r.f2]
    }

    func branchRecord(_ m: Double, c: Double, status: SolverStatus) -> ReplicaSymmetricSolution {
        record(.retrieval, m: m, c: c, stable: isStable(m: m, c: c), status: status)
    }

    /// The retrieval branch through this point's stable retrieval state, followed in α or T by
    /// pseudo-arclength continuation (``RetrievalBranchWalk``, unknowns (m, ln C)) through its folds:
    /// up to the spinodal on the stable member, then back on the unstable partner, until the
    /// parameter leaves `range` or m falls to 10⁻⁶ (the partner meets the m = 0 states). Each point
    /// is a full record, its `stable` from det ∂(F₁, F₂)/∂(m, C) > 0 at that point
    /// (``isStable(m:c:)``), independent of the walk's fold count. nil when this point has no
    /// converged stable retrieval state to start from.
    public func followRetrieval(_ parameter: FollowedParameter, within range: ClosedRange<Double>,
                                maxStep: Double) -> (records: [ReplicaSymmetricSolution], ending: String)? {
        guard let start = solve(thorough: true).first(where: { $0.branch == .retrieval && $0.stable && $0.converged }) else { return nil }
        let (alpha, temperature, dilution, measure, settings) = (self.alpha, self.temperature, self.dilution, self.measure, self.settings)
        return RetrievalBranchWalk.follow(parameter, from: start, at: parameter == .alpha ? alpha : temperature, within: range,
                                          maxStep: maxStep, tolerance: settings.tolerance) { value -> ClassicalReplicaSymmetric? in
            let p = parameter.point(alpha: alpha, temperature: temperature, value: value)
            guard p.alpha > 0, p.temperature >= 0 else { return nil }
            return ClassicalReplicaSymmetric(alpha: p.alpha, temperature: p.temperature, dilution: dilution,
                                             measure: measure, settings: settings)
        }
    }
}
