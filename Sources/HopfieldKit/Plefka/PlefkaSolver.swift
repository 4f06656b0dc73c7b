import Foundation

/// The order at which Plefka's expansion of the Gibbs free energy G(m) (at fixed magnetisations
/// m_i = ⟨σ_i⟩) is truncated (docs/physics.md §8): first order is naive mean field, second order adds
/// the Onsager reaction term (TAP).
public enum PlefkaOrder: Int, Sendable, Codable, CaseIterable {
    case first = 1, second = 2
}

/// Which Onsager reaction term a second-order engine applies (docs/physics.md §8.1).
public enum OnsagerForm: String, Sendable, Codable {
    /// The thermodynamic-limit form, O(1) per site: pairwise networks the cavity (Mézard–Parisi–Virasoro)
    /// reaction (c_i/N) m_i χ/(1 − χ), the geometric series of Plefka's orders that Hebbian couplings
    /// make O(1); dense networks Γ(P−1)(1 − q)q^{P−2} (higher orders vanish for P ≥ 3).
    case selfAveraged = "self-averaged"
    /// Plefka's second-order term of this very network, β m_i Σ_{T∋i} J_T² Σ_{k∈T∖i}(1 − m_k²) Π m_j²
    /// (pairwise: β m_i Σ_j J_ij²(1 − m_j²)), with the couplings built from the patterns at every
    /// update: O(N^{P−1}) couplings per site, for small N (the expansion checked against exact
    /// enumeration order by order).
    case sample
}

/// Which magnetisations a Plefka sweep's fields are computed from (docs/physics.md §8.4).
public enum PlefkaUpdate: String, Sendable, Codable, CaseIterable {
    /// Gauss–Seidel: site by site, each field from the magnetisations already updated in this sweep
    /// (the overlaps or power sums kept up to date after every site, as after a Monte Carlo flip).
    case sequential
    /// Jacobi: every field of a sweep from the previous sweep's magnetisations (the Onsager term from
    /// the sweep before, as in approximate message passing), then all sites at once. The overlaps are
    /// recomputed from scratch each sweep (two bit-mask products over the patterns, ``BitMatrix``) and
    /// the tanh is taken over the whole vector; same fixed points.
    case parallel
}

/// How a Plefka fixed point is searched for: updates m_i ← (1 − λ) m_i + λ tanh β(…), sequential or
/// parallel (``PlefkaUpdate``; λ = `damping`, 1 by default: plain substitution, reduced only where
/// the iteration oscillates, ``PlefkaMonitor``), stopped when max_i |tanh β(…) − m_i| ≤ tolerance
/// over a sweep.
public struct PlefkaSettings: Sendable, Equatable, Codable {
    public var order: PlefkaOrder
    public var damping: Double
    public var tolerance: Double
    public var maxSweeps: Int
    public var onsager: OnsagerForm
    /// A field h along ξ¹ (−h Σ_i ξ_i¹ σ_i added to H): zero in every run, set by the checks against
    /// exact enumeration at high temperature, where without it every magnetisation vanishes.
    public var cue: Double
    /// Sequential or parallel sweeps (engines without a parallel sweep run sequentially).
    public var update: PlefkaUpdate

    public init(order: PlefkaOrder = .second, damping: Double = 1, tolerance: Double = 1e-9, maxSweeps: Int = 5000,
                onsager: OnsagerForm = .selfAveraged, cue: Double = 0, update: PlefkaUpdate = .parallel) {
        self.order = order; self.damping = damping; self.tolerance = tolerance; self.maxSweeps = maxSweeps
        self.onsager = onsager; self.cue = cue; self.update = update
    }

    private enum CodingKeys: String, CodingKey { case order, damping, tolerance, maxSweeps, onsager, cue, update }

