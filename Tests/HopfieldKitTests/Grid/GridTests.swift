import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HopfieldKit
import XCTest

final class GridSpecTests: XCTestCase {
    static let valid = """
    # a small grid
    name: t
    model: classical
    seed: 5
    compute: [mc, rs]
    axes:
      alpha: 0.05:0.15:3
      temperature: [0, 0.5]
    mc:
      neurons: 300
      sweeps: 100
      samples: 2
    """

    func testValidSpecParsesWithDefaults() throws {
        let spec = try GridSpec.parse(Self.valid)
        XCTAssertEqual(spec.alpha, [0.05, 0.1, 0.15])
        XCTAssertEqual(spec.temperature, [0, 0.5])
        XCTAssertEqual(spec.points.count, 6)
        XCTAssertEqual(spec.points[3].index, 3)
        XCTAssertEqual(spec.points[3].x, 0.1)
        XCTAssertEqual(spec.points[3].temperature, 0.5)
        XCTAssertEqual(spec.monteCarlo.neurons, 300)
        XCTAssertEqual(spec.monteCarlo.replicas, 2)
        let p = spec.monteCarloParameters(spec.points[2])
        XCTAssertEqual(p.dynamics, .zeroTemperature, "T = 0 points use zero-temperature dynamics")
        XCTAssertEqual(p.patterns, 30)
        XCTAssertEqual(p.point, 2)
        // JSON is YAML: the same spec as JSON parses to the same value.
        let json = #"{"name": "t", "model": "classical", "seed": 5, "compute": ["mc", "rs"], "axes": {"alpha": "0.05:0.15:3", "temperature": [0, 0.5]}, "mc": {"neurons": 300, "sweeps": 100, "samples": 2}}"#
        XCTAssertEqual(try GridSpec.parse(json), spec)
    }

    /// Errors name the key and the line (1-based) where it is written.
    func testErrorsNameKeyAndLine() {
        func error(_ text: String) -> String {
            do { _ = try GridSpec.parse(text, file: "s.yaml"); return "parsed" } catch { return error.description }
        }
        XCTAssertEqual(error(Self.valid.replacingOccurrences(of: "neurons: 300", with: "neurons: 1")),
                       "s.yaml:10: mc.neurons: must be an integer in [2, 10000000] (got 1)")
        XCTAssertEqual(error(Self.valid.replacingOccurrences(of: "sweeps: 100", with: "sweps: 100")),
                       "s.yaml:11: mc.sweps: unknown key; allowed here: neurons, thermalization, sweeps, measure_every, samples, replicas, dynamics, order, init, flip_fraction")
        XCTAssertTrue(error(Self.valid.replacingOccurrences(of: "0.05:0.15:3", with: "0.15:0.05:3")).hasPrefix("s.yaml:7: axes.alpha: must be"))
        XCTAssertTrue(error(Self.valid.replacingOccurrences(of: "[0, 0.5]", with: "[0, -0.5]")).hasPrefix("s.yaml:8: axes.temperature: must be ≥ 0"))
        XCTAssertTrue(error(Self.valid.replacingOccurrences(of: "model: classical", with: "model: quantum")).hasPrefix("s.yaml:3: model: must be one of classical"))
        XCTAssertTrue(error("axes: [1, 2]").contains("axes: is required: a mapping"))
        XCTAssertTrue(error("a: [1, 2").hasPrefix("s.yaml: (syntax):"))
    }
}

final class GridRunTests: XCTestCase {
    var directory: URL!
    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hopsim-grid-\(UUID().uuidString)")
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func spec(_ extra: String = "") throws -> GridSpec {
        try GridSpec.parse("""
        name: small
        seed: 9
        axes: {alpha: [0.03, 0.2], temperature: [0.1, 0.6, 1.4]}
        mc: {neurons: 200, thermalization: 50, sweeps: 200, samples: 2, replicas: 2}
        \(extra)
        """)
    }

