import HopfieldKit
import XCTest

/// The global state chosen among admissible states, 1RSB included (issue 13), and the lines built
/// from that choice.
final class GlobalStateTests: XCTestCase {
    static let measure = try! GaussianMeasure()

    /// The dense P = 3 global line at low T: the RS paramagnet (s = −24 at T = 0.01) made it jump
    /// from α = 0.089 at T = 0 to 0.019 at T = 0.01. With the glass at 1RSB it is continuous; on it
    /// the point solver changes its mind (retrieval global just below, not just above).
    func testDenseGlobalLineIsContinuousAtLowTemperature() throws {
        let lines = DenseCriticalLines(order: 3, measure: Self.measure)
        let temperatures = [0, 0.005, 0.01, 0.02]
        let points = try temperatures.map { t in try XCTUnwrap(lines.global(temperature: t), "T = \(t)") }
        for p in points { XCTAssertTrue(p.converged, "T = \(p.temperature)") }
        for k in 1..<points.count {
            // α_c(T) of the spinodal moves by ~0.3 per unit T here: a jump would be ≫ 0.01.
            XCTAssertLessThan(abs(points[k].alpha - points[k - 1].alpha), 0.01,
                              "T = \(points[k - 1].temperature) → \(points[k].temperature)")
        }
        let t = 0.01, line = points[2].alpha
        for (alpha, retrievalGlobal) in [(line * (1 - 1e-3), true), (line * (1 + 1e-3), false)] {
            let rs = DenseReplicaSymmetric(order: 3, alpha: alpha, temperature: t, measure: Self.measure).solve()
            let point = GlobalStateSelection.dense(rs, order: 3, examples: .none, settings: SolverSettings(), measure: Self.measure)
            let global = point.replicaSymmetric.first { $0.global }?.branch.rawValue ?? point.oneStep.first { $0.global == true }?.branch
            XCTAssertEqual(global == "retrieval", retrievalGlobal, "α = \(alpha): global \(global ?? "none")")
        }
    }

    /// A sector is represented by its admissible state where it has one: at P = 3, α = 0.08, T = 0.05
    /// a low-m stable retrieval root (m = 0.105, s = −1.98) lies below the m = 0.983 retrieval state
    /// in f, but like the RS paramagnet beside it is not physical; the global state is m = 0.983
    /// (the committed phase diagram showed m = 0.1 in that cell).
    func testAdmissibleStateRepresentsItsSector() throws {
        let rs = DenseReplicaSymmetric(order: 3, alpha: 0.08, temperature: 0.05, measure: Self.measure).solve()
        XCTAssertTrue(rs.contains { $0.branch == .retrieval && $0.stable && $0.m < 0.2 && $0.entropy < -1 })
        let point = GlobalStateSelection.dense(rs, order: 3, examples: .none, settings: SolverSettings(), measure: Self.measure)
        let global = try XCTUnwrap(point.replicaSymmetric.first { $0.global })
        XCTAssertEqual(global.m, 0.9827, accuracy: 1e-4)
        XCTAssertEqual(global.admissible, true)
    }

    /// The selection never lowers a sector's free energy: a 1RSB state replaces an RS one only when
    /// it is broken (q₁ > q₀), and its f is then above the RS one (Guerra's bound), at random points.
    func testOneStepStatesOnlyRaiseTheFreeEnergy() {
        var replaced = 0
        for (alpha, t) in TheoryVerificationTests.points(8, alpha: 0.02...0.14, temperature: 0.0...0.3) {
            let rs = ClassicalReplicaSymmetric(alpha: alpha, temperature: t, measure: Self.measure).solve()
            let point = GlobalStateSelection.classical(rs, settings: SolverSettings(), measure: Self.measure, eager: true)
            for s in point.oneStep where s.converged && !s.reducesToReplicaSymmetry {
                let sector = rs.filter { ($0.branch == .retrieval) == (s.branch == "retrieval") && $0.stable && $0.converged }
                guard let lowest = sector.map(\.freeEnergy).min() else { continue }
                XCTAssertGreaterThanOrEqual(s.freeEnergy, lowest - 1e-12, "α = \(alpha), T = \(t), \(s.branch)")
                replaced += 1
            }
            XCTAssertEqual(point.replicaSymmetric.filter(\.global).count + point.oneStep.filter { $0.global == true }.count, 1,
                           "α = \(alpha), T = \(t): exactly one global state")
        }
        XCTAssertGreaterThan(replaced, 4)
    }
}

/// The (ρ, T) learning boundary and the point solver agree (issue 13): at P = 4, α = 0.02, r = 0.8
/// (supervised), T = 0.02 a stable low-m retrieval branch continues past the high-m one's fold, up
/// to M = 1 (ρ = (1 − r²)/r²); the line used to stop at ρ = 0.439 because the damped iteration
/// collapsed there and the cheap solver gave up.
final class LearningBoundaryTests: XCTestCase {
    func testSpinodalInRhoAgreesWithThePointSolver() throws {
        let measure = try GaussianMeasure()
        let (p, alpha, r, t) = (4, 0.02, 0.8, 0.02)
        let largest = (1 - r * r) / (r * r)
        func stableRetrieval(_ rho: Double) -> Bool {
            DenseReplicaSymmetric(order: p, alpha: alpha, temperature: t, examples: .entropy(rho, quality: r, .supervised), measure: measure)
                .solve().contains { $0.branch == .retrieval && $0.stable && $0.converged && $0.m > 1e-3 }
        }
        let line = DenseCriticalLines(order: p, measure: measure).entropyBoundary(.spinodal, alpha: alpha, temperature: t, quality: r,
                                                                                 learning: .supervised)
        if let line, let rho = line.datasetEntropy {
            XCTAssertTrue(stableRetrieval(rho * (1 - 1e-3)), "ρ = \(rho)")
            XCTAssertFalse(stableRetrieval(min(rho * (1 + 1e-3), largest)), "ρ = \(rho)")
        } else {
            XCTAssertTrue(stableRetrieval(largest), "no line: retrieval must survive up to M = 1")
        }
        XCTAssertTrue(stableRetrieval(0.5), "the low-m branch beyond the old line")
    }
}
