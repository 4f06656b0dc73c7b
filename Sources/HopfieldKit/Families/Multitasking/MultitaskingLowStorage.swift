import Foundation

/// Low-storage theory of the multitasking network (K diluted patterns, K fixed as N → ∞; Agliari,
/// Barra, Galluzzi, Guerra, Moauro, PRL 108, 268101 (2012); docs/physics.md §3). With the Hamiltonian
/// H = −(1/2N) Σ_{i≠j} Σ_μ ξ_i^μ ξ_j^μ σ_i σ_j the self-consistency equations and free energy are
/// exact (no replicas are needed at finite K):
/// ```
/// m_μ = E_ξ[ ξ^μ tanh β(ξ·m) ],   f(m) = ½ Σ_μ m_μ² − (1/β) E_ξ ln 2cosh β(ξ·m)
/// ```
/// the average running over the 3^K values of (ξ^1, …, ξ^K) with P(0) = d, P(±1) = (1 − d)/2,
/// enumerated exactly. At T = 0: m_μ = E_ξ[ξ^μ sign(ξ·m)] (sign 0 = 0), f = ½|m|² − E|ξ·m|.
///
/// The hierarchical state m_k = (1 − d) d^{k−1} solves the T = 0 equations exactly while every
/// level outweighs all the lower ones together, (1 − d)d^{k−1} > Σ_{l>k} (1 − d)d^{l−1}, i.e. while
/// d + d² + … + d^{K−1} < 1 (K = 2: every d < 1; K = 3: d < (√5 − 1)/2 ≈ 0.618; K → ∞: d < 1/2).
public struct MultitaskingLowStorage: Sendable {
    public let patterns: Int
    public let dilution: Double
    public let temperature: Double
    public let settings: SolverSettings
    /// Every value of the coupling patterns' entries (ξ, or η̄ = χ̄ξ for a trained network) with its
    /// probability, exactly (or a sample of them, see `sampledAverage`).
    let configurations: [(xi: [Double], weight: Double)]
    /// The archetype entries ξ belonging to each configuration (= `xi` for an untrained network).
    let archetypeValues: [[Double]]
    /// A trained network (low storage: the protocol does not matter, see the type's documentation).
    public let training: TrainingSet?
    /// nil: exact enumeration; S: an average over S configurations drawn from the pattern
    /// distribution (one fixed sample, so the equations stay deterministic), for K beyond exact
    /// enumeration.
    public let sampledAverage: Int?
    /// Sampled averages: the largest change of the equations' right-hand side at the solution when
    /// a second, independent sample is used (an estimate of the sampling error); set by ``solveBranches()``.
    let checkConfigurations: [(xi: [Double], weight: Double)]

    public static let maximumPatterns = 12
    /// Configurations enumerated at most: 3^12.
    public static let maximumConfigurations = 531_441

