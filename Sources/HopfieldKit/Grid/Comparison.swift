import Foundation

/// Simulation against theory, point by point, on one grid.
///
/// For each Monte Carlo point the theory value comes from the RS branch the simulation should
/// sit in: the stable retrieval state where one exists, if the simulation started in the pattern
/// (metastable retrieval included: that is what dynamics from ξ¹ finds), and otherwise the global
/// branch. The difference is measured in units of the Monte Carlo uncertainty
/// √(error² + sample_spread²/S); finite-size corrections are not in that error, and the summary says so.
public struct Comparison: Sendable, Codable {
    public struct PointComparison: Sendable, Codable {
        public var point: Int
        public var alpha: Double
        public var dilution: Double
        public var temperature: Double
        public var observable: String
        public var simulated: Double
        public var error: Double
        public var theory: Double
        public var branch: String
        /// (simulated − theory) / error; nil when the error is zero (then the point agrees iff
        /// |simulated − theory| ≤ 1/N, the resolution of an overlap).
        public var z: Double?
    }

    /// Where the observable crosses `threshold` along the first axis (α, or d for multitasking
    /// grids) at one temperature, in both.
    public struct Boundary: Sendable, Codable {
        public var temperature: Double
        /// "alpha" or "dilution".
        public var axis: String
        public var simulated: Double?
        public var theory: Double?
        public var offset: Double?
    }

    public var observable: String
    public var threshold: Double
    public var neurons: Int?
    public var points: [PointComparison]
    public var within2Sigma: Int
    public var within3Sigma: Int
    public var worst: [PointComparison]
    public var boundaries: [Boundary]
    public var finiteSizeNote: String

    public static func compare(simulation: [TidyRow], theory: [TidyRow], observable: String,
                               threshold: Double = 0.5) -> Comparison {
        let theoryByPoint = Dictionary(grouping: theory.filter { $0.observable == observable }, by: { Key($0) })
        return compare(simulation: simulation, observable: observable, threshold: threshold) { row in
            theoryByPoint[Key(row)].flatMap { choose($0, simulatedBranch: row.branch) }
        }
    }

    /// Monte Carlo against the Plefka engine on the same networks from the same start: the Plefka
    /// value of the same point (where every sample's iteration converged), z = (MC − Plefka)/σ_MC in
    /// units of the Monte Carlo uncertainty (both share the disorder samples).
    public static func compare(simulation: [TidyRow], approximation: [TidyRow], observable: String,
                               threshold: Double = 0.5) -> Comparison {
        let byPoint = Dictionary(approximation.filter { $0.observable == observable && $0.converged }.map { (Key($0), $0) },
                                 uniquingKeysWith: { a, _ in a })
        return compare(simulation: simulation, observable: observable, threshold: threshold) { byPoint[Key($0)] }
    }

    /// The comparison of every converged `simulation` row of `observable` with its reference row.
    static func compare(simulation: [TidyRow], observable: String, threshold: Double,
                        reference: (TidyRow) -> TidyRow?) -> Comparison {
        var compared: [PointComparison] = []
        for row in simulation where row.observable == observable && row.converged {
            guard let chosen = reference(row) else { continue }
            let error = row.totalError ?? 0
            compared.append(PointComparison(point: row.point, alpha: chosen.alpha, dilution: row.dilution, temperature: row.temperature,
                                            observable: observable, simulated: row.value, error: error,
                                            theory: chosen.value, branch: chosen.branch,
                                            z: error > 0 ? (row.value - chosen.value) / error : nil))
        }
        // A zero-variance estimate (a frozen state) is judged on the resolution 1/N of an overlap.
        let resolution = simulation.compactMap(\.neurons).first.map { 1 / Double($0) } ?? 0
        func within(_ k: Double) -> Int {
            compared.filter { $0.z.map { abs($0) <= k } ?? (abs($0.simulated - $0.theory) <= resolution) }.count
        }
        func badness(_ p: PointComparison) -> Double {
            p.z.map(abs) ?? (abs(p.simulated - p.theory) <= resolution ? 0 : .infinity)
        }
        let worst = compared.sorted { badness($0) > badness($1) }.prefix(5)
        let neurons = simulation.compactMap(\.neurons).first
        var boundaries: [Boundary] = []
        // The first axis is the dilution when it varies across points (low-storage multitasking), else α.
        let multitasking = Set(compared.map(\.dilution)).count > 1
        let x: (PointComparison) -> Double = { multitasking ? $0.dilution : $0.alpha }
        for t in Set(compared.map(\.temperature)).sorted() {
            let line = compared.filter { $0.temperature == t }.sorted { x($0) < x($1) }
            let simulated = crossing(line.map { (x($0), $0.simulated) }, threshold)
            let predicted = crossing(line.map { (x($0), $0.theory) }, threshold)
            boundaries.append(Boundary(temperature: t, axis: multitasking ? "dilution" : "alpha", simulated: simulated,
                                       theory: predicted, offset: simulated.flatMap { s in predicted.map { s - $0 } }))
        }
        let note = neurons.map {
            "N = \($0): finite-size corrections, O(N^-1/2) ≈ \(String(format: "%.3f", 1 / Double($0).squareRoot())) near transitions and O(1/N) elsewhere, are not in the error bars; large |z| next to a boundary is expected"
        } ?? "no system size found in the simulation rows"
        return Comparison(observable: observable, threshold: threshold, neurons: neurons, points: compared,
                          within2Sigma: within(2), within3Sigma: within(3), worst: Array(worst),
                          boundaries: boundaries, finiteSizeNote: note)
    }

    /// Rows of one grid are matched by point index (the Monte Carlo row's α is the realised P/N,
    /// which differs from the spec's α by at most 1/(2N); the theory row's is the spec's).
    struct Key: Hashable {
        var point: Int
        init(_ row: TidyRow) { point = row.point }
    }

    /// Stable retrieval for simulations started in the pattern (or noisy pattern), else global.
    static func choose(_ candidates: [TidyRow], simulatedBranch: String) -> TidyRow? {
        let fromPattern = simulatedBranch.contains("init pattern") || simulatedBranch.contains("init noisy")
        if fromPattern, let r = candidates.first(where: { $0.branch == "retrieval" && $0.stable == true && $0.converged }) {
            return r
        }
        return candidates.first { $0.global == true && $0.converged }
    }

    /// The first x where the values fall from ≥ threshold to < threshold, linearly interpolated.
    static func crossing(_ values: [(Double, Double)], _ threshold: Double) -> Double? {
        crossings(values, threshold).first
    }

    /// Every x where the values fall through `threshold` (from ≥ to <; with `strict`, from > to <,
    /// so that values resting on the threshold do not count), linearly interpolated, in order.
    static func crossings(_ values: [(Double, Double)], _ threshold: Double, strict: Bool = false) -> [Double] {
        guard values.count >= 2 else { return [] }
        return (1..<values.count).compactMap { k in
            let (a0, v0) = values[k - 1], (a1, v1) = values[k]
            guard (strict ? v0 > threshold : v0 >= threshold), v1 < threshold else { return nil }
            return a0 + (a1 - a0) * (v0 - threshold) / (v0 - v1)
        }
    }
}
