import Foundation

/// The regions of a phase diagram read from the theory's tidy rows, and where to write their names.
///
/// A point's region is its global state's branch, except that where the global state is not the
/// retrieval state but a stable retrieval state exists, the region is M (retrieval metastable):
/// the classical regions of Amit–Gutfreund–Sompolinsky, R (retrieval states global minima), M, SG
/// (spin glass), P (paramagnet); the multitasking families name their own states (single, parallel,
/// hierarchical, mixture).
public enum PhaseRegions {
    /// The region of each point (by point index) with a global state; points without one are left out.
    public static func classify(_ rows: [TidyRow]) -> [Int: String] {
        var byPoint: [Int: [TidyRow]] = [:]
        for row in rows { byPoint[row.point, default: []].append(row) }
        var result: [Int: String] = [:]
        for (point, rows) in byPoint {
            guard let global = rows.first(where: { $0.global == true })?.branch else { continue }
            let metastableRetrieval = states(rows).contains(where: isMetastableRetrieval)
            result[point] = global != "retrieval" && metastableRetrieval ? "M" : abbreviation(global)
        }
        return result
    }

    /// The rows of each state (RS branch or 1RSB state): consecutive in a point's record, each state's
    /// starting with its `m` row (``TidyRow/rows(_:point:requestedAlpha:)``).
    public static func states(_ rows: [TidyRow]) -> [[TidyRow]] {
        var states: [[TidyRow]] = []
        for row in rows {
            if row.observable == "m" || states.isEmpty || states[states.count - 1][0].point != row.point { states.append([row]) }
            else { states[states.count - 1].append(row) }
        }
        return states
    }

    /// A retrieval state that is not the global one but could be seen: a converged, locally stable
    /// RS retrieval branch of entropy ≥ −10⁻⁶ (not a dense network's low-m root that continues its
    /// paramagnet below the entropy crisis, locally stable but of entropy ≪ 0).
    public static func isMetastableRetrieval(_ state: [TidyRow]) -> Bool {
        guard let first = state.first, first.source == "rs", first.branch == "retrieval", first.stable == true,
              first.global != true, first.converged else { return false }
        guard let entropy = state.first(where: { $0.observable == "entropy" })?.value else { return false }
        return entropy >= -ReplicaSymmetricSolution.entropyTolerance
    }

    static func abbreviation(_ branch: String) -> String {
        switch branch {
        case "retrieval": "R"
        case "spin-glass": "SG"
        case "paramagnet": "P"
        default: branch
        }
    }

    /// What each label means, for the legend: at most two entries per line, in a fixed order; only
    /// the regions present (the multitasking states are named in full and need no key).
    public static func key(_ present: Set<String>) -> [String] {
        let meanings: [(String, String)] = [
            ("R", "R: retrieval global"), ("M", "M: retrieval metastable"), ("SG", "SG: spin glass"), ("P", "P: paramagnet"),
        ]
        let shown = meanings.filter { present.contains($0.0) }.map(\.1)
        return stride(from: 0, to: shown.count, by: 2).map { shown[$0..<min($0 + 2, shown.count)].joined(separator: ", ") }
    }

    /// One label per region, at the cell of the (nx × ny) mesh farthest from every other region and
    /// from the frame (distances in fractions of the axes), if that clearance is at least
    /// `minimumClearance`. `region[i][j]`: the region at x index i, y index j (nil: unknown).
    public static func labelPositions(_ region: [[String?]], minimumClearance: Double = 0.04) -> [(i: Int, j: Int, text: String)] {
        let nx = region.count, ny = region.first?.count ?? 0
        guard nx > 1, ny > 1 else { return [] }
        var cells: [String: [(Int, Int)]] = [:]
        for i in 0..<nx { for j in 0..<ny { if let r = region[i][j] { cells[r, default: []].append((i, j)) } } }
        var result: [(i: Int, j: Int, text: String)] = []
        for (name, own) in cells.sorted(by: { $0.key < $1.key }) {
            let others = cells.filter { $0.key != name }.flatMap(\.value)
            var best: (Int, Int, Double)? = nil
            for (i, j) in own {
                let u = Double(i) / Double(nx - 1), v = Double(j) / Double(ny - 1)
                var d = min(u, 1 - u, v, 1 - v)
                for (k, l) in others {
                    let du = u - Double(k) / Double(nx - 1), dv = v - Double(l) / Double(ny - 1)
                    d = min(d, (du * du + dv * dv).squareRoot())
                    if d <= (best?.2 ?? 0) { break }
                }
                if d > (best?.2 ?? 0) { best = (i, j, d) }
            }
            if let best, best.2 >= minimumClearance { result.append((best.0, best.1, name)) }
        }
        return result
    }
}
