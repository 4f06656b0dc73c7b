import Dispatch
import Foundation
import Synchronization

/// The retrieval boundaries of the dense network's RS theory (``DenseReplicaSymmetric``), each from
/// its defining condition (never read off a grid):
/// - spinodal in (α, T): for each T, the fold of the stable retrieval branch (F = 0, det J = 0),
///   bracketed by bisection on its existence (at T = 0 the RS capacity α_c(P));
/// - global in (α, T): for each T, the α where f_retrieval equals f_glass, each sector's state as the
///   point solver's global choice takes it (the 1RSB state where RS is not admissible);
/// - almeida-thouless in (α, T): where the retrieval state's replicon eigenvalue reaches 1;
/// - spinodal and global in (ρ, T) at fixed α for a network trained on examples (large-M form, fixed r).
/// Retrieval existence is monotone in α and ρ at fixed T (more crosstalk or noisier data), which is
/// what the bisection needs; every line point records its residual (bracket width) and convergence.
public struct DenseCriticalLines: Sendable {
    public let order: Int
    public let measure: GaussianMeasure
    public let settings: SolverSettings

    public init(order: Int, measure: GaussianMeasure, settings: SolverSettings = SolverSettings()) {
        precondition(order >= 3)
        self.order = order; self.measure = measure; self.settings = settings
    }

    func equations(_ alpha: Double, _ t: Double, _ examples: ExampleStatistics) -> DenseReplicaSymmetric {
        DenseReplicaSymmetric(order: order, alpha: alpha, temperature: t, examples: examples, measure: measure, settings: settings)
    }

    /// The stable retrieval state at (α, T), if any.
    public func retrieval(_ alpha: Double, _ t: Double, _ examples: ExampleStatistics) -> ReplicaSymmetricSolution? {
        equations(alpha, t, examples).stableRetrieval().flatMap { $0.m > 1e-3 ? $0 : nil }
    }

    /// f_retrieval − f_glass, each sector represented as in the point solver's global choice
    /// (``GlobalStateSelection``, eager): its lowest stable RS state, replaced by the 1RSB state where
    /// that is not admissible (the paramagnet below T_s, the RS spin glass of negative entropy, an
    /// AT-unstable retrieval state). nil without a stable retrieval state.
    /// `retrievalRSB: false` keeps the RS retrieval state even where it is not admissible (its 1RSB
    /// state costs ~1 s; ``global(temperature:examples:)`` uses it only near the crossing).
    func freeEnergyGap(_ alpha: Double, _ t: Double, _ examples: ExampleStatistics, retrievalRSB: Bool = true) -> Double? {
        let eq = equations(alpha, t, examples)
        guard let r = retrieval(alpha, t, examples) else { return nil }
        let branches = eq.judged((eq.paramagnet().map { [$0] } ?? []) + eq.spinGlass() + [r])
        let point = GlobalStateSelection.dense(branches, order: order, examples: examples, settings: settings,
                                               measure: measure, eager: true,
                                               oneStepBranches: retrievalRSB ? [.retrieval, .spinGlass] : [.spinGlass])
        guard let retrieval = point.retrievalFreeEnergy, let glass = point.glassFreeEnergy else { return nil }
        return retrieval - glass
    }

    /// Bisection for the boundary of `inside` in x ∈ [lo, hi] (inside at lo, outside at hi) to a
    /// relative width `tolerance`. nil when the bracket is not one.
    static func bisect(_ lo: Double, _ hi: Double, tolerance: Double = 1e-9, maxSteps: Int = 200,
                       _ inside: (Double) -> Bool) -> (x: Double, width: Double, steps: Int)? {
        var a = lo, b = hi
        guard inside(a), !inside(b) else { return nil }
        var steps = 0
        while (b - a) > tolerance * max(abs(b), 1e-12), steps < maxSteps {
            // Geometric midpoint when the bracket spans decades.
            let mid = a > 0 && b / a > 4 ? (a * b).squareRoot() : 0.5 * (a + b)
            if inside(mid) { a = mid } else { b = mid }
            steps += 1
        }
        return (0.5 * (a + b), b - a, steps)
    }

    /// The α-range searched: from 1e-6 to the first doubling of 0.01 without retrieval.
    func alphaBracket(_ t: Double, _ examples: ExampleStatistics, _ inside: (Double) -> Bool) -> (Double, Double)? {
        let lo = 1e-6
        guard inside(lo) else { return nil }
        var hi = 0.01
        while inside(hi) { hi *= 2; if hi > 1e6 { return nil } }
        return (lo, hi)
    }

