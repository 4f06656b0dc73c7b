import Dispatch
import Foundation
import Synchronization

/// A point on a critical line, with how it was found.
public struct CriticalPoint: Sendable, Equatable, Codable {
    public enum Line: String, Sendable, Codable, CaseIterable {
        /// α_M(T) / T_M(α): the retrieval spinodal, where retrieval states cease to exist (α_c at T = 0).
        case spinodal
        /// T_g(α): the spin-glass transition, below which a q > 0 state exists.
        case glass
        /// T_c(α): retrieval states become global minima below it (f_retrieval = f_spin-glass).
        case global
        /// The de Almeida–Thouless line of the retrieval states (replicon eigenvalue = 1).
        case almeidaThouless = "almeida-thouless"
    }

    public var line: Line
    public var alpha: Double
    public var temperature: Double
    /// Retrieval overlap on the line (nil on the glass line).
    public var m: Double?
    /// Residual of the condition defining the line at the returned point (|min g|, |Δf|, |λ − 1|,
    /// or the bracket width in T for the glass line).
    public var residual: Double
    public var converged: Bool
    public var iterations: Int
    public var method: String
    /// Dense networks trained on examples: the dataset entropy ρ on a line in the (ρ, T) plane.
    public var datasetEntropy: Double? = nil
    /// Dense networks: the interaction order P.
    public var p: Int? = nil
}

/// The critical lines of the classical Hopfield RS theory, each found by bracketing a defining
/// condition with GSL's Brent solver (never read off a grid):
/// - spinodal: for each T, the α where max_C K(C) = 0, K the C-equation at m = m*(C) (retrieval
///   roots exist iff K > 0 somewhere); at T = 0 exactly from AGS's scaled equation: with
///   y = m/(σ√2), the roots of erf y = y(√(2α) + (2/√π)e^{−y²}) merge where also
///   √(2α) = (4/√π) y² e^{−y²}, i.e. erf y = (2/√π) y e^{−y²}(1 + 2y²);
/// - glass: for each α, the T above which the spin-glass root (q > 0) no longer exists, by bisection;
/// - global: for each T, the α where f_retrieval − f_spin-glass changes sign; parametrising by T
///   follows the re-entrant shape of T_c(α) at low T;
/// - almeida-thouless: for each T > 0, the α where the retrieval state's replicon eigenvalue is 1.
public struct ClassicalCriticalLines: Sendable {
    public let measure: GaussianMeasure
    public let settings: SolverSettings
    /// Pattern dilution d (0: classical; > 0: the high-storage multitasking network).
    public let dilution: Double
    /// Smallest load searched (retrieval exists there at every T < 1 the lines sample).
    public static let smallestAlpha = 1e-8

    public init(measure: GaussianMeasure, settings: SolverSettings = SolverSettings(), dilution: Double = 0) {
        self.measure = measure
        self.settings = settings
        self.dilution = dilution
    }

    func equations(_ alpha: Double, _ t: Double) -> ClassicalReplicaSymmetric {
        ClassicalReplicaSymmetric(alpha: alpha, temperature: t, dilution: dilution, measure: measure, settings: settings)
    }

    // MARK: - Spinodal

    /// max over C of K(C) = F₂(m*(C), C) (see ``ClassicalReplicaSymmetric/reducedResidual(c:)``):
    /// retrieval states exist iff it is positive. A 120-point scan in logit(C/C_max), then golden
    /// section around the best point. Returns −∞ where m*(C) exists nowhere.
    func maximumOfReducedResidual(alpha: Double, temperature: Double) -> (k: Double, c: Double) {
        let eq = equations(alpha, temperature)
        let (lo, hi) = ClassicalReplicaSymmetric.scanRange
        let points = 120
        let step = (hi - lo) / Double(points)
        func k(_ x: Double) -> Double {
            let c = eq.c(atLogit: x)
            guard let m = eq.mStar(c: c) else { return -.infinity }
            return eq.residual(m: m, c: c).f2
        }
        var best = (k: -Double.infinity, x: lo)
        for j in 0...points {
            let x = lo + step * Double(j)
            let value = k(x)
            if value > best.k { best = (value, x) }
        }
        guard best.k > -.infinity else { return (-.infinity, 0) }
        var a = best.x - step, b = best.x + step
        let ratio = (5.0.squareRoot() - 1) / 2
        var x1 = b - ratio * (b - a), x2 = a + ratio * (b - a)
        var k1 = k(x1), k2 = k(x2)
        for _ in 0..<60 {
            if k1 > k2 { b = x2; x2 = x1; k2 = k1; x1 = b - ratio * (b - a); k1 = k(x1) }
            else { a = x1; x1 = x2; k1 = k2; x2 = a + ratio * (b - a); k2 = k(x2) }
        }
        let top = max(best.k, k1, k2)
        let x = top == k1 ? x1 : (top == k2 ? x2 : best.x)
        return (top, eq.c(atLogit: x))
    }

