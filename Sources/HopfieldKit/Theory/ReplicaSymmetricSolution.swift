/// One RS saddle point of a network at one (α, T): the order parameters, thermodynamics, stability
/// and how the solver got there. Written to disk in the common record schema (flat keys).
public struct ReplicaSymmetricSolution: Sendable, Equatable, Codable {
    public enum Branch: String, Sendable, Codable, CaseIterable {
        case retrieval
        case spinGlass = "spin-glass"
        case paramagnet
    }

    public var model: String
    public var alpha: Double
    /// Pattern dilution (0 for the classical model).
    public var dilution: Double
    public var temperature: Double
    public var branch: Branch
    /// Mattis overlap with the condensed pattern.
    public var m: Double
    /// Edwards–Anderson order parameter.
    public var q: Double
    /// AGS's r: the noise from the uncondensed patterns.
    public var r: Double
    /// C = β(1 − q), finite at T = 0.
    public var c: Double
    /// Free energy per neuron f.
    public var freeEnergy: Double
    /// Entropy per neuron s = −∂f/∂T (negative values are reported as they are: the sign that RS
    /// is broken there).
    public var entropy: Double
    /// Internal energy per neuron u = f + Ts (compare with the Monte Carlo `energy`).
    public var energy: Double
    /// Locally stable within RS (see ``ClassicalReplicaSymmetric/stability``).
    public var stable: Bool
    /// The stable branch of lowest free energy at this point.
    public var global: Bool
    /// de Almeida–Thouless (replicon) eigenvalue λ = αβ² E sech⁴(βh) / (1 − C)²; RS is stable
    /// against replica-symmetry breaking iff λ < 1. nil at T = 0, where λ = ∞ for σ > 0.
    public var replicon: Double?
    public var atStable: Bool
    public var converged: Bool
    public var iterations: Int
    public var residual: Double
    public var method: String
    /// "hermite" or "kink-split": which Gaussian rule evaluated the averages here.
    public var quadrature: String

    // Dense networks only (absent otherwise).
    /// Interaction order P.
    public var p: Int? = nil
    /// Overlap with the condensed coupling pattern (n = m for plain patterns; the example overlap of
    /// a trained network).
    public var n: Double? = nil
    public var hamiltonian: String? = nil
    /// Training set: quality r, examples M (absent in the large-M ρ form), dataset entropy ρ, protocol.
    public var quality: Double? = nil
    public var examples: Int? = nil
    public var datasetEntropy: Double? = nil
    public var learningProtocol: String? = nil
    /// w in the crosstalk variance α w q^{P−1}/(P−1)!.
    public var crosstalkWeight: Double? = nil

    /// Whether the RS state can be physical: converged, locally stable, with entropy ≥ −10⁻⁶ and,
    /// at T > 0, replicon λ ≤ 1 (de Almeida–Thouless; at T = 0, where λ = ∞ formally for any noise,
    /// the entropy is the sign of broken replica symmetry). The solvers mark as `global` the
    /// admissible state of lowest f; ``GlobalStateSelection`` then weighs it against the 1RSB state
    /// of the sector whose RS state is not admissible. The reason says why a state is not (e.g. the
    /// RS spin glass at low T, RS retrieval near capacity, the dense paramagnet below T_s).
    public var admissible: Bool? = nil
    /// Why the state is not admissible (nil when it is).
    public var inadmissibleBecause: String? = nil
    /// "rs" (told apart from "1rsb" records in a point's record stream, ``TheoryRecord``).
    public var theory: String? = "rs"
    /// The point's global state (``GlobalStateSelection``), on every branch of the point: its theory
    /// ("rs" or "1rsb"), branch, free energy and admissibility. nil where no selection was made.
    public var globalTheory: String? = nil
    public var globalBranch: String? = nil
    public var globalFreeEnergy: Double? = nil
    public var globalAdmissible: Bool? = nil

    /// Branch following (``ArclengthContinuation``, `rs-solve --follow`): arclength from the start on
    /// the scaled curve, whether this point is a fold (the spinodal: the stable and unstable members
    /// meet), and how many folds lie between the start and here. nil elsewhere.
    public var arclength: Double? = nil
    public var fold: Bool? = nil
    public var foldsPassed: Int? = nil

    /// The entropy below which an RS state is not physical (quadrature and root-finding errors
    /// of s are ~10⁻¹⁰).
    public static let entropyTolerance = 1e-6
    /// λ beyond 1 + this counts as AT-unstable (λ is a quadrature of ~10⁻¹² accuracy).
    public static let repliconTolerance = 1e-9
    /// Set by the dense solver on the paramagnet below the static glass transition T_s, where the
    /// equilibrium state is the 1RSB glass although the RS paramagnet is locally stable.
    public var belowStaticGlassTransition: String? = nil

    /// Marks the admissible, converged, stable solution of lowest free energy as global (none when
    /// no solution is admissible), after judging every solution's admissibility.
    public static func markGlobal(_ solutions: [ReplicaSymmetricSolution]) -> [ReplicaSymmetricSolution] {
        var result = solutions
        for i in result.indices { result[i].judgeAdmissibility(); result[i].global = false }
        let candidates = result.indices.filter { result[$0].admissible == true }
        if let best = candidates.min(by: { result[$0].freeEnergy < result[$1].freeEnergy }) { result[best].global = true }
        return result
    }

    /// Sets ``admissible`` and ``inadmissibleBecause`` from the record's own numbers.
    public mutating func judgeAdmissibility() {
        var reasons: [String] = []
        if !converged { reasons.append("not converged") }
        if !stable { reasons.append("locally unstable") }
        if entropy < -Self.entropyTolerance { reasons.append("negative entropy s = \(String(format: "%.3g", entropy)): replica symmetry is broken") }
        if let lambda = replicon, lambda > 1 + Self.repliconTolerance {
            reasons.append("replicon λ = \(String(format: "%.4g", lambda)) > 1: unstable against replica-symmetry breaking (AT)")
        }
        if let glass = belowStaticGlassTransition { reasons.append(glass) }
        admissible = reasons.isEmpty
        inadmissibleBecause = reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }
}
