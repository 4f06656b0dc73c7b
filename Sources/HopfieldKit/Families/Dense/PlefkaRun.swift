import Dispatch
import Foundation
import Synchronization

/// The Plefka engine over disorder samples (`hopsim mc --model dense --engine plefka`): for each
/// sample the network of ``DenseNetwork/make(_:sample:)`` (the same one Monte Carlo simulates for
/// these parameters), magnetisations started from the `--init` configuration, iterated to the
/// fixed point of ``PlefkaEngine``. Deterministic given the seed; samples run on threads and are
/// combined in index order.
public enum PlefkaRun {
    /// Per sample: observables at the fixed point and how it was reached.
    public struct SampleResult: Sendable, Equatable, Codable {
        public var sample: Int
        public var m: Double
        public var n: Double?
        public var q: Double
        public var energy: Double
        public var sweeps: Int
        public var converged: Bool
        public var residual: Double
        public var reactionField: Double
        public var meanField: Double
    }

    /// An observable over samples: mean, spread across samples and the error of the mean
    /// (spread/√S). There is no thermal error: the engine is deterministic.
    public struct Estimate: Sendable, Equatable, Codable {
        public var mean: Double
        public var sampleSpread: Double
        public var error: Double
        public var samples: Int

        init(_ values: [Double]) {
            let s = Double(values.count)
            mean = values.reduce(0, +) / s
            let m = mean
            sampleSpread = values.count > 1 ? (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (s - 1)).squareRoot() : 0
            error = sampleSpread / s.squareRoot()
            samples = values.count
        }
    }

    /// What the approximation neglects, stated in every record.
    public struct Approximation: Sendable, Equatable, Codable {
        public var engine = "plefka"
        public var order: Int
        public var damping: Double
        public var tolerance: Double
        /// Mean |Onsager reaction field| over neurons and samples: the neglected term at first
        /// order, the applied correction at second order.
        public var reactionField: Double
        /// Mean |h_i|, for scale.
        public var meanField: Double
        /// reactionField / meanField.
        public var relativeReaction: Double
        public var neglected: String
        public var allConverged: Bool
        public var maxResidual: Double
    }

    public struct Result: Sendable, Equatable, Codable {
        public var parameters: MonteCarloParameters
        public var m: Estimate
        public var n: Estimate?
        public var q: Estimate
        public var energy: Estimate
        public var approximation: Approximation
        public var perSample: [SampleResult]
        public var warnings: [String]
    }

    public static func run(_ parameters: MonteCarloParameters, order: PlefkaEngine.Order, damping: Double = 0.5,
                           tolerance: Double = 1e-9, maxSweeps: Int = 5000, threads: Int = 1) throws(ParameterError) -> Result {
        try parameters.validate()
        guard let settings = parameters.family.couplingSettings else {
            throw ParameterError("--engine", allowed: "exact for the pairwise models (plefka needs --model dense)", given: "plefka")
        }
        guard settings.hamiltonian == .gardner else {
            throw ParameterError("--hamiltonian", allowed: "gardner with --engine plefka (the expansion is derived for distinct-index tuples)", given: "krotov")
        }
        guard parameters.temperature > 0 else {
            throw ParameterError("--temperature", allowed: "> 0 with --engine plefka", given: "\(parameters.temperature)")
        }
        guard damping > 0, damping <= 1 else {
            throw ParameterError("--damping", allowed: "a number in (0, 1]", given: "\(damping)")
        }
        if case .plefka = parameters.initialState {
            throw ParameterError("--init", allowed: "pattern, random or noisy with --engine plefka", given: "plefka")
        }
        let samples = Parallel.map(parameters.samples, threads: threads) { s in
            sample(s, parameters, order, damping, tolerance, maxSweeps)
        }
        let count = Double(samples.count)
        let reaction = samples.reduce(0) { $0 + $1.reactionField } / count
        let field = samples.reduce(0) { $0 + $1.meanField } / count
        let neglected = order == .first
            ? "the Onsager reaction −β m_i Γ(P−1)(1−q)q^{P−2} (mean size reaction_field) and all higher orders"
            : "orders β³ and higher of the Plefka expansion, and the cross terms of different patterns in Σ J_T² (both vanish as N → ∞ for P ≥ 3; not for P = 2)"
        let approximation = Approximation(
            order: order.rawValue, damping: damping, tolerance: tolerance, reactionField: reaction, meanField: field,
            relativeReaction: field > 0 ? reaction / field : 0, neglected: neglected,
            allConverged: samples.allSatisfy(\.converged), maxResidual: samples.map(\.residual).max() ?? 0)
        var warnings: [String] = []
        let failed = samples.filter { !$0.converged }.map(\.sample)
        if !failed.isEmpty {
            warnings.append("the Plefka iteration did not converge for samples \(failed) within \(maxSweeps) sweeps (max residual \(approximation.maxResidual)); their numbers are not fixed points")
        }
        if settings.order == 2 {
            warnings.append("P = 2: the Hebbian couplings are correlated and the second-order truncation is not exact even as N → ∞")
        }
        return Result(parameters: parameters, m: Estimate(samples.map(\.m)),
                      n: settings.training == nil ? nil : Estimate(samples.map { $0.n ?? 0 }),
                      q: Estimate(samples.map(\.q)), energy: Estimate(samples.map(\.energy)),
                      approximation: approximation, perSample: samples, warnings: warnings)
    }

