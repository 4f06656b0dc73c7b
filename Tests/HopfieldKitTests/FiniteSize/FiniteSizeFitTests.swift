import Foundation
import XCTest
import HopfieldKit

/// The finite-size fit on synthetic data of known law and noise, and a finite-size study of the
/// Curie–Weiss limit against its exact mean-field magnetisation.
final class FiniteSizeFitTests: XCTestCase {
    /// Synthetic studies: per-sample values θ_∞ + a N^(−ω) + g/√N (g standard normal, so the
    /// sample-to-sample variance ∝ 1/N as for a self-averaging observable), S_N = 8·4000/N samples
    /// at N = 250 … 4000.
    static let truth = (mean: 0.9, amplitude: -0.8, omega: 0.5)
    static let sizes = [250, 500, 1000, 2000, 4000]

    static func synthetic(_ set: Int) -> [SizeSamples] {
        var rng = StreamKey(seed: 2026, point: UInt64(set), sample: 0, purpose: .patterns).generator()
        func gaussian() -> Double {
            let u = max(Double(rng.next() >> 11) / Double(1 << 53), 1e-300), v = Double(rng.next() >> 11) / Double(1 << 53)
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        return sizes.map { n in
            let s = 8 * 4000 / n
            let centre = truth.mean + truth.amplitude * pow(Double(n), -truth.omega)
            return SizeSamples(neurons: n, values: (0..<s).map { _ in [centre + gaussian() / Double(n).squareRoot()] })
        }
    }

    /// Over 400 synthetic sets, |θ̂_∞ − θ_∞| ≤ error in a fraction of sets compatible with 68.3 %
    /// (binomial sd √(0.683·0.317/400) = 0.023; accepted within 3 sd), for ω fixed at its true
    /// value and for ω fitted; the estimates are centred on the truth (median within 3 standard errors), and
    /// the mean χ² matches its degrees of freedom.
    func testCoverageAndRecovery() {
        let sets = 400
        for omega in [Self.truth.omega, nil] as [Double?] {
            var covered = 0, means: [Double] = [], amplitudes: [Double] = [], omegas: [Double] = [], chi2: [Double] = []
            var errors: [Double] = []
            for k in 0..<sets {
                let fit = FiniteSizeExtrapolation.fit(Self.synthetic(k), estimator: .mean("x"), omega: omega)!
                if abs(fit.mean - Self.truth.mean) <= fit.error { covered += 1 }
                means.append(fit.mean); amplitudes.append(fit.amplitude); omegas.append(fit.omega)
                chi2.append(fit.chi2); errors.append(fit.error)
            }
            let label = omega == nil ? "ω fitted" : "ω fixed"
            let coverage = Double(covered) / Double(sets)
            let sd = (0.683 * 0.317 / Double(sets)).squareRoot()
            print("FiniteSizeFitTests: \(label): coverage \(coverage) over \(sets) sets, median error \(errors.sorted()[sets / 2])")
            XCTAssertEqual(coverage, 0.683, accuracy: 3 * sd, "\(label): coverage of the stated error")
            // The fit is nonlinear in ω: its estimates have heavy tails when the data barely
            // determine ω, so they are located by their median, whose standard error is
            // 1.2533·σ/√n with σ from the interquartile range (IQR/1.349).
            func check(_ values: [Double], _ truth: Double, _ name: String) {
                let v = values.sorted(), n = v.count
                let median = (v[n / 2 - 1] + v[n / 2]) / 2
                let sigma = (v[3 * n / 4] - v[n / 4]) / 1.349
                XCTAssertEqual(median, truth, accuracy: 3 * 1.2533 * sigma / Double(n).squareRoot() + 1e-12, "\(label): median of \(name)")
            }
            check(means, Self.truth.mean, "θ_∞")
            check(amplitudes, Self.truth.amplitude, "a")
            if omega == nil { check(omegas, Self.truth.omega, "ω") }
            // χ² of 5 sizes: 3 (ω fixed) or 2 (ω fitted) degrees of freedom; its sd is √(2 dof).
            let dof = omega == nil ? 2.0 : 3.0
            XCTAssertEqual(chi2.reduce(0, +) / Double(sets), dof, accuracy: 3 * (2 * dof / Double(sets)).squareRoot() + 0.1,
                           "\(label): mean χ²")
        }
    }

    /// A fixed-ω fit of exact data returns the law itself, with zero χ².
    func testExactDataAreFittedExactly() {
        let sizes = Self.sizes.map { n in
            let v = 0.5 + 2 * pow(Double(n), -1)
            return SizeSamples(neurons: n, values: [[v + 1e-3], [v - 1e-3]])
        }
        let fit = FiniteSizeExtrapolation.fit(sizes, estimator: .mean("x"), omega: 1)!
        XCTAssertEqual(fit.mean, 0.5, accuracy: 1e-12)
        XCTAssertEqual(fit.amplitude, 2, accuracy: 1e-9)
        XCTAssertLessThan(fit.chi2, 1e-12)
        let fitted = FiniteSizeExtrapolation.fit(sizes, estimator: .mean("x"), omega: nil)!
        XCTAssertEqual(fitted.omega, 1, accuracy: 1e-5)
        XCTAssertEqual(fitted.mean, 0.5, accuracy: 1e-8)
    }

    /// The Binder cumulant's jackknife: Gaussian q (g = 0) and q = ±q₀ (g = 1) exactly.
    func testBinderCumulantLimits() {
        let ordered = SizeSamples(neurons: 10, values: [[0.25, 0.0625], [0.25, 0.0625], [0.25, 0.0625]])
        XCTAssertEqual(SampleEstimator.binder.jackknife(ordered).value, 1, accuracy: 1e-14)
        let gaussian = SizeSamples(neurons: 10, values: [[0.01, 3e-4], [0.01, 3e-4]])
        XCTAssertEqual(SampleEstimator.binder.jackknife(gaussian).value, 0, accuracy: 1e-12)
    }

    /// `fss` on the Curie–Weiss limit (P = 1, T = 0.6, heat bath from the pattern): |m| at
    /// N = 100 … 800 extrapolates (1/N corrections, ω = 1) to the exact mean-field m = tanh(m/T)
    /// within 3 of its jackknife errors, and the per-size values approach it from below.
    func testCurieWeissExtrapolatesToMeanField() throws {
        var template = MonteCarloParameters(neurons: 100, patterns: 1, temperature: 0.6, thermalization: 100, sweeps: 400,
                                            samples: 1, replicas: 1, seed: 31)
        template.family = .classical
        let study = FiniteSizeStudy(template: template, alpha: nil, patterns: 1, neurons: [100, 200, 400, 800], samples: 8)
        let samples = try FiniteSizeRun.run(study, store: nil, threads: 2)
        XCTAssertEqual(samples.count, 64 + 32 + 16 + 8)
        let exact = try XCTUnwrap(CurieWeiss.magnetisation(temperature: 0.6))
        let analysis = FiniteSizeAnalysis.analyse(study, samples: samples, omega: .fixed(1), theory: ["m_abs": exact])
        let m = try XCTUnwrap(analysis.observables.first { $0.observable == "m_abs" })
        let e = try XCTUnwrap(m.extrapolated)
        XCTAssertLessThan(abs(e.mean - exact), 3 * e.error, "m_∞ = \(e.mean) ± \(e.error) against \(exact)")
        XCTAssertGreaterThan(e.error, 0)
        XCTAssertLessThan(e.error, 0.01)
        // Finite N lowers |m| (fluctuations about the mean-field value): the smallest size is below m*.
        XCTAssertLessThan(m.sizes[0].mean, exact)
    }

    /// Crossings of two sizes: curves θ_N(x) = (x_c − x)·N^{1/3} + noise (so D(x) is a straight line
    /// through x_c), 32 samples per (x, N). Sample s is the same realisation at every x, as in a
    /// study: its noise is a part shared by every x (sd 0.5) plus an independent part (sd 0.3), so
    /// the values at different x are correlated. Over 300 sets the crossing is unbiased and its
    /// jackknife error (deleting sample s at every x at once) covers x_c in 68 % of sets (within 3
    /// binomial sd).
    func testCrossingCoverage() throws {
        let xc = 1.2, x = [1.0, 1.1, 1.3, 1.4], sets = 300
        var covered = 0, values: [Double] = []
        for k in 0..<sets {
            var rng = StreamKey(seed: 7, point: UInt64(k), sample: 1, purpose: .patterns).generator()
            func gaussian() -> Double {
                let u = max(Double(rng.next() >> 11) / Double(1 << 53), 1e-300), v = Double(rng.next() >> 11) / Double(1 << 53)
                return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
            }
            func curve(_ n: Int) -> [SizeSamples] {
                let shared = (0..<32).map { _ in 0.5 * gaussian() }
                return x.map { t in SizeSamples(neurons: n, values: shared.map { [(xc - t) * pow(Double(n), 1.0 / 3) + $0 + 0.3 * gaussian()] }) }
            }
            let c = try XCTUnwrap(SizeCrossing.find(x: x, small: curve(1000), large: curve(8000)))
            if abs(c.value - xc) <= c.error { covered += 1 }
            values.append(c.value)
        }
        let coverage = Double(covered) / Double(sets)
        print("FiniteSizeFitTests: crossing coverage \(coverage) over \(sets) sets")
        XCTAssertEqual(coverage, 0.683, accuracy: 3 * (0.683 * 0.317 / Double(sets)).squareRoot())
        let mean = values.reduce(0, +) / Double(sets)
        let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(sets - 1)).squareRoot()
        XCTAssertEqual(mean, xc, accuracy: 3 * sd / Double(sets).squareRoot())
        // Curves that do not cross in the range give no crossing.
        let parallel = x.map { _ in SizeSamples(neurons: 10, values: [[1], [1.1]]) }
        let above = x.map { _ in SizeSamples(neurons: 20, values: [[2], [2.1]]) }
        XCTAssertNil(SizeCrossing.find(x: x, small: parallel, large: above))
    }
}