    /// The fold of the stable retrieval branch at parameter value near `x` (α or ρ, the equations
    /// at a value given by `equationsAt`): F₁ = F₂/max(1, C) = 0 and det ∂(F₁, F₂)/∂(n, C) = 0 in
    /// (n, ln C, x), by GSL hybrids from the stable root at `inside`. nil when the branch does not
    /// end at a fold there (the augmented system has no root within 10⁻⁶·x of `x`).
    func fold(near x: Double, inside: Double, equationsAt: @escaping (Double) -> DenseReplicaSymmetric)
        -> (x: Double, m: Double, residual: Double, iterations: Int)? {
        guard let r = equationsAt(inside).stableRetrieval(), r.c > 0 else { return nil }
        let (u, status) = RootFinding.hybrids(start: [r.n ?? r.m, log(r.c), x], tolerance: 1e-9, maxIterations: 100) { u in
            guard u[2] > 0 else { return nil }
            let e = equationsAt(u[2]), c = exp(u[1])
            guard c < e.cMax, u[0] > 0 else { return nil }
            let f = e.residual(n: u[0], c: c)
            return [f.f1, f.f2 / max(1, c), e.stabilityDeterminant(n: u[0], c: c)]
        }
        guard status.converged, abs(u[2] - x) <= 1e-6 * x else { return nil }
        return (u[2], equationsAt(u[2]).averages(n: u[0], c: exp(u[1])).tanh, status.residual, status.iterations)
    }

    /// The spinodal found as a fold: bracketed by bisection on the existence of a stable retrieval
    /// state, then solved as F = 0, det J = 0 (``fold(near:inside:equationsAt:)``); returns the point
    /// and the boundary's parameter value (α or ρ). Where the branch ends otherwise, the bisection's
    /// end is reported and the method says so.
    func foldPoint(_ line: CriticalPoint.Line, bracket b: (x: Double, width: Double, steps: Int), alpha: Double, temperature t: Double,
                   equationsAt: @escaping (Double) -> DenseReplicaSymmetric) -> (point: CriticalPoint, x: Double) {
        if let f = fold(near: b.x, inside: b.x * (1 - 1e-9), equationsAt: equationsAt) {
            return (CriticalPoint(line: line, alpha: alpha, temperature: t, m: f.m, residual: f.residual, converged: true,
                                  iterations: b.steps + f.iterations,
                                  method: "fold: F = 0, det J = 0 (gsl-hybrids), bracketed by bisection on existence", p: order), f.x)
        }
        let m = equationsAt(b.x * (1 - 1e-9)).stableRetrieval()?.m
        return (CriticalPoint(line: line, alpha: alpha, temperature: t, m: m, residual: b.width,
                              converged: b.width <= 1e-8 * max(b.x, 1e-12), iterations: b.steps,
                              method: "bisection on existence (the branch does not end at a fold here)", p: order), b.x)
    }

