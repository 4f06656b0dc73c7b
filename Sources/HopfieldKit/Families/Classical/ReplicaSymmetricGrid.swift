/// RS solutions of the pairwise networks (±1 patterns, or diluted ones with `dilution` d) on an
/// (α, T) grid, α-major: one entry (the branches) per point. Each α row is continued along increasing
/// T (``Continuation``); its first point brackets every branch, later ones add the bracketing scan
/// only when a stable retrieval state appears without its unstable partner (``thorough``: always).
public enum ReplicaSymmetricGrid {
    public static func solve(alphas: [Double], temperatures: [Double], dilution: Double = 0, measure: GaussianMeasure,
                             settings: SolverSettings, threads: Int = 1,
                             thorough: Bool = false) -> [[ReplicaSymmetricSolution]] {
        Continuation.solve(rows: alphas.count, path: temperatures, threads: threads, thoroughStart: true, thorough: thorough) { i, t in
            ClassicalReplicaSymmetric(alpha: alphas[i], temperature: t, dilution: dilution, measure: measure, settings: settings)
        }.flatMap { $0 }
    }
}
