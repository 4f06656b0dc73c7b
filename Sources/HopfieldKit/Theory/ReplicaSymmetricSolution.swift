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

    /// Whether the RS state can be physical: converged, locally stable and with entropy ≥ −10⁻⁶
    /// (the replica-symmetry condition is ``atStable``, reported beside it: at T = 0 every RS state
    /// with noise is formally AT-unstable, mostly by a negligible amount). `global` is still chosen
    /// among the converged stable states; where it is not admissible, the reason says why (e.g. the
    /// RS spin glass at low T, RS retrieval near capacity, the dense paramagnet below its entropy
    /// crisis), and the physical state is a replica-symmetry-broken one (`rsb-solve`).
    public var admissible: Bool? = nil
    /// Why the state is not admissible (nil when it is).
    public var inadmissibleBecause: String? = nil

    /// The entropy below which an RS state is not physical (quadrature and root-finding errors
    /// of s are ~10⁻¹⁰).
    public static let entropyTolerance = 1e-6

    /// Sets ``admissible`` and ``inadmissibleBecause`` from the record's own numbers.
    public mutating func judgeAdmissibility() {
        var reasons: [String] = []
        if !converged { reasons.append("not converged") }
        if !stable { reasons.append("locally unstable") }
        if entropy < -Self.entropyTolerance { reasons.append("negative entropy s = \(String(format: "%.3g", entropy)): replica symmetry is broken") }
        admissible = reasons.isEmpty
        inadmissibleBecause = reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }
}
