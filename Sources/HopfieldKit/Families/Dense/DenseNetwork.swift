/// The quenched part of a dense (P-body) Hebbian network: K binary archetypes ξ^μ and the coupling
/// patterns η^ν built from them (``DenseSettings``, docs/physics.md §2).
///
/// Coupling patterns are kept as integers a_i^ν with η_i^ν = a_i^ν / s:
/// - plain network: η^μ = ξ^μ (s = 1, K patterns, weight w = 1);
/// - supervised: η̄^μ = (1/M) Σ_a χ^{μ,a} ξ^μ, a = Σ_a χ ξ ∈ [−M, M] (s = M, K patterns, w = 1);
/// - unsupervised: every example η^{μ,a} = χ^{μ,a} ξ^μ (s = 1, K·M patterns, w = 1/M), pattern
///   index ν = μM + a.
///
/// Storage is neuron-major (row i holds a_i^1 … a_i^{K_c}) as for ``PatternMatrix``: the field of
/// neuron i reads one contiguous row.
public struct DenseNetwork: Sendable {
    public let neurons: Int
    public let order: Int
    public let hamiltonian: DenseHamiltonian
    public let archetypes: PatternMatrix
    /// a_i^ν at `couplings[i * couplingCount + ν]`.
    public let couplings: [Int16]
    public let couplingCount: Int
    /// s: η = a / s.
    public let scale: Double
    /// w: the weight of every coupling pattern in H.
    public let weight: Double
    /// Every a = ±1 (plain, unsupervised, or supervised with M = 1): then a^k = a (odd k),
    /// a² = 1, and the field is a polynomial in the overlap sum alone.
    public let binary: Bool
    /// The coupling patterns that belong to archetype 1 (their overlaps with σ are the `n` the
    /// learning papers report): ν = 0 (supervised) or ν = 0…M−1 (unsupervised).
    public let firstArchetypeCouplings: Range<Int>
    /// Odd powers k = 1, 3, … whose sums Σ_j a_j^k σ_j a replica keeps: up to P (all needed for
    /// the energy; up to P − 1 for the field). Only k = 1 for binary patterns.
    public let oddPowers: [Int]
    /// Σ_j (a_j^ν)^k for even k = 2, 4, … ≤ P, at `evenPowerSums[(k/2 − 1) * couplingCount + ν]`.
    public let evenPowerSums: [Double]
    public let settings: DenseSettings
    /// Binary couplings packed one bit per entry (``PackedPatterns``), for the field's dot product
    /// (``packingCouplings()``); nil: the field reads the Int16 rows. The same numbers either way.
    public private(set) var packedCouplings: PackedPatterns?

    /// This network with its binary couplings also packed; unchanged when they are not binary.
    public func packingCouplings() -> DenseNetwork {
        guard binary else { return self }
        var packed = self
        packed.packedCouplings = PackedPatterns(neurons: neurons, patterns: couplingCount, entries: couplings)
        return packed
    }

    /// The network of disorder sample `sample`: archetypes from stream (seed, point, sample, 0,
    /// patterns) as for the classical model, the examples' noise χ from (…, examples), one random
    /// word per entry (its top 53 bits as a uniform u, χ = +1 iff u < (1 + r)/2).
    /// - Precondition: the family uses the P-body engine (``NetworkFamily/couplingSettings``).
    public static func make(_ parameters: MonteCarloParameters, sample: Int) -> DenseNetwork {
        let dense = parameters.family.couplingSettings!
        // Binary archetypes, or diluted ones (P(ξ = 0) = d) for the trained multitasking network.
        let xi = MonteCarloRun.patterns(for: parameters, sample: sample)
        guard let training = dense.training else {
            return DenseNetwork(settings: dense, archetypes: xi, couplings: xi.entries.map(Int16.init),
                                couplingCount: xi.patterns, scale: 1, weight: 1, firstArchetypeCouplings: 0..<1)
        }
        var noise = StreamKey(seed: parameters.seed, point: parameters.point, sample: UInt64(sample),
                              purpose: .examples).generator()
        let k = parameters.patterns
        let pPlus = (1 + training.quality) / 2
        // Examples are drawn archetype by archetype, example by example, neuron by neuron.
        return trained(settings: dense, archetypes: xi, examples: training.examples, learning: training.learning) { mu, _, i in
            let chi: Int16 = Double(noise.next() >> 11) * 0x1.0p-53 < pPlus ? 1 : -1
            return chi * Int16(xi.entries[i * k + mu])
        }
    }

