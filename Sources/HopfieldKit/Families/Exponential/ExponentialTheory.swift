import Foundation

/// The large-N theory of an exponential network of binary neurons by the random-energy-model
/// argument (docs/physics.md §5). With K = e^{αN} patterns (0 < α < ln 2), the overlaps of a
/// configuration with the K − 1 patterns it is not condensed on are a REM: the number of them at
/// overlap m is e^{N(α − I(m))}, I(m) = ½[(1+m)ln(1+m) + (1−m)ln(1−m)], so the largest is m*(α),
/// I(m*) = α, and their log-sum-exp at inverse width λ is
/// ```
/// φ(α, λ) = (1/N) ln Σ_{μ≥2} e^{λ N m_μ} = α + ln cosh λ   if α ≥ I(tanh λ)  (many patterns at m = tanh λ)
///                                        = λ m*(α)          if α < I(tanh λ)  (condensed: the best one)
/// ```
/// For the `lse` interaction at temperature T = 1/β the Gibbs weight of a configuration with
/// overlap m on one pattern is e^{N[ln 2 − I(m) + (β/λ) max(λm, φ)]}, which gives
/// ```
/// retrieval:   m = tanh β,  u = −m,  s = ln 2 − I(m),  f = −T ln(2 cosh β)   exists iff λ tanh β > φ
/// paramagnet:  m = 0,       u = −φ/λ, s = ln 2,       f = −φ/λ − T ln 2      a state iff α ≥ I(tanh λ) or tanh β ≤ m*
/// ```
/// and the retrieval states of all K patterns together (complexity α) dominate the Gibbs measure
/// iff α + ln cosh β > (β/λ)φ. At T = 0 the pattern (m = 1) is a state iff it is a single-flip
/// minimum, which the fluctuations of the others' sum decide: α < 2λ − ln cosh 2λ
/// (``singleFlipBoundary(lambda:)``; larger than the T → 0⁺ limit λ − ln cosh λ of the
/// finite-T boundary: near the pattern the energy is exponentially flat but not level). The `exp`
/// interaction's energies are e^{λN}-large, so at any fixed T it behaves as at T = 0.
public struct ExponentialTheory: Sendable {
    public let settings: ExponentialSettings
    public let alpha: Double
    public let temperature: Double
    public let tolerance: Double

    public init(settings: ExponentialSettings, alpha: Double, temperature: Double, tolerance: Double = 1e-12) throws(ParameterError) {
        try settings.validate()
        guard alpha > 0, alpha < log(2.0) else {
            throw ParameterError("--alpha", allowed: "a number in (0, ln 2 = 0.6931…): K = e^{αN} ≤ 2^N (exponential load)", given: "\(alpha)", key: .alpha)
        }
        try Limits.temperature.check(temperature)
        self.settings = settings; self.alpha = alpha; self.temperature = temperature; self.tolerance = tolerance
    }

    // MARK: The REM of the uncondensed patterns

    /// I(m) = ½[(1+m)ln(1+m) + (1−m)ln(1−m)], the rate function of an overlap of N random signs
    /// (I(±1) = ln 2).
    public static func rate(_ m: Double) -> Double {
        let a = abs(m)
        if a >= 1 { return log(2.0) }
        return 0.5 * ((1 + a) * log1p(a) + (1 - a) * log1p(-a))
    }

    /// m*(α): the root of I(m) = α in (0, 1), by GSL's Brent solver to 1e-15; nil if it did not
    /// converge. Its residual |I(m*) − α| is re-evaluated by the caller.
    public static func maximalOverlap(alpha: Double) -> Double? {
        guard alpha > 0, alpha < log(2.0) else { return nil }
        guard let root = RootFinding.brent(0, 1 - 1e-16, xTolerance: 1e-15, { rate($0) - alpha }), root.converged else { return nil }
        return root.x
    }

    /// Whether the REM of the uncondensed patterns is condensed (its sum dominated by the
    /// best-matching pattern): α < I(tanh λ).
    public static func remCondensed(alpha: Double, lambda: Double) -> Bool { alpha < rate(tanh(lambda)) }

    /// φ(α, λ) (the type's documentation), from m*.
    public static func crosstalk(alpha: Double, lambda: Double, maximalOverlap mStar: Double) -> Double {
        remCondensed(alpha: alpha, lambda: lambda) ? lambda * mStar : alpha + logCosh(lambda)
    }

    /// ln cosh x without overflow.
    public static func logCosh(_ x: Double) -> Double {
        let a = abs(x)
        return a + log1p(exp(-2 * a)) - log(2.0)
    }

    // MARK: States

