/// Solves a theory on a grid of rows × path values by continuation: each row is solved along its
/// path in increasing order, the branches of the previous point being the hints of the next, so a
/// point usually costs a few Newton steps and the solver stays on its branches. Rows are independent
/// and run on up to `threads` threads; results do not depend on the thread count.
///
/// The path is T for RS grids (α rows) and α for 1RSB grids (T rows), where continuation carries
/// the broken branch past the RS spinodal.
///
/// Branches are tracked, not jumped (issue 13): every tracked branch of the previous point
/// (``TheoryBranch/continuity``: branch and stability, order parameters) that still exists at the
/// next point must lie within what the step predicts (linear extrapolation from the two previous
/// points, allowance ``BranchTracking/allowance(_:_:)``). Where one does not, the step is re-solved
/// in 2, 4, …, 64 substeps, each warm-started from the last, until no substep jumps; a jump that
/// survives 64 substeps is a genuine discontinuity (a branch ending at a fold while another root
/// of the same kind exists) and is noted in the branch's `method`.
public enum Continuation {
    /// `result[row][j]` are the branches at `path[j]` (in the caller's order, not sorted).
    /// - Parameters:
    ///   - thoroughStart: bracket every branch at the first (lowest) path value of each row.
    ///   - thorough: bracket every branch at every point.
    ///   - equations: the equations of row `row` at path value `x`.
    public static func solve<E: SaddlePointEquations>(rows: Int, path: [Double], threads: Int = 1,
                                                      thoroughStart: Bool = false, thorough: Bool = false,
                                                      equations: @Sendable (_ row: Int, _ x: Double) -> E) -> [[[E.Solution]]] {
        let ascending = path.enumerated().sorted { $0.element < $1.element }
        return Parallel.map(rows, threads: threads) { row in
            var result = [[E.Solution]](repeating: [], count: path.count)
            var history: [(x: Double, solutions: [E.Solution])] = []
            for (k, (j, x)) in ascending.enumerated() {
                var solutions = equations(row, x).solve(hints: history.last?.solutions ?? [], thorough: thorough || (thoroughStart && k == 0))
                if let last = history.last, last.x < x,
                   BranchTracking.jump(history.suffix(2), to: (x, solutions)) != nil {
                    solutions = BranchTracking.substeps(from: history.suffix(2), to: x, thorough: thorough) { equations(row, $0) }
                }
                result[j] = solutions
                history.append((x, solutions))
                if history.count > 2 { history.removeFirst() }
            }
            return result
        }
    }
}

/// The continuity test and the substep re-solve of ``Continuation``.
public enum BranchTracking {
    /// How far a tracked value may land from its linear prediction: 10⁻³ plus half the change over
    /// the previous step scaled to this one, or, without a previous step, 0.05. Strict on purpose:
    /// a false alarm costs only the substeps, which a smooth branch then passes.
    static func allowance(_ previousChange: Double?, _ ratio: Double) -> Double {
        previousChange.map { 1e-3 + 0.5 * abs($0) * ratio } ?? 0.05
    }

    /// A description of the first tracked branch of `history.last` whose continuation at `next`
    /// jumped, or nil. A branch with no state of its kind at `next`, or whose nearest state there is
    /// nearer another branch of its kind, has ended (a fold): no jump. A branch whose nearest
    /// state one step earlier is nearer another branch is new: it predicts nothing yet.
    public static func jump<S: TheoryBranch>(_ history: ArraySlice<(x: Double, solutions: [S])>,
                                             to next: (x: Double, solutions: [S])) -> String? {
        jumps(history, to: next).first?.description
    }

    /// Every tracked branch of `history.last` whose continuation at `next` jumped: its key and why.
    static func jumps<S: TheoryBranch>(_ history: ArraySlice<(x: Double, solutions: [S])>,
                                       to next: (x: Double, solutions: [S])) -> [(key: String, description: String)] {
        var found: [(key: String, description: String)] = []
        guard let last = history.last else { return [] }
        let before = history.count > 1 ? history.first : nil
        let ratio = before.map { abs(next.x - last.x) / max(abs(last.x - $0.x), 1e-300) } ?? 1
        for branch in last.solutions {
            guard let (key, values) = branch.continuity else { continue }
            let candidates = next.solutions.compactMap(\.continuity).filter { $0.key == key }.map(\.values)
            guard !candidates.isEmpty else { continue }
            // The same branch one step earlier: the state of this kind nearest to it, if this branch
            // is in turn the nearest to that one (else the branch is new here and predicts nothing).
            let ofKind = last.solutions.compactMap(\.continuity).filter { $0.key == key }.map(\.values)
            let earlier = before?.solutions.compactMap(\.continuity).filter { $0.key == key }.map(\.values)
                .min { distance($0, values) < distance($1, values) }
                .flatMap { e in ofKind.min { distance($0, e) < distance($1, e) } == values ? e : nil }
            if before != nil, earlier == nil { continue }
            let change = earlier.map { zip(values, $0).map { $0 - $1 } }
            let predicted = change.map { zip(values, $0).map { $0 + $1 * ratio } } ?? values
            guard let nearest = candidates.min(by: { distance($0, predicted) < distance($1, predicted) }) else { continue }
            // A state that is nearer another branch of this kind continues that one: this branch
            // ended at a fold between the two points (no jump).
            if ofKind.min(by: { distance($0, nearest) < distance($1, nearest) }) != values { continue }
            if let i = values.indices.first(where: { k in abs(nearest[k] - predicted[k]) > allowance(change?[k], ratio) }) {
                found.append((key, "\(key): value \(i) \(nearest[i]) at \(next.x), predicted \(predicted[i]) from \(last.x)"))
            }
        }
        return found
    }

    static func distance(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    /// The branches at `x` continued from `history.last` in 2, 4, …, 64 equal substeps, the first
    /// walk without a jump; after 64 substeps the walk's end, its jumped branches noted.
    static func substeps<E: SaddlePointEquations>(from history: ArraySlice<(x: Double, solutions: [E.Solution])>, to x: Double,
                                                  thorough: Bool, equations: (Double) -> E) -> [E.Solution] {
        typealias S = E.Solution
        let start = history.last!
        var walk: [(x: Double, solutions: [S])] = []
        var jumped: [String: String] = [:]
        for n in [2, 4, 8, 16, 32, 64] {
            // The walk predicts from its own substeps (a coarse earlier step says little about a fine one).
            walk = [start]
            jumped = [:]
            for k in 1...n {
                let y = k == n ? x : start.x + (x - start.x) * Double(k) / Double(n)
                let solutions = equations(y).solve(hints: walk.last!.solutions, thorough: thorough)
                for j in jumps(walk.suffix(2), to: (y, solutions)) where jumped[j.key] == nil { jumped[j.key] = j.description }
                walk.append((y, solutions))
            }
            if jumped.isEmpty { break }
        }
        var result = walk.last!.solutions
        for i in result.indices {
            guard let key = result[i].continuity?.key, let why = jumped[key] else { continue }
            result[i].noteDiscontinuity("continuity: no continuous path from the previous point in 64 substeps (\(why))")
        }
        return result
    }
}