    /// α_c(T = 0) from the scaled T = 0 equation (see the type's documentation).
    public func capacityAtZeroTemperature() -> CriticalPoint {
        let twoOverSqrtPi = 2 / Double.pi.squareRoot()
        let root = RootFinding.brent(0.5, 3, xTolerance: 1e-15) { y in
            erf(y) - twoOverSqrtPi * y * exp(-y * y) * (1 + 2 * y * y)
        }
        guard let root else {
            return CriticalPoint(line: .spinodal, alpha: .nan, temperature: 0, m: nil, residual: .infinity,
                                 converged: false, iterations: 0, method: "gsl-brent")
        }
        let y = root.x
        let sqrt2Alpha = 2 * twoOverSqrtPi * y * y * exp(-y * y)
        let alpha = sqrt2Alpha * sqrt2Alpha / 2
        let residual = abs(erf(y) - y * (sqrt2Alpha + twoOverSqrtPi * exp(-y * y)))
        return CriticalPoint(line: .spinodal, alpha: alpha, temperature: 0, m: erf(y), residual: residual,
                             converged: root.converged, iterations: root.iterations,
                             method: "gsl-brent (T = 0 scaled equations)")
    }

    /// α_M(T) for 0 ≤ T < 1.
    public func spinodal(temperature t: Double) -> CriticalPoint? {
        if t == 0, dilution == 0 { return capacityAtZeroTemperature() }
        guard t < 1 - dilution else { return nil }
        var low = 0.05
        while maximumOfReducedResidual(alpha: low, temperature: t).k <= 0 {
            low /= 4
            if low < Self.smallestAlpha { return nil }
        }
        let high = 0.2
        guard maximumOfReducedResidual(alpha: high, temperature: t).k < 0 else { return nil }
        let root = RootFinding.brent(low, high, xTolerance: 1e-13) { alpha in
            let k = self.maximumOfReducedResidual(alpha: alpha, temperature: t).k
            return k == -.infinity ? -1 : k
        }
        guard let root else { return nil }
        let maximum = maximumOfReducedResidual(alpha: root.x, temperature: t)
        let m = equations(root.x, t).mStar(c: maximum.c)
        return CriticalPoint(line: .spinodal, alpha: root.x, temperature: t, m: m,
                             residual: abs(maximum.k), converged: root.converged && abs(maximum.k) < 1e-9,
                             iterations: root.iterations, method: "gsl-brent on max_C K(C)")
    }

    // MARK: - Glass transition

    /// T_g(α): bisection in T ∈ [1, 1 + 2√α + 1] on the existence of the q > 0 spin-glass root.
    public func glassTransition(alpha: Double) -> CriticalPoint {
        var low = 1.0 - dilution, high = 2 + 2 * alpha.squareRoot()
        var iterations = 0
        while high - low > 1e-12 * high, iterations < 100 {
            let mid = 0.5 * (low + high)
            if equations(alpha, mid).spinGlass() != nil { low = mid } else { high = mid }
            iterations += 1
        }
        let exists = equations(alpha, low).spinGlass() != nil && equations(alpha, high).spinGlass() == nil
        return CriticalPoint(line: .glass, alpha: alpha, temperature: 0.5 * (low + high), m: nil,
                             residual: high - low, converged: exists, iterations: iterations,
                             method: "bisection on the spin-glass root's existence")
    }

    // MARK: - Global retrieval line and AT line

    /// The stable retrieval state at (α, T), by continuation-free damped iteration and, failing
    /// that, the bracketing scan.
    func stableRetrieval(_ alpha: Double, _ t: Double) -> ReplicaSymmetricSolution? {
        let eq = equations(alpha, t)
        let quick = eq.retrieval(hints: [], thorough: false).first { $0.stable && $0.converged }
        return quick ?? eq.retrieval(hints: [], thorough: true).first { $0.stable && $0.converged }
    }

    /// T_c as α_c(T): where f_retrieval = f_spin-glass, for 0 ≤ T < 1. Each sector is represented as
    /// in the point solver's global choice (``GlobalStateSelection``, eager): the RS spin glass,
    /// AT-unstable below T_g, by the 1RSB spin glass, and an inadmissible retrieval state by its 1RSB
    /// state where that is broken. `replicaSymmetricOnly`: AGS's RS line (both sectors RS), the
    /// textbook T_c (α = 0.051 at T = 0).
    public func globalRetrieval(temperature t: Double, spinodalAlpha: Double, replicaSymmetricOnly: Bool = false) -> CriticalPoint? {
        func deltaF(_ alpha: Double) -> Double {
            guard let r = stableRetrieval(alpha, t), let sg = equations(alpha, t).spinGlass() else { return .nan }
            if replicaSymmetricOnly { return r.freeEnergy - sg.freeEnergy }
            let point = GlobalStateSelection.classical(ReplicaSymmetricSolution.markGlobal([sg, r]), settings: settings,
                                                       measure: measure, eager: true)
            guard let fr = point.retrievalFreeEnergy, let fg = point.glassFreeEnergy else { return .nan }
            return fr - fg
        }
        guard let root = RootFinding.brent(1e-4, spinodalAlpha * (1 - 1e-9), xTolerance: 1e-12, deltaF) else {
            return nil
        }
        return CriticalPoint(line: .global, alpha: root.x, temperature: t, m: stableRetrieval(root.x, t)?.m,
                             residual: abs(deltaF(root.x)), converged: root.converged, iterations: root.iterations,
                             method: replicaSymmetricOnly || dilution > 0
                                ? "gsl-brent on f_retrieval − f_spin-glass (RS\(dilution > 0 ? ": no 1RSB theory for diluted patterns" : ""))"
                                : "gsl-brent on f_retrieval − f_spin-glass (1RSB where RS is not admissible)")
    }