    /// - Parameters:
    ///   - training: examples of the diluted archetypes, η^{μ,a} = χ^{μ,a} ξ^μ (P(χ = +1) = (1 + r)/2).
    ///     Low storage, derived as for the untrained network with the coupling patterns η̄ = χ̄ξ
    ///     (supervised: the label mean; unsupervised: the M examples with weight 1/M, whose overlaps
    ///     n_{μ,a} are equal at the example-symmetric saddle point, which gives the same equations):
    ///     n_μ = E[χ̄^μ ξ^μ tanh β(Σ_ν χ̄^ν ξ^ν n_ν)],  m_μ = E[ξ^μ tanh β(…)],
    ///     f = ½|n|² − (1/β) E ln 2cosh β(…), χ̄ ~ (2 Binomial(M, (1 + r)/2) − M)/M exactly.
    ///   - sampledAverage: S to average over S sampled configurations instead of enumerating
    ///     (required beyond 3^12 = 531441 configurations: K > 12, or fewer with training).
    public init(patterns k: Int, dilution d: Double, temperature t: Double, settings: SolverSettings = SolverSettings(),
                training: TrainingSet? = nil, sampledAverage: Int? = nil, seed: UInt64 = 1) throws(ParameterError) {
        guard k >= 1, k <= 10_000 else {
            throw ParameterError("--patterns", allowed: "an integer in [1, 10000]", given: "\(k)")
        }
        guard d >= 0, d < 1 else { throw ParameterError("--dilution", allowed: "a number in [0, 1)", given: "\(d)") }
        guard t >= 0, t.isFinite else { throw ParameterError("--temperature", allowed: "a finite number ≥ 0", given: "\(t)") }
        try training?.validate()
        // Values of one entry: (η, ξ, probability).
        var values: [(eta: Double, xi: Double, p: Double)] = d > 0 ? [(0, 0, d)] : []
        if let training {
            let m = training.examples, pp = (1 + training.quality) / 2
            for b in 0...m {
                let w = exp(lgamma(Double(m + 1)) - lgamma(Double(b + 1)) - lgamma(Double(m - b + 1))
                            + (b > 0 ? Double(b) * log(pp) : 0) + (m - b > 0 ? Double(m - b) * log1p(-pp) : 0))
                guard w > 1e-300 else { continue }
                let chi = Double(2 * b - m) / Double(m)
                for sign in [-1.0, 1.0] { values.append((sign * chi, sign, (1 - d) / 2 * w)) }
            }
        } else {
            values += [(-1, -1, (1 - d) / 2), (1, 1, (1 - d) / 2)]
        }
        let count = pow(Double(values.count), Double(k))
        if let s = sampledAverage {
            guard s >= 1000, s <= 10_000_000 else {
                throw ParameterError("--sampled-average", allowed: "an integer in [1000, 10000000]", given: "\(s)")
            }
        } else if count > Double(Self.maximumConfigurations) {
            throw ParameterError("--patterns", allowed: "such that the exact average has at most 3^12 = 531441 pattern values (here \(values.count)^K), or give --sampled-average S to average over S sampled values", given: "\(k)")
        }
        patterns = k; dilution = d; temperature = t; self.settings = settings
        self.training = training; self.sampledAverage = sampledAverage
        func sample(_ s: Int, _ purpose: UInt64) -> (list: [(xi: [Double], weight: Double)], archetypes: [[Double]]) {
            var rng = StreamKey(seed: seed, point: purpose, sample: 0, purpose: .patterns).generator()
            let cumulative = values.reduce(into: [Double]()) { $0.append(($0.last ?? 0) + $1.p) }
            var list: [(xi: [Double], weight: Double)] = [], archetypes: [[Double]] = []
            for _ in 0..<s {
                var eta = [Double](), xi = [Double]()
                for _ in 0..<k {
                    let u = rng.nextUniform() * cumulative.last!
                    let v = values[cumulative.firstIndex { u < $0 } ?? values.count - 1]
                    eta.append(v.eta); xi.append(v.xi)
                }
                list.append((eta, 1 / Double(s))); archetypes.append(xi)
            }
            return (list, archetypes)
        }
        if let s = sampledAverage {
            let main = sample(s, 1)
            configurations = main.list; archetypeValues = main.archetypes
            checkConfigurations = sample(s, 2).list
        } else {
            var list: [(xi: [Double], weight: Double)] = [], archetypes: [[Double]] = []
            for code in 0..<Int(count) {
                var c = code, eta: [Double] = [], xi: [Double] = [], w = 1.0
                for _ in 0..<k {
                    let v = values[c % values.count]
                    eta.append(v.eta); xi.append(v.xi); w *= v.p
                    c /= values.count
                }
                if w > 0 { list.append((eta, w)); archetypes.append(xi) }
            }
            configurations = list; archetypeValues = archetypes; checkConfigurations = []
        }
    }

    /// m_μ = E[ξ^μ tanh β(η·n)]: the archetype overlaps at coupling-pattern overlaps n (= n untrained).
    public func archetypeOverlaps(_ n: [Double]) -> [Double] {
        guard training != nil else { return map(n) }
        return tanhAverage(n, over: configurations, projectedOn: archetypeValues)
    }

    /// The sampling error estimate of a sampled average at n: max_μ |RHS_main − RHS_independent|.
    func samplingError(_ n: [Double]) -> Double? {
        guard sampledAverage != nil else { return nil }
        return zip(map(n), tanhAverage(n, over: checkConfigurations)).map { abs($0 - $1) }.max()
    }

