import Foundation
import HopfieldKit
import HopfieldKitTestSupport
import XCTest

/// Residuals re-checked independently (issue 13) for the 1RSB solvers and the multitasking
/// equations: the Gaussian averages redone by GSL's adaptive QAGI (nested for the two 1RSB levels)
/// instead of the solvers' fixed panel rules, the exact multitasking average by a direct
/// enumeration written here.
final class OneStepVerificationTests: XCTestCase {
    static let measure = try! GaussianMeasure()

    /// Relative tolerance 10⁻¹¹: nested integrands of the 1RSB averages do not reach GSL's 10⁻¹³
    /// through rounding; the checks below are at 10⁻⁸–10⁻⁹.
    func qagi(kink: Double = 0, tolerance: Double = 1e-11, _ f: @escaping (Double) -> Double) throws -> Double {
        if let v = GaussianMeasure.adaptiveAverage(kink: kink, relativeTolerance: tolerance, f) { return v }
        // The nested outer integrand carries the inner averages' rounding: one decade looser.
        return try XCTUnwrap(GaussianMeasure.adaptiveAverage(kink: kink, relativeTolerance: 10 * tolerance, f),
                             "QAGI at relative tolerance \(10 * tolerance)")
    }

    /// cosh^x u relative to cosh^x at `shift`, as exp of the exponent; 0 where the exponent passes
    /// 700, which happens only at |z| ≳ 700/(xβσ₁), where the Gaussian weight e^{−z²/2} makes the
    /// true contribution vanish anyway (QAGI's map of the infinite range samples such z).
    static func coshPower(_ u: Double, x: Double, shift: Double) -> Double {
        let e = x * (abs(u) + log1p(exp(-2 * abs(u))) - shift)
        return e > 700 ? 0 : exp(e)
    }

    /// The 1RSB inner average ⟨g⟩(z₀) = E_z₁[cosh^x βh · g(βh)] / E_z₁[cosh^x βh], h = a + σ₁z₁.
    func inner(_ a: Double, sigma1: Double, beta: Double, x: Double, _ g: @escaping (Double) -> Double) throws -> Double {
        // QAGI's map of the outer range samples z₀ up to ~10³⁰⁶, where e^{−z₀²/2} = 0: the limit g(±∞).
        if !(abs(a) < 1e6) { return g(a * .infinity) }
        let shift = abs(beta * a)
        // Split at the kink of tanh only inside the Gaussian bulk: split far out, QAGIL's map of
        // (−∞, kink] can miss the bulk at z ≈ 0 altogether and return 0.
        let kink = sigma1 > 0 && abs(a / sigma1) < 8 ? -a / sigma1 : 0
        func average(_ f: @escaping (Double) -> Double) throws -> Double {
            // Far in the tails of z₀ the inner integrand is a narrow peak: 10⁻¹⁰ is what GSL reaches there.
            if let v = GaussianMeasure.adaptiveAverage(kink: kink, relativeTolerance: 1e-11, f) { return v }
            return try XCTUnwrap(GaussianMeasure.adaptiveAverage(kink: kink, relativeTolerance: 1e-10, f), "inner average at a = \(a)")
        }
        let numerator = try average { z in let u = beta * (a + sigma1 * z); return Self.coshPower(u, x: x, shift: shift) * g(u) }
        let denominator = try average { z in Self.coshPower(beta * (a + sigma1 * z), x: x, shift: shift) }
        return numerator / denominator
    }

