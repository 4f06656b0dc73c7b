import CGSL
import Foundation

/// The per-sample values of one quantity at one system size: `values[s][c]` is the thermal mean of
/// component c in disorder sample s (one component for a plain observable; ⟨q²⟩ and ⟨q⁴⟩ for a
/// Binder cumulant).
public struct SizeSamples: Sendable, Equatable, Codable {
    public var neurons: Int
    public var values: [[Double]]

    public init(neurons: Int, values: [[Double]]) {
        self.neurons = neurons; self.values = values
    }

    public var samples: Int { values.count }
}

/// A quantity estimated from the disorder averages of its components at one size: θ = f([O₁], …).
/// A plain observable is f = identity of one component; the Binder cumulant of the spin-glass
/// overlap is g = ½(3 − [⟨q⁴⟩]/[⟨q²⟩]²).
public struct SampleEstimator: Sendable {
    public var name: String
    public var components: [String]
    public let function: @Sendable ([Double]) -> Double

    public init(name: String, components: [String], function: @escaping @Sendable ([Double]) -> Double) {
        self.name = name; self.components = components; self.function = function
    }

    /// The disorder average of one observable.
    public static func mean(_ observable: String) -> SampleEstimator {
        SampleEstimator(name: observable, components: [observable]) { $0[0] }
    }

    /// The spin-glass Binder cumulant g = ½(3 − [⟨q⁴⟩]/[⟨q²⟩]²): 0 for Gaussian q (paramagnet),
    /// 1 for q = ±q₀ (one ordered state); scale-invariant at a continuous transition, so curves of
    /// different N cross at T_g.
    public static let binder = SampleEstimator(name: "binder_q", components: ["q2", "q4"]) { v in
        0.5 * (3 - v[1] / (v[0] * v[0]))
    }

    /// θ at one size and its jackknife over disorder samples: θ from all samples, the S leave-one-out
    /// values θ_(s), and the error σ² = (S − 1)/S Σ_s (θ_(s) − θ̄_(·))² (S ≥ 2; 0 for S = 1).
    public func jackknife(_ data: SizeSamples) -> (value: Double, leaveOneOut: [Double], error: Double) {
        let s = data.samples
        let c = components.count
        var sums = [Double](repeating: 0, count: c)
        for row in data.values { for k in 0..<c { sums[k] += row[k] } }
        let value = function(sums.map { $0 / Double(s) })
        guard s >= 2 else { return (value, [value], 0) }
        let loo = data.values.map { row in function((0..<c).map { (sums[$0] - row[$0]) / Double(s - 1) }) }
        let average = loo.reduce(0, +) / Double(s)
        let variance = Double(s - 1) / Double(s) * loo.reduce(0) { $0 + ($1 - average) * ($1 - average) }
        return (value, loo, variance.squareRoot())
    }
}

/// The finite-size form fitted: θ(N) = θ_∞ + a·N^(−ω), by weighted least squares on the per-size
/// estimates with weights 1/σ_N², σ_N the jackknife error of each size.
///
/// For fixed ω the model is linear in (θ_∞, a) and solved in closed form. With ω fitted, χ²(ω) is
/// minimised over ω ∈ [``omegaRange``] with (θ_∞, a) solved at each ω (variable projection): a scan
/// on a logarithmic grid, then golden-section refinement of the best bracket.
public enum FiniteSizeFitting {
    /// The range fitted exponents are sought in; a fit at its edge is reported as such.
    public static let omegaRange: ClosedRange<Double> = 0.05...3

    /// One fitted curve.
    public struct Curve: Sendable, Equatable {
        public var intercept: Double
        public var amplitude: Double
        public var omega: Double
        public var chi2: Double
    }

    /// (θ_∞, a, χ²) of the weighted straight line y = θ_∞ + a x with x = N^(−ω).
    static func line(_ x: [Double], _ y: [Double], _ sigma: [Double]) -> (Double, Double, Double) {
        var s = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0
        for k in 0..<x.count {
            let w = 1 / (sigma[k] * sigma[k])
            s += w; sx += w * x[k]; sy += w * y[k]; sxx += w * x[k] * x[k]; sxy += w * x[k] * y[k]
        }
        let det = s * sxx - sx * sx
        let a = (s * sxy - sx * sy) / det
        let c = (sy - a * sx) / s
        var chi2 = 0.0
        for k in 0..<x.count {
            let r = (y[k] - c - a * x[k]) / sigma[k]
            chi2 += r * r
        }
        return (c, a, chi2)
    }