    var beta: Double { temperature > 0 ? 1 / temperature : .infinity }

    /// The right-hand side E_ξ[ξ tanh β(ξ·m)] (sign at T = 0).
    public func map(_ m: [Double]) -> [Double] { tanhAverage(m, over: configurations) }

    /// Σ_c w_c v_c tanh β(ξ_c·m) over `list` (sign at T = 0, 0 where ξ·m vanishes), with v_c the
    /// configuration's own coupling values ξ_c, or `projectedOn[c]` (the archetype values).
    func tanhAverage(_ m: [Double], over list: [(xi: [Double], weight: Double)], projectedOn values: [[Double]]? = nil) -> [Double] {
        var out = [Double](repeating: 0, count: patterns)
        for (c, (xi, w)) in list.enumerated() {
            var h = 0.0
            for k in 0..<patterns { h += xi[k] * m[k] }
            let t = beta.isFinite ? tanh(beta * h) : (h > 1e-14 ? 1 : (h < -1e-14 ? -1 : 0))
            let v = values?[c] ?? xi
            for k in 0..<patterns { out[k] += w * v[k] * t }
        }
        return out
    }

    /// f(m) = ½|m|² − (1/β) E ln 2cosh β(ξ·m)   (½|m|² − E|ξ·m| at T = 0).
    public func freeEnergy(_ m: [Double]) -> Double {
        var f = 0.5 * m.reduce(0) { $0 + $1 * $1 }
        for (xi, w) in configurations {
            var h = 0.0
            for k in 0..<patterns { h += xi[k] * m[k] }
            let a = abs(h)
            f -= w * (beta.isFinite ? a + log1p(exp(-2 * beta * a)) / beta : a)
        }
        return f
    }

    /// Local stability: the Hessian δ_μν − β E[ξ^μ ξ^ν sech² β(ξ·m)] is positive semi-definite within
    /// 10⁻⁹ (Cholesky of H + 10⁻⁹·1).
    /// At T = 0 the Hessian is δ_μν where no pattern value ξ ≠ 0 of positive probability has ξ·m = 0;
    /// where one has, its neurons feel no field and the E|ξ·m| term has an infinitely negative
    /// curvature there: unstable (e.g. a single-pattern state, whose ξ¹ = 0 neurons are free).
    public func isStable(_ m: [Double]) -> Bool {
        guard beta.isFinite else {
            return !configurations.contains { xi, _ in
                xi.contains { $0 != 0 } && abs(zip(xi, m).reduce(0) { $0 + $1.0 * $1.1 }) < 1e-12
            }
        }
        var h = [[Double]](repeating: [Double](repeating: 0, count: patterns), count: patterns)
        for i in 0..<patterns { h[i][i] = 1 }
        for (xi, w) in configurations {
            var field = 0.0
            for k in 0..<patterns { field += xi[k] * m[k] }
            let c = 1 / cosh(beta * field)
            for i in 0..<patterns { for j in 0..<patterns { h[i][j] -= w * beta * xi[i] * xi[j] * c * c } }
        }
        // A marginal direction (eigenvalue 0 within 10⁻⁹, e.g. the paramagnet exactly at T₁ = 1 − d)
        // counts as stable, as at the classical T_g.
        for i in 0..<patterns { h[i][i] += 1e-9 }
        for j in 0..<patterns {                       // Cholesky: fails iff not positive definite
            var s = h[j][j]
            for k in 0..<j { s -= h[j][k] * h[j][k] }
            if s <= 1e-12 { return false }
            h[j][j] = s.squareRoot()
            for i in (j + 1)..<max(j + 1, patterns) {
                var t = h[i][j]
                for k in 0..<j { t -= h[i][k] * h[j][k] }
                h[i][j] = t / h[j][j]
            }
        }
        return true
    }