    /// A network trained on examples η_i^{μ,a} = `example(μ, a, i)` (±1), called archetype by
    /// archetype, example by example, neuron by neuron: supervised, the sums a_i^μ = Σ_a η_i^{μ,a}
    /// (η̄ = a/M: scale M, K patterns, weight 1); unsupervised, every example (scale 1, K·M patterns
    /// ν = μM + a, weight 1/M). Random examples (``make(_:sample:)``) and a dataset's
    /// (``DatasetNetwork``) both go through here.
    static func trained(settings: DenseSettings, archetypes xi: PatternMatrix, examples m: Int, learning: LearningProtocol,
                        example: (Int, Int, Int) -> Int16) -> DenseNetwork {
        let n = xi.neurons, k = xi.patterns
        switch learning {
        case .supervised:
            var sums = [Int16](repeating: 0, count: n * k)
            for mu in 0..<k { for a in 0..<m { for i in 0..<n { sums[i * k + mu] += example(mu, a, i) } } }
            return DenseNetwork(settings: settings, archetypes: xi, couplings: sums, couplingCount: k,
                                scale: Double(m), weight: 1, firstArchetypeCouplings: 0..<1)
        case .unsupervised:
            let kc = k * m
            var examples = [Int16](repeating: 0, count: n * kc)
            for mu in 0..<k { for a in 0..<m { for i in 0..<n { examples[i * kc + mu * m + a] = example(mu, a, i) } } }
            return DenseNetwork(settings: settings, archetypes: xi, couplings: examples, couplingCount: kc,
                                scale: 1, weight: 1 / Double(m), firstArchetypeCouplings: 0..<m)
        }
    }

    /// - Precondition: `couplings.count == archetypes.neurons * couplingCount`.
    public init(settings: DenseSettings, archetypes: PatternMatrix, couplings: [Int16], couplingCount: Int,
                scale: Double, weight: Double, firstArchetypeCouplings: Range<Int>) {
        precondition(couplings.count == archetypes.neurons * couplingCount)
        self.settings = settings
        self.neurons = archetypes.neurons
        self.order = settings.order
        self.hamiltonian = settings.hamiltonian
        self.archetypes = archetypes
        self.couplings = couplings
        self.couplingCount = couplingCount
        self.scale = scale
        self.weight = weight
        self.firstArchetypeCouplings = firstArchetypeCouplings
        let binary = couplings.allSatisfy { $0 == 1 || $0 == -1 }
        self.binary = binary
        self.oddPowers = binary ? [1] : Array(stride(from: 1, through: settings.order, by: 2))
        var even = [Double]()
        for k in stride(from: 2, through: settings.order, by: 2) {
            var sums = [Double](repeating: 0, count: couplingCount)
            for i in 0..<archetypes.neurons {
                for nu in 0..<couplingCount { sums[nu] += Self.power(Double(couplings[i * couplingCount + nu]), k) }
            }
            even += sums
        }
        self.evenPowerSums = even
    }

    /// The kept sums are exact integers held in doubles: |Σ_j a_j^k σ_j| ≤ N·M^k for the odd powers
    /// k ≤ P (``oddPowers``; a = Σ_a η^a ∈ [−M, M] for supervised couplings, ±1 otherwise) must stay
    /// below 2^53. Throws naming `flag` (the number of examples) otherwise.
    static func checkExactSums(neurons n: Int, examples m: Int, order: Int, supervised: Bool, flag: String) throws(ParameterError) {
        let power = order % 2 == 1 ? order : order - 1
        let largest = supervised ? Double(n) * pow(Double(m), Double(power)) : Double(n)
        guard largest < 0x1p53 else {
            throw ParameterError(flag, allowed: "such that N·M^k < 2^53 for the largest odd power k ≤ P (exact integer sums of the supervised P-body field; N = \(n), k = \(power))", given: "\(m)")
        }
    }

    /// α = K / N^{P−1}.
    public var alpha: Double { Double(archetypes.patterns) / pow(Double(neurons), Double(order - 1)) }

    @inline(__always)
    static func power(_ x: Double, _ k: Int) -> Double {
        var r = 1.0
        for _ in 0..<k { r *= x }
        return r
    }

    /// Bytes a run holds per sample in memory: the coupling patterns (2 bytes each, and 1/8 byte packed), the archetypes
    /// (1 byte each), and per replica the kept sums (8 bytes per pattern and odd power).
    public static func estimatedBytes(neurons: Int, archetypes: Int, settings: DenseSettings, replicas: Int) -> Double {
        let kc = Double(settings.couplingPatterns(archetypes: archetypes))
        let n = Double(neurons)
        let odd = Double((settings.order + 1) / 2)
        return n * kc * 2 + n * Double(archetypes) + Double(replicas) * (kc * odd + Double(archetypes)) * 8
            + n * kc / 8          // the packed copy of binary couplings, when the field uses it
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
