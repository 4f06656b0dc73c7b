/// Elementary symmetric polynomials from power sums, by Newton's identities:
/// ```
/// e_0 = 1,   k e_k = Σ_{j=1}^{k} (−1)^{j−1} e_{k−j} p_j,     p_j = Σ_i x_i^j.
/// ```
/// e_k(x) = Σ_{i_1<…<i_k} x_{i_1}…x_{i_k} is the sum over distinct index sets that the Gardner
/// form of the dense Hamiltonian needs; with x_i = η_i σ_i the power sums are overlaps
/// (odd j: Σ η_i^j σ_i) or constants (even j: Σ η_i^j), so e_k costs O(k²) from kept sums.
public enum ElementarySymmetric {
    /// e_k for k = 0…`order` from p_1…p_order (`powerSums[j − 1]` = p_j), into `e` (count ≥ order + 1).
    @inline(__always)
    public static func fromPowerSums(_ powerSums: UnsafePointer<Double>, order: Int, into e: UnsafeMutablePointer<Double>) {
        e[0] = 1
        guard order >= 1 else { return }
        for k in 1...order {
            var acc = 0.0
            var sign = 1.0
            for j in 1...k {
                acc += sign * e[k - j] * powerSums[j - 1]
                sign = -sign
            }
            e[k] = acc / Double(k)
        }
    }

    /// e_k of n variables x_i = ±1 as a polynomial in their sum S: coefficients c_0…c_k with
    /// e_k = Σ_d c_d S^d (p_j = S for odd j, n for even j). Used to evaluate the field of binary
    /// patterns by Horner's rule in O(k) per pattern.
    public static func binaryPolynomial(order k: Int, variables n: Int) -> [Double] {
        // Polynomials in S as coefficient arrays; Newton's identities with p_odd = S, p_even = n.
        var e: [[Double]] = [[1]]
        func multiply(_ a: [Double], byPowerSum j: Int) -> [Double] {
            if j % 2 == 1 { return [0] + a }
            return a.map { $0 * Double(n) }
        }
        for order in stride(from: 1, through: k, by: 1) {
            var acc = [Double](repeating: 0, count: order + 1)
            var sign = 1.0
            for j in 1...order {
                let term = multiply(e[order - j], byPowerSum: j)
                for d in 0..<term.count { acc[d] += sign * term[d] }
                sign = -sign
            }
            e.append(acc.map { $0 / Double(order) })
        }
        return e[k]
    }
}
