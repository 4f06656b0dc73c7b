/// Another paper's normalisation of the dense P-body network, identified by the form of its RS local
/// field rather than by its Hamiltonian alone (papers that write the same H = −(N/2) Σ m^P define
/// their load differently; only the field pins the conversion down, docs/physics.md §6):
/// ```
/// paper:   m = E tanh β'[a m^{P−1} + √(b γ q^{P−1}) z]
/// hopsim:  m = E tanh β [m^{P−1}/(P−1)! + √(α q^{P−1}/(P−1)!) z]
/// ```
/// Equating the two arguments term by term gives
/// ```
/// T' = a (P−1)! T,      γ = a² (P−1)!/b · α,
/// ```
/// and the q-equation, the free energy and the stability conditions follow from the same field.
public struct DenseConvention: Sendable, Equatable {
    /// a: the coefficient of m^{P−1} in the paper's field.
    public var signal: Double
    /// b: the coefficient of γ q^{P−1} in the paper's noise variance.
    public var noise: Double

    public init(signal: Double, noise: Double) {
        precondition(signal > 0 && noise > 0)
        self.signal = signal; self.noise = noise
    }

    /// H' = −(N/2) Σ_μ m_μ^P with the field (P/2) m^{P−1} + √(γ P q^{P−1}/2) z (the dense Hebbian
    /// networks of Agliari, Barra et al.): T' = (P!/2) T and γ = (P!/2) α.
    public static func halfOverlapPower(order p: Int) -> DenseConvention {
        DenseConvention(signal: Double(p) / 2, noise: Double(p) / 2)
    }

    /// H' = −N Σ_μ m_μ^P with the field P m^{P−1} + √(γ P q^{P−1}) z: T' = P! T and γ = P! α.
    public static func overlapPower(order p: Int) -> DenseConvention {
        DenseConvention(signal: Double(p), noise: Double(p))
    }

    static func factorialMinusOne(_ p: Int) -> Double { (1..<p).reduce(1.0) { $0 * Double($1) } }

    /// (γ, T') of the point (α, T) of hopsim's convention.
    public func fromHopsim(order p: Int, alpha: Double, temperature: Double) -> (load: Double, temperature: Double) {
        let g = Self.factorialMinusOne(p)
        return (signal * signal * g / noise * alpha, signal * g * temperature)
    }

    /// (α, T) in hopsim's convention of the paper's point (γ, T').
    public func toHopsim(order p: Int, load: Double, temperature: Double) -> (alpha: Double, temperature: Double) {
        let g = Self.factorialMinusOne(p)
        return (noise / (signal * signal * g) * load, temperature / (signal * g))
    }
}
