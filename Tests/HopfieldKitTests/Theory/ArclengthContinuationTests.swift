import XCTest
import HopfieldKit

/// Pseudo-arclength branch following through folds (issue 13, item 3): each walk's fold is held
/// against an independent fold computation, every point's residual is re-evaluated, and the
/// stable/unstable labels must agree with the point's own Jacobian.
final class ArclengthContinuationTests: XCTestCase {
    let measure = try! GaussianMeasure()

    /// F(u; λ) = u² + λ − 1: a fold at (u, λ) = (0, 1). From u = −1, λ = 0 the walk must pass the
    /// fold (where ∂F/∂u = 0, so continuation in λ fails) and come back on u > 0 to λ = 0, u = 1.
    func testAnalyticFoldIsPassedAndLocated() {
        let walk = ArclengthContinuation.follow(from: [-1], at: 0, direction: 1, within: -0.5...2,
                                                settings: ArclengthSettings(parameterScale: 1, maxStep: 0.1, tolerance: 1e-13)) { u, l in
            [u[0] * u[0] + l - 1]
        }
        XCTAssertEqual(walk.folds.count, 1)
        let fold = walk.folds[0]
        XCTAssertEqual(fold.parameter, 1, accuracy: 1e-10)
        XCTAssertEqual(fold.unknowns[0], 0, accuracy: 1e-5)         // λ − 1 = −u², so u at the fold is O(√δλ)
        let last = walk.points.last!
        XCTAssertEqual(last.parameter, -0.5)
        XCTAssertEqual(last.unknowns[0], 1.5.squareRoot(), accuracy: 1e-10)
        XCTAssertTrue(walk.ending.hasPrefix("left the range"), walk.ending)
        for p in walk.points { XCTAssertLessThanOrEqual(abs(p.unknowns[0] * p.unknowns[0] + p.parameter - 1), 1e-13) }
        // Before the fold u < 0, after it u > 0: no jump across.
        for p in walk.points where !p.fold { XCTAssertEqual(p.unknowns[0] < 0, p.foldsPassed == 0, "u = \(p.unknowns[0])") }
    }

    /// The classical RS retrieval branch at T = 0 followed in α: its fold is AGS's capacity from the
    /// scaled T = 0 equation (``ClassicalCriticalLines/capacityAtZeroTemperature()``, 0.137905566),
    /// m falls monotonically on the stable member and keeps falling on the unstable one, and every
    /// point's stability (det J > 0) flips exactly at the fold.
    func testClassicalRetrievalBranchPassesTheZeroTemperatureCapacity() throws {
        let eq = ClassicalReplicaSymmetric(alpha: 0.12, temperature: 0, measure: measure)
        let (records, ending) = try XCTUnwrap(eq.followRetrieval(.alpha, within: 0.12...0.15, maxStep: 0.1))
        let folds = records.filter { $0.fold == true }
        XCTAssertEqual(folds.count, 1, ending)
        let capacity = ClassicalCriticalLines(measure: measure).capacityAtZeroTemperature()
        XCTAssertEqual(folds[0].alpha, capacity.alpha, accuracy: 1e-9)
        XCTAssertEqual(folds[0].m, try XCTUnwrap(capacity.m), accuracy: 1e-4)
        XCTAssertEqual(records.last?.alpha, 0.12)
        for (a, b) in zip(records, records.dropFirst()) { XCTAssertLessThan(b.m, a.m) }
        for r in records where r.fold != true {
            XCTAssertEqual(r.stable, r.foldsPassed == 0, "α = \(r.alpha), m = \(r.m)")
            let residual = ClassicalReplicaSymmetric(alpha: r.alpha, temperature: 0, measure: measure).residual(m: r.m, c: r.c)
            XCTAssertLessThanOrEqual(max(abs(residual.f1), abs(residual.f2)), 1e-11)
        }
        // The unstable member at α = 0.12 is the partner the point solver finds there.
        let partner = try XCTUnwrap(eq.solve(thorough: true).first { $0.branch == .retrieval && !$0.stable })
        XCTAssertEqual(records.last!.m, partner.m, accuracy: 1e-9)
    }

