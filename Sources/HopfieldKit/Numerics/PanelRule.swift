import CGSL
import Foundation

/// E_z f(z) ≈ Σ_k w_k f(z_k), z ~ N(0, 1), for integrands that change abruptly within `scale` of a
/// point `kink` (tanh β(a + bz) at low temperature, or a replica-weighted average of it): Gauss–
/// Legendre (GSL's `glfixed`, `order` points) on panels of [−L, L], L = 9 (the mass outside is
/// 2·10⁻¹⁹; a larger integer L where the integrand grows in the tails, as a replica weight e^{xβσ|z|}
/// does), whose widths grow geometrically away from the kink (scale·2^k) and never exceed 1.
/// The Gaussian density is folded into the weights. Unlike a fixed Hermite rule, whose error
/// grows like the sharpness β σ of the integrand, this stays accurate to ~1e-12 for every scale
/// down to 10⁻⁹ (tested against GSL's adaptive QAGI), at a cost of ~order·(2 log₂(L/scale) + 2L)
/// evaluations.
public struct PanelRule: Sendable {
    public let nodes: [Double]
    public let weights: [Double]

    public static let halfWidth = 9
    /// The largest L a rule takes.
    static let maximumHalfWidth = 48
    static let legendreOrder = 12
    static let legendre: (x: [Double], w: [Double]) = {
        let n = legendreOrder
        let table = gsl_integration_glfixed_table_alloc(n)!
        defer { gsl_integration_glfixed_table_free(table) }
        var x = [Double](), w = [Double]()
        for i in 0..<n {
            var xi = 0.0, wi = 0.0
            gsl_integration_glfixed_point(-1, 1, i, &xi, &wi, table)
            x.append(xi); w.append(wi)
        }
        return (x, w)
    }()

    public init(kink: Double, scale: Double, halfWidth: Int = halfWidth) {
        (nodes, weights) = Self.withRule(kink: kink, scale: scale, halfWidth: halfWidth) { z, w in (Array(z), Array(w)) }
    }

    /// Most breakpoints a rule has: the integers of [−L, L], the kink, and kink ± scale·2^k for
    /// scale ≥ 10⁻¹² (47 doublings reach 2L for L ≤ 48).
    static let maximumBreaks = 2 * maximumHalfWidth + 2 + 2 * 48

    /// Most nodes a rule has.
    static let maximumNodes = (maximumBreaks - 1) * legendreOrder

    /// Calls `body` with the sorted, distinct panel breaks of the rule for (kink, scale), in a buffer
    /// on the stack: the integers of [−L, L] (L = `halfWidth`, at most ``maximumHalfWidth``), and
    /// where the kink lies inside, the kink and kink ± scale·2^k (scale ≥ 10⁻¹²) inside.
    @inline(__always)
    static func withBreaks<R>(kink: Double, scale: Double, halfWidth: Int = halfWidth,
                              _ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: Double.self, capacity: maximumBreaks) { breaks in
            let extent = min(max(halfWidth, 1), maximumHalfWidth)
            let l = Double(extent)
            var count = 0
            for k in -extent...extent { breaks[count] = Double(k); count += 1 }
            if kink.isFinite, abs(kink) < l, scale > 0 {
                breaks[count] = kink; count += 1
                var width = max(scale, 1e-12)
                while width < 2 * l {
                    let below = kink - width, above = kink + width
                    if abs(below) < l { breaks[count] = below; count += 1 }
                    if abs(above) < l { breaks[count] = above; count += 1 }
                    width *= 2
                }
            }
            // Sorted, exact duplicates removed (the integers may coincide with a kink break).
            var sorted = UnsafeMutableBufferPointer(rebasing: breaks[0..<count])
            sorted.sort()
            var unique = 0
            for b in sorted where unique == 0 || b != sorted[unique - 1] { sorted[unique] = b; unique += 1 }
            return try body(UnsafeBufferPointer(rebasing: sorted[0..<unique]))
        }
    }

    /// Writes the rule's nodes z_k and its weights without the Gaussian density, ½(b − a)·w_k^GL/√(2π)
    /// (so that E f ≈ Σ weights_k e^{−z_k²/2} f(z_k)), into `nodes` and `weights` (room for
    /// ``maximumNodes`` each); returns their number. The same nodes, in the same order, as
    /// ``withRule(kink:scale:halfWidth:_:)``.
    @inline(__always)
    static func fill(kink: Double, scale: Double, halfWidth: Int = halfWidth,
                     nodes: UnsafeMutablePointer<Double>, weights: UnsafeMutablePointer<Double>) -> Int {
        withBreaks(kink: kink, scale: scale, halfWidth: halfWidth) { breaks in
            let (gx, gw) = legendre
            let norm = 1 / (2 * Double.pi).squareRoot()
            var m = 0
            for j in breaks.indices.dropFirst() {
                let a = breaks[j - 1], b = breaks[j]
                let halfWidth = 0.5 * (b - a), mid = 0.5 * (a + b)
                for k in gx.indices {
                    nodes[m] = mid + halfWidth * gx[k]
                    weights[m] = halfWidth * gw[k] * norm
                    m += 1
                }
            }
            return m
        }
    }

    /// Calls `body(nodes, weights)` with the rule for (kink, scale) in buffers on the stack: the
    /// same nodes and weights, in the same order, as ``init(kink:scale:halfWidth:)``, without allocating —
    /// ``fill(kink:scale:halfWidth:nodes:weights:)``'s, each weight times the density e^{−z²/2}.
    @inline(__always)
    public static func withRule<R>(kink: Double, scale: Double, halfWidth: Int = halfWidth,
                                   _ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * maximumNodes) { buffer in
            let nodes = buffer.baseAddress!, weights = nodes + maximumNodes
            let m = fill(kink: kink, scale: scale, halfWidth: halfWidth, nodes: nodes, weights: weights)
            for k in 0..<m { weights[k] *= exp(-0.5 * nodes[k] * nodes[k]) }
            return try body(UnsafeBufferPointer(start: nodes, count: m), UnsafeBufferPointer(start: weights, count: m))
        }
    }

    /// Σ w f(z).
    @inline(__always)
    public func average(_ f: (Double) -> Double) -> Double {
        var total = 0.0
        for k in nodes.indices { total += weights[k] * f(nodes[k]) }
        return total
    }
}
