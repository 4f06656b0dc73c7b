import Foundation

extension DenseReplicaSymmetric {
    /// The retrieval branch through this point's stable retrieval state, followed in α or T by
    /// pseudo-arclength continuation (``ArclengthContinuation``) in the unknowns (n, ln C) through
    /// its folds (the spinodal, the capacity of the trained network) onto the unstable partner,
    /// until the parameter leaves `range` or n falls to 10⁻⁶. Each point's `stable` is
    /// det ∂(F₁, F₂)/∂(n, C) > 0 there (``isStable(n:c:)``). The C-equation is taken relative to
    /// max(1, C), as everywhere in the dense solver. nil without a stable retrieval start.
    public func followRetrieval(_ parameter: FollowedParameter, within range: ClosedRange<Double>,
                                maxStep: Double) -> (records: [ReplicaSymmetricSolution], ending: String)? {
        guard let start = stableRetrieval() else { return nil }
        let (order, alpha, temperature, examples, measure, settings) = (self.order, self.alpha, self.temperature, self.examples,
                                                                         self.measure, self.settings)
        func equations(_ value: Double) -> DenseReplicaSymmetric? {
            let p = parameter.point(alpha: alpha, temperature: temperature, value: value)
            guard p.alpha > 0, p.temperature >= 0 else { return nil }
            return DenseReplicaSymmetric(order: order, alpha: p.alpha, temperature: p.temperature, examples: examples,
                                         measure: measure, settings: settings)
        }
        let here = parameter == .alpha ? alpha : temperature
        var follow = ArclengthSettings(parameterScale: max(range.upperBound - range.lowerBound, 1e-12), maxStep: maxStep,
                                       tolerance: settings.tolerance)
        follow.name = parameter == .alpha ? "α" : "T"
        let branch = ArclengthContinuation.follow(
            from: [start.n ?? start.m, log(start.c)], at: here, direction: here < range.upperBound ? 1 : -1, within: range,
            settings: follow,
            residual: { u, value in
                guard let e = equations(value) else { return nil }
                let c = exp(u[1])
                guard c < e.cMax else { return nil }
                let r = e.residual(n: u[0], c: c)
                return [r.f1, r.f2 / max(1, c)]        // relative C-residual, as the point solver's polish
            },
            stop: { u, _ in u[0] < 1e-6 ? "n fell to \(u[0]): the unstable member meets the n = 0 states" : nil })
        let records = branch.points.compactMap { point -> ReplicaSymmetricSolution? in
            guard let e = equations(point.parameter) else { return nil }
            let (n, c) = (point.unknowns[0], exp(point.unknowns[1]))
            var record = e.record(.retrieval, n: n, c: c, stable: point.fold ? false : e.isStable(n: n, c: c), status: point.status)
            record.arclength = point.arclength
            record.fold = point.fold
            record.foldsPassed = point.foldsPassed
            record.judgeAdmissibility()
            return record
        }
        return (records, branch.ending)
    }
}
