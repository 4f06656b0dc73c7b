/// The bits a parallel Plefka sweep reads of a neuron-major matrix ξ (N × K) with entries in
/// {−1, 0, +1} (±1 patterns, diluted patterns, a dense network's ±1 couplings): B⁺ (ξ = +1) as rows =
/// neurons and as rows = columns, and, only where ξ has zeros, B⁻ (ξ = −1) likewise (``BitMatrix``).
struct SignBits: Sendable {
    let plus: BitMatrix, plusByColumn: BitMatrix
    /// nil for ±1 entries (B⁻ = 1 − B⁺).
    let minus: BitMatrix?, minusByColumn: BitMatrix?
    /// r_i = Σ_ν ξ_i^ν.
    let rowSums: [Double]

    init<E: BinaryInteger>(_ xi: UnsafeBufferPointer<E>, neurons: Int, columns: Int) {
        (plus, plusByColumn) = BitMatrix.entries(of: xi, neurons: neurons, columns: columns, equalTo: 1)
        rowSums = (0..<neurons).map { i in (0..<columns).reduce(0.0) { $0 + Double(xi[i * columns + $1]) } }
        let minusBits = xi.contains(0) ? BitMatrix.entries(of: xi, neurons: neurons, columns: columns, equalTo: -1) : nil
        (minus, minusByColumn) = (minusBits?.byNeuron, minusBits?.byColumn)
    }

    init(_ patterns: PatternMatrix) {
        self = patterns.entries.withUnsafeBufferPointer { SignBits($0, neurons: patterns.neurons, columns: patterns.patterns) }
    }

    /// S_ν = Σ_i ξ_i^ν m_i into `s` (K values); `scratch` holds max(N, K) values.
    /// ±1 entries: S = 2 B⁺ᵀm − Σ_i m_i; with zeros: S = B⁺ᵀm − B⁻ᵀm.
    func overlaps(_ m: UnsafePointer<Double>, into s: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        let n = plus.rows, k = plus.columns
        plus.accumulate(m, into: s)
        if let minus {
            minus.accumulate(m, into: scratch)
            for nu in 0..<k { s[nu] -= scratch[nu] }
        } else {
            var total = 0.0
            for i in 0..<n { total += m[i] }
            for nu in 0..<k { s[nu] = 2 * s[nu] - total }
        }
    }

    /// F_i = Σ_ν ξ_i^ν g_ν = a·f_i − b: f into `f` (N values), (a, b) returned (folded into the
    /// caller's loop over sites); `scratch` holds max(N, K) values.
    /// ±1 entries: f = B⁺g, a = 2, b = Σ_ν g_ν; with zeros: f = B⁺g − B⁻g, a = 1, b = 0.
    func fields(_ g: UnsafePointer<Double>, into f: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) -> (a: Double, b: Double) {
        let n = plus.rows, k = plus.columns
        plusByColumn.accumulate(g, into: f)
        if let minusByColumn {
            minusByColumn.accumulate(g, into: scratch)
            for i in 0..<n { f[i] -= scratch[i] }
            return (1, 0)
        }
        var total = 0.0
        for nu in 0..<k { total += g[nu] }
        return (2, total)
    }
}