    /// One solution from a start: exact fixed-point iteration at T = 0 (the map is piecewise
    /// constant, so it stops exactly), GSL's hybrid solver after damped iterations at T > 0.
    public func solve(from start: [Double]) -> (m: [Double], status: SolverStatus) {
        if !beta.isFinite {
            var m = start
            for iteration in 1...settings.maxIterations {
                let next = map(m)
                if next == m {
                    return (m, SolverStatus(converged: true, iterations: iteration, residual: 0, method: "exact fixed-point iteration (T = 0)"))
                }
                m = next
            }
            let r = zip(m, map(m)).map { abs($0 - $1) }.max() ?? 0
            return (m, SolverStatus(converged: r <= settings.tolerance, iterations: settings.maxIterations, residual: r, method: "exact fixed-point iteration (T = 0)"))
        }
        var m = start
        for _ in 0..<20 { m = zip(m, map(m)).map { 0.5 * $0 + 0.5 * $1 } }
        // Already a root (the paramagnet at its critical temperature, where the Jacobian is
        // singular and hybrids would stop without a step).
        let r0 = zip(m, map(m)).map { abs($0 - $1) }.max() ?? 0
        if r0 <= settings.tolerance {
            return (m, SolverStatus(converged: true, iterations: 0, residual: r0, method: "damped iteration"))
        }
        let (x, status) = RootFinding.hybrids(start: m, tolerance: settings.tolerance, maxIterations: settings.maxIterations) { x in
            zip(x, self.map(x)).map { $0 - $1 }
        }
        return (x, status)
    }

    /// A low-storage solution with its free energy and kind.
    public struct Solution: Sendable, Codable, Equatable {
        public var model = "multitasking"
        public var patterns: Int
        public var dilution: Double
        public var temperature: Double
        /// "hierarchical", "parallel" (equal amplitudes), "single", "mixture" or "paramagnet".
        public var branch: String
        /// Archetype overlaps m_1 … m_K (the patterns themselves for an untrained network).
        public var m: [Double]
        /// Trained networks: overlaps with the coupling patterns (the example means), the variables
        /// of the equations.
        public var n: [Double]? = nil
        /// Trained networks: M, r and ρ = (1 − r²)/(M r²).
        public var examples: Int? = nil
        public var quality: Double? = nil
        public var datasetEntropy: Double? = nil
        /// "exact (3^K values)" or "sampled (S values)", with the sampling error estimate.
        public var averaging: String = "exact"
        public var samplingError: Double? = nil
        public var freeEnergy: Double
        public var stable: Bool
        public var global: Bool
        public var converged: Bool
        public var iterations: Int
        public var residual: Double
        public var method: String
    }

    /// The hierarchical m_k = (1 − d)d^{k−1}.
    public var hierarchicalAnsatz: [Double] { (0..<patterns).map { (1 - dilution) * pow(dilution, Double($0)) } }

    /// The overlap below which a component is indistinguishable from 0 at the solver's tolerance:
    /// at a continuous transition the residual is cubic in the vanishing overlap, so a root finder
    /// stopping at |F| ≤ tol leaves overlaps up to tol^{1/3} (10⁻⁴ at tol = 10⁻¹²) behind.
    var zeroThreshold: Double { max(1e-9, 10 * cbrt(settings.tolerance)) }

    /// `n` with its components below ``zeroThreshold`` set to 0, when that is still a solution within
    /// the tolerance (then with its residual), else nil.
    func snappedToZero(_ n: [Double]) -> (n: [Double], residual: Double)? {
        guard n.contains(where: { $0 != 0 && abs($0) < zeroThreshold }) else { return nil }
        let snapped = n.map { abs($0) < zeroThreshold ? 0 : $0 }
        let residual = zip(snapped, map(snapped)).map { abs($0 - $1) }.max() ?? 0
        return residual <= settings.tolerance ? (snapped, residual) : nil
    }

