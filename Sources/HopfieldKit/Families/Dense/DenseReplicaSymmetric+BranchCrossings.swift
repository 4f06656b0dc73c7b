import Foundation

extension DenseReplicaSymmetric {
    /// Starts for the retrieval roots of a trained network in the large-M form (ρ > 0) that the
    /// reduced scan can miss (a stable and an unstable root within one grid cell, near a fold of
    /// the C-roots): the retrieval branch is followed in ρ by pseudo-arclength continuation
    /// (``ArclengthContinuation``, unknowns (n, ln C)) from its state at ρ = 0 — where χ̄ = r is
    /// deterministic and the retrieval state is the damped iteration's — through all its folds up to
    /// max(2ρ, (1 − r²)/r²), and every crossing of this ρ is a start (n, C). Finds every root on the
    /// branch connected to ρ = 0 (not an isolated loop). Empty for plain patterns and the finite-M form.
    func branchCrossings() -> [(Double, Double)] {
        guard case let .entropy(rho, quality: r, learning) = examples, rho > 0 else { return [] }
        let (order, alpha, temperature, measure, settings) = (self.order, self.alpha, self.temperature, self.measure, self.settings)
        func equationsAt(_ x: Double) -> DenseReplicaSymmetric {
            DenseReplicaSymmetric(order: order, alpha: alpha, temperature: temperature, examples: .entropy(x, quality: r, learning),
                                  measure: measure, settings: settings)
        }
        guard let start = equationsAt(0).stableRetrieval(), start.c > 1e-280 else { return [] }
        let top = max(2 * rho, (1 - r * r) / (r * r))
        var follow = ArclengthSettings(parameterScale: top, maxStep: 0.05, maxPoints: 2000, tolerance: 1e-10)
        follow.name = "ρ"
        let walk = RetrievalBranchWalk.walk(from: (start.n ?? start.m, start.c), at: 0, direction: 1, within: 0...top,
                                            settings: follow) { x in x >= 0 ? equationsAt(x) : nil }
        var starts: [(Double, Double)] = []
        for (a, b) in zip(walk.points, walk.points.dropFirst()) where (a.parameter - rho) * (b.parameter - rho) <= 0 && a.parameter != b.parameter {
            let t = (rho - a.parameter) / (b.parameter - a.parameter)
            starts.append((a.unknowns[0] + t * (b.unknowns[0] - a.unknowns[0]), exp(a.unknowns[1] + t * (b.unknowns[1] - a.unknowns[1]))))
        }
        return starts
    }
}
