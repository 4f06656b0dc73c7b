import Foundation

/// One point of a branch followed by ``ArclengthContinuation``.
public struct BranchCurvePoint: Sendable, Equatable {
    /// The family's unknowns u at this point (F(u; λ) = 0).
    public var unknowns: [Double]
    /// The followed parameter λ (α or T).
    public var parameter: Double
    /// Arclength s from the start, in the scaled variables (u, λ/scale).
    public var arclength: Double
    /// dλ̃/ds, the λ-component of the unit tangent: it changes sign at a fold.
    public var parameterSlope: Double
    /// This point is a fold (a saddle-node: dλ/ds = 0, located between two steps).
    public var fold: Bool
    /// How many folds lie between the start and this point (0 on the member the walk started on).
    public var foldsPassed: Int
    public var status: SolverStatus
}

/// A followed branch and why the walk ended.
public struct FollowedBranch: Sendable {
    public var points: [BranchCurvePoint]
    public var ending: String
    public var folds: [BranchCurvePoint] { points.filter(\.fold) }
}

/// Step and tolerance settings of ``ArclengthContinuation``.
public struct ArclengthSettings: Sendable, Equatable {
    /// λ is scaled by this before arclength is measured (the followed range's width), so that the
    /// order parameters (O(1)) and λ weigh alike.
    public var parameterScale: Double
    /// Largest and first step in scaled arclength.
    public var maxStep: Double
    public var initialStep: Double
    /// Below this step a failing corrector ends the walk.
    public var minStep: Double
    public var maxPoints: Int
    /// Corrector tolerance on max |F|.
    public var tolerance: Double
    public var maxCorrectorIterations: Int
    /// The parameter's name in the walk's messages.
    public var name = "λ"
    /// End the walk at the first fold (a point solver asks only whether the branch reaches λ).
    public var stopAtFirstFold = false

    public init(parameterScale: Double, maxStep: Double = 0.02, minStep: Double = 1e-9, maxPoints: Int = 5000,
                tolerance: Double = 1e-11, maxCorrectorIterations: Int = 60) {
        self.parameterScale = parameterScale
        self.maxStep = maxStep
        self.initialStep = maxStep / 4
        self.minStep = minStep
        self.maxPoints = maxPoints
        self.tolerance = tolerance
        self.maxCorrectorIterations = maxCorrectorIterations
    }
}