    /// Settings written before `update` existed were sequential.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(order: try c.decode(PlefkaOrder.self, forKey: .order), damping: try c.decode(Double.self, forKey: .damping),
                  tolerance: try c.decode(Double.self, forKey: .tolerance), maxSweeps: try c.decode(Int.self, forKey: .maxSweeps),
                  onsager: try c.decode(OnsagerForm.self, forKey: .onsager), cue: try c.decode(Double.self, forKey: .cue),
                  update: try c.decodeIfPresent(PlefkaUpdate.self, forKey: .update) ?? .sequential)
    }
}

/// The converged (or last) magnetisations of a Plefka iteration and how they were obtained.
public struct PlefkaFixedPoint: Sendable {
    public var magnetizations: [Double]
    public var sweeps: Int
    public var converged: Bool
    /// max_i |m_i − tanh β(h_i − reaction_i)| at the returned point.
    public var residual: Double
    /// Mean |Onsager reaction field| (the part of the reaction beyond the removed self-coupling): at
    /// first order the size of the neglected term, at second order of the correction applied.
    public var reactionField: Double
    /// Mean |h_i|, the scale the reaction field is to be compared with.
    public var meanField: Double
    /// Wall time of the iteration in seconds.
    public var seconds: Double
    /// Why the iteration stopped early (outside the domain of the approximation), or nil.
    public var failure: String?
    /// Plefka's stability parameter at the returned point (pairwise, second order), or nil.
    public var replicon: Double? = nil
}

/// Macroscopic observables of a magnetisation vector.
public struct PlefkaObservables: Sendable, Equatable {
    /// m = (1/N) Σ_i ξ_i¹ m_i.
    public var m: Double
    /// The overlap with the examples of ξ¹ (networks trained on examples), else nil.
    public var n: Double?
    /// q = (1/N) Σ_i m_i².
    public var q: Double
    /// The internal energy per neuron of the approximation, U/N = ∂(βG)/∂β / N at fixed m.
    public var energy: Double
    /// The Gibbs free energy per neuron of the truncated expansion at these magnetisations, G(m)/N:
    /// at a fixed point, the TAP free energy of that state (which of two TAP states is lower).
    public var freeEnergy: Double
    /// The overlaps m_1 … m_k with the first k ≤ 16 stored patterns (archetypes).
    public var overlaps: [Double]

    /// s(m) = −(1/N) Σ_i [(1+m_i)/2 ln((1+m_i)/2) + (1−m_i)/2 ln((1−m_i)/2)], the entropy per neuron of the
    /// product measure with means m.
    public static func entropy(_ m: [Double]) -> Double {
        func h(_ p: Double) -> Double { p > 0 ? p * log(p) : 0 }
        return -m.reduce(0.0) { $0 + h((1 + $1) / 2) + h((1 - $1) / 2) } / Double(m.count)
    }
}

/// A family's Plefka (TAP) engine on one disorder sample: the magnetisations of its fixed point and
/// their observables. The iteration keeps the same sums as a Monte Carlo replica (overlaps, or the
/// dense engine's power sums), so one sweep costs the same order of work as a Monte Carlo sweep.
public protocol PlefkaSolver: Sendable {
    var settings: PlefkaSettings { get }
    /// ξ¹ (the first archetype), the default start and the pattern `--init` starts refer to.
    var condensedPattern: [Int8] { get }
    /// The sweep this engine runs with its settings: `settings.update` where it has a parallel sweep,
    /// else sequential.
    var sweepUpdate: PlefkaUpdate { get }
    /// The fixed point reached from `start` (default m = ξ¹); `afterSweep` sees the sweep count and
    /// the current magnetisations.
    func solve(start: [Double]?, afterSweep: ((Int, [Double]) -> Void)?) -> PlefkaFixedPoint
    func observables(_ m: [Double]) -> PlefkaObservables
}

extension PlefkaSolver {
    public func solve(start: [Double]? = nil) -> PlefkaFixedPoint { solve(start: start, afterSweep: nil) }
}

