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
            record.label(point)
            return record
        }
        return (records, branch.ending)
    }

    /// The finite-T 1RSB retrieval branch through `start` (a converged, broken state at this T),
    /// followed in α by pseudo-arclength continuation in the unknowns (m, q₀, ln(q₁ − q₀), ln x) of
    /// F = (m − E⟨tanh⟩, q₁ − E⟨tanh²⟩, q₀ − E⟨tanh⟩², ∂f/∂x), x an unknown like the others (so the
    /// walk passes the fold, the 1RSB spinodal α_c(T)). Members and endings as for
    /// ``followZeroTemperatureRetrieval(within:maxStep:measure:)``; ends also where x reaches 1.
    /// Corrector tolerance max(10·tolerance, 10⁻⁹): the nested panel quadrature jumps where its
    /// breakpoints cross (~10⁻¹³ in f; ~10⁻¹⁰ in ∂f/∂x when that was a central difference of f, now
    /// closed form), which a tighter tolerance cannot get below.
    public func followFiniteTemperatureRetrieval(from start: ReplicaSymmetryBreakingSolution, within range: ClosedRange<Double>,
                                                 maxStep: Double, stopAtFirstFold: Bool = false) -> (records: [ReplicaSymmetryBreakingSolution], ending: String)? {
        guard beta.isFinite, start.converged, !start.reducesToReplicaSymmetry, let x0 = start.x else { return nil }
        let (temperature, settings) = (self.temperature, self.settings)
        func equations(_ a: Double) -> ClassicalOneStepRSB? {
            a > 0 ? ClassicalOneStepRSB(alpha: a, temperature: temperature, settings: settings) : nil
        }
        var follow = ArclengthSettings(parameterScale: max(range.upperBound - range.lowerBound, 1e-12), maxStep: maxStep,
                                       tolerance: max(10 * settings.tolerance, 1e-9))
        follow.name = "α"
        follow.stopAtFirstFold = stopAtFirstFold
        let branch = ArclengthContinuation.follow(
            from: [start.m, start.q0, log(start.q1 - start.q0), log(x0)], at: start.alpha,
            direction: start.alpha < range.upperBound ? 1 : -1, within: range, settings: follow,
            residual: { u, a in
                guard let e = equations(a) else { return nil }
                let (m, q0, q1, x) = (u[0], u[1], u[1] + exp(u[2]), exp(u[3]))
                guard x < 1, let r = e.residual(m, q0, q1, x), let g = e.xDerivative(m: m, q0: q0, q1: q1, x: x) else { return nil }
                return r + [g]
            },
            stop: { u, _ in
                if u[0] < 1e-3 { return "m fell to \(u[0])" }
                if exp(u[2]) < ReplicaSymmetryBreakingSolution.reductionTolerance { return "the state reduces to RS (q₁ − q₀ = \(exp(u[2])))" }
                return nil
            })
        let records = branch.points.compactMap { point -> ReplicaSymmetryBreakingSolution? in
            guard let e = equations(point.parameter) else { return nil }
            let u = point.unknowns
            let solution = (m: u[0], q0: u[1], q1: u[1] + exp(u[2]), status: point.status)
            guard var record = e.record(branch: .retrieval, x: exp(u[3]), solution: solution, iterations: point.status.iterations, rs: nil,
                                        initial: (start.m, start.q0, start.q1),
                                        from: "pseudo-arclength continuation from α = \(start.alpha)") else { return nil }
            record.label(point)
            return record
        }
        return (records, branch.ending)
    }

    /// The retrieval state at this (α, T > 0) reached by following the branch
    /// (``followFiniteTemperatureRetrieval(from:within:maxStep:)``, stopping at its first fold) from
    /// the neighbour's state when a grid hands one on (`neighbour` = ``startVector(_:)`` of a converged,
    /// broken state at a lower α), else from the first of 0.99α, 0.98α, 0.95α where the x-scan search
    /// gives a converged, broken state. A fold before α means no retrieval state here; a walk that
    /// fails is reported as such, never as "no state".
    func continuedRetrieval(measure: GaussianMeasure, neighbour: [Double]? = nil) -> ContinuedRetrieval {
        var starts: [() -> ReplicaSymmetryBreakingSolution?] = []
        if let v = neighbour, v.count >= 5, v[4] < alpha, v[4] >= 0.9 * alpha, v[2] > v[1], v[3] > 0, v[3] < 1 {
            let lower = ClassicalOneStepRSB(alpha: v[4], temperature: temperature, settings: settings)
            starts.append {
                guard let l = lower.levels(q0: v[1], q1: v[2], x: v[3]),
                      let f = lower.freeEnergy(m: v[0], q0: v[1], q1: v[2], r0: l.r0, r1: l.r1, x: v[3], beta: lower.beta) else { return nil }
                return ReplicaSymmetryBreakingSolution(
                    model: "classical", alpha: v[4], temperature: self.temperature, branch: "retrieval", p: nil, m: v[0], q0: v[1], q1: v[2],
                    x: v[3], mu: nil, xMode: "optimised", r0: l.r0, r1: l.r1, c1: nil, freeEnergy: f, entropy: nil, energy: nil,
                    reducesToReplicaSymmetry: false, rsFreeEnergy: nil, rsM: nil, rsQ: nil, converged: true, iterations: 0,
                    residual: 0, method: "neighbour", start: v, startFrom: "neighbour")
            }
        }
        for fraction in [0.99, 0.98, 0.95] {
            let lower = ClassicalOneStepRSB(alpha: fraction * alpha, temperature: temperature, settings: settings)
            starts.append { lower.searchSolve(branch: .retrieval, start: nil, measure: measure) }
        }
        var failure: ReplicaSymmetryBreakingSolution?
        for makeStart in starts {
            guard let s0 = makeStart(), s0.converged, !s0.reducesToReplicaSymmetry,
                  let walk = followFiniteTemperatureRetrieval(from: s0, within: s0.alpha...alpha, maxStep: 0.1, stopAtFirstFold: true)
            else { continue }
            // A fold before α: the branch does not reach this point (definitive).
            if walk.ending.hasPrefix("reached a fold") || walk.ending.hasPrefix("passed a fold") { return .noState(walk.ending) }
            guard let last = walk.records.last, last.alpha == alpha, last.foldsPassed == 0, walk.ending.hasPrefix("left the range") else {
                // The walk failed (corrector) before α: not an answer; try the next start.
                if var partial = walk.records.last ?? Optional(s0) {
                    partial.method = "not converged: following the branch from α = \(s0.alpha) stopped at α = \(partial.alpha) (\(walk.ending)); the values are those at α = \(partial.alpha)"
                    partial.converged = false
                    partial.alpha = alpha
                    partial.arclength = nil; partial.fold = nil; partial.foldsPassed = nil; partial.member = nil
                    failure = partial
                }
                continue
            }
            var result = last
            result.arclength = nil
            result.fold = nil
            result.foldsPassed = nil
            result.member = nil
            result.method = "pseudo-arclength continuation in α from \(s0.alpha) (x an unknown; gsl-hybrids corrector)"
            result.startFrom = s0.startFrom == "neighbour" ? "the neighbour's state at α = \(s0.alpha)" : "the x-scan solution at α = \(s0.alpha)"
            result.start = ClassicalOneStepRSB.startVector(s0)
            let rs = replicaSymmetricState(.retrieval, measure: measure)
            result.rsFreeEnergy = rs?.freeEnergy
            result.rsM = rs?.m
            result.rsQ = rs?.q
            return .found(result)
        }
        return .failed(failure)
    }

    /// What following the branch to this α gave.
    enum ContinuedRetrieval {
        /// The state at α.
        case found(ReplicaSymmetryBreakingSolution)
        /// The branch folds before α: no retrieval state here.
        case noState(String)
        /// No walk reached α (no start, or the corrector failed): a not-converged record where a
        /// walk got part of the way, else nil.
        case failed(ReplicaSymmetryBreakingSolution?)
    }
}

extension ReplicaSymmetryBreakingSolution {
    /// Marks a point of a followed 1RSB branch: its arclength, whether it is a fold, the folds
    /// passed, its member ("stable" before an even number of folds from the stable start, else
    /// "unstable"; "fold" at one), then judges its admissibility.
    mutating func label(_ point: BranchCurvePoint) {
        arclength = point.arclength
        fold = point.fold
        foldsPassed = point.foldsPassed
        member = point.fold ? "fold" : (point.foldsPassed % 2 == 0 ? "stable" : "unstable")
        judgeAdmissibility()
    }
}