    /// One state of the theory at one point, as written to DIR/points/rs-NNNNNN.json.
    public struct State: Sendable, Codable, Equatable, TheoryBranch {
        public var model = "exponential"
        public var theory = "rem"
        public var interaction: ExponentialInteraction
        public var lambda: Double
        public var alpha: Double
        public var temperature: Double
        /// "retrieval" or "paramagnet".
        public var branch: String
        public var m: Double
        /// The largest overlap with any pattern: m for retrieval (it exists only above m*), m* for
        /// the paramagnet (compare with Monte Carlo's m_max: at finite N the dynamics hop between
        /// the retrieval states of different patterns, so m with ξ¹ decays while m_max stays).
        public var mMax: Double
        /// u = H/N, s, f = u − Ts per neuron (`lse` only: the `exp` energy is not extensive).
        public var energy: Double?
        public var entropy: Double?
        public var freeEnergy: Double?
        /// ln(number of equivalent states)/N: α for retrieval (any of the K patterns), 0 otherwise.
        public var complexity: Double
        /// φ(α, λ), m*(α), and whether the REM of the other patterns is condensed.
        public var crosstalk: Double
        public var maximalOverlap: Double
        public var remCondensed: Bool
        /// Whether the state exists (a local maximum of the Gibbs weight).
        public var stable: Bool
        /// The state whose configurations (all K retrieval states together for retrieval) carry the Gibbs measure.
        public var global: Bool
        public var converged: Bool
        /// max of |I(m*) − α| and the state's own stationarity residual, re-evaluated after the solve.
        public var residual: Double
        public var method: String
        public var version = HopsimVersion.string
    }

    /// The retrieval state and (for `lse`) the paramagnet, with existence and the global choice.
    /// `converged` is false (and every flag false) if m* was not found to the tolerance.
    public func states() -> [State] {
        let lambda = settings.lambda, beta = temperature > 0 ? 1 / temperature : .infinity
        let mStar = Self.maximalOverlap(alpha: alpha)
        let residualStar = mStar.map { abs(Self.rate($0) - alpha) } ?? .infinity
        let converged = residualStar <= tolerance
        let ms = mStar ?? .nan
        let phi = Self.crosstalk(alpha: alpha, lambda: lambda, maximalOverlap: ms)
        let condensed = Self.remCondensed(alpha: alpha, lambda: lambda)
        let method = "REM argument (N → ∞), m* by gsl brent"
        func state(_ branch: String, m: Double) -> State {
            State(interaction: settings.interaction, lambda: lambda, alpha: alpha, temperature: temperature, branch: branch, m: m,
                  mMax: branch == "retrieval" ? m : ms,
                  complexity: branch == "retrieval" ? alpha : 0, crosstalk: phi, maximalOverlap: ms, remCondensed: condensed,
                  stable: false, global: false, converged: converged, residual: residualStar, method: method)
        }
        switch settings.interaction {
        case .exp:
            var r = state("retrieval", m: 1)
            r.method = "REM argument, zero-temperature dynamics (exp energies are e^{λN}-large at any fixed T): single-flip stability, m* by gsl brent"
            r.stable = converged && alpha < Self.singleFlipBoundary(lambda: lambda)
            r.global = r.stable
            return [r]
        case .lse:
            let m = temperature > 0 ? tanh(beta) : 1
            var r = state("retrieval", m: m)
            let s = log(2.0) - Self.rate(m)
            r.energy = -m
            r.entropy = s
            r.freeEnergy = -m - temperature * s
            // Stationarity of βm − I(m), I'(m) = atanh m = β, re-evaluated in its well-conditioned form
            // m = tanh β on the stored m (atanh is ill-conditioned as m → 1); it enters `converged`.
            r.residual = max(residualStar, abs(m - tanh(beta)))
            r.converged = r.residual <= tolerance
            // T > 0: the pattern's term must carry the energy (λ tanh β > φ); T = 0: the pattern must be
            // a single-flip minimum, decided by the fluctuations of the others' sum (α < 2λ − ln cosh 2λ).
            r.stable = converged && (temperature > 0 ? lambda * m > phi : alpha < Self.singleFlipBoundary(lambda: lambda))
            var p = state("paramagnet", m: 0)
            p.energy = -phi / lambda
            p.entropy = log(2.0)
            p.freeEnergy = -phi / lambda - temperature * log(2.0)
            p.stable = converged && (!condensed || m <= ms)
            // −βf of all retrieval states against the paramagnet's (at T = 0: −u).
            let retrievalWeight = temperature > 0 ? alpha + Self.logCosh(beta) + log(2.0) : 1
            let paramagnetWeight = temperature > 0 ? beta * phi / lambda + log(2.0) : phi / lambda
            if r.stable, !p.stable || retrievalWeight > paramagnetWeight { r.global = true } else if p.stable { p.global = true }
            return [r, p]
        }
    }