/// Spins drawn independently with P(σ_i = +1) = (1 + m_i)/2, one uniform per neuron in order (the
/// `--init plefka` start of exact Monte Carlo, from the fixed point reached from ξ¹).
public func plefkaSpins(from magnetizations: [Double], using rng: inout Xoshiro256StarStar) -> [Int8] {
    magnetizations.map { rng.nextUniform() < (1 + $0) / 2 ? 1 : -1 }
}

/// The bookkeeping every Plefka iteration shares, sweep by sweep (docs/physics.md §8.4):
/// - damping: λ starts at the setting and is halved (down to 1/64 of it) when the iteration
///   oscillates, i.e. the magnetisations move back: max_i |m_i − m_i(two sweeps ago)| <
///   ½ max_i |m_i − m_i(one sweep ago)| (a two-cycle); otherwise it grows by 25% per sweep up to the setting;
/// - hopelessness: from sweep 2w, every w sweeps (the window w = 20; 40 for the dense parallel sweep)
///   the ratio r of the largest change to its value w sweeps before projects the sweeps still needed
///   to reach the tolerance, log(tol/change)/log r × w; when that exceeds the sweeps left (or r ≥ 1),
///   the iteration stops and says so: a glassy or critically slow point costs some 2w sweeps, not the
///   whole budget, and is never reported as converged.
struct PlefkaMonitor {
    let settings: PlefkaSettings
    private(set) var damping: Double
    private var changes: [Double] = []
    private var last: [Double] = [], beforeLast: [Double] = []
    /// Sweeps over which progress is judged (from sweep 2·window on): 20 by default.
    let window: Int

    init(_ settings: PlefkaSettings, window: Int = 20) {
        self.settings = settings
        self.window = window
        damping = settings.damping
    }

    /// Starts over (the equations changed: the pairwise engine raised its cap on χ).
    mutating func reset() {
        changes = []; last = []; beforeLast = []
        sinceReset = 0
        damping = settings.damping
    }

    /// Sweeps recorded since the start or the last reset.
    private var sinceReset = 0

    /// Records sweep `sweeps`'s largest change and the magnetisations after it; returns why to stop, or nil.
    mutating func afterSweep(_ change: Double, sweeps: Int, _ m: UnsafeMutablePointer<Double>, count: Int) -> String? {
        var one = 0.0, two = 0.0
        if beforeLast.count == count {
            for i in 0..<count { one = max(one, abs(m[i] - last[i])); two = max(two, abs(m[i] - beforeLast[i])) }
        }
        swap(&last, &beforeLast)
        if last.count == count {
            last.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: m, count: count) }
        } else {
            last = Array(UnsafeBufferPointer(start: m, count: count))
        }
        return afterSweep(change, sweeps: sweeps, step: one, twoSteps: two)
    }

    /// The same, for an engine that measures the steps itself: `step` = max_i |m_i − m_i(one sweep
    /// ago)|, `twoSteps` = max_i |m_i − m_i(two sweeps ago)| (read only from the third sweep after
    /// the start or a reset on).
    mutating func afterSweep(_ change: Double, sweeps: Int, step one: Double, twoSteps two: Double) -> String? {
        changes.append(change)
        sinceReset += 1
        let k = changes.count
        let backAndForth = sinceReset >= 3 && one > 0 && two < 0.5 * one
        damping = backAndForth ? max(damping / 2, settings.damping / 64) : min(damping * 1.25, settings.damping)
        guard change > settings.tolerance, sweeps >= 2 * window, sweeps % window == 0, k > window else { return nil }
        let ratio = change / changes[k - 1 - window]
        let left = settings.maxSweeps - sweeps
        let needed = ratio < 1 ? Double(window) * log(settings.tolerance / change) / log(ratio) : .infinity
        guard needed > Double(left) else { return nil }
        return ratio >= 1
            ? "no progress: the largest change \(String(format: "%.2g", change)) at sweep \(sweeps) is not below its value \(window) sweeps before (oscillating or glassy)"
            : "too slow: at the rate of sweeps \(sweeps - window)–\(sweeps) it would need about \(Int(needed)) more sweeps (\(left) left)"
    }
}
