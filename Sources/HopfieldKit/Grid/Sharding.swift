/// A deterministic, cost-balanced split of a grid's points into shards (Slurm array tasks).
///
/// Longest-processing-time-first: points in decreasing estimated cost (ties: lower index first) go
/// one by one to the shard with the least cost so far (ties: lower shard). The assignment depends
/// only on the spec and the shard count, never on who computes it; each shard's points are listed
/// in increasing index.
public enum Sharding {
    public static func assign(_ plan: [GridRun.PlannedPoint], shards: Int) -> [[Int]] {
        precondition(shards >= 1)
        var load = [Double](repeating: 0, count: shards)
        var members = [[Int]](repeating: [], count: shards)
        let ordered = plan.sorted { $0.estimatedSeconds != $1.estimatedSeconds ? $0.estimatedSeconds > $1.estimatedSeconds : $0.point < $1.point }
        for p in ordered {
            var best = 0
            for s in 1..<shards where load[s] < load[best] { best = s }
            load[best] += p.estimatedSeconds
            members[best].append(p.point)
        }
        return members.map { $0.sorted() }
    }

    /// Parses "I/N" (0 ≤ I < N ≤ `points`: a shard with no point is refused).
    public static func parse(_ text: String, points: Int = GridSpec.maximumPoints) throws(ParameterError) -> (index: Int, count: Int) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 0, i < n else {
            throw ParameterError("--shard", allowed: "I/N with 0 ≤ I < N (e.g. 3/64)", given: "'\(text)'")
        }
        try checkCount(n, points: points, flag: "--shard")
        return (i, n)
    }

    /// N shards of a grid of `points` points: 1 ≤ N ≤ points (every shard gets a point).
    public static func checkCount(_ n: Int, points: Int, flag: String) throws(ParameterError) {
        guard n >= 1, n <= points else {
            throw ParameterError(flag, allowed: "at most one shard per point: N in [1, \(points)]", given: "\(n) shards")
        }
    }
}