    /// Solutions reached from the paramagnet (n = 0, a solution at every T), the hierarchical, the
    /// equal-amplitude, the single-pattern and the small starts; overlaps indistinguishable from 0
    /// at the tolerance set to 0 (``snappedToZero(_:)``); made canonical (|m| sorted in decreasing
    /// order: the equations are symmetric under permutations and sign flips of the patterns);
    /// reported once each, classified; the stable one of lowest free energy is global.
    public func solveBranches() -> [Solution] {
        let k = patterns, a = 1 - dilution
        var starts = [[Double](repeating: 0, count: k), hierarchicalAnsatz, [Double](repeating: a / Double(k).squareRoot(), count: k),
                      [Double](repeating: a / 2, count: k), [a] + [Double](repeating: 0, count: k - 1)]
        if !beta.isFinite || temperature < 1 { starts.append([Double](repeating: 0.01, count: k)) }
        var found: [Solution] = []
        for start in starts {
            var (raw, status) = solve(from: start)
            if status.converged, let snapped = snappedToZero(raw) {
                raw = snapped.n
                status.residual = snapped.residual
            }
            // Canonical order: by decreasing archetype overlap |m| (the equations are symmetric under
            // permutations and sign flips of the patterns).
            let rawM = archetypeOverlaps(raw)
            let order = rawM.indices.sorted { abs(rawM[$0]) > abs(rawM[$1]) }
            let m = order.map { abs(rawM[$0]) }
            let n = order.map { rawM[$0] < 0 ? -raw[$0] : raw[$0] }
            guard !found.contains(where: { zip($0.m, m).allSatisfy { abs($0 - $1) < max(1e-8, 0.1 * zeroThreshold) } }) else { continue }
            var solution = Solution(patterns: k, dilution: dilution, temperature: temperature, branch: classify(m), m: m,
                                    freeEnergy: freeEnergy(n), stable: isStable(n), global: false,
                                    converged: status.converged, iterations: status.iterations, residual: status.residual,
                                    method: status.method)
            if let training {
                solution.n = n
                solution.examples = training.examples
                solution.quality = training.quality
                solution.datasetEntropy = training.datasetEntropy
            }
            if let s = sampledAverage {
                solution.averaging = "sampled (\(s) pattern values, fixed sample)"
                solution.samplingError = samplingError(n)
            }
            found.append(solution)
        }
        if let best = found.indices.filter({ found[$0].stable && found[$0].converged }).min(by: { found[$0].freeEnergy < found[$1].freeEnergy }) {
            found[best].global = true
        }
        return found
    }

    /// The kind of a canonical (sorted) solution; overlaps closer than ``zeroThreshold`` (to 0, or
    /// to each other) are not told apart, as the solver's tolerance cannot.
    func classify(_ m: [Double]) -> String {
        let e = zeroThreshold
        let nonzero = m.filter { $0 > e }
        if nonzero.isEmpty { return "paramagnet" }
        if nonzero.count == 1 { return "single" }
        if nonzero.allSatisfy({ abs($0 - nonzero[0]) < e }) { return "parallel" }
        if zip(nonzero, nonzero.dropFirst()).allSatisfy({ $0 > $1 + e }) { return "hierarchical" }
        return "mixture"
    }
}

