import Foundation

/// How the correction exponent ω of θ(N) = θ_∞ + a N^(−ω) is set.
public enum OmegaChoice: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Given by the user (1: analytic 1/N corrections; 0.5: O(N^-1/2) near transitions).
    case fixed(Double)
    /// Fitted with θ_∞ and a (needs ≥ 4 sizes for a degree of freedom).
    case fitted
    /// Fitted where ≥ 4 sizes allow it, and the form with the smaller AIC (ω fitted, or 1/N) chosen.
    case automatic

    public var description: String {
        switch self {
        case .fixed(let w): "\(w)"
        case .fitted: "fit"
        case .automatic: "auto"
        }
    }
}

/// The extrapolation of every observable of a finite-size study (`hopsim fss`).
public struct FiniteSizeAnalysis: Sendable, Codable {
    /// θ at one size: the disorder average of `samples` samples and its jackknife error.
    public struct SizeValue: Sendable, Equatable, Codable {
        public var neurons: Int
        public var samples: Int
        public var mean: Double
        public var error: Double
    }

    public struct Observable: Sendable, Codable {
        public var observable: String
        public var sizes: [SizeValue]
        /// The chosen form, with the per-N values it was fitted to; nil when no form can be fitted.
        public var extrapolated: Extrapolated?
        /// Every form tried (the chosen one among them).
        public var fits: [FiniteSizeExtrapolation]
        /// The N = ∞ theory value, where one was given, and (θ_∞ − theory)/error.
        public var theory: Double?
        public var z: Double?
        /// Reasons not to trust the extrapolation (few sizes, bad χ², unstable when the smallest size
        /// is dropped, ω at its bound, zero error).
        public var warnings: [String]
        /// |θ_∞ without N₁ − θ_∞| in units of the error without N₁ (nil where it cannot be refitted).
        public var dropShift: Double?
    }

    /// The chosen fit, why it was chosen, and the per-N values.
    public struct Extrapolated: Sendable, Codable {
        public var mean: Double
        public var error: Double
        public var omega: Double
        public var omegaError: Double?
        public var chi2Dof: Double?
        public var pValue: Double?
        public var model: String
        public var choice: String
        public var amplitude: Double
        public var amplitudeError: Double
        public var sizes: [SizeValue]
        public var fit: FiniteSizeExtrapolation
    }

    public var study: FiniteSizeStudy
    public var omega: String
    public var observables: [Observable]

    /// The observables analysed: every recorded one present in all samples, in the order of
    /// ``MonteCarloObservables``, and the spin-glass Binder cumulant where q² and q⁴ are recorded.
    public static func estimators(_ samples: [FiniteSizeSample]) -> [SampleEstimator] {
        guard let first = samples.first else { return [] }
        let names = first.values.keys.filter { k in samples.allSatisfy { $0.values[k] != nil } }
        let order = ["m", "n", "m_abs", "m_max", "m_other", "m_other_max", "energy", "q", "q2", "q4", "r"]
        let sorted = names.sorted { a, b in
            let ia = order.firstIndex(of: a) ?? Int.max, ib = order.firstIndex(of: b) ?? Int.max
            return ia != ib ? ia < ib : a.localizedStandardCompare(b) == .orderedAscending
        }
        var list = sorted.map(SampleEstimator.mean)
        if names.contains("q2"), names.contains("q4") { list.append(.binder) }
        return list
    }

    /// Per-size sample values of `estimator`'s components.
    public static func sizeSamples(_ samples: [FiniteSizeSample], _ estimator: SampleEstimator) -> [SizeSamples] {
        Dictionary(grouping: samples, by: \.neurons).keys.sorted().map { n in
            let rows = samples.filter { $0.neurons == n }.sorted { $0.sample < $1.sample }
            return SizeSamples(neurons: n, values: rows.map { r in estimator.components.map { r.values[$0]! } })
        }
    }

    /// Analyses every observable: per-size values, the forms of `omega`, the chosen one, warnings,
    /// and z against `theory` (by observable name) where given.
    public static func analyse(_ study: FiniteSizeStudy, samples: [FiniteSizeSample], omega: OmegaChoice,
                               theory: [String: Double] = [:]) -> FiniteSizeAnalysis {
        let observables = estimators(samples).map { estimator in
            analyse(sizeSamples(samples, estimator), estimator: estimator, omega: omega, theory: theory[estimator.name])
        }
        return FiniteSizeAnalysis(study: study, omega: omega.description, observables: observables)
    }

