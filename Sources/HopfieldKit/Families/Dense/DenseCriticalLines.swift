import Dispatch
import Foundation
import Synchronization

/// The retrieval boundaries of the dense network's RS theory (``DenseReplicaSymmetric``), each by
/// bisection of a defining condition (never read off a grid):
/// - spinodal in (α, T): for each T, the largest α at which a stable retrieval root exists (at
///   T = 0 the RS capacity α_c(P));
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

    public func spinodal(temperature t: Double, examples: ExampleStatistics = .none) -> CriticalPoint? {
        let inside = { (a: Double) in retrieval(a, t, examples) != nil }
        guard let (lo, hi) = alphaBracket(t, examples, inside), let b = Self.bisect(lo, hi, inside) else { return nil }
        let m = retrieval(b.x * (1 - 1e-9), t, examples)?.m
        return CriticalPoint(line: .spinodal, alpha: b.x, temperature: t, m: m, residual: b.width,
                             converged: b.width <= 1e-8 * b.x, iterations: b.steps, method: "bisection", p: order)
    }

    /// The α where retrieval stops being global. First with the retrieval sector at RS (cheap);
    /// where the retrieval state at that crossing is not admissible (AT-unstable or of negative
    /// entropy), its 1RSB state, whose f is higher, moves the crossing to lower α: the crossing is
    /// then bisected again with both sectors as the point solver takes them, below the first one.
    public func global(temperature t: Double, examples: ExampleStatistics = .none) -> CriticalPoint? {
        // f_retrieval − f_glass, +1 where there is no retrieval state: Brent on the sign change (the
        // gap is continuous where retrieval exists; at the spinodal the change is a jump, which
        // Brent's bisection steps also bracket down to the tolerance).
        let cheapGap = { (a: Double) in self.freeEnergyGap(a, t, examples, retrievalRSB: false) ?? 1 }
        let cheap = { (a: Double) in cheapGap(a) < 0 }
        guard let (lo, hi) = alphaBracket(t, examples, cheap) else { return nil }
        let low = hi > 0.01 ? hi / 2 : lo           // the last α of the doubling that was inside
        guard let root = RootFinding.brent(low, hi, xTolerance: 1e-10 * hi, cheapGap), root.converged else { return nil }
        var result = (x: root.x, width: 2e-10 * hi, steps: root.iterations)
        var method = "gsl-brent"
        let b = root
        let eq = equations(b.x * (1 - 1e-9), t, examples)
        if let r = retrieval(b.x * (1 - 1e-9), t, examples), eq.judged([r])[0].admissible == false {
            // Each evaluation now solves the retrieval state at 1RSB (~1 s): the crossing is only
            // located to 10⁻⁶ relative. Usually the 1RSB retrieval state is RS to 10⁻⁸ in f there.
            let fullGap = { (a: Double) in self.freeEnergyGap(a, t, examples) ?? 1 }
            method = "gsl-brent; retrieval at 1RSB near the crossing, located to 10⁻⁶ relative"
            if fullGap(b.x * (1 - 1e-6)) < 0 {
                result = (b.x * (1 - 5e-7), 1e-6 * b.x, b.iterations + 1)
            } else {
                var low = b.x * 0.98
                while fullGap(low) >= 0, low > lo { low *= 0.9 }
                guard let refined = RootFinding.brent(low, b.x, xTolerance: 5e-7 * b.x, fullGap), refined.converged else { return nil }
                result = (refined.x, 1e-6 * b.x, b.iterations + refined.iterations)
            }
        }
        let m = retrieval(result.x * (1 - 1e-9), t, examples)?.m
        return CriticalPoint(line: .global, alpha: result.x, temperature: t, m: m, residual: result.width,
                             converged: result.width <= 2e-6 * result.x, iterations: result.steps, method: method, p: order)
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
            ? { rho in (freeEnergyGap(alpha, t, stats(rho)) ?? 1) < 0 }
            : { rho in retrieval(alpha, t, stats(rho)) != nil }
        let largest = (1 - quality * quality) / (quality * quality)
        guard largest > 0, inside(0), !inside(largest) else { return nil }
        guard let b = Self.bisect(0, largest, inside) else { return nil }
        var point = CriticalPoint(line: line, alpha: alpha, temperature: t, m: retrieval(alpha, t, stats(b.x * (1 - 1e-9)))?.m,
                                  residual: b.width, converged: b.width <= 1e-8 * max(b.x, 1e-12), iterations: b.steps,
                                  method: "bisection", p: order)
        point.datasetEntropy = b.x
        return point
    }

    /// Spinodal and global lines in (α, T) for `temperatures` (and, with `learning`, in (ρ, T) at
    /// `alpha`), computed on up to `threads` threads; order independent of the thread count.
    public func lines(temperatures: [Double], examples: ExampleStatistics = .none,
                      learning: (alpha: Double, quality: Double, protocol: LearningProtocol)? = nil,
                      threads: Int = 1) -> [CriticalPoint] {
        var jobs: [@Sendable () -> CriticalPoint?] = []
        for t in temperatures {
            if let l = learning {
                jobs.append { self.entropyBoundary(.spinodal, alpha: l.alpha, temperature: t, quality: l.quality, learning: l.protocol) }
                jobs.append { self.entropyBoundary(.global, alpha: l.alpha, temperature: t, quality: l.quality, learning: l.protocol) }
            } else {
                jobs.append { self.spinodal(temperature: t, examples: examples) }
                jobs.append { self.global(temperature: t, examples: examples) }
                jobs.append { self.almeidaThouless(temperature: t, examples: examples) }
            }
        }
        let work = jobs
        return Parallel.map(work.count, threads: threads) { work[$0]() }.compactMap { $0 }
    }
}