    /// A run writes every point; a resumed run after losing one point recomputes only that point
    /// and produces identical merged files; a different spec in the same directory is refused.
    func testRunResumeAndRefusal() throws {
        let spec = try spec()
        let run = GridRun(spec: spec, directory: directory.path)
        let first = try run.run(threads: 2)
        XCTAssertEqual(first.monteCarloComputed, 6)
        XCTAssertEqual(first.theoryPointsComputed, 6)
        XCTAssertTrue(first.theoryPointsNotConverged.isEmpty)
        let mcCSV = try String(contentsOf: directory.appendingPathComponent("mc.csv"), encoding: .utf8)
        let rsCSV = try String(contentsOf: directory.appendingPathComponent("rs.csv"), encoding: .utf8)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("points/mc-000004.json"))
        try FileManager.default.removeItem(at: directory.appendingPathComponent("points/rs-000001.json"))
        let second = try run.run(threads: 1)
        XCTAssertEqual(second.monteCarloComputed, 1)
        XCTAssertEqual(second.monteCarloReused, 5)
        XCTAssertEqual(second.theoryPointsComputed, 1)
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("mc.csv"), encoding: .utf8), mcCSV)
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("rs.csv"), encoding: .utf8), rsCSV)
        var other = spec
        other.seed = 10
        XCTAssertThrowsError(try GridRun(spec: other, directory: directory.path).run(threads: 1))

        // The tidy CSVs read back, and the comparison finds the low-load retrieval in both.
        let mc = try TidyRow.parse(csv: mcCSV, file: "mc.csv"), rs = try TidyRow.parse(csv: rsCSV, file: "rs.csv")
        XCTAssertEqual(Set(mc.map(\.point)), Set(0..<6))
        let c = Comparison.compare(simulation: mc, theory: rs, observable: "m")
        XCTAssertEqual(c.points.count, 6)
        let retrieving = try XCTUnwrap(c.points.first { $0.alpha == 0.03 && $0.temperature == 0.1 })
        XCTAssertEqual(retrieving.branch, "retrieval")
        XCTAssertGreaterThan(retrieving.simulated, 0.95)
        XCTAssertGreaterThan(retrieving.theory, 0.99)
    }

    /// `compute: [mc, plefka, rs]`: a Plefka record per point at T > 0 (none at T = 0, counted), on
    /// the same networks from the same start as the Monte Carlo, merged into plefka.csv; a resumed run
    /// recomputes only a lost Plefka point; deep in retrieval (α = 0.03, T = 0.1) MC and Plefka agree
    /// within 4 MC errors plus 1/N, and the spec's plefka settings are in the records.
    func testPlefkaGrid() throws {
        let spec = try GridSpec.parse("""
        name: tap
        seed: 9
        compute: [mc, plefka, rs]
        axes: {alpha: [0.03, 0.2], temperature: [0, 0.1, 1.4]}
        mc: {neurons: 200, thermalization: 50, sweeps: 200, samples: 2, replicas: 2}
        plefka: {order: 2, damping: 0.6, max_sweeps: 3000}
        """)
        XCTAssertEqual(spec.plefkaSettings.damping, 0.6)
        XCTAssertEqual(spec.plefkaPoints.map(\.index), [1, 2, 4, 5])
        let run = GridRun(spec: spec, directory: directory.path)
        let first = try run.run(threads: 2)
        XCTAssertEqual(first.plefkaComputed, 4)
        XCTAssertEqual(first.plefkaSkippedAtZeroTemperature, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("points/plefka-000000.json").path))
        let csv = try String(contentsOf: directory.appendingPathComponent("plefka.csv"), encoding: .utf8)
        let rows = try TidyRow.parse(csv: csv, file: "plefka.csv")
        XCTAssertEqual(Set(rows.map(\.point)), [1, 2, 4, 5])
        XCTAssertTrue(rows.allSatisfy { $0.source == "plefka" && $0.method.contains("damping 0.6") })
        // Paramagnet (T = 1.4 > T_g): every magnetisation 0, so m = q = 0 to the tolerance.
        let hot = try XCTUnwrap(rows.first { $0.point == 2 && $0.observable == "q" })
        XCTAssertTrue(hot.converged)
        XCTAssertLessThan(hot.value, 1e-12)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("points/plefka-000001.json"))
        let second = try run.run(threads: 1)
        XCTAssertEqual(second.plefkaComputed, 1)
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("plefka.csv"), encoding: .utf8), csv)
        XCTAssertTrue(try run.status().allSatisfy { $0.missing.isEmpty })
        let mc = try TidyRow.parse(csv: String(contentsOf: directory.appendingPathComponent("mc.csv"), encoding: .utf8), file: "mc.csv")
        let c = Comparison.compare(simulation: mc, approximation: rows, observable: "m")
        let deep = try XCTUnwrap(c.points.first { $0.point == 1 })
        XCTAssertEqual(deep.simulated, deep.theory, accuracy: 4 * deep.error + 1.0 / 200)
        // A merge with a Plefka record missing is refused (a shard that has not run), not written short.
        try FileManager.default.removeItem(at: directory.appendingPathComponent("points/plefka-000004.json"))
        XCTAssertThrowsError(try run.validatedMerge()) { error in
            XCTAssertTrue("\(error)".contains("plefka-000004"), "\(error)")
        }
    }

    /// The spec's `plefka.update`: sequential sweeps when asked (said in plefka.csv's method), a bad
    /// value refused with the key's name, and a directory of sequential results refused under a spec
    /// asking for parallel sweeps with a message that says how to resume it.
    func testPlefkaUpdateKey() throws {
        let text = """
        name: tap-update
        seed: 9
        compute: [plefka]
        axes: {alpha: [0.03], temperature: [0.1]}
        mc: {neurons: 200, samples: 2}
        """
        let sequential = try GridSpec.parse(text + "\nplefka: {update: sequential}")
        XCTAssertEqual(sequential.plefkaSettings.update, .sequential)
        XCTAssertEqual(try GridSpec.parse(text).plefkaSettings.update, .parallel)
        XCTAssertThrowsError(try GridSpec.parse(text + "\nplefka: {update: sideways}")) { error in
            XCTAssertTrue("\(error)".contains("plefka.update"), "\(error)")
        }
        _ = try GridRun(spec: sequential, directory: directory.path).run(threads: 1)
        let csv = try String(contentsOf: directory.appendingPathComponent("plefka.csv"), encoding: .utf8)
        XCTAssertTrue(try TidyRow.parse(csv: csv, file: "plefka.csv").allSatisfy { $0.method.contains("sequential sweeps") })
        XCTAssertThrowsError(try GridRun(spec: try GridSpec.parse(text + "\nplefka: {update: parallel}"), directory: directory.path).run(threads: 1)) { error in
            XCTAssertTrue("\(error)".contains("update: sequential"), "\(error)")
        }
    }

    /// A Plefka-only grid: planned at a cost only where T > 0, run and merged into plefka.csv alone,
    /// and drawable (its figures need neither mc.csv nor rs.csv).
    func testPlefkaOnlyGrid() throws {
        let spec = try GridSpec.parse("""
        name: tap-only
        seed: 9
        compute: [plefka]
        axes: {alpha: [0.03], temperature: [0, 0.1]}
        mc: {neurons: 200, samples: 2}
        """)
        let run = GridRun(spec: spec, directory: directory.path)
        let plan = run.plan()
        XCTAssertEqual(plan[0].estimatedSeconds, 0)
        XCTAssertGreaterThan(plan[1].estimatedSeconds, 0)
        let summary = try run.run(threads: 1)
        XCTAssertEqual(summary.plefkaComputed, 1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("plefka.csv").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("mc.csv").path))
        XCTAssertNoThrow(try GridFigures(directory: directory.path, options: GridFigures.Options()))
    }

    /// A solver that cannot meet its tolerance marks its points converged=false and the summary
    /// lists them: the output is complete and honest.
    func testNonConvergenceIsMarked() throws {
        let spec = try spec("rs: {tolerance: 1e-300, max_iterations: 3}\ncompute: [rs]")
        let summary = try GridRun(spec: spec, directory: directory.path).run(threads: 1)
        XCTAssertFalse(summary.theoryPointsNotConverged.isEmpty)
        let rows = try tidyRows("rs.csv", in: directory)
        XCTAssertTrue(rows.contains { !$0.converged })
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("mc.csv").path))
    }
}

