import Foundation

extension ClassicalReplicaSymmetric {
    /// The retrieval branch through this point's stable retrieval state, followed in α or T by
    /// pseudo-arclength continuation (``ArclengthContinuation``) in the unknowns (m, ln C) through
    /// its folds: up to the spinodal on the stable member, then back on the unstable partner, until
    /// the parameter leaves `range` or m falls to 10⁻⁶ (the partner meets the m = 0 states). Each
    /// point is a full record, its `stable` from det ∂(F₁, F₂)/∂(m, C) > 0 at that point
    /// (``isStable(m:c:)``), independent of the walk's fold count. nil when this point has no
    /// converged stable retrieval state to start from.
    public func followRetrieval(_ parameter: FollowedParameter, within range: ClosedRange<Double>,
                                maxStep: Double) -> (records: [ReplicaSymmetricSolution], ending: String)? {
        guard let start = solve(thorough: true).first(where: { $0.branch == .retrieval && $0.stable && $0.converged }) else { return nil }
        let (alpha, temperature, dilution, measure, settings) = (self.alpha, self.temperature, self.dilution, self.measure, self.settings)
        func equations(_ value: Double) -> ClassicalReplicaSymmetric? {
            let p = parameter.point(alpha: alpha, temperature: temperature, value: value)
            guard p.alpha > 0, p.temperature >= 0 else { return nil }
            return ClassicalReplicaSymmetric(alpha: p.alpha, temperature: p.temperature, dilution: dilution,
                                             measure: measure, settings: settings)
        }
        let here = parameter == .alpha ? alpha : temperature
        var follow = ArclengthSettings(parameterScale: max(range.upperBound - range.lowerBound, 1e-12), maxStep: maxStep,
                                       tolerance: settings.tolerance)
        follow.name = parameter == .alpha ? "α" : "T"
        let branch = ArclengthContinuation.follow(
            from: [start.m, log(start.c)], at: here, direction: here < range.upperBound ? 1 : -1, within: range,
            settings: follow,
            residual: { u, value in
                guard let e = equations(value) else { return nil }
                let c = exp(u[1])
                guard c < e.cMax else { return nil }
                let r = e.residual(m: u[0], c: c)
                return [r.f1, r.f2]
            },
            stop: { u, _ in u[0] < 1e-6 ? "m fell to \(u[0]): the unstable member meets the m = 0 states" : nil })
        let records = branch.points.compactMap { point -> ReplicaSymmetricSolution? in
            guard let e = equations(point.parameter) else { return nil }
            let (m, c) = (point.unknowns[0], exp(point.unknowns[1]))
            var record = e.record(.retrieval, m: m, c: c, stable: point.fold ? false : e.isStable(m: m, c: c), status: point.status)
            record.arclength = point.arclength
            record.fold = point.fold
            record.foldsPassed = point.foldsPassed
            record.judgeAdmissibility()
            return record
        }
        return (records, branch.ending)
    }
}