    /// The AT line of the retrieval states: α where the replicon eigenvalue λ = 1, for 0 < T < 1.
    public func almeidaThouless(temperature t: Double, spinodalAlpha: Double) -> CriticalPoint? {
        guard t > 0 else { return nil }
        func lambdaMinusOne(_ alpha: Double) -> Double {
            (stableRetrieval(alpha, t)?.replicon).map { $0 - 1 } ?? .nan
        }
        guard let root = RootFinding.brent(1e-4, spinodalAlpha * (1 - 1e-9), xTolerance: 1e-12, lambdaMinusOne) else {
            return nil
        }
        return CriticalPoint(line: .almeidaThouless, alpha: root.x, temperature: t, m: stableRetrieval(root.x, t)?.m,
                             residual: abs(lambdaMinusOne(root.x)), converged: root.converged,
                             iterations: root.iterations, method: "gsl-brent on replicon − 1")
    }

    /// The AT line of the retrieval states at load α: the T where the replicon eigenvalue
    /// λ = αβ²(1 − β(1 − q))⁻² ⟨sech⁴ β(m + √(αr) z)⟩ reaches 1. λ ∝ 1/T at low T, so the line lies
    /// at small T (T ≈ 0.0095 at α = 0.13): parametrised by α it is resolved however close to the
    /// T = 0 axis it runs. T is bracketed by doubling from 10⁻⁵ while the retrieval state exists, then
    /// refined by Brent; nil where λ < 1 already at 10⁻⁵ or the state ceases (spinodal) first.
    public func almeidaThouless(alpha: Double) -> CriticalPoint? {
        func lambdaMinusOne(_ t: Double) -> Double { (stableRetrieval(alpha, t)?.replicon).map { $0 - 1 } ?? .nan }
        var low = 1e-5
        guard lambdaMinusOne(low) > 0 else { return nil }
        var high = 2 * low
        while true {
            let value = lambdaMinusOne(high)
            if value.isNaN || high > 1 - dilution { return nil }
            if value < 0 { break }
            low = high; high *= 2
        }
        guard let root = RootFinding.brent(low, high, xTolerance: 1e-12, lambdaMinusOne) else { return nil }
        return CriticalPoint(line: .almeidaThouless, alpha: alpha, temperature: root.x, m: stableRetrieval(alpha, root.x)?.m,
                             residual: abs(lambdaMinusOne(root.x)), converged: root.converged,
                             iterations: root.iterations, method: "gsl-brent in T on replicon − 1")
    }

    // MARK: - All lines

    /// Every line at `points` temperatures T_k = 0.98·k/(points − 1) (spinodal, global),
    /// `points` loads α_k = 0.2·k/points (glass) and `points` loads α_k = α_c(0)·k/points (AT, which
    /// runs close to T = 0), computed in parallel, ordered by line then by the sampled parameter.
    /// Parameters where a line does not exist are left out.
    public func all(points: Int, threads: Int = 1) -> [CriticalPoint] {
        let temperatures = (0..<points).map { 0.98 * (1 - dilution) * Double($0) / Double(points - 1) }
        let alphas = (1...points).map { 0.2 * Double($0) / Double(points) }
        let capacity = spinodal(temperature: 0)?.alpha ?? 0
        let atAlphas = capacity > 0 ? (1...points).map { capacity * (1 - 1e-6) * Double($0) / Double(points) } : []
        let all = Parallel.map(2 * points + atAlphas.count, threads: threads) { k in
            if k >= 2 * points { return [almeidaThouless(alpha: atAlphas[k - 2 * points])].compactMap { $0 } }
            guard k < points else { return [glassTransition(alpha: alphas[k - points])] }
            let t = temperatures[k]
            guard let s = spinodal(temperature: t) else { return [] }
            return [s, globalRetrieval(temperature: t, spinodalAlpha: s.alpha)].compactMap { $0 }
        }.joined()
        return CriticalPoint.Line.allCases.flatMap { line in all.filter { $0.line == line } }
    }
}
