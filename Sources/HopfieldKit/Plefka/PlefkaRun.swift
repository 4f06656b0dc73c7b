import Dispatch
import Foundation
import Synchronization

/// A family's Plefka engine over disorder samples (`hopsim mc --engine plefka`): for each sample the
/// network Monte Carlo simulates for these parameters (``FamilyContract/plefkaSolver(_:_:_:)``),
/// magnetisations started from the `--init` configuration, iterated to the fixed point.
/// Deterministic given the seed; samples run on threads and are combined in index order.
public enum PlefkaRun {
    /// Per sample: observables at the fixed point and how it was reached.
    public struct SampleResult: Sendable, Equatable, Codable {
        public var sample: Int
        public var m: Double
        public var n: Double?
        public var q: Double
        /// U/N; nil where the expansion's reaction term is undefined at the returned point (χ ≥ 1).
        public var energy: Double?
        /// G/N of the truncated expansion at the fixed point (the TAP free energy of the state reached);
        /// nil where undefined (χ ≥ 1).
        public var freeEnergy: Double?
        /// Plefka's stability parameter at the fixed point (second order, pairwise: αβ²v²⟨(1 − m²)²⟩/(1 − χ)²,
        /// AGS's replicon); a state with x ≥ 1 is reported as not converged.
        public var replicon: Double?
        public var sweeps: Int
        public var converged: Bool
        public var residual: Double
        public var reactionField: Double
        public var meanField: Double
        /// m_1 … m_k (k ≤ 16) where the family records every overlap (multitasking), else nil.
        public var overlaps: [Double]?
        /// Why the iteration stopped outside the approximation's domain, or nil.
        public var failure: String?
    }

    /// An observable over samples: mean, spread across samples and the error of the mean
    /// (spread/√S). There is no thermal error: the engine is deterministic.
    public struct Estimate: Sendable, Equatable, Codable {
        public var mean: Double
        public var sampleSpread: Double
        public var error: Double
        public var samples: Int

        /// The estimate over the values that are defined (non-nil and finite); nil when none is.
        public init?(defined values: [Double?]) {
            let finite = values.compactMap { $0 }.filter(\.isFinite)
            guard !finite.isEmpty else { return nil }
            self.init(finite)
        }

        public init(_ values: [Double]) {
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
        /// The sweep that ran (``PlefkaUpdate``); absent in records written before parallel sweeps
        /// existed (sequential).
        public var update: PlefkaUpdate?
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
        /// Over the samples where it is defined (nil if none).
        public var energy: Estimate?
        public var freeEnergy: Estimate?
        /// m_1 … m_k (k ≤ 16) where the family records every overlap (multitasking), else nil.
        public var overlaps: [Estimate]?
        public var approximation: Approximation
        public var perSample: [SampleResult]
        public var warnings: [String]
    }