    /// Followed in T at α = 0.1, the branch folds at the spinodal T_M(0.1); followed in α at that T it
    /// must fold at α = 0.1: two walks in different directions meeting at the same point of the line.
    func testFoldsInAlphaAndTemperatureAgree() throws {
        let (inT, _) = try XCTUnwrap(ClassicalReplicaSymmetric(alpha: 0.1, temperature: 0.1, measure: measure)
            .followRetrieval(.temperature, within: 0.1...0.5, maxStep: 0.1))
        let tM = try XCTUnwrap(inT.first { $0.fold == true }).temperature
        let (inAlpha, _) = try XCTUnwrap(ClassicalReplicaSymmetric(alpha: 0.08, temperature: tM, measure: measure)
            .followRetrieval(.alpha, within: 0.08...0.12, maxStep: 0.1))
        XCTAssertEqual(try XCTUnwrap(inAlpha.first { $0.fold == true }).alpha, 0.1, accuracy: 1e-7)
        let line = try XCTUnwrap(ClassicalCriticalLines(measure: measure).spinodal(temperature: tM))
        XCTAssertEqual(line.alpha, 0.1, accuracy: 1e-7)
    }

    /// The dense P = 3 retrieval branch at T = 0.05: its first fold is the spinodal of
    /// ``DenseCriticalLines`` (F = 0, det J = 0 solved directly).
    func testDenseFoldIsTheSpinodal() throws {
        let eq = DenseReplicaSymmetric(order: 3, alpha: 0.05, temperature: 0.05, measure: measure)
        let (records, ending) = try XCTUnwrap(eq.followRetrieval(.alpha, within: 0.05...0.2, maxStep: 0.1))
        let fold = try XCTUnwrap(records.first { $0.fold == true }, ending)
        let spinodal = try XCTUnwrap(DenseCriticalLines(order: 3, measure: measure).spinodal(temperature: 0.05))
        XCTAssertEqual(fold.alpha, spinodal.alpha, accuracy: 1e-7)
        for r in records.prefix(while: { $0.fold != true }) { XCTAssertTrue(r.stable, "α = \(r.alpha)") }
    }

    /// The T = 0 1RSB retrieval branch followed in α with μ as an unknown: the fold is the 1RSB
    /// capacity found independently by halving continuation (``ClassicalOneStepRSB/zeroTemperatureCapacity``,
    /// Steffan & Kühn's 0.138186), m falls monotonically through the fold, and the unstable member at
    /// α = 0.13797 is the state (m ≈ 0.962) onto which warm-started bracket searches used to jump.
    func testOneStepZeroTemperatureBranchFoldsAtTheCapacity() throws {
        let (records, ending) = try XCTUnwrap(ClassicalOneStepRSB(alpha: 0.1378, temperature: 0)
            .followZeroTemperatureRetrieval(within: 0.1378...0.1383, maxStep: 0.1, measure: measure))
        let folds = records.filter { $0.fold == true }
        XCTAssertEqual(folds.count, 1, ending)
        XCTAssertEqual(folds[0].alpha, 0.138186, accuracy: 2e-6)
        let capacity = try XCTUnwrap(ClassicalOneStepRSB.zeroTemperatureCapacity(measure: measure))
        XCTAssertEqual(folds[0].alpha, capacity.alpha, accuracy: 1e-6)
        XCTAssertEqual(folds[0].m, capacity.m, accuracy: 1e-3)
        for (a, b) in zip(records, records.dropFirst()) { XCTAssertLessThan(b.m, a.m) }
        for r in records { XCTAssertTrue(r.converged && !r.reducesToReplicaSymmetry, "α = \(r.alpha)") }
        let stable = try XCTUnwrap(records.filter { $0.member == "stable" }.min { abs($0.alpha - 0.13797) < abs($1.alpha - 0.13797) })
        let unstable = try XCTUnwrap(records.filter { $0.member == "unstable" }.min { abs($0.alpha - 0.13797) < abs($1.alpha - 0.13797) })
        XCTAssertGreaterThan(stable.m, 0.970)
        XCTAssertLessThan(unstable.m, 0.963)
    }
}