    /// The best curve for sizes `n`, values `y` and errors `sigma`: with `omega` given, the line in
    /// N^(−ω); with nil, ω fitted too (needs ≥ 3 sizes).
    public static func fit(neurons n: [Int], values y: [Double], errors sigma: [Double], omega: Double?) -> Curve {
        let logN = n.map { log(Double($0)) }
        func at(_ w: Double) -> Curve {
            let (c, a, chi2) = line(logN.map { exp(-w * $0) }, y, sigma)
            return Curve(intercept: c, amplitude: a, omega: w, chi2: chi2)
        }
        if let omega { return at(omega) }
        let lo = log(omegaRange.lowerBound), hi = log(omegaRange.upperBound)
        let steps = 96
        let grid = (0...steps).map { exp(lo + (hi - lo) * Double($0) / Double(steps)) }
        let curves = grid.map(at)
        let best = curves.indices.min { curves[$0].chi2 < curves[$1].chi2 }!
        guard best > 0, best < steps else { return curves[best] }
        // Golden-section search on [ω_{best−1}, ω_{best+1}].
        var a = grid[best - 1], b = grid[best + 1]
        let g = (5.0.squareRoot() - 1) / 2
        var c = b - g * (b - a), d = a + g * (b - a)
        var fc = at(c), fd = at(d)
        for _ in 0..<60 where b - a > 1e-10 * b {
            if fc.chi2 < fd.chi2 { b = d; d = c; fd = fc; c = b - g * (b - a); fc = at(c) }
            else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = at(d) }
        }
        let refined = fc.chi2 < fd.chi2 ? fc : fd
        return refined.chi2 <= curves[best].chi2 ? refined : curves[best]
    }
}

/// An extrapolation N → ∞ of one quantity from its per-sample values at several sizes.
public struct FiniteSizeExtrapolation: Sendable, Equatable, Codable {
    /// "power" (θ_∞ + a N^(−ω)) or "inverse-size" (ω = 1).
    public var model: String
    /// θ_∞ and its jackknife error over disorder samples.
    public var mean: Double
    public var error: Double
    public var amplitude: Double
    public var amplitudeError: Double
    public var omega: Double
    /// The jackknife error of a fitted ω; nil when ω was fixed.
    public var omegaError: Double?
    public var omegaFitted: Bool
    /// A fitted ω at the edge of the searched range: the data do not determine it.
    public var omegaAtBound: Bool
    public var chi2: Double
    public var dof: Int
    /// χ²/dof (nil with no degree of freedom).
    public var chi2Dof: Double?
    /// P(χ²_dof ≥ χ²): small values say the form does not describe the data.
    public var pValue: Double?
    /// Akaike's criterion χ² + 2k (k parameters), for choosing between forms.
    public var aic: Double