    // MARK: Lines

    /// α_1(T): the retrieval boundary (spinodal) of `lse`, where λ tanh β = φ(α, λ):
    /// λ tanh β − ln cosh λ for β ≥ λ (uncondensed REM of the others), I(tanh β) for β < λ
    /// (condensed); at T = 0 the T → 0⁺ limit λ − ln cosh λ (the T = 0 dynamics keep a pattern up to
    /// ``singleFlipBoundary(lambda:)``: the limits do not commute). For `exp`, the T-independent
    /// single-flip boundary 2λ − ln cosh 2λ. Capped at ln 2.
    public static func retrievalBoundary(_ settings: ExponentialSettings, temperature: Double) -> Double {
        let lambda = settings.lambda
        let beta = temperature > 0 ? 1 / temperature : .infinity
        let value: Double
        switch settings.interaction {
        case .exp: value = singleFlipBoundary(lambda: lambda)
        case .lse: value = beta >= lambda ? lambda * (beta.isFinite ? tanh(beta) : 1) - logCosh(lambda) : rate(tanh(beta))
        }
        return min(value, log(2.0))
    }

    /// The zero-temperature single-flip stability of a typical pattern: flipping σ_i = ξ_i¹ lowers
    /// Σ_μ e^{λM_μ} by 2 sinh λ e^{λ(N−1)} from the pattern and changes the others' sum by
    /// 2 sinh λ Y_i, Y_i = Σ_{μ≥2} ε_μ e^{λ M_μ^{(−i)}} with independent random signs ε_μ = −ξ_i^μ ξ_i¹
    /// (E[Y_i] = 0 exactly). The pattern is stable iff e^{λ(N−1)} beats the spread of Y_i, whose
    /// square is e^{Nψ}, ψ = α + ln cosh 2λ (the REM at inverse width 2λ, uncondensed for
    /// α ≥ I(tanh 2λ); condensed it is 2λ m* < 2λ, always stable): α < 2λ − ln cosh 2λ (capped at ln 2).
    public static func singleFlipBoundary(lambda: Double) -> Double {
        min(2 * lambda - logCosh(2 * lambda), log(2.0))
    }

    /// The probability that a typical pattern is a single-flip minimum at finite N (the leading
    /// finite-size form of ``singleFlipBoundary(lambda:)``): Y_i Gaussian with variance
    /// E[Σ_μ e^{2λM_μ^{(−i)}}] = (K − 1) cosh^{N−1}(2λ) (exact annealed value), the N neurons
    /// independent: Φ(z)^N, z = e^{λ(N−1)} / √((K − 1) cosh^{N−1} 2λ).
    public static func singleFlipStability(patterns: Int, neurons n: Int, lambda: Double) -> Double {
        guard patterns > 1 else { return 1 }
        let logZ = lambda * Double(n - 1) - 0.5 * (log(Double(patterns - 1)) + Double(n - 1) * logCosh(2 * lambda))
        let z = exp(min(logZ, 700))
        let phi = 0.5 * erfc(-z / 2.0.squareRoot())
        return exp(Double(n) * log(phi))
    }

    /// α where ``singleFlipStability(patterns:neurons:lambda:)`` is ½ (K = e^{αN} continuous):
    /// ln(K − 1) = 2λ(N − 1) − 2 ln z½ − (N − 1) ln cosh 2λ with Φ(z½) = 2^{−1/N}, by Brent on z.
    public static func finiteSingleFlipBoundary(lambda: Double, neurons n: Int) -> Double? {
        let target = pow(0.5, 1 / Double(n))
        guard let z = RootFinding.brent(0, 40, xTolerance: 1e-13, { 0.5 * erfc(-$0 / 2.0.squareRoot()) - target }), z.converged else { return nil }
        // ln(K − 1) = logOthers, so ln K = logOthers + ln(1 + e^{−logOthers}).
        let logOthers = 2 * lambda * Double(n - 1) - 2 * log(z.x) - Double(n - 1) * logCosh(2 * lambda)
        return (logOthers + log1p(exp(-logOthers))) / Double(n)
    }

    /// α_g(T) of `lse`: where the K retrieval states and the paramagnet carry equal Gibbs weight,
    /// α + ln cosh β = (β/λ)(α + ln cosh λ), i.e. α = [ln cosh β − (β/λ) ln cosh λ]/(β/λ − 1) for
    /// β > λ; for β ≤ λ retrieval is global wherever it exists (α_g = α_1). T = 0: λ − ln cosh λ.
    public static func globalBoundary(_ settings: ExponentialSettings, temperature: Double) -> Double {
        let lambda = settings.lambda
        guard settings.interaction == .lse else { return retrievalBoundary(settings, temperature: temperature) }
        guard temperature > 0 else { return min(lambda - logCosh(lambda), log(2.0)) }
        let beta = 1 / temperature
        guard beta > lambda * (1 + 1e-9) else { return retrievalBoundary(settings, temperature: temperature) }
        let r = beta / lambda
        return min((logCosh(beta) - r * logCosh(lambda)) / (r - 1), log(2.0))
    }