    public static func run(_ parameters: MonteCarloParameters, settings: PlefkaSettings, threads: Int = 1) throws(ParameterError) -> Result {
        try parameters.validate()
        guard parameters.temperature > 0 else {
            throw ParameterError("--temperature", allowed: "> 0 with --engine plefka", given: "\(parameters.temperature)")
        }
        guard settings.damping > 0, settings.damping <= 1 else {
            throw ParameterError("--damping", allowed: "a number in (0, 1]", given: "\(settings.damping)")
        }
        if case .plefka = parameters.initialState {
            throw ParameterError("--init", allowed: "pattern, random or noisy with --engine plefka", given: "plefka")
        }
        let contract = parameters.family.contract
        let neglected = try contract.plefkaNeglects(parameters, settings)
        let solved = Parallel.map(parameters.samples, threads: threads) { s in
            sample(s, parameters, settings)
        }
        let samples = solved.map(\.result)
        let count = Double(samples.count)
        let reaction = samples.reduce(0) { $0 + $1.reactionField } / count
        let field = samples.reduce(0) { $0 + $1.meanField } / count
        let approximation = Approximation(
            order: settings.order.rawValue, damping: settings.damping, tolerance: settings.tolerance, update: solved[0].update,
            reactionField: reaction,
            meanField: field, relativeReaction: field > 0 ? reaction / field : 0, neglected: neglected,
            allConverged: samples.allSatisfy(\.converged), maxResidual: samples.map(\.residual).max() ?? 0)
        var warnings: [String] = []
        let failed = samples.filter { !$0.converged }.map(\.sample)
        if !failed.isEmpty {
            let reasons = Set(samples.compactMap(\.failure)).sorted()
            warnings.append("the Plefka iteration did not converge for samples \(failed) (max residual \(approximation.maxResidual); \(reasons.isEmpty ? "\(settings.maxSweeps) sweeps run" : reasons.joined(separator: "; "))); their numbers are not fixed points")
        }
        if parameters.family.couplingSettings?.order == 2 {
            warnings.append("P = 2: the Hebbian couplings are correlated and the second-order truncation is not exact even as N → ∞")
        }
        return Result(parameters: parameters, m: Estimate(samples.map(\.m)),
                      n: parameters.family.training == nil ? nil : Estimate(samples.map { $0.n ?? 0 }),
                      q: Estimate(samples.map(\.q)), energy: Estimate(defined: samples.map(\.energy)),
                      freeEnergy: Estimate(defined: samples.map(\.freeEnergy)),
                      overlaps: samples[0].overlaps.map { first in first.indices.map { k in Estimate(samples.map { $0.overlaps![k] }) } },
                      approximation: approximation, perSample: samples, warnings: warnings)
    }

    /// The magnetisations sample s's iteration starts from: the `--init` configuration of replica 0's
    /// initial-state stream (the first Monte Carlo replica's start), m_i = σ_i.
    static func start(_ engine: any PlefkaSolver, _ parameters: MonteCarloParameters, sample s: Int) -> [Double] {
        var stream = StreamKey(seed: parameters.seed, point: parameters.point, sample: UInt64(s),
                               replica: 0, purpose: .initialState).generator()
        return parameters.initialState.configuration(condensed: engine.condensedPattern, using: &stream).map(Double.init)
    }

    /// Sample s: the family's engine on its network, from the `--init` configuration of its ξ¹.
    static func sample(_ s: Int, _ parameters: MonteCarloParameters, _ settings: PlefkaSettings) -> (result: SampleResult, update: PlefkaUpdate) {
        let engine = parameters.family.contract.plefkaSolver(s, parameters, settings)
        let start = Self.start(engine, parameters, sample: s)
        let point = engine.solve(start: start)
        let o = engine.observables(point.magnetizations)
        return (SampleResult(sample: s, m: o.m, n: o.n, q: o.q, energy: o.energy.isFinite ? o.energy : nil,
                            freeEnergy: o.freeEnergy.isFinite ? o.freeEnergy : nil, replicon: point.replicon, sweeps: point.sweeps,
                            converged: point.converged, residual: point.residual,
                            reactionField: point.reactionField, meanField: point.meanField,
                            overlaps: parameters.family.dilution > 0 ? o.overlaps : nil, failure: point.failure),
                engine.sweepUpdate)
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
    public var energy: PlefkaRun.Estimate?
    /// G/N at the fixed points (TAP free energy).
    public var freeEnergy: PlefkaRun.Estimate?
    /// m_1 … m_k (multitasking), else nil.
    public var overlaps: [PlefkaRun.Estimate]?
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
        m = result.m; n = result.n; q = result.q; energy = result.energy; freeEnergy = result.freeEnergy; overlaps = result.overlaps
        approximation = result.approximation
        perSample = result.perSample
        warnings = result.warnings
    }

    public func jsonLine() throws -> String {
        String(decoding: try RecordCoding.encoder(pretty: false).encode(self), as: UTF8.self)
    }
}