    /// The nested averages themselves (``OneStepAverages/finite(signal:sigma0:sigma1:beta:x:)``: panel
    /// rules, libmvec's expm1, log1p and exp) against nested QAGI, from smooth (βσ₁ = 1) to sharp
    /// (βσ₁ = 50) inner integrands, x from 0.05 to 1, a signal inside and outside the outer bulk.
    func testNestedAveragesMatchAdaptiveQuadrature() throws {
        // The last two: the replica weight's own scale 1/(xβ) far below σ₁ (xβσ₁ = 7.5, 10).
        for (signal, sigma0, sigma1, beta, x) in [(0.9, 0.3, 0.2, 5.0, 0.5), (0.3, 0.5, 0.1, 20.0, 0.9),
                                                  (0.0, 0.4, 1.0, 50.0, 0.05), (1.2, 0.05, 0.4, 2.5, 1.0),
                                                  (0.9, 0.3, 0.3, 50.0, 0.5), (0.6, 0.3, 0.2, 100.0, 0.5)] {
            let a = OneStepAverages.finite(signal: signal, sigma0: sigma0, sigma1: sigma1, beta: beta, x: x)
            let kink = -signal / sigma0
            func outer(_ g: @escaping (Double) -> Double) throws -> Double {
                try qagi(kink: kink, tolerance: 1e-9) { z0 in g(signal + sigma0 * z0) }
            }
            let m = try outer { h in (try? self.inner(h, sigma1: sigma1, beta: beta, x: x, tanh)) ?? .nan }
            let q1 = try outer { h in (try? self.inner(h, sigma1: sigma1, beta: beta, x: x) { pow(tanh($0), 2) }) ?? .nan }
            let q0 = try outer { h in
                let t = (try? self.inner(h, sigma1: sigma1, beta: beta, x: x, tanh)) ?? .nan
                return t * t
            }
            // ψ = E_z₀ ln E_z₁ (2cosh βh)^x = E_z₀ [x|βh₀| + ln E_z₁ e^{x(ln 2cosh βh − |βh₀|)}], h₀ = s + σ₀z₀.
            let psi = try outer { h in
                let shift = abs(beta * h)
                guard abs(h) < 1e6, let e = GaussianMeasure.adaptiveAverage(kink: abs(h / sigma1) < 8 ? -h / sigma1 : 0, relativeTolerance: 1e-11, { z in
                    Self.coshPower(beta * (h + sigma1 * z), x: x, shift: shift)
                }) else { return .nan }
                return x * shift + log(e)
            }
            let label = "s = \(signal), σ₀ = \(sigma0), σ₁ = \(sigma1), β = \(beta), x = \(x)"
            XCTAssertEqual(a.tanh, m, accuracy: 1e-9, label)
            XCTAssertEqual(a.tanh2, q1, accuracy: 1e-9, label)
            XCTAssertEqual(a.tanhSq, q0, accuracy: 1e-9, label)
            XCTAssertEqual(a.psi, psi, accuracy: 1e-9 * max(1, abs(psi)), label)
        }
    }

    /// The T = 0 averages (``OneStepAverages/zero(signal:sigma0:sigma1:mu:)``) against QAGI over z₀ of
    /// the closed forms (S/Z, (S/Z)², 2φ(a/b)/(bZ), ln Z, with ln Φ from erfc): where μσ₁ ≪ 1 the
    /// outer integrands change within σ₁ of a = 0 (S/Z → 2Φ(a/b) − 1, the C₁ density has width σ₁),
    /// and where μσ₁ ≫ 1 within 1/μ (S/Z → tanh μa); the outer rule must resolve the smaller.
    func testZeroTemperatureAveragesMatchAdaptiveQuadrature() throws {
        for (signal, sigma0, b, mu) in [(0.99, 0.33, 0.03, 3.0), (0.9, 0.3, 0.01, 1.0), (0.5, 0.4, 0.3, 50.0), (0.2, 0.5, 0.2, 5.0)] {
            let z = OneStepAverages.zero(signal: signal, sigma0: sigma0, sigma1: b, mu: mu)
            func closed(_ a: Double) -> (ratio: Double, c1: Double, lnZ: Double) { ZeroTemperatureClosedForms.inner(a, b: b, mu: mu) }
            let kink = -signal / sigma0
            let m = try qagi(kink: kink) { closed(signal + sigma0 * $0).ratio }
            let q0 = try qagi(kink: kink) { pow(closed(signal + sigma0 * $0).ratio, 2) }
            let c1 = try qagi(kink: kink) { closed(signal + sigma0 * $0).c1 }
            let lnZ = try qagi(kink: kink) { closed(signal + sigma0 * $0).lnZ }
            let label = "s = \(signal), σ₀ = \(sigma0), σ₁ = \(b), μ = \(mu)"
            XCTAssertEqual(z.tanh, m, accuracy: 1e-10, label)
            XCTAssertEqual(z.tanhSq, q0, accuracy: 1e-10, label)
            XCTAssertEqual(z.c1, c1, accuracy: 1e-10 * max(1, c1), label)
            XCTAssertEqual(z.lnZ, lnZ, accuracy: 1e-10 * max(1, abs(lnZ)), label)
        }
    }

