import Foundation
import Yams

/// A phase-diagram grid described once for simulation and theory: the model, two axes (α × T for
/// the classical model), what to compute, Monte Carlo and solver settings, and the master seed.
///
/// Written by hand as YAML or JSON (JSON is YAML), e.g.
/// ```yaml
/// name: classical-alpha-T
/// model: classical
/// seed: 1
/// compute: [mc, rs]
/// axes:
///   alpha: 0.02:0.2:10          # start:stop:count, or a list [0.02, 0.05]
///   temperature: [0, 0.2, 0.4]
/// mc: {neurons: 1000, thermalization: 200, sweeps: 2000, samples: 4, replicas: 2,
///      dynamics: heat-bath, order: sequential, init: pattern}
/// rs: {hermite_nodes: 64, laguerre_nodes: 64, tolerance: 1e-12, max_iterations: 200}
/// plefka: {order: 2, damping: 1, tolerance: 1e-9, max_sweeps: 5000, update: parallel}   # with plefka in compute
/// ```
/// A multitasking grid has `model: multitasking` and either `patterns: K` (1–12, low storage) with
/// the axes `dilution` × `temperature` and the exact low-storage theory (``MultitaskingLowStorage``),
/// or `dilution: d` (high storage, K = αN) with the axes `alpha` × `temperature` and the RS theory
/// of diluted patterns (``ClassicalReplicaSymmetric`` with `dilution`).
/// A dense grid has `model: dense` and `p: P` (3–8), axes `alpha` (K = αN^{P−1}) × `temperature`,
/// Monte Carlo of the Gardner-form P-body network and its RS theory (``DenseReplicaSymmetric``).
/// An exponential grid has `model: exponential`, optional `interaction: exp | lse` (default lse)
/// and `lambda: λ` (default 1), axes `alpha` (K = e^{αN}, α < ln 2) × `temperature`, Monte Carlo
/// of ``ExponentialReplica`` and the random-energy-model theory (``ExponentialTheory``).
/// Every key is checked; an error names the file, the line and the key (``GridSpecError``).
/// Points are numbered α-major: index = i_α · n_T + i_T; the index enters every random stream of
/// the point's Monte Carlo (``StreamKey/point``), so a point's numbers do not depend on which
/// shard or process computes it.
public struct GridSpec: Sendable, Equatable, Codable {
    /// Monte Carlo, the family's Plefka (TAP) engine on the same networks from the same start (points
    /// at T > 0), the theory.
    public enum Computation: String, Sendable, Codable, CaseIterable { case mc, plefka, rs }

    public var name: String
    /// The family's name in the spec (`model:`); with `p`, `patterns` or `dilution` it gives the
    /// ``NetworkFamily`` of every point (``family(at:)``).
    public enum Model: String, Sendable, Codable, CaseIterable { case classical, multitasking, dense, exponential }

    /// Axes α × T (classical, high-storage multitasking, dense) or d × T (low-storage multitasking).
    public var model: Model
    public var seed: UInt64
    public var compute: [Computation]
    /// The load axis (classical); empty for multitasking.
    public var alpha: [Double]
    /// The dilution axis (multitasking); empty for classical.
    public var dilution: [Double] = []
    /// Multitasking, low storage: the number of patterns K (the first axis is then the dilution).
    public var patterns: Int?
    /// Multitasking, high storage (K = αN): the fixed dilution d (the first axis is then α).
    public var fixedDilution: Double?
    public var temperature: [Double]
    /// Dense grids (`model: dense`, key `p`): the interaction order P ≥ 3 (Gardner form); the first
    /// axis is α = K/N^{P−1}.
    public var order: Int? = nil
    /// Exponential grids (`model: exponential`, keys `interaction`, `lambda`).
    public var exponential: ExponentialSettings? = nil
    public var monteCarlo: MonteCarloSettings
    public var quadrature: QuadratureSettings
    public var solver: SolverSettings
    /// The Plefka engine's settings (key `plefka`: order, damping, tolerance, max_sweeps); nil: the defaults.
    public var plefka: PlefkaSettings? = nil

    /// The Plefka settings of the grid's `plefka` points.
    public var plefkaSettings: PlefkaSettings { plefka ?? PlefkaSettings() }
    /// The points the Plefka engine solves: T > 0 (the expansion is in β).
    public var plefkaPoints: [Point] { points.filter { $0.temperature > 0 } }