final class ComparisonAndPlotTests: XCTestCase {
    func row(_ source: String, _ point: Int, _ alpha: Double, _ t: Double, _ value: Double, error: Double? = nil,
             branch: String = "simulated (init pattern, heat-bath)", stable: Bool? = nil, global: Bool? = nil) -> TidyRow {
        TidyRow(source: source, model: "classical", point: point, alpha: alpha, temperature: t, branch: branch,
                stable: stable, global: global, observable: "m", value: value, error: error, tau: nil, sampleSpread: 0,
                samples: 1, neurons: 1000, converged: true, residual: nil, method: "x", seed: 1, version: "v")
    }

    func testZScoresSummaryAndBoundaryOffset() {
        let mc = [row("mc", 0, 0.05, 0.1, 0.98, error: 0.01), row("mc", 1, 0.10, 0.1, 0.90, error: 0.01),
                  row("mc", 2, 0.15, 0.1, 0.10, error: 0.01)]
        let rs = [row("rs", 0, 0.05, 0.1, 0.99, branch: "retrieval", stable: true, global: true),
                  row("rs", 1, 0.10, 0.1, 0.97, branch: "retrieval", stable: true, global: false),
                  row("rs", 1, 0.10, 0.1, 0.0, branch: "spin-glass", stable: true, global: true),
                  row("rs", 2, 0.15, 0.1, 0.0, branch: "spin-glass", stable: true, global: true)]
        let c = Comparison.compare(simulation: mc, theory: rs, observable: "m", threshold: 0.5)
        XCTAssertEqual(c.points.map(\.branch), ["retrieval", "retrieval", "spin-glass"])
        for (p, z) in zip(c.points, [-1.0, -7, 10]) { XCTAssertEqual(p.z!, z, accuracy: 1e-9) }
        XCTAssertEqual(c.within2Sigma, 1)
        XCTAssertEqual(c.within3Sigma, 1)
        XCTAssertEqual(c.worst.first?.point, 2)
        // m = 0.5 crossings: simulated between 0.90 and 0.10 → α = 0.125; theory 0.97 → 0 → 0.12423…
        let b = c.boundaries[0]
        XCTAssertEqual(b.simulated!, 0.125, accuracy: 1e-12)
        XCTAssertEqual(b.theory!, 0.10 + 0.05 * 0.47 / 0.97, accuracy: 1e-12)
        XCTAssertEqual(b.offset!, b.simulated! - b.theory!, accuracy: 1e-15)
    }