/// The dense spinodal line followed along T (the fold F = 0, det J = 0 continued from the previous
/// temperature) must be the fold each temperature's own bracketed solve finds, through the part of
/// the line where α_M(T) turns back (T ≈ 0.16 at P = 3).
final class FollowedSpinodalTests: XCTestCase {
    func testFollowedSpinodalIsEachTemperaturesFold() throws {
        let measure = try GaussianMeasure()
        let lines = DenseCriticalLines(order: 3, measure: measure)
        let temperatures = [0.0, 0.06, 0.12, 0.18, 0.24]
        let followed = lines.lines(temperatures: temperatures, threads: 2).filter { $0.line == .spinodal }
        XCTAssertEqual(followed.count, temperatures.count)
        for (k, point) in followed.enumerated() {
            XCTAssertEqual(point.temperature, temperatures[k])
            XCTAssertTrue(point.converged, point.method)
            if k > 0 { XCTAssertTrue(point.method.contains("followed"), point.method) }
            let own = try XCTUnwrap(lines.spinodal(temperature: temperatures[k]))
            XCTAssertEqual(point.alpha, own.alpha, accuracy: 1e-8 * own.alpha, "T = \(temperatures[k])")
        }
    }
}

/// Points the old solvers missed or mislabelled (issue 13, items 4 and 5), each held against an
/// independent walk or limit.
final class BranchFollowingPointTests: XCTestCase {
    let measure = try! GaussianMeasure()

    /// Between the RS (0.137906) and the 1RSB (0.138186) capacity, at T = 10⁻⁴, a single point has
    /// an answer, and it joins the T = 0 solution (m equal to 10⁻⁶, x = μT to 1%).
    func testLowTemperatureBeyondTheRSCapacityJoinsZeroTemperature() throws {
        let zero = try XCTUnwrap(OneStepGrid.solve(family: .classical, alphas: [0.1381], temperatures: [0], branch: .retrieval,
                                                   measure: measure)?.first ?? nil)
        let low = try XCTUnwrap(OneStepGrid.solve(family: .classical, alphas: [0.1381], temperatures: [1e-4], branch: .retrieval,
                                                  measure: measure)?.first ?? nil)
        XCTAssertTrue(zero.converged && low.converged, low.method)
        XCTAssertEqual(low.m, zero.m, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(low.x), try XCTUnwrap(zero.mu) * 1e-4, accuracy: 0.01 * zero.mu! * 1e-4)
    }

    /// At T = 0.01 the finite-T 1RSB retrieval branch, followed with x an unknown, folds at
    /// α = 0.1381967 (a long walk from α = 0.1372 through the fold and back gives the same to 10⁻⁸):
    /// beyond the RS fold at this T (0.1380990, ``ClassicalReplicaSymmetric/followRetrieval``), as at T = 0.
    func testFiniteTemperatureOneStepFold() throws {
        let start = try XCTUnwrap(ClassicalOneStepRSB(alpha: 0.1378, temperature: 0.01).solve(branch: .retrieval, measure: measure))
        XCTAssertTrue(start.converged && !start.reducesToReplicaSymmetry, start.method)
        let (records, ending) = try XCTUnwrap(ClassicalOneStepRSB(alpha: 0.1378, temperature: 0.01)
            .followFiniteTemperatureRetrieval(from: start, within: 0.1378...0.1383, maxStep: 0.2, stopAtFirstFold: true))
        let fold = try XCTUnwrap(records.first { $0.fold == true }, ending)
        XCTAssertEqual(fold.alpha, 0.1381967, accuracy: 1e-6)
        let rs = try XCTUnwrap(ClassicalReplicaSymmetric(alpha: 0.137, temperature: 0.01, measure: measure)
            .followRetrieval(.alpha, within: 0.137...0.139, maxStep: 0.1)?.records.first { $0.fold == true })
        XCTAssertEqual(rs.alpha, 0.1380990, accuracy: 1e-6)
        XCTAssertGreaterThan(fold.alpha, rs.alpha)
        for r in records.prefix(while: { $0.fold != true }) { XCTAssertTrue(r.converged && (r.x ?? 0) > 0 && (r.x ?? 1) < 1) }
    }