    /// The spinodal line (issue 13: boundaries as folds of a branch, never by bisecting on
    /// existence): at each temperature the stable retrieval branch is followed in x (α, or ρ at the
    /// given α) by pseudo-arclength continuation (``RetrievalBranchWalk``, unknowns (n, ln C))
    /// from a small x — α = 0.1·α_hi (or 0.2, 0.4 where C underflows at 0.1), or ρ = 0 — through all of its folds. The boundary is the
    /// largest fold reached with x increasing (a saddle-node's stable and unstable members both lie
    /// below it); a stable member that reaches the top of the range means retrieval survives (no point). Where the branch also folds below it (a
    /// window without a stable retrieval state, then a low-m stable member — trained networks), the
    /// method lists those folds. The fold is accepted only where the point solver agrees on both
    /// sides (a stable retrieval state at x(1 − 10⁻⁷), none at x(1 + 10⁻⁷)); else that temperature's
    /// boundary is bracketed as before (``foldPoint``) and the method says so. nil where there is no
    /// stable retrieval state at the start, or where it survives to the top of the range.
    func followedSpinodal(temperature t: Double, examples: ExampleStatistics,
                          rho learning: (alpha: Double, quality: Double, protocol: LearningProtocol)? = nil) -> CriticalPoint? {
        func equationsAt(_ x: Double, _ t: Double) -> DenseReplicaSymmetric {
            if let l = learning { return equations(l.alpha, t, .entropy(x, quality: l.quality, l.protocol)) }
            return equations(x, t, examples)
        }
        func exists(_ x: Double, _ t: Double) -> Bool {
            guard let r = equationsAt(x, t).stableRetrieval() else { return false }
            return r.m > 1e-3
        }
        let fallback = { () -> CriticalPoint? in
            learning.map { l in self.entropyBoundary(.spinodal, alpha: l.alpha, temperature: t, quality: l.quality, learning: l.protocol) }
                ?? self.spinodal(temperature: t, examples: examples)
        }
        // The range: ρ ∈ [0, (1 − r²)/r²] (M ≥ 1); α up to α_hi, the first doubling of 0.01
        // without a stable retrieval state.
        let range: ClosedRange<Double>
        if let l = learning {
            range = 0...((1 - l.quality * l.quality) / (l.quality * l.quality))
        } else {
            guard let (_, hi) = alphaBracket(t, examples, { exists($0, t) }) else { return nil }
            // Low enough to start below every fold, high enough that C = β(1 − q) is not 0 in
            // double precision (deep retrieval at T = 0 has C ~ e^{−1/(2σ²)}).
            guard let low = [0.1, 0.2, 0.4].map({ $0 * hi }).first(where: { (equationsAt($0, t).stableRetrieval()?.c ?? 0) > 1e-280 }) else {
                return fallback()
            }
            range = low...hi
        }
        guard range.upperBound > range.lowerBound, exists(range.lowerBound, t) else { return nil }
        guard let start = equationsAt(range.lowerBound, t).stableRetrieval(), start.c > 1e-280 else { return fallback() }
        var follow = ArclengthSettings(parameterScale: range.upperBound - range.lowerBound, maxStep: 0.05, tolerance: 1e-10)
        follow.name = learning == nil ? "α" : "ρ"
        let walk = RetrievalBranchWalk.walk(from: (start.n ?? start.m, start.c), at: range.lowerBound, direction: 1,
                                            within: range, settings: follow) { x in
            x >= 0 && (learning != nil || x > 0) ? equationsAt(x, t) : nil
        }
        guard walk.ending.hasPrefix("left the range") || walk.ending.hasPrefix("the overlap fell") else { return fallback() }
        // A stable member that reaches the top of the range: retrieval survives.
        if let last = walk.points.last, last.parameter == range.upperBound {
            let e = equationsAt(last.parameter, t), c = exp(last.unknowns[1])
            if e.isStable(n: last.unknowns[0], c: c), e.averages(n: last.unknowns[0], c: c).tanh > 1e-3 { return nil }
        }
        // A saddle-node's two members lie on the side the walk came from: folds reached with x
        // increasing are upper ends of existence (of a stable member and its unstable partner).
        let upperEnds = walk.points.indices.filter { i in walk.points[i].fold && i > 0 && walk.points[i - 1].parameterSlope > 0 }
            .map { walk.points[$0] }
        guard let outer = upperEnds.max(by: { $0.parameter < $1.parameter }) else { return fallback() }
        let x = outer.parameter
        guard exists(x * (1 - 1e-7), t), !exists(x * (1 + 1e-7), t) else { return fallback() }
        let inner = walk.folds.filter { $0 != outer }.map { String(format: "%.8g", $0.parameter) }
        let e = equationsAt(x, t)
        var point = CriticalPoint(line: .spinodal, alpha: learning?.alpha ?? x, temperature: t,
                                  m: e.averages(n: outer.unknowns[0], c: exp(outer.unknowns[1])).tanh, residual: outer.status.residual,
                                  converged: true, iterations: walk.points.count,
                                  method: "fold of the retrieval branch followed in \(follow.name) by pseudo-arclength continuation (its largest upper end); stable retrieval at x(1 − 10⁻⁷), none at x(1 + 10⁻⁷)"
                                      + (inner.isEmpty ? "" : "; the branch also folds at \(follow.name) = " + inner.joined(separator: ", ")),
                                  p: order)
        if learning != nil { point.datasetEntropy = x }
        return point
    }

    public func spinodal(temperature t: Double, examples: ExampleStatistics = .none) -> CriticalPoint? {
        let inside = { (a: Double) in retrieval(a, t, examples) != nil }
        guard let (lo, hi) = alphaBracket(t, examples, inside), let b = Self.bisect(lo, hi, inside) else { return nil }
        var (point, x) = foldPoint(.spinodal, bracket: b, alpha: b.x, temperature: t) { a in self.equations(a, t, examples) }
        point.alpha = x
        return point
    }