    /// The SVG is well-formed XML with one cell per point, a colour bar, axis labels and the curves.
    func testHeatMapIsWellFormedWithExpectedElements() throws {
        var plot = SVGPlot(title: "m <test> & more", colourLabel: "m",
                           cells: [(0.05, 0.0), (0.1, 0.0), (0.05, 0.5), (0.1, 0.5)].map { SVGPlot.Cell(x: $0.0, y: $0.1, value: $0.0 * 5) })
        // A line outside the axes (T_g above the T range) is neither drawn nor listed in the legend.
        plot.curves = [SVGPlot.Curve(label: "spinodal", points: [(0.06, 0.0), (0.08, 0.4)], colour: "#000", dashed: false),
                       SVGPlot.Curve(label: "glass above the axes", points: [(0.05, 1.2), (0.1, 1.3)], colour: "#f00", dashed: true)]
        let svg = plot.render()
        XCTAssertFalse(svg.contains("glass above the axes"))
        final class Counter: NSObject, XMLParserDelegate {
            var elements: [String: Int] = [:]
            var ids: [String] = []
            var text = ""
            func parser(_ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                elements[name, default: 0] += 1
                if let id = attributes["id"] { ids.append(id) }
            }
            func parser(_ p: XMLParser, foundCharacters string: String) { text += string }
        }
        let parser = XMLParser(data: Data(svg.utf8))
        let counter = Counter()
        parser.delegate = counter
        XCTAssertTrue(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        XCTAssertEqual(counter.elements["svg"], 1)
        XCTAssertEqual(counter.elements["polyline"], 1)
        for id in ["cells", "axes", "tick-labels", "x-label", "y-label", "colour-bar", "legend"] {
            XCTAssertTrue(counter.ids.contains(id), id)
        }
        XCTAssertTrue(counter.text.contains("load α = P/N"))
        XCTAssertTrue(counter.text.contains("temperature T"))
        XCTAssertTrue(counter.text.contains("m <test> & more"))
        // 4 cells + the clip path's frame + background + frame + 60 colour-bar steps + bar frame + legend box.
        XCTAssertEqual(counter.elements["rect"], 4 + 1 + 1 + 1 + 60 + 1 + 1)
    }
}

final class ShardingTests: XCTestCase {
    func testAssignmentCoversEveryPointOnceAndBalancesCost() throws {
        let spec = try GridSpec.parse("axes: {alpha: 0.01:0.2:20, temperature: 0:1:11}\nmc: {neurons: 1000}")
        let plan = GridRun(spec: spec, directory: "/tmp").plan()
        for shards in [1, 3, 7, 64, 300] {
            let assignment = Sharding.assign(plan, shards: shards)
            XCTAssertEqual(assignment.count, shards)
            XCTAssertEqual(assignment.joined().sorted(), Array(0..<plan.count))
            XCTAssertEqual(assignment, Sharding.assign(plan, shards: shards), "deterministic")
            let loads = assignment.map { $0.reduce(0.0) { $0 + plan[$1].estimatedSeconds } }
            // LPT: no shard exceeds the mean by more than the largest single point.
            let mean = loads.reduce(0, +) / Double(shards), largest = plan.map(\.estimatedSeconds).max()!
            XCTAssertLessThanOrEqual(loads.max()!, mean + largest + 1e-12)
        }
        XCTAssertThrowsError(try Sharding.parse("3/3"))
        XCTAssertThrowsError(try Sharding.parse("-1/3"))
        XCTAssertEqual(try Sharding.parse("2/64").index, 2)
    }
}

final class MultitaskingGridTests: XCTestCase {
    /// A (d, T) grid of the multitasking network: the spec's keys, the Monte Carlo and the
    /// low-storage theory in the tidy schema, and their comparison along d.
    func testDilutionTemperatureGrid() throws {
        let spec = try GridSpec.parse("""
        name: mt
        model: multitasking
        patterns: 2
        axes: {dilution: [0.2, 0.5], temperature: [0.1, 0.9]}
        mc: {neurons: 600, thermalization: 100, sweeps: 300, samples: 2}
        """)
        XCTAssertEqual(spec.points.map(\.x), [0.2, 0.2, 0.5, 0.5])
        let p = spec.monteCarloParameters(spec.points[2])
        XCTAssertEqual(p.patterns, 2)
        XCTAssertEqual(p.dilution, 0.5)
        XCTAssertThrowsError(try GridSpec.parse("model: multitasking\naxes: {dilution: [0.2], temperature: [0.1]}"))
        XCTAssertThrowsError(try GridSpec.parse("model: multitasking\npatterns: 2\naxes: {alpha: [0.2], temperature: [0.1]}"))
        XCTAssertThrowsError(try GridSpec.parse("model: multitasking\npatterns: 2\naxes: {dilution: [1.2], temperature: [0.1]}"))

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hopsim-mtgrid-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let summary = try GridRun(spec: spec, directory: dir.path).run(threads: 2)
        XCTAssertTrue(summary.theoryPointsNotConverged.isEmpty)
        let mc = try tidyRows("mc.csv", in: dir)
        let rs = try tidyRows("rs.csv", in: dir)
        XCTAssertTrue(mc.contains { $0.observable == "m_sorted_2" && $0.dilution == 0.5 })
        let c = Comparison.compare(simulation: mc, theory: rs, observable: "m_sorted_1")
        XCTAssertEqual(c.points.count, 4)
        XCTAssertEqual(c.boundaries.first?.axis, "dilution")
        // T = 0.1, d = 0.2: both give the leading amplitude ≈ 1 − d; T = 0.9 > 1 − d: paramagnet in theory.
        let cold = try XCTUnwrap(c.points.first { $0.dilution == 0.2 && $0.temperature == 0.1 })
        XCTAssertEqual(cold.theory, 0.8, accuracy: 0.01)
        XCTAssertEqual(cold.simulated, cold.theory, accuracy: 3 * cold.error + 1 / 600.0.squareRoot())
        XCTAssertEqual(try XCTUnwrap(c.points.first { $0.dilution == 0.2 && $0.temperature == 0.9 }).theory, 0, accuracy: 1e-8)
        XCTAssertNoThrow(try GridRun.open(directory: dir.path).validatedMerge())
    }
}

extension MultitaskingGridTests {
    /// A high-storage multitasking grid: `dilution: d` fixed, axes α × T, RS theory with dilution.
    func testHighStorageGrid() throws {
        let spec = try GridSpec.parse("""
        model: multitasking
        dilution: 0.1
        axes: {alpha: [0.02, 0.2], temperature: [0.1]}
        mc: {neurons: 1000, thermalization: 100, sweeps: 300, samples: 2}
        """)
        XCTAssertFalse(spec.hasDilutionAxis)
        XCTAssertEqual(spec.monteCarloParameters(spec.points[1]).dilution, 0.1)
        XCTAssertEqual(spec.monteCarloParameters(spec.points[1]).patterns, 200)
        XCTAssertThrowsError(try GridSpec.parse("model: multitasking\npatterns: 2\ndilution: 0.1\naxes: {dilution: [0.2], temperature: [0.1]}"))
        XCTAssertThrowsError(try GridSpec.parse("dilution: 0.1\naxes: {alpha: [0.2], temperature: [0.1]}"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hopsim-hsgrid-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try GridRun(spec: spec, directory: dir.path).run(threads: 2)
        let mc = try tidyRows("mc.csv", in: dir)
        let rs = try tidyRows("rs.csv", in: dir)
        XCTAssertTrue(rs.allSatisfy { $0.model == "multitasking" && $0.dilution == 0.1 })
        let c = Comparison.compare(simulation: mc, theory: rs, observable: "m")
        XCTAssertEqual(c.boundaries.first?.axis, "alpha")
        let low = try XCTUnwrap(c.points.first { $0.alpha == 0.02 })
        XCTAssertEqual(low.branch, "retrieval")
        XCTAssertEqual(low.simulated, low.theory, accuracy: 3 * low.error + 1 / 1000.0.squareRoot())
        XCTAssertNoThrow(try GridRun.open(directory: dir.path).validatedMerge())
    }

    /// Dense grids: `model: dense` with `p`, K = round(αN^{P−1}), the dense RS theory; a tiny run
    /// agrees with itself on resume and its deep-retrieval point matches theory.
    func testDenseGrid() throws {
        let spec = try GridSpec.parse("""
        model: dense
        p: 3
        axes: {alpha: [0.02, 0.3], temperature: [0.1]}
        mc: {neurons: 100, thermalization: 100, sweeps: 300, samples: 2}
        """)
        XCTAssertEqual(spec.monteCarloParameters(spec.points[0]).patterns, 200)
        XCTAssertEqual(spec.monteCarloParameters(spec.points[0]).family.couplingSettings?.order, 3)
        XCTAssertThrowsError(try GridSpec.parse("model: dense\naxes: {alpha: [0.2], temperature: [0.1]}")) { error in
            XCTAssertTrue("\(error)".contains("p"), "\(error)")
        }
        XCTAssertThrowsError(try GridSpec.parse("p: 3\naxes: {alpha: [0.2], temperature: [0.1]}"))
        XCTAssertThrowsError(try GridSpec.parse("model: dense\np: 3\naxes: {alpha: [500], temperature: [0.1]}\nmc: {neurons: 3000}")) { error in
            XCTAssertTrue("\(error)".contains("memory"), "\(error)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hopsim-dense-grid-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try GridRun(spec: spec, directory: dir.path).run(threads: 2)
        let mc = try tidyRows("mc.csv", in: dir)
        let rs = try tidyRows("rs.csv", in: dir)
        XCTAssertTrue(rs.allSatisfy { $0.model == "dense" })
        let c = Comparison.compare(simulation: mc, theory: rs, observable: "m")
        let low = try XCTUnwrap(c.points.first { $0.alpha == 0.02 })
        XCTAssertEqual(low.branch, "retrieval")
        XCTAssertEqual(low.simulated, low.theory, accuracy: 4 * low.error + 1 / 100.0)
        XCTAssertNoThrow(try GridRun.open(directory: dir.path).validatedMerge())
    }

    /// Critical lines belong to the grid's family: a dense P = 3 grid gets the P-body spinodal, whose
    /// T = 0 end is the RS capacity α_c = 0.12610 in hopsim's convention (H = −(N/3!) Σ m³; bisection
    /// to 1e-9), not the pairwise AGS α_c = 0.13791 that plot drew before; a classical grid gets AGS's.
    /// A lines.json of another family is not reused.
    func testCriticalLinesBelongToTheFamily() throws {
        let dense = try GridSpec.parse("model: dense\np: 3\naxes: {alpha: [0.05], temperature: [0, 0.2]}\ncompute: [rs]")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hopsim-lines-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let classical = try GridSpec.parse("axes: {alpha: [0.05], temperature: [0, 0.2]}\ncompute: [rs]")
        let pairwise = try GridRun(spec: classical, directory: dir.path).criticalLines(points: 3, threads: 2)
        let agsCapacity = try XCTUnwrap(pairwise.curves.first { $0.kind == .spinodal }?.points.first { $0.temperature == 0 })
        XCTAssertEqual(agsCapacity.x, 0.137906, accuracy: 2e-6)
        // The pairwise lines are now cached in dir/lines.json; the dense grid must not take them.
        let lines = try GridRun(spec: dense, directory: dir.path).criticalLines(points: 3, threads: 2)
        let capacity = try XCTUnwrap(lines.curves.first { $0.kind == .spinodal }?.points.first { $0.temperature == 0 })
        XCTAssertEqual(capacity.x, 0.12610, accuracy: 1e-5)
        XCTAssertEqual(Set(lines.curves.map { "\($0.kind)" }), ["spinodal", "global", "almeidaThouless"])
        XCTAssertTrue(lines.curves.allSatisfy { $0.points.allSatisfy { $0.temperature <= 0.2 } })
    }
}

/// The tidy rows a grid run wrote to `file` (mc.csv, rs.csv) in `directory`.
private func tidyRows(_ file: String, in directory: URL) throws -> [TidyRow] {
    try TidyRow.parse(csv: String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8), file: file)
}