    /// Classical 1RSB (AGS variables) at finite T, retrieval near capacity and the spin glass:
    /// m = E_z₀⟨tanh⟩, q₁ = E_z₀⟨tanh²⟩, q₀ = E_z₀⟨tanh⟩², h = m + √(αr₀) z₀ + √(α(r₁ − r₀)) z₁,
    /// r₀ = q₀/D₀², r₁ = r₀ + (1/βx)(1/D₀ − 1/D₁), D₁ = 1 − β(1 − q₁), D₀ = D₁ − βx(q₁ − q₀).
    func testClassicalOneStepResidualsByNestedAdaptiveQuadrature() throws {
        var checked = 0
        for (alpha, t, branch) in [(0.138, 0.02, ReplicaSymmetricSolution.Branch.retrieval), (0.137, 0.01, .retrieval),
                                   (0.05, 0.2, .spinGlass), (0.1, 0.5, .spinGlass)] {
            let s = try XCTUnwrap(ClassicalOneStepRSB(alpha: alpha, temperature: t).solve(branch: branch, measure: Self.measure))
            guard s.converged, !s.reducesToReplicaSymmetry, let x = s.x, let r0 = s.r0, let r1 = s.r1 else {
                XCTFail("α = \(alpha), T = \(t), \(branch): no broken 1RSB state to check"); continue
            }
            let beta = 1 / t
            let d1 = 1 - beta * (1 - s.q1), d0 = d1 - beta * x * (s.q1 - s.q0)
            XCTAssertEqual(r0, s.q0 / (d0 * d0), accuracy: 1e-10 * max(1, r0))
            XCTAssertEqual(r1, r0 + (1 / (beta * x)) * (1 / d0 - 1 / d1), accuracy: 1e-10 * max(1, r1))
            let sigma0 = (alpha * r0).squareRoot(), sigma1 = (alpha * (r1 - r0)).squareRoot()
            // The order parameter m is the solver's unknown (the archetype overlap, here the field's signal).
            let signal = branch == .retrieval ? s.m : 0
            let kink0 = sigma0 > 0 ? -signal / sigma0 : 0
            // The outer integrand carries the inner rule's ~10⁻¹¹ noise: outer tolerance 10⁻⁹.
            let m = try qagi(kink: kink0, tolerance: 1e-9) { z0 in (try? self.inner(signal + sigma0 * z0, sigma1: sigma1, beta: beta, x: x, tanh)) ?? .nan }
            let q1 = try qagi(kink: kink0, tolerance: 1e-9) { z0 in (try? self.inner(signal + sigma0 * z0, sigma1: sigma1, beta: beta, x: x) { pow(tanh($0), 2) }) ?? .nan }
            let q0 = try qagi(kink: kink0, tolerance: 1e-9) { z0 in
                let a = (try? self.inner(signal + sigma0 * z0, sigma1: sigma1, beta: beta, x: x, tanh)) ?? .nan
                return a * a
            }
            XCTAssertEqual(s.m, m, accuracy: 1e-8, "α = \(alpha), T = \(t), \(branch): m")
            XCTAssertEqual(s.q1, q1, accuracy: 1e-8, "α = \(alpha), T = \(t), \(branch): q₁")
            XCTAssertEqual(s.q0, q0, accuracy: 1e-8, "α = \(alpha), T = \(t), \(branch): q₀")
            checked += 1
        }
        XCTAssertEqual(checked, 4)
    }