    /// One quantity: see ``analyse(_:samples:omega:theory:)``.
    public static func analyse(_ sizes: [SizeSamples], estimator: SampleEstimator, omega: OmegaChoice,
                               theory: Double?) -> Observable {
        let values = sizes.map { s -> SizeValue in
            let j = estimator.jackknife(s)
            return SizeValue(neurons: s.neurons, samples: s.samples, mean: j.value, error: j.error)
        }
        var warnings: [String] = []
        var dropShift: Double?
        var fits: [FiniteSizeExtrapolation] = []
        var chosen: FiniteSizeExtrapolation?
        var choice = ""
        let inverse = FiniteSizeExtrapolation.fit(sizes, estimator: estimator, omega: 1, model: "inverse-size")
        switch omega {
        case .fixed(let w):
            chosen = w == 1 ? inverse : FiniteSizeExtrapolation.fit(sizes, estimator: estimator, omega: w)
            choice = "ω = \(w) fixed by the user"
            if w != 1, let inverse { fits.append(inverse) }
        case .fitted:
            chosen = FiniteSizeExtrapolation.fit(sizes, estimator: estimator, omega: nil)
            choice = "ω fitted, as asked"
            if let inverse { fits.append(inverse) }
        case .automatic:
            let power = sizes.count >= 4 ? FiniteSizeExtrapolation.fit(sizes, estimator: estimator, omega: nil) : nil
            if let power, let inverse {
                if power.omegaAtBound {
                    chosen = inverse
                    choice = String(format: "1/N: the fitted ω ran to the edge of [%g, %g]", FiniteSizeFitting.omegaRange.lowerBound, FiniteSizeFitting.omegaRange.upperBound)
                } else if power.aic < inverse.aic {
                    chosen = power
                    choice = String(format: "ω fitted: AIC %.2f against %.2f for 1/N", power.aic, inverse.aic)
                } else {
                    chosen = inverse
                    choice = String(format: "1/N: AIC %.2f against %.2f with ω fitted", inverse.aic, power.aic)
                }
                fits.append(chosen == power ? inverse : power)
            } else {
                chosen = inverse
                choice = "1/N: fewer than 4 sizes, ω cannot be fitted with a degree of freedom left"
            }
        }
        if let chosen { fits.insert(chosen, at: 0) }
        if sizes.contains(where: { $0.samples < 2 }) {
            warnings.append("a size with fewer than 2 samples has no error: nothing is extrapolated")
        }
        if let c = chosen {
            if c.dof == 0 {
                warnings.append("no degree of freedom left (\(sizes.count) sizes): the form cannot be tested against the data")
            }
            if let p = c.pValue, p < 0.01 {
                warnings.append(String(format: "χ²/dof = %.2f (p = %.2g): the form does not describe the data and the error is not reliable", c.chi2Dof ?? .nan, p))
            }
            if c.omegaAtBound { warnings.append("the fitted ω is at the edge of its range: the data do not determine it") }
            if c.error == 0 {
                warnings.append("zero error: every sample gives the same value at every size (a frozen state); no z can be given")
            }
            // Stability: the same form without the smallest size.
            if sizes.count > (c.omegaFitted ? 3 : 2) {
                let w: Double? = c.omegaFitted ? nil : c.omega
                if let dropped = FiniteSizeExtrapolation.fit(Array(sizes.dropFirst()), estimator: estimator, omega: w), dropped.error > 0 {
                    dropShift = abs(dropped.mean - c.mean) / dropped.error
                    if dropShift! > 2 {
                        warnings.append(String(format: "dropping N = %d moves the extrapolation to %.6g ± %.2g (%.1fσ): corrections beyond the fitted form; larger sizes needed (crossover not reached)",
                                               sizes[0].neurons, dropped.mean, dropped.error, dropShift!))
                    }
                }
            }
        }
        let extrapolated = chosen.map {
            Extrapolated(mean: $0.mean, error: $0.error, omega: $0.omega, omegaError: $0.omegaError, chi2Dof: $0.chi2Dof,
                         pValue: $0.pValue, model: $0.model, choice: choice, amplitude: $0.amplitude,
                         amplitudeError: $0.amplitudeError, sizes: values, fit: $0)
        }
        let z = theory.flatMap { t in chosen.flatMap { $0.error > 0 ? ($0.mean - t) / $0.error : nil } }
        return Observable(observable: estimator.name, sizes: values, extrapolated: extrapolated, fits: fits,
                          theory: theory, z: z, warnings: warnings, dropShift: dropShift)
    }
}