    /// A trained dense network (P = 4, α = 0.02, r = 0.8, T = 0.01, ρ = 0.3) has a stable low-m
    /// retrieval root that the reduced scan alone missed. Walking the branch down from ρ = 0.5625
    /// (the other end from the solver's own walk) must cross ρ = 0.3 only at roots the solver reports.
    func testTrainedDenseRootsAreTheBranchCrossings() throws {
        func eq(_ rho: Double) -> DenseReplicaSymmetric {
            DenseReplicaSymmetric(order: 4, alpha: 0.02, temperature: 0.01, examples: .entropy(rho, quality: 0.8, .supervised), measure: measure)
        }
        let roots = eq(0.3).solve().filter { $0.branch == .retrieval }
        let stable = try XCTUnwrap(roots.first { $0.stable }, "\(roots.map { ($0.n!, $0.c, $0.stable) })")
        XCTAssertEqual(try XCTUnwrap(stable.n), 0.30069, accuracy: 1e-4)
        let end = try XCTUnwrap(eq(0.5625).solve().first { $0.branch == .retrieval && $0.stable })
        let walk = ArclengthContinuation.follow(from: [end.n!, log(end.c)], at: 0.5625, direction: -1, within: 0.2...0.5625,
                                                settings: ArclengthSettings(parameterScale: 0.5625, maxStep: 0.05, tolerance: 1e-10)) { u, x in
            let e = eq(x), c = exp(u[1])
            guard c < e.cMax, u[0] > 0 else { return nil }
            let f = e.residual(n: u[0], c: c)
            return [f.f1, f.f2 / max(1, c)]
        }
        let crossings = zip(walk.points, walk.points.dropFirst()).filter { ($0.parameter - 0.3) * ($1.parameter - 0.3) <= 0 }
        XCTAssertFalse(crossings.isEmpty, walk.ending)
        for (a, b) in crossings {
            let n = a.unknowns[0] + (0.3 - a.parameter) / (b.parameter - a.parameter) * (b.unknowns[0] - a.unknowns[0])
            XCTAssertTrue(roots.contains { abs($0.n! - n) < 1e-3 }, "crossing at n = \(n) not among \(roots.map { $0.n! })")
        }
    }

    /// Above T_s (0.11886 at α = 0.1, P = 3) ∂f/∂x > 0 up to x = 1: the dense 1RSB spin glass is the
    /// RS paramagnet there (converged, reduces to RS), not "not converged".
    func testDenseGlassAboveStaticTransitionIsTheParamagnet() throws {
        let s = try XCTUnwrap(DenseOneStepRSB(order: 3, alpha: 0.1, temperature: 0.12, measure: measure).solve(branch: .spinGlass, measure: measure))
        XCTAssertTrue(s.converged, s.method)
        XCTAssertTrue(s.reducesToReplicaSymmetry)
        let pm = try XCTUnwrap(DenseReplicaSymmetric(order: 3, alpha: 0.1, temperature: 0.12, measure: measure).paramagnet())
        XCTAssertEqual(s.freeEnergy, pm.freeEnergy, accuracy: 1e-10)
        let below = try XCTUnwrap(DenseOneStepRSB(order: 3, alpha: 0.1, temperature: 0.115, measure: measure).solve(branch: .spinGlass, measure: measure))
        XCTAssertTrue(below.converged && !below.reducesToReplicaSymmetry && (below.x ?? 1) < 1, below.method)
    }
}