    /// Dense P = 3 1RSB glass (q₀ = 0): q₁ = ⟨tanh²⟩ with σ₁² = α q₁²/2, and ∂f/∂x = 0, f by QAGI:
    /// f = −(βαw/2P!)[1 + (x−1)q₁^P] + (βαwP/2P!)[(x−1)q₁^P + q₁^{P−1}] − (1/βx) ln E_z(2cosh βσ₁z)^x.
    func testDenseOneStepGlassByAdaptiveQuadrature() throws {
        for (alpha, t) in [(0.03, 0.02), (0.1, 0.08), (0.13, 0.05), (0.03, 0.06)] {
            let s = try XCTUnwrap(DenseOneStepRSB(order: 3, alpha: alpha, temperature: t, measure: Self.measure)
                .solve(branch: .spinGlass, measure: Self.measure))
            guard s.converged, !s.reducesToReplicaSymmetry, let x = s.x else { XCTFail("α = \(alpha), T = \(t): no 1RSB glass"); continue }
            let beta = 1 / t, sigma1 = (alpha * s.q1 * s.q1 / 2).squareRoot()
            XCTAssertEqual(s.q1, try inner(0, sigma1: sigma1, beta: beta, x: x) { pow(tanh($0), 2) }, accuracy: 1e-9, "α = \(alpha), T = \(t)")
            func f(_ x: Double) throws -> Double {
                let p = 3.0, c = alpha / 6
                // ln E(2cosh u)^x = ln E exp(x ln 2cosh u), taken relative to exp(x ln 2) = value at u = 0.
                let lnZ = x * log(2) + log(try qagi { z in Self.coshPower(beta * sigma1 * z, x: x, shift: log(2)) })
                return -beta * c / 2 * (1 + (x - 1) * pow(s.q1, p)) + beta * c * p / 2 * ((x - 1) * pow(s.q1, p) + pow(s.q1, p - 1)) - lnZ / (beta * x)
            }
            XCTAssertEqual(s.freeEnergy, try f(x), accuracy: 1e-9, "α = \(alpha), T = \(t): f")
            let h = 1e-3 * x
            let slope = (try f(x + h) - f(x - h)) / (2 * h), scale = abs(try f(0.5 * x) - f(x)) / (0.5 * x)
            XCTAssertLessThan(abs(slope), 1e-3 * scale, "α = \(alpha), T = \(t): ∂f/∂x")
        }
    }

    /// Just below T_s (T = 0.6 J, J² = 2α/P!) the glass's fixed-x q₁ equation has a small unstable
    /// root beside the stable one; following it gave "no root of ∂f/∂x" and the paramagnet. The
    /// 1RSB glass there, from an independent Python solver (Gardner's P-spin 1RSB, q₀ = 0):
    /// q₁ = 0.844726, x = 0.890250, f/J = −0.830407; its f lies above the paramagnet's.
    func testDenseGlassJustBelowTheStaticTransition() throws {
        let alpha = 0.03, j = (2 * alpha / 6).squareRoot()
        let s = try XCTUnwrap(DenseOneStepRSB(order: 3, alpha: alpha, temperature: 0.6 * j, measure: Self.measure)
            .solve(branch: .spinGlass, measure: Self.measure))
        XCTAssertTrue(s.converged && !s.reducesToReplicaSymmetry, s.method)
        XCTAssertEqual(s.q1, 0.844726, accuracy: 2e-6)
        XCTAssertEqual(try XCTUnwrap(s.x), 0.890250, accuracy: 2e-6)
        XCTAssertEqual(s.freeEnergy / j, -0.830407, accuracy: 2e-6)
        let paramagnet = -0.6 * j * log(2) - j * j / (4 * 0.6 * j)
        XCTAssertGreaterThan(s.freeEnergy, paramagnet)
        // T/J = 0.6155 (α = 0.1408, T = 0.13333333): the stable branch exists only for x ≳ 0.8 and
        // the scan's grid meets it past the optimum; the independent solver gives q₁ = 0.835864,
        // x = 0.921673, f = −0.1801996 (the scan used to end in "no root").
        let late = try XCTUnwrap(DenseOneStepRSB(order: 3, alpha: 0.1408, temperature: 0.13333333, measure: Self.measure)
            .solve(branch: .spinGlass, measure: Self.measure))
        XCTAssertTrue(late.converged, late.method)
        XCTAssertEqual(late.q1, 0.835864, accuracy: 2e-6)
        XCTAssertEqual(try XCTUnwrap(late.x), 0.921673, accuracy: 2e-6)
        XCTAssertEqual(late.freeEnergy, -0.1801996, accuracy: 2e-7)
    }