    static func sample(_ s: Int, _ parameters: MonteCarloParameters, _ order: PlefkaEngine.Order, _ damping: Double,
                       _ tolerance: Double, _ maxSweeps: Int) -> SampleResult {
        let network = DenseNetwork.make(parameters, sample: s)
        var initStream = StreamKey(seed: parameters.seed, point: parameters.point, sample: UInt64(s),
                                   replica: 0, purpose: .initialState).generator()
        let start = parameters.initialState.configuration(condensed: network.archetypes.pattern(0), using: &initStream)
        var engine = PlefkaEngine(network: network, temperature: parameters.temperature, order: order)
        engine.damping = damping
        engine.tolerance = tolerance
        engine.maxSweeps = maxSweeps
        let point = engine.solve(start: start.map(Double.init))
        let o = engine.observables(point.magnetizations)
        return SampleResult(sample: s, m: o.m, n: o.n, q: o.q, energy: o.energy, sweeps: point.sweeps,
                            converged: point.converged, residual: point.residual,
                            reactionField: point.reactionField, meanField: point.meanField)
    }
}

/// A Plefka-engine run as written to disk: schema `hopsim.plefka/1`, every parameter and seed, the
/// version, the observables at the top level (`m`, `n`, `q`, `energy`, each with mean,
/// sample_spread, error) and the `approximation` block.
public struct PlefkaRecord: Sendable, Equatable, Codable {
    public static let schemaIdentifier = "hopsim.plefka/1"
    public var schema = PlefkaRecord.schemaIdentifier
    public var kind = "plefka"
    public var version = HopsimVersion.string
    public var parameters: MonteCarloParameters
    public var seed: MonteCarloRecord.SeedProvenance
    public var threads: Int
    public var wallSeconds: Double
    public var m: PlefkaRun.Estimate
    public var n: PlefkaRun.Estimate?
    public var q: PlefkaRun.Estimate
    public var energy: PlefkaRun.Estimate
    public var approximation: PlefkaRun.Approximation
    public var perSample: [PlefkaRun.SampleResult]
    public var warnings: [String]
    /// Build, host, date and command line of the run.
    public var provenance: RunProvenance? = .current()

    public init(result: PlefkaRun.Result, threads: Int, wallSeconds: Double) {
        parameters = result.parameters
        seed = MonteCarloRecord.SeedProvenance(master: result.parameters.seed, derivation: StreamKey.derivationScheme)
        self.threads = threads
        self.wallSeconds = wallSeconds
        m = result.m; n = result.n; q = result.q; energy = result.energy
        approximation = result.approximation
        perSample = result.perSample
        warnings = result.warnings
    }

    public func jsonLine() throws -> String {
        String(decoding: try RecordCoding.encoder(pretty: false).encode(self), as: UTF8.self)
    }
}
