import CGSL
import Foundation

/// The Curie–Weiss model, H = −(N/2) m², which the classical Hopfield network reduces to for P = 1
/// (gauge σ_i → ξ_i σ_i). Used as the α → 0 reference of every Hopfield solver and simulation.
public enum CurieWeiss {
    /// The spontaneous magnetisation: the largest root of m = tanh(m/T), found by GSL's Brent
    /// solver on the bracket [ε, 1] for T < 1 (and 0 for T ≥ 1). Tolerance 1e-14 absolute.
    ///
    /// Returns nil when the solver fails (reported, never guessed).
    public static func magnetisation(temperature t: Double) -> Double? {
        precondition(t > 0)
        guard t < 1 else { return 0 }
        GSLErrors.disableAbort()
        // g(m) = m − tanh(m/T): negative just above 0 (slope 1 − 1/T < 0), positive at m = 1.
        final class Box { let beta: Double; init(_ b: Double) { beta = b } }
        let box = Box(1 / t)
        var function = gsl_function(
            function: { m, params in
                let beta = Unmanaged<Box>.fromOpaque(params!).takeUnretainedValue().beta
                return m - tanh(beta * m)
            },
            params: Unmanaged.passUnretained(box).toOpaque())
        // Lower end: below the root, where g < 0; for T near 1 the root is ~√(3(1−T)).
        var lower = min(1e-3, 0.5 * (3 * (1 - t)).squareRoot())
        while lower > 1e-300, lower - tanh(lower / t) >= 0 { lower /= 2 }
        guard let solver = gsl_root_fsolver_alloc(hopsim_root_fsolver_brent()) else { return nil }
        defer { gsl_root_fsolver_free(solver) }
        guard gsl_root_fsolver_set(solver, &function, lower, 1) == GSL_SUCCESS else { return nil }
        for _ in 0..<200 {
            guard gsl_root_fsolver_iterate(solver) == GSL_SUCCESS else { return nil }
            let a = gsl_root_fsolver_x_lower(solver), b = gsl_root_fsolver_x_upper(solver)
            if gsl_root_test_interval(a, b, 1e-14, 0) == GSL_SUCCESS { return gsl_root_fsolver_root(solver) }
        }
        return nil
    }

    /// Exact thermal averages at finite N, summed over the magnetisation levels m = (2k − N)/N
    /// with their multiplicities C(N, k):
    /// ```
    /// ⟨f(m)⟩_N = Σ_k C(N,k) e^{βN m²/2} f(m) / Σ_k C(N,k) e^{βN m²/2}
    /// ```
    /// (log-weights through GSL's ln Γ, normalised by their maximum). Returns ⟨|m|⟩ and ⟨m²⟩.
    public static func exactFiniteSize(neurons n: Int, temperature t: Double) -> (absM: Double, m2: Double) {
        precondition(n >= 1 && t > 0)
        let beta = 1 / t
        let logWeights = (0...n).map { k -> Double in
            let m = Double(2 * k - n) / Double(n)
            return gsl_sf_lnchoose(UInt32(n), UInt32(k)) + beta * Double(n) * m * m / 2
        }
        let top = logWeights.max()!
        var z = 0.0, absM = 0.0, m2 = 0.0
        for k in 0...n {
            let w = exp(logWeights[k] - top)
            let m = Double(2 * k - n) / Double(n)
            z += w; absM += w * abs(m); m2 += w * m * m
        }
        return (absM / z, m2 / z)
    }
}