extension MultitaskingLowStorage {
    /// The temperature above which the k-th level of the hierarchy (the k-th largest overlap) is 0,
    /// for k = 1 … K: finite temperature erases the weakest levels first, so the (d, T) plane has K
    /// boundaries. Found by bisection in T on "the state continued from the T = 0 hierarchy has
    /// |m|_(k) > 10⁻⁸", each step starting from the last state where the level existed.
    ///
    /// At the boundary level k bifurcates continuously from 0; linearising its equation,
    /// m_k = β E[(ξ^k)² sech² β(Σ_{l<k} ξ^l m_l)] m_k, gives the condition
    /// 1 = β(1 − d) E[sech² β h_{<k}] (the average over the other patterns with the lower levels at
    /// their values), whose residual is reported; for k = 1 it is T_1 = 1 − d. A level that
    /// disappears discontinuously (at a saddle-node rather than a bifurcation from 0) leaves a finite
    /// residual: reported as it is. Near a continuous transition the root finder's tolerance lets a
    /// tiny level survive ~10⁻⁹ above it, which bounds the precision of T.
    public static func levelTemperatures(patterns k: Int, dilution d: Double,
                                         settings: SolverSettings = SolverSettings()) throws(ParameterError) -> [LevelBoundary] {
        var result: [LevelBoundary] = []
        let zero = try MultitaskingLowStorage(patterns: k, dilution: d, temperature: 0, settings: settings)
        let start = zero.solve(from: zero.hierarchicalAnsatz).m
        for level in 1...k {
            var lo = 0.0, hi = 1 - d + 1e-9
            var atLo = start
            var steps = 0
            guard atLo.map(abs).sorted(by: >)[level - 1] > 1e-8 else { continue }
            while hi - lo > 1e-11, steps < 200 {
                let mid = 0.5 * (lo + hi)
                let theory = try MultitaskingLowStorage(patterns: k, dilution: d, temperature: mid, settings: settings)
                let (m, status) = theory.solve(from: atLo)
                if status.converged, m.map(abs).sorted(by: >)[level - 1] > 1e-8 { lo = mid; atLo = m } else { hi = mid }
                steps += 1
            }
            // The linearised condition g(T) = 1 − β E[(ξ^k)² sech² β h_{<k}], with the lower levels at
            // their values at T (the state with level k and beyond set to 0, solved at T: that
            // subspace is invariant under the map); its root is T_k where the level bifurcates
            // continuously from 0. Brent refines the bisection estimate to it.
            let lowerLevels = level - 1
            func condition(_ t: Double) -> Double? {
                guard t > 0, let theory = try? MultitaskingLowStorage(patterns: k, dilution: d, temperature: t, settings: settings) else { return nil }
                let ranks = atLo.indices.sorted { abs(atLo[$0]) > abs(atLo[$1]) }
                var start = atLo
                for (rank, index) in ranks.enumerated() where rank >= lowerLevels { start[index] = 0 }
                let (m, status) = theory.solve(from: start)
                guard status.converged else { return nil }
                var lower = m.map(abs).sorted(by: >)
                for j in lowerLevels..<k { lower[j] = 0 }
                var average = 0.0
                for (xi, w) in theory.configurations {
                    guard xi[level - 1] != 0 else { continue }
                    var h = 0.0
                    for j in 0..<k where j != level - 1 { h += xi[j] * lower[j] }
                    let c = 1 / cosh(h / t)
                    average += w * c * c
                }
                return 1 - average / t
            }
            let estimate = 0.5 * (lo + hi)
            var t = estimate, residual = condition(estimate).map(abs) ?? .infinity, method = "bisection in T on the level's existence, continued from the T = 0 hierarchy"
            let tolerance = max(settings.tolerance, 1e-10)
            for width in [1e-4, 1e-3, 1e-2] {
                let a = estimate * (1 - width), b = min(estimate * (1 + width), 1 - d + 1e-9)
                guard let ga = condition(a), let gb = condition(b), (ga < 0) != (gb < 0) else { continue }
                // Accepted on its verified residual (Brent may stop early where a solve fails).
                if let root = RootFinding.brent(a, b, xTolerance: 1e-13, { condition($0) ?? .nan }),
                   let g = condition(root.x), abs(g) <= tolerance {
                    t = root.x
                    residual = abs(g)
                    method = "gsl-brent on the linearised condition (bracketed by bisection on the level's existence)"
                }
                break
            }
            // Converged only where the linearised condition holds: a level that vanishes
            // discontinuously (a saddle-node) keeps its bisection estimate, marked not converged.
            result.append(LevelBoundary(patterns: k, dilution: d, level: level, temperature: t,
                                        residual: residual, converged: hi - lo <= 1e-11 && residual <= tolerance,
                                        iterations: steps, method: method))
        }
        return result
    }

    /// Where level `level` of the hierarchy vanishes.
    public struct LevelBoundary: Sendable, Codable, Equatable {
        public var line = "level"
        public var patterns: Int
        public var dilution: Double
        public var level: Int
        public var temperature: Double
        /// |1 − β(1 − d)E[sech² β h_{<k}]| at the returned temperature.
        public var residual: Double
        public var converged: Bool
        public var iterations: Int
        public var method: String
    }
}

extension MultitaskingLowStorage: SaddlePointEquations {
    /// The exact low-storage equations are solved from fixed starts at every point (hints unused).
    public func solve(hints: [Solution], thorough: Bool) -> [Solution] { solveBranches() }
}

extension MultitaskingLowStorage.Solution: TheoryBranch {}