    public func global(temperature t: Double, examples: ExampleStatistics = .none) -> CriticalPoint? {
        // f_retrieval − f_glass, +1 where there is no retrieval state: Brent on the sign change (the
        // gap is continuous where retrieval exists; at the spinodal the change is a jump, which
        // Brent's bisection steps also bracket down to the tolerance).
        let cheapGap = { (a: Double) in self.freeEnergyGap(a, t, examples, retrievalRSB: false) ?? 1 }
        let cheap = { (a: Double) in cheapGap(a) < 0 }
        guard let (lo, hi) = alphaBracket(t, examples, cheap) else { return nil }
        let low = hi > 0.01 ? hi / 2 : lo           // the last α of the doubling that was inside
        guard let root = RootFinding.brent(low, hi, xTolerance: 1e-10 * hi, cheapGap), root.converged else { return nil }
        let result = withRetrievalRSB(root.x, width: 2e-10 * hi, steps: root.iterations, lowest: lo,
                                      examplesAt: { _ in examples }, alphaAt: { $0 }, temperature: t)
        let method = result.method
        let m = retrieval(result.x * (1 - 1e-9), t, examples)?.m
        return CriticalPoint(line: .global, alpha: result.x, temperature: t, m: m, residual: result.width,
                             converged: result.width <= 2e-6 * result.x, iterations: result.steps, method: method, p: order)
    }

    /// The crossing `x` of f_retrieval = f_glass found with the retrieval sector at RS, moved where
    /// the retrieval state there is not admissible: its 1RSB state, whose f is higher, moves the
    /// crossing to lower x (α or ρ). Each such evaluation solves the retrieval state at 1RSB (~1 s),
    /// so the crossing is then located to 10⁻⁶ relative; usually the 1RSB retrieval state is RS to
    /// 10⁻⁸ in f there and the crossing stays.
    func withRetrievalRSB(_ x: Double, width: Double, steps: Int, lowest: Double,
                          examplesAt: @escaping (Double) -> ExampleStatistics, alphaAt: @escaping (Double) -> Double,
                          temperature t: Double) -> (x: Double, width: Double, steps: Int, method: String) {
        let inside = x * (1 - 1e-9)
        let eq = equations(alphaAt(inside), t, examplesAt(inside))
        guard let r = retrieval(alphaAt(inside), t, examplesAt(inside)), eq.judged([r])[0].admissible == false else {
            return (x, width, steps, "gsl-brent")
        }
        let fullGap = { (v: Double) in self.freeEnergyGap(alphaAt(v), t, examplesAt(v)) ?? 1 }
        let method = "gsl-brent; retrieval at 1RSB near the crossing, located to 10⁻⁶ relative"
        if fullGap(x * (1 - 1e-6)) < 0 { return (x * (1 - 5e-7), 1e-6 * x, steps + 1, method) }
        // Down to 10⁻³·x at most (each step is a 1RSB solve, ~1 s).
        let floor = max(lowest, 1e-3 * x)
        var low = x * 0.98
        while fullGap(low) >= 0, low > floor { low *= 0.9 }
        guard low > floor, let refined = RootFinding.brent(low, x, xTolerance: 5e-7 * x, fullGap), refined.converged else {
            return (x, .infinity, steps, method + ": not bracketed")
        }
        return (refined.x, 1e-6 * x, steps + refined.iterations, method)
    }

    /// The de Almeida–Thouless line of the retrieval state: for each T, the α where its P-spin
    /// replicon eigenvalue (``DenseReplicaSymmetric/replicon(n:c:sech4:)``) reaches 1, by bisection
    /// between α → 0 (λ < 1) and the spinodal; nil when λ < 1 up to the spinodal or at α → 0 already.
    public func almeidaThouless(temperature t: Double, examples: ExampleStatistics = .none) -> CriticalPoint? {
        guard t > 0, let spinodal = spinodal(temperature: t, examples: examples) else { return nil }
        let stable = { (a: Double) -> Bool in
            guard let r = self.retrieval(a, t, examples) else { return false }
            return (r.replicon ?? .infinity) < 1
        }
        let top = spinodal.alpha * (1 - 1e-6)
        guard stable(1e-6), !stable(top), let b = Self.bisect(1e-6, top, stable) else { return nil }
        return CriticalPoint(line: .almeidaThouless, alpha: b.x, temperature: t, m: retrieval(b.x, t, examples)?.m,
                             residual: b.width, converged: b.width <= 1e-8 * b.x, iterations: b.steps, method: "bisection", p: order)
    }