    /// The Monte Carlo settings shared by every point (α and T come from the axes).
    public struct MonteCarloSettings: Sendable, Equatable, Codable {
        /// `hopsim mc`'s defaults (``MonteCarloDefaults``); N is 200 for dense networks (set by the parser).
        public var neurons = MonteCarloDefaults.neurons
        public var thermalization = MonteCarloDefaults.thermalization
        public var sweeps = MonteCarloDefaults.sweeps
        public var measureEvery = 1
        public var samples = MonteCarloDefaults.samples
        public var replicas = MonteCarloDefaults.replicas
        /// Used at T > 0; points at T = 0 use zero-temperature dynamics.
        public var dynamics = Dynamics.heatBath
        public var order = UpdateOrder.sequential
        public var initialState = InitialState.pattern
        public init() {}
    }

    /// One grid point: `x` is its value on the first axis (α, or d for multitasking).
    public struct Point: Sendable, Equatable, Codable {
        public var index: Int
        public var x: Double
        public var temperature: Double
    }

    /// Most points a grid may have (10⁵: one record file per point and kind in DIR/points/).
    public static let maximumPoints = 100_000

    public var isMultitasking: Bool { model == .multitasking }
    /// Whether the first axis is the dilution (low-storage multitasking) rather than α.
    public var hasDilutionAxis: Bool { isMultitasking && patterns != nil }
    /// The first axis: α (classical, high-storage multitasking) or d (low-storage multitasking).
    public var axis: [Double] { hasDilutionAxis ? dilution : alpha }
    public var axisName: String { hasDilutionAxis ? "dilution" : "alpha" }
    /// A tidy row's value on the first axis (its dilution or its α).
    public func axisValue(_ row: TidyRow) -> Double { hasDilutionAxis ? row.dilution : row.alpha }

    public var points: [Point] {
        axis.enumerated().flatMap { i, x in
            temperature.enumerated().map { j, t in Point(index: i * temperature.count + j, x: x, temperature: t) }
        }
    }

    /// The network family at first-axis value x: the spec's `model` (with `p`, `patterns`,
    /// `dilution`) read as a ``NetworkFamily``; the low-storage multitasking grid's axis is d.
    public func family(at x: Double) -> NetworkFamily {
        switch model {
        case .dense: .dense(DenseSettings(order: order ?? 3))
        case .multitasking: .multitasking(dilution: hasDilutionAxis ? x : (fixedDilution ?? 0))
        case .classical: .classical
        case .exponential: .exponential(exponential ?? ExponentialSettings())
        }
    }

    /// The first axis in words, for figures: the dilution (with K), or the load in the family's
    /// convention (α = P/N, or K/N^{P−1} for P-body networks).
    public var axisLabel: String {
        if hasDilutionAxis { return "dilution d (K = \(patterns ?? 0))" }
        return family(at: axis[0]).loadLabel + (fixedDilution.map { " (dilution d = \($0))" } ?? "")
    }

    /// The family of the grid (its contract does not depend on the point).
    var contract: any FamilyContract { family(at: axis[0]).contract }

    /// The Monte Carlo parameters of a point: P = round(αN^{P−1}) (low-storage multitasking: P = K,
    /// dilution d from the axis), zero-temperature dynamics at T = 0, stream keys carrying the point index.
    public func monteCarloParameters(_ point: Point) -> MonteCarloParameters {
        let mc = monteCarlo
        let family = family(at: point.x)
        return MonteCarloParameters(
            neurons: mc.neurons, patterns: hasDilutionAxis ? (patterns ?? 1) : family.patterns(alpha: point.x, neurons: mc.neurons),
            temperature: point.temperature, dynamics: point.temperature == 0 ? .zeroTemperature : mc.dynamics,
            order: mc.order, thermalization: mc.thermalization, sweeps: mc.sweeps, measureEvery: mc.measureEvery,
            samples: mc.samples, replicas: mc.replicas, initialState: mc.initialState, seed: seed,
            point: UInt64(point.index), family: family)
    }
}

/// A grid spec that cannot be used: "FILE:LINE: key: what is wrong".
public struct GridSpecError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var line: Int?
    public var key: String
    public var message: String
    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(key): \(message)"
    }
}