    /// High-storage multitasking (diluted patterns, ClassicalReplicaSymmetric with d > 0):
    /// m = (1 − d) E tanh β(m + σz), q = (1 − d) E tanh² β(m + σz) + d E tanh² βσz,
    /// r = v² q/(1 − vC)², v = 1 − d, C = β(1 − q), σ = √(αr).
    func testDilutedHighStorageResidualsByAdaptiveQuadrature() throws {
        var checked = 0
        for d in [0.1, 0.3] {
            for (alpha, t) in TheoryVerificationTests.points(5, alpha: 0.01...0.1, temperature: 0.05...0.8) {
                for s in ClassicalReplicaSymmetric(alpha: alpha, temperature: t, dilution: d, measure: Self.measure).solve() where s.converged {
                    let beta = 1 / t, v = 1 - d, sigma = (alpha * s.r).squareRoot()
                    let kink = sigma > 0 ? -s.m / sigma : 0
                    let m = (1 - d) * (try qagi(kink: kink) { tanh(beta * (s.m + sigma * $0)) })
                    let q = (1 - d) * (try qagi(kink: kink) { pow(tanh(beta * (s.m + sigma * $0)), 2) })
                        + d * (try qagi { pow(tanh(beta * sigma * $0), 2) })
                    let c = beta * (1 - s.q)
                    XCTAssertEqual(s.m, m, accuracy: 1e-9, "d = \(d), α = \(alpha), T = \(t), \(s.branch)")
                    XCTAssertEqual(s.q, q, accuracy: 1e-9, "d = \(d), α = \(alpha), T = \(t), \(s.branch)")
                    XCTAssertEqual(s.r, v * v * s.q / pow(1 - v * c, 2), accuracy: 1e-9 * max(1, s.r))
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 10)
    }

    /// Low-storage multitasking: m_μ = E_ξ[ξ^μ tanh β(ξ·m)] over the 3^K values of ξ with
    /// P(0) = d, P(±1) = (1 − d)/2, enumerated here (not by the solver's tables), for every
    /// converged branch; and f = ½|m|² − (1/β) E ln 2cosh β(ξ·m).
    func testLowStorageMultitaskingByDirectEnumeration() throws {
        var checked = 0
        for (k, d, t) in [(2, 0.3, 0.1), (3, 0.3, 0.2), (3, 0.5, 0.05), (4, 0.2, 0.3)] {
            let beta = 1 / t
            var configurations: [(xi: [Double], weight: Double)] = [([], 1)]
            for _ in 0..<k {
                configurations = configurations.flatMap { c in
                    [(-1.0, (1 - d) / 2), (0.0, d), (1.0, (1 - d) / 2)].map { (c.xi + [$0.0], c.weight * $0.1) }
                }
            }
            for s in try MultitaskingLowStorage(patterns: k, dilution: d, temperature: t).solveBranches() where s.converged {
                var rhs = [Double](repeating: 0, count: k), lnCosh = 0.0
                for (xi, w) in configurations {
                    let h = zip(xi, s.m).reduce(0) { $0 + $1.0 * $1.1 }
                    for mu in 0..<k { rhs[mu] += w * xi[mu] * tanh(beta * h) }
                    lnCosh += w * (abs(beta * h) + log1p(exp(-2 * abs(beta * h))))
                }
                for mu in 0..<k { XCTAssertEqual(s.m[mu], rhs[mu], accuracy: 1e-10, "K = \(k), d = \(d), T = \(t), \(s.branch), μ = \(mu)") }
                let f = 0.5 * s.m.reduce(0) { $0 + $1 * $1 } - lnCosh / beta
                XCTAssertEqual(s.freeEnergy, f, accuracy: 1e-10, "K = \(k), d = \(d), T = \(t), \(s.branch)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 8)
    }
}
