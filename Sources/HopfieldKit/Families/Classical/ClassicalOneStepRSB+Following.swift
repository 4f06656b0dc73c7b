import Foundation

extension ClassicalOneStepRSB {
    /// The T = 0 1RSB retrieval branch through this α, followed in α by pseudo-arclength
    /// continuation (``ArclengthContinuation``) through its fold (the 1RSB capacity α_c, 0.138186
    /// by Steffan & Kühn) onto the unstable partner, in the unknowns (m, ln(1 − q₀), ln C₁, ln μ) of
    /// the four equations F = (m − E S/Z, q₀ − E(S/Z)², C₁ − E 2φ(a/b)/(bZ), ∂f/∂μ) — μ is an unknown
    /// like the others, so no root of ∂f/∂μ is bracketed and the walk cannot slip onto the partner
    /// branch as a warm-started bracket search can near the fold. The member ("stable" or
    /// "unstable") flips at each fold, starting stable. Ends where α leaves `range`, m falls below
    /// 10⁻³, or the state reduces to RS (1 − q₀ < 10⁻⁷). nil without a converged, broken
    /// retrieval state at this α to start from, or at T > 0.
    public func followZeroTemperatureRetrieval(within range: ClosedRange<Double>, maxStep: Double,
                                               measure: GaussianMeasure) -> (records: [ReplicaSymmetryBreakingSolution], ending: String)? {
        guard !beta.isFinite, fixedX == nil,
              let start = solve(branch: .retrieval, measure: measure), start.converged, !start.reducesToReplicaSymmetry,
              let c1 = start.c1, let mu = start.mu else { return nil }
        let settings = self.settings
        func equations(_ a: Double) -> ClassicalOneStepRSB? {
            a > 0 ? ClassicalOneStepRSB(alpha: a, temperature: 0, settings: settings) : nil
        }
        var follow = ArclengthSettings(parameterScale: max(range.upperBound - range.lowerBound, 1e-12), maxStep: maxStep,
                                       tolerance: 10 * max(settings.tolerance, 1e-11))
        follow.name = "α"
        let branch = ArclengthContinuation.follow(
            from: [start.m, log(1 - start.q0), log(c1), log(mu)], at: alpha, direction: alpha < range.upperBound ? 1 : -1,
            within: range, settings: follow,
            residual: { u, a in
                guard let e = equations(a) else { return nil }
                let (m, q0, c1, mu) = (u[0], 1 - exp(u[1]), exp(u[2]), exp(u[3]))
                guard let r = e.zeroResidual(m, q0, c1, mu: mu), let g = e.muDerivative(m: m, q0: q0, c1: c1, mu: mu) else { return nil }
                return r + [g]
            },
            stop: { u, _ in
                if u[0] < 1e-3 { return "m fell to \(u[0])" }
                if exp(u[1]) < ReplicaSymmetryBreakingSolution.reductionTolerance { return "the state reduces to RS (1 − q₀ = \(exp(u[1])))" }
                return nil
            })
        let records = branch.points.compactMap { point -> ReplicaSymmetryBreakingSolution? in
            guard let e = equations(point.parameter) else { return nil }
            let u = point.unknowns
            let (m, q0, c1, mu) = (u[0], 1 - exp(u[1]), exp(u[2]), exp(u[3]))
            guard var record = e.zeroTemperatureRecord(branch: .retrieval, m: m, q0: q0, c1: c1, mu: mu, status: point.status, rs: nil,
                                                       start: [start.m, start.q0, c1, mu],
                                                       from: "pseudo-arclength continuation from α = \(alpha)") else { return nil }
            record.arclength = point.arclength
            record.fold = point.fold
            record.foldsPassed = point.foldsPassed
            record.member = point.fold ? "fold" : (point.foldsPassed % 2 == 0 ? "stable" : "unstable")
            record.judgeAdmissibility()
            return record
        }
        return (records, branch.ending)
    }
}
