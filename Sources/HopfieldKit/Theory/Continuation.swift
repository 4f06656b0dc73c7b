/// Solves a theory on a grid of rows × path values by continuation: each row is solved along its
/// path in increasing order, the branches of the previous point being the hints of the next, so a
/// point usually costs a few Newton steps and the solver stays on its branches. Rows are independent
/// and run on up to `threads` threads; results do not depend on the thread count.
///
/// The path is T for RS grids (α rows) and α for 1RSB grids (T rows), where continuation carries
/// the broken branch past the RS spinodal.
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
            var hints: [E.Solution] = []
            for (k, (j, x)) in ascending.enumerated() {
                let solutions = equations(row, x).solve(hints: hints, thorough: thorough || (thoroughStart && k == 0))
                result[j] = solutions
                hints = solutions
            }
            return result
        }
    }
}