/// Pseudo-arclength continuation (Keller 1977; e.g. Allgower & Georg, "Numerical Continuation
/// Methods", ch. 2) of a branch of saddle points F(u; λ) = 0, u ∈ ℝⁿ, through its folds. With
/// y = (u, λ/scale) ∈ ℝⁿ⁺¹ and J = ∂F/∂y (n × (n+1), central differences, one-sided at a domain edge):
/// ```
/// tangent:    [J; t_prev] t = e_{n+1},  t ← t/|t|          (oriented along the previous tangent)
/// predictor:  y_p = y + h t
/// corrector:  F(y) = 0,  t·(y − y_p) = 0                    (GSL hybrids in n + 1 unknowns)
/// ```
/// The arclength constraint keeps the corrector well posed where ∂F/∂u is singular, which is
/// exactly a fold (the spinodal, a capacity): there dλ/ds = 0 and the walk turns back onto the
/// partner branch instead of failing or jumping to another root, as continuation in λ does. A step
/// is accepted only if the corrector converged (max |F| ≤ tolerance, re-evaluated), landed within
/// h/2 of the prediction and the tangent turned by less than ~25°; else h is halved. Folds are the
/// sign changes of t_λ, located by Brent on t_λ along the chord between the two steps (each trial
/// corrected onto the curve), so λ at the fold is accurate to O(δs²).
public enum ArclengthContinuation {
    /// Follows the branch through (u₀, λ₀) in the direction of increasing λ when `direction` > 0.
    /// - Parameters:
    ///   - range: the walk ends where λ leaves it (the last point is solved exactly at the boundary).
    ///   - residual: F(u; λ), nil outside the unknowns' domain.
    ///   - stop: a reason to end at a point (the branch reached an edge), or nil.
    public static func follow(from u0: [Double], at lambda0: Double, direction: Double, within range: ClosedRange<Double>,
                              settings: ArclengthSettings, residual: @escaping ([Double], Double) -> [Double]?,
                              stop: ([Double], Double) -> String? = { _, _ in nil }) -> FollowedBranch {
        let n = u0.count, scale = settings.parameterScale
        func lambda(_ y: [Double]) -> Double { y[n] * scale }
        func F(_ y: [Double]) -> [Double]? { residual(Array(y[0..<n]), lambda(y)) }
        func maxNorm(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

        /// The unit tangent at y oriented along `previous` (nil where J cannot be formed or is rank-deficient).
        func tangent(_ y: [Double], previous: [Double]) -> [Double]? {
            var columns: [[Double]] = []
            for j in 0...n {
                let h = 1e-6 * max(1, abs(y[j]))
                var yp = y, ym = y
                yp[j] += h; ym[j] -= h
                // Central differences; one-sided (second order) at the domain's edge (T = 0).
                if let fp = F(yp), let fm = F(ym) {
                    columns.append(zip(fp, fm).map { ($0 - $1) / (2 * h) })
                } else if let f0 = F(y), let fp = F(yp), let fpp = F(y.enumerated().map { $0.offset == j ? $0.element + 2 * h : $0.element }) {
                    columns.append((0..<n).map { (-3 * f0[$0] + 4 * fp[$0] - fpp[$0]) / (2 * h) })
                } else if let f0 = F(y), let fm = F(ym), let fmm = F(y.enumerated().map { $0.offset == j ? $0.element - 2 * h : $0.element }) {
                    columns.append((0..<n).map { (3 * f0[$0] - 4 * fm[$0] + fmm[$0]) / (2 * h) })
                } else { return nil }
            }
            let rows = (0..<n).map { i in (0...n).map { columns[$0][i] } } + [previous]
            guard let t = LinearAlgebra.solve(rows, [Double](repeating: 0, count: n) + [1]) else { return nil }
            let norm = dot(t, t).squareRoot()
            guard norm > 0, norm.isFinite else { return nil }
            let unit = t.map { $0 / norm }
            return dot(unit, previous) < 0 ? unit.map { -$0 } : unit
        }

        /// The curve point on the hyperplane through `predicted` normal to `normal`.
        func correct(_ predicted: [Double], normal: [Double]) -> (y: [Double], status: SolverStatus)? {
            let (y, status) = RootFinding.hybrids(start: predicted, tolerance: settings.tolerance,
                                                  maxIterations: settings.maxCorrectorIterations) { y in
                guard let f = F(y) else { return nil }
                return f + [dot(normal, zip(y, predicted).map { $0 - $1 })]
            }
            guard status.converged, let f = F(y), maxNorm(f) <= settings.tolerance else { return nil }
            return (y, SolverStatus(converged: true, iterations: status.iterations, residual: maxNorm(f),
                                    method: "pseudo-arclength (gsl-hybrids corrector)"))
        }

        /// The point exactly at λ = bound, from y (natural-parameter solve: λ fixed).
        func solveAt(_ bound: Double, from y: [Double]) -> (y: [Double], status: SolverStatus)? {
            let (u, status) = RootFinding.hybrids(start: Array(y[0..<n]), tolerance: settings.tolerance,
                                                  maxIterations: settings.maxCorrectorIterations) { u in residual(u, bound) }
            guard status.converged, let f = residual(u, bound), maxNorm(f) <= settings.tolerance else { return nil }
            return (u + [bound / scale], SolverStatus(converged: true, iterations: status.iterations, residual: maxNorm(f),
                                                       method: "gsl-hybrids at the range's end"))
        }

        let y0 = u0 + [lambda0 / scale]
        let axis = [Double](repeating: 0, count: n) + [direction >= 0 ? 1 : -1]
        guard let f0 = F(y0), maxNorm(f0) <= settings.tolerance * 10, let t0 = tangent(y0, previous: axis) else {
            return FollowedBranch(points: [], ending: "the starting point is not on the branch (or its Jacobian cannot be formed)")
        }
        var points = [BranchCurvePoint(unknowns: u0, parameter: lambda0, arclength: 0, parameterSlope: t0[n], fold: false,
                                       foldsPassed: 0, status: SolverStatus(converged: true, iterations: 0, residual: maxNorm(f0),
                                                                           method: "start"))]
        var y = y0, t = t0, s = 0.0, folds = 0
        var h = settings.initialStep
        var ending = "reached \(settings.maxPoints) points"
        var unlocated: [String] = []
        walk: while points.count < settings.maxPoints {
            let predicted = zip(y, t).map { $0 + h * $1 }
            // A prediction beyond the range (or the parameter's domain, T < 0): end at the bound if
            // the point there continues this member (near the point on the predictor line at the
            // bound, no fold in between: dλ/ds keeps its sign); else shorten the step. Never
            // corrected from outside the range (that could cross a fold beyond the bound).
            if !range.contains(lambda(predicted)) {
                let bound = lambda(predicted) > range.upperBound ? range.upperBound : range.lowerBound
                let reach = (bound / scale - y[n]) / t[n]          // arclength along t to the bound
                let onLine = zip(y, t).map { $0 + reach * $1 }
                if reach > 0, let end = solveAt(bound, from: onLine),
                   maxNorm(zip(end.y, onLine).map { $0 - $1 }) <= 0.5 * reach,
                   let tEnd = tangent(end.y, previous: t), dot(tEnd, t) > 0.9, (tEnd[n] < 0) == (t[n] < 0) {
                    let d = zip(end.y, y).map { $0 - $1 }
                    points.append(BranchCurvePoint(unknowns: Array(end.y[0..<n]), parameter: bound, arclength: s + dot(d, d).squareRoot(),
                                                   parameterSlope: tEnd[n], fold: false, foldsPassed: folds, status: end.status))
                    ending = "left the range at \(settings.name) = \(bound)"
                    break walk
                }
                h /= 2
                if h < settings.minStep {
                    ending = "could not reach the range's end from \(settings.name) = \(lambda(y)) (the corrector failed below the smallest step)"
                    break walk
                }
                continue
            }
            guard let (next, status) = correct(predicted, normal: t),
                  maxNorm(zip(next, predicted).map { $0 - $1 }) <= 0.5 * h,
                  let tNext = tangent(next, previous: t), dot(tNext, t) > 0.9 else {
                h /= 2
                if h < settings.minStep {
                    ending = "the corrector failed below the smallest step at \(settings.name) = \(lambda(y)) (the branch ends or turns sharply there)"
                    break walk
                }
                continue
            }
            let chord = zip(next, y).map { $0 - $1 }
            let step = dot(chord, chord).squareRoot()
            // A fold between y and next: t_λ changes sign. Brent on t_λ along the chord.
            var located: BranchCurvePoint?
            var unlocatedHere: String?
            if (t[n] < 0) != (tNext[n] < 0), t[n] != 0 {
                let normal = chord.map { $0 / step }
                var foldPoint: (y: [Double], t: [Double], status: SolverStatus)?
                let root = RootFinding.brent(0, 1, xTolerance: 1e-10) { theta in
                    if theta == 0 { return t[n] }
                    if theta == 1 { return tNext[n] }
                    let guess = zip(y, chord).map { $0 + theta * $1 }
                    guard let c = correct(guess, normal: normal), let tc = tangent(c.y, previous: t) else { return .nan }
                    foldPoint = (c.y, tc, c.status)
                    return tc[n]
                }
                if let root, root.converged, let fp = foldPoint {
                    let d = zip(fp.y, y).map { $0 - $1 }
                    var status = fp.status
                    status.method = "fold: t_λ = 0 by gsl-brent along the chord (pseudo-arclength corrector)"
                    located = BranchCurvePoint(unknowns: Array(fp.y[0..<n]), parameter: lambda(fp.y), arclength: s + dot(d, d).squareRoot(),
                                               parameterSlope: 0, fold: true, foldsPassed: folds + 1, status: status)
                } else {
                    unlocatedHere = "a fold between \(settings.name) = \(lambda(y)) and \(lambda(next)) could not be located"
                }
            }
            let lambdaNext = lambda(next)
            // The step left the range (the corrected point, or a fold between, beyond the bound,
            // though the prediction was inside): a shorter step.
            if !range.contains(lambdaNext) || !(located.map { range.contains($0.parameter) } ?? true) {
                h /= 2
                if h < settings.minStep {
                    ending = "could not reach the range's end from \(settings.name) = \(lambda(y)) (the corrector failed below the smallest step)"
                    break walk
                }
                continue
            }
            if let fold = located {
                folds += 1
                points.append(fold)
                if settings.stopAtFirstFold { ending = "reached a fold at \(settings.name) = \(fold.parameter)"; break walk }
            } else if let note = unlocatedHere {
                folds += 1
                if settings.stopAtFirstFold { ending = "passed a fold between \(settings.name) = \(lambda(y)) and \(lambdaNext)"; break walk }
                unlocated.append(note)
            }
            s += step
            points.append(BranchCurvePoint(unknowns: Array(next[0..<n]), parameter: lambdaNext, arclength: s,
                                           parameterSlope: tNext[n], fold: false, foldsPassed: folds, status: status))
            if let reason = stop(Array(next[0..<n]), lambdaNext) { ending = reason; break walk }
            y = next; t = tNext
            h = min(status.iterations <= 4 ? 1.5 * h : h, settings.maxStep)
        }
        return FollowedBranch(points: points, ending: ([ending] + unlocated).joined(separator: "; "))
    }
}