    /// Learning boundary: the largest dataset entropy ρ with a stable retrieval (or globally stable
    /// retrieval) state at (α, T), quality r and protocol fixed (large-M form). ρ is searched up to
    /// (1 − r²)/r², i.e. M ≥ 1: beyond it the ρ form describes no data set; nil when retrieval
    /// survives up to there (or does not exist at ρ = 0).
    public func entropyBoundary(_ line: CriticalPoint.Line, alpha: Double, temperature t: Double, quality: Double,
                                learning: LearningProtocol) -> CriticalPoint? {
        func stats(_ rho: Double) -> ExampleStatistics { .entropy(rho, quality: quality, learning) }
        let inside: (Double) -> Bool = line == .global
            ? { rho in (freeEnergyGap(alpha, t, stats(rho), retrievalRSB: false) ?? 1) < 0 }
            : { rho in retrieval(alpha, t, stats(rho)) != nil }
        let largest = (1 - quality * quality) / (quality * quality)
        guard largest > 0, inside(0) else { return nil }
        if inside(largest) {
            // Retrieval "global" up to M = 1: a genuine answer (no boundary) only if that retrieval
            // state is admissible; else (an RS state of negative entropy whose 1RSB state was not
            // found) the boundary is undetermined, and the line says so instead of saying nothing.
            guard line == .global, let r = retrieval(alpha, t, stats(largest)),
                  let judged = equations(alpha, t, stats(largest)).judged([r]).first, judged.admissible == false else { return nil }
            var point = CriticalPoint(line: line, alpha: alpha, temperature: t, m: r.m, residual: .infinity, converged: false,
                                      iterations: 0,
                                      method: "undetermined: the RS retrieval state is lowest in f up to M = 1 (ρ = \(String(format: "%.6g", largest))) but not admissible there (\(judged.inadmissibleBecause ?? "")), and its 1RSB state was not found",
                                      p: order)
            point.datasetEntropy = largest
            return point
        }
        var b: (x: Double, width: Double, steps: Int)
        var tolerance = 1e-8
        if line == .global {
            // Brent on the gap's value (+1 without retrieval), as for the (α, T) line: each step
            // solves the 1RSB glass, ~10 steps instead of bisection's ~35.
            let gap = { (rho: Double) in self.freeEnergyGap(alpha, t, stats(rho), retrievalRSB: false) ?? 1 }
            guard let root = RootFinding.brent(0, largest, xTolerance: 1e-10 * largest, gap), root.converged else { return nil }
            b = (root.x, 2e-10 * largest, root.iterations)
            tolerance = 2e-10 * largest / max(root.x, 1e-300)     // Brent's own (absolute) width
        } else {
            guard let bisected = Self.bisect(0, largest, inside) else { return nil }
            b = bisected
        }
        if line == .spinodal {
            var (point, rho) = foldPoint(.spinodal, bracket: b, alpha: alpha, temperature: t) { rho in self.equations(alpha, t, stats(rho)) }
            point.datasetEntropy = rho
            return point
        }
        var result = (x: b.x, width: b.width, steps: b.steps, method: line == .global ? "gsl-brent" : "bisection")
        if line == .global {
            let moved = withRetrievalRSB(b.x, width: b.width, steps: b.steps, lowest: 0, examplesAt: stats, alphaAt: { _ in alpha },
                                         temperature: t)
            if moved.method != "gsl-brent" { result = (moved.x, moved.width, moved.steps, moved.method); tolerance = 2e-6 }
        }
        var point = CriticalPoint(line: line, alpha: alpha, temperature: t, m: retrieval(alpha, t, stats(result.x * (1 - 1e-9)))?.m,
                                  residual: result.width, converged: result.width <= tolerance * max(result.x, 1e-12),
                                  iterations: result.steps, method: result.method, p: order)
        point.datasetEntropy = result.x
        return point
    }

    /// Spinodal and global lines in (α, T) for `temperatures` (and, with `learning`, in (ρ, T) at
    /// `alpha`), computed on up to `threads` threads; order independent of the thread count.
    public func lines(temperatures: [Double], examples: ExampleStatistics = .none,
                      learning: (alpha: Double, quality: Double, protocol: LearningProtocol)? = nil,
                      threads: Int = 1) -> [CriticalPoint] {
        // One job per line and temperature (each spinodal point walks its own branch).
        var jobs: [@Sendable () -> [CriticalPoint?]] = []
        for t in temperatures {
            jobs.append { [self.followedSpinodal(temperature: t, examples: examples, rho: learning)] }
            if let l = learning {
                jobs.append { [self.entropyBoundary(.global, alpha: l.alpha, temperature: t, quality: l.quality, learning: l.protocol)] }
            } else {
                jobs.append { [self.global(temperature: t, examples: examples)] }
                jobs.append { [self.almeidaThouless(temperature: t, examples: examples)] }
            }
        }
        let work = jobs
        let done = Parallel.map(work.count, threads: threads) { work[$0]() }
        return done.compactMap { $0[0] }
    }
}
