/// One 1RSB saddle point at one (α, T): Parisi's one-step ansatz with overlaps q₁ inside blocks of
/// x replicas and q₀ between them, the free energy, and how the solver got there (its starting point
/// and the branch it followed included). Flat keys on disk, like ``ReplicaSymmetricSolution``.
public struct ReplicaSymmetryBreakingSolution: Sendable, Equatable, Codable {
    public var model: String
    public var alpha: Double
    public var temperature: Double
    /// "retrieval" or "spin-glass".
    public var branch: String
    /// Dense networks: P (absent for the classical model).
    public var p: Int?
    public var m: Double
    public var q0: Double
    public var q1: Double
    /// Parisi's block parameter x ∈ (0, 1] (at T = 0 it vanishes; μ = βx is reported instead).
    public var x: Double?
    /// μ = βx at T = 0.
    public var mu: Double?
    /// "optimised" (∂f/∂x = 0) or "fixed".
    public var xMode: String
    /// Classical model: AGS's r at the two levels (r₀ between blocks, r₁ inside).
    public var r0: Double?
    public var r1: Double?
    /// C₁ = β(1 − q₁), finite at T = 0 (classical model).
    public var c1: Double?
    public var freeEnergy: Double
    public var entropy: Double?
    public var energy: Double?
    /// q₁ − q₀ below `reductionTolerance`: the 1RSB saddle is the RS one here.
    public var reducesToReplicaSymmetry: Bool
    /// The RS solution's free energy and overlaps at the same point, for comparison.
    public var rsFreeEnergy: Double?
    public var rsM: Double?
    public var rsQ: Double?
    public var converged: Bool
    public var iterations: Int
    public var residual: Double
    public var method: String
    /// The starting point (m, q₀, q₁, x or μ) handed to the root finder, and where it came from.
    public var start: [Double]
    public var startFrom: String
    public var quadrature = "panel Gauss–Legendre (nested, kink-refined)"
    /// "1rsb" (told apart from "rs" records in a point's record stream, ``TheoryRecord``).
    public var theory: String? = "1rsb"
    /// The global state of its point (set by ``GlobalStateSelection``; nil elsewhere).
    public var global: Bool? = nil
    /// Converged, genuinely broken (q₁ > q₀) and with entropy ≥ −10⁻⁶ (nil until judged).
    public var admissible: Bool? = nil
    public var inadmissibleBecause: String? = nil

    /// Branch following (`rsb-solve --follow`): arclength from the start on the scaled curve, whether
    /// this point is a fold, how many folds lie between the start and here, and the member of the
    /// fold pair ("stable" before an odd number of folds from the stable start, else "unstable"). nil elsewhere.
    public var arclength: Double? = nil
    public var fold: Bool? = nil
    public var foldsPassed: Int? = nil
    public var member: String? = nil

    /// Sets ``admissible`` and ``inadmissibleBecause`` from the record's own numbers. A 1RSB state of
    /// negative entropy (the spin glass at low T) needs further steps of RSB: its f is a lower bound
    /// on the true free energy, not the free energy.
    public mutating func judgeAdmissibility() {
        var reasons: [String] = []
        if !converged { reasons.append("not converged") }
        if reducesToReplicaSymmetry { reasons.append("reduces to the RS state") }
        if let s = entropy, s < -ReplicaSymmetricSolution.entropyTolerance {
            reasons.append("negative 1RSB entropy s = \(String(format: "%.3g", s)): further RSB needed, f is a lower bound")
        }
        admissible = reasons.isEmpty
        inadmissibleBecause = reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }

    public static let reductionTolerance = 1e-7
}