    /// The REM condensation of the uncondensed patterns, α = I(tanh λ): below it a non-retrieval
    /// configuration's energy is set by its single best-matching pattern (independent of T).
    public static func condensationLoad(_ settings: ExponentialSettings) -> Double { rate(tanh(settings.lambda)) }

    // MARK: Finite N

    /// φ_N: the REM sum at finite N with exact binomial counts, n_k = (K − 1) C(N, k)/2^N patterns
    /// expected with k agreeing signs (overlap 2k/N − 1), kept up to the highest level k* with
    /// Σ_{j ≥ k*} n_j ≥ ½ (about the level the best of them reaches in half the samples; a
    /// threshold of 1 would sit on the rounding of Σ n_j = K − 1 when K = 2):
    /// φ_N = (1/N) ln Σ_{k ≤ k*} n_k e^{λ(2k − N)}.
    /// φ_N → φ as N → ∞; their difference is the leading finite-size correction of the boundary.
    public static func finiteCrosstalk(patterns: Int, neurons n: Int, lambda: Double) -> Double {
        guard patterns >= 2 else { return -.infinity }
        return finiteCrosstalk(logPatterns: log(Double(patterns - 1)), neurons: n, lambda: lambda)
    }

    /// φ_N with ln(K − 1) given (K beyond the integers at large N).
    public static func finiteCrosstalk(logPatterns logOthers: Double, neurons n: Int, lambda: Double) -> Double {
        let logNorm = logOthers + lgamma(Double(n + 1)) - Double(n) * log(2.0)
        var logCounts = [Double](repeating: 0, count: n + 1)
        for k in 0...n {
            let choose: Double = lgamma(Double(k + 1)) + lgamma(Double(n - k + 1))
            logCounts[k] = logNorm - choose
        }
        var tail = 0.0, top = 0
        for k in stride(from: n, through: 0, by: -1) {
            tail += exp(logCounts[k])
            if tail >= 0.5 { top = k; break }
        }
        var terms = [Double](repeating: 0, count: top + 1)
        for k in 0...top { terms[k] = logCounts[k] + lambda * Double(2 * k - n) }
        let largest = terms.max()!
        var sum = 0.0
        for t in terms { sum += exp(t - largest) }
        return (largest + log(sum)) / Double(n)
    }

    /// ln(K − 1) for ln K = x (K = e^{x} continuous, at least 2), without forming K.
    static func logOthers(_ x: Double) -> Double {
        let logK = max(x, log(2.0))
        return logK + log(-expm1(-logK))
    }

    /// α_g at finite N (`lse`, T > 0): where α + ln cosh β = (β/λ) φ_N (``finiteLoad(_:)``); nil
    /// without a sign change.
    public static func finiteGlobalBoundary(_ settings: ExponentialSettings, temperature: Double, neurons n: Int) -> Double? {
        guard temperature > 0 else { return nil }
        let lambda = settings.lambda, beta = 1 / temperature
        func excess(_ a: Double) -> Double {
            a + logCosh(beta) - beta / lambda * finiteCrosstalk(logPatterns: logOthers(a * Double(n)), neurons: n, lambda: lambda)
        }
        return finiteLoad(excess)
    }

    /// α_1 at finite N (`lse`): the load where λ tanh β = φ_N (``finiteLoad(_:)``; φ_N grows with
    /// α); nil if λ tanh β exceeds φ_N everywhere.
    public static func finiteRetrievalBoundary(_ settings: ExponentialSettings, temperature: Double, neurons n: Int) -> Double? {
        let lambda = settings.lambda
        let m = temperature > 0 ? tanh(1 / temperature) : 1
        func excess(_ a: Double) -> Double {
            finiteCrosstalk(logPatterns: logOthers(a * Double(n)), neurons: n, lambda: lambda) - lambda * m
        }
        return finiteLoad(excess)
    }

    /// The load α ∈ (10⁻⁶, ln 2) where `excess` changes sign, by GSL's Brent solver to 10⁻⁷ (φ_N has
    /// steps where the level k* moves: Brent then returns the step); nil without a sign change.
    static func finiteLoad(_ excess: @escaping (Double) -> Double) -> Double? {
        guard let root = RootFinding.brent(1e-6, log(2.0) - 1e-9, xTolerance: 1e-7, excess), root.converged else { return nil }
        return root.x
    }
}