    /// Fits θ(N) = θ_∞ + a N^(−ω) (ω given, or fitted when nil) to the jackknife estimates of
    /// `estimator` at each size, weights 1/σ_N². Errors of θ_∞, a and ω by the jackknife over the
    /// disorder samples of every size: deleting sample s of size N changes that size's estimate to
    /// its leave-one-out value and the fit is redone (same weights); var = Σ_N (S_N − 1)/S_N Σ_s
    /// (θ_∞(N,s) − mean_s θ_∞(N,·))². With ω fitted the error is the larger of this and the
    /// bootstrap's (``bootstrapHalfWidths(_:estimator:errors:)``). Nil with fewer sizes than
    /// parameters (fixed ω: 2, fitted: 3).
    public static func fit(_ sizes: [SizeSamples], estimator: SampleEstimator, omega: Double?,
                           model: String? = nil) -> FiniteSizeExtrapolation? {
        let parameters = omega == nil ? 3 : 2
        guard sizes.count >= parameters, sizes.allSatisfy({ $0.samples >= 2 }) else { return nil }
        let n = sizes.map(\.neurons)
        let jack = sizes.map(estimator.jackknife)
        let y = jack.map(\.value)
        // A size whose samples all agree (a frozen state) gets the smallest nonzero error of the
        // others, or 1e-12, so that weights stay finite.
        let positive = jack.map(\.error).filter { $0 > 0 }
        let floor = positive.min() ?? 1e-12
        let sigma = jack.map { $0.error > 0 ? $0.error : floor }
        let curve = FiniteSizeFitting.fit(neurons: n, values: y, errors: sigma, omega: omega)
        var varC = 0.0, varA = 0.0, varW = 0.0
        for k in sizes.indices {
            var yk = y
            let refits = jack[k].leaveOneOut.map { v -> FiniteSizeFitting.Curve in
                yk[k] = v
                return FiniteSizeFitting.fit(neurons: n, values: yk, errors: sigma, omega: omega)
            }
            let s = Double(refits.count)
            func contribution(_ f: (FiniteSizeFitting.Curve) -> Double) -> Double {
                let m = refits.reduce(0) { $0 + f($1) } / s
                return (s - 1) / s * refits.reduce(0) { $0 + (f($1) - m) * (f($1) - m) }
            }
            varC += contribution(\.intercept)
            varA += contribution(\.amplitude)
            varW += contribution(\.omega)
        }
        var errors = (varC.squareRoot(), varA.squareRoot(), varW.squareRoot())
        if omega == nil {
            // With ω fitted θ_∞ is strongly non-linear in the data when ω is poorly determined, and the
            // jackknife (a linearisation) then understates its error (a factor 1.6–3.4 in an independent
            // check). The bootstrap's central 68 % interval does not linearise; the larger of the two
            // is reported.
            let boot = bootstrapHalfWidths(sizes, estimator: estimator, errors: sigma)
            errors = (max(errors.0, boot.0), max(errors.1, boot.1), max(errors.2, boot.2))
        }
        let dof = sizes.count - parameters
        let atBound = omega == nil && (curve.omega <= FiniteSizeFitting.omegaRange.lowerBound * 1.0001
                                       || curve.omega >= FiniteSizeFitting.omegaRange.upperBound * 0.9999)
        return FiniteSizeExtrapolation(
            model: model ?? (omega == 1 ? "inverse-size" : "power"),
            mean: curve.intercept, error: errors.0, amplitude: curve.amplitude, amplitudeError: errors.1,
            omega: curve.omega, omegaError: omega == nil ? errors.2 : nil, omegaFitted: omega == nil,
            omegaAtBound: atBound, chi2: curve.chi2, dof: dof, chi2Dof: dof > 0 ? curve.chi2 / Double(dof) : nil,
            pValue: dof > 0 ? gsl_cdf_chisq_Q(curve.chi2, Double(dof)) : nil,
            aic: curve.chi2 + 2 * Double(parameters))
    }

    /// Resamples of the bootstrap over disorder samples for a fitted ω.
    public static let bootstrapResamples = 400

    /// Half the width of the central 68.3 % interval (the 15.87 and 84.13 percentiles) of θ_∞, a and
    /// ω over ``bootstrapResamples`` bootstrap data sets: each size's samples drawn with replacement
    /// (a fixed stream, so the result is reproducible), the per-size estimates recomputed, the weights
    /// kept, ω refitted.
    static func bootstrapHalfWidths(_ sizes: [SizeSamples], estimator: SampleEstimator, errors sigma: [Double]) -> (Double, Double, Double) {
        var rng = StreamKey(seed: 0xB007_57A9, point: 0, sample: 0, purpose: .examples).generator()
        let n = sizes.map(\.neurons)
        var c: [Double] = [], a: [Double] = [], w: [Double] = []
        for _ in 0..<bootstrapResamples {
            let y = sizes.map { size -> Double in
                let drawn = (0..<size.samples).map { _ in size.values[rng.nextIndex(below: size.samples)] }
                return estimator.jackknife(SizeSamples(neurons: size.neurons, values: drawn)).value
            }
            let curve = FiniteSizeFitting.fit(neurons: n, values: y, errors: sigma, omega: nil)
            c.append(curve.intercept); a.append(curve.amplitude); w.append(curve.omega)
        }
        func halfWidth(_ v: [Double]) -> Double {
            let s = v.sorted()
            func q(_ p: Double) -> Double {
                let x = p * Double(s.count - 1), k = Int(x)
                return k + 1 < s.count ? s[k] + (x - Double(k)) * (s[k + 1] - s[k]) : s[k]
            }
            return (q(0.8413) - q(0.1587)) / 2
        }
        return (halfWidth(c), halfWidth(a), halfWidth(w))
    }

    /// θ_∞ + a N^(−ω): the fitted curve at size N.
    public func value(atNeurons n: Double) -> Double { mean + amplitude * pow(n, -omega) }
}
