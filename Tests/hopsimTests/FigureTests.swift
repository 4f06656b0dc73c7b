import Foundation
import XCTest

/// `hopsim plot` (issue 17, items 1 and 7): for each family the phase diagram carries every critical
/// line the family has, the region labels its theory implies, the Monte Carlo points as markers and a
/// legend inside the frame that lists only what is drawn; cuts carry Monte Carlo with error bars and
/// the theory curves; bad options are one line, exit 64, no file.
final class FigureTests: ScratchTestCase {
    func grid(_ spec: String, name: String = "g") throws -> String {
        let path = scratch.appendingPathComponent("\(name).yaml").path
        try spec.write(toFile: path, atomically: true, encoding: .utf8)
        let out = scratch.appendingPathComponent(name).path
        let run = try hopsim(["grid", "run", path, "--out", out, "--quiet"])
        XCTAssertEqual(run.status, 0, run.stderr)
        return out
    }

    func svg(_ dir: String, _ name: String) throws -> String { try String(contentsOfFile: "\(dir)/\(name)", encoding: .utf8) }

    /// The titles of the polylines (curves) and the texts of the region labels of an SVG.
    func curveTitles(_ svg: String) -> Set<String> {
        let curves = svg.components(separatedBy: "<g id=\"curves\"").dropFirst().first?.components(separatedBy: "</g>").first ?? ""
        return Set(curves.components(separatedBy: "<title>").dropFirst().compactMap { $0.components(separatedBy: "</title>").first })
    }

    func regionLabels(_ svg: String) -> Set<String> {
        let group = svg.components(separatedBy: "<g id=\"region-labels\"").dropFirst().first?.components(separatedBy: "</g>").first ?? ""
        return Set(group.components(separatedBy: "paint-order=\"stroke\">").dropFirst().compactMap { $0.components(separatedBy: "</text>").first })
    }

    /// The legend's box lies inside the frame (x from 80 to width − 95, y from 50 to height − 70).
    func assertLegendInsideFrame(_ svg: String, width: Double = 760, height: Double = 540, right: Double = 95,
                                 file: StaticString = #filePath, line: UInt = #line) {
        guard let legend = svg.components(separatedBy: "<g id=\"legend\"").dropFirst().first,
              let rect = legend.components(separatedBy: "<rect ").dropFirst().first else {
            return XCTFail("no legend", file: file, line: line)
        }
        func attribute(_ name: String) -> Double {
            Double(rect.components(separatedBy: "\(name)=\"").dropFirst().first?.components(separatedBy: "\"").first ?? "") ?? .nan
        }
        let (x, y, w, h) = (attribute("x"), attribute("y"), attribute("width"), attribute("height"))
        XCTAssertGreaterThanOrEqual(x, 80, file: file, line: line)
        XCTAssertLessThanOrEqual(x + w, width - right, file: file, line: line)
        XCTAssertGreaterThanOrEqual(y, 50, file: file, line: line)
        XCTAssertLessThanOrEqual(y + h, height - 70, file: file, line: line)
    }

    func testClassicalPhaseDiagramAndCuts() throws {
        let out = try grid("""
        name: fig-classical
        axes: {alpha: [0.05, 0.15], temperature: [0.1, 0.5]}
        mc: {neurons: 200, thermalization: 20, sweeps: 60, samples: 2}
        """)
        let plot = try hopsim(["plot", out, "--line-points", "8", "--theory-mesh", "16x12", "--cut", "alpha=0.05",
                               "--cut", "temperature=0.1", "--cut-points", "15", "--quiet"])
        XCTAssertEqual(plot.status, 0, plot.stderr)
        let diagram = try svg(out, "phase-diagram-m.svg")
        // Every classical line: the spinodal, T_c, T_g (the T axis is extended to show it) and AT.
        XCTAssertEqual(curveTitles(diagram), ["retrieval spinodal T_M", "T_c (retrieval global)", "T_g = spin-glass line", "AT line (retrieval)"])
        // R at low α and T, SG beyond the spinodal at low T, P above T_g.
        XCTAssertTrue(regionLabels(diagram).isSuperset(of: ["R", "SG", "P"]), "\(regionLabels(diagram))")
        XCTAssertEqual(diagram.components(separatedBy: "<circle cx=").count - 1 - 1, 4, "four MC markers (and the legend's)")
        XCTAssertTrue(diagram.contains("R: retrieval global"))
        assertLegendInsideFrame(diagram)
        for name in ["cut-alpha-0.05-m.svg", "cut-temperature-0.1-m.svg"] {
            let cut = try svg(out, name)
            XCTAssertTrue(cut.contains("): global state"), name)
            XCTAssertTrue(cut.contains("1RSB retrieval state"), name)
            XCTAssertTrue(cut.contains("Monte Carlo, N = 200"), name)
            // The theory is drawn as lines (at 15 points), not only named in the legend.
            let theoryGroups = cut.components(separatedBy: "<g class=\"series\" fill=\"none\"").dropFirst()
            XCTAssertGreaterThanOrEqual(theoryGroups.count, 2, name)
            XCTAssertTrue(theoryGroups.allSatisfy { $0.components(separatedBy: "</g>")[0].contains("<polyline") }, name)
            assertLegendInsideFrame(cut, right: 30)
        }
        // A cut off the grid's values draws the theory and says that no MC point lies there.
        let off = try hopsim(["plot", out, "--theory-mesh", "0x0", "--cut", "alpha=0.1", "--cut-points", "9", "--quiet"])
        XCTAssertEqual(off.status, 0, off.stderr)
        XCTAssertTrue(try svg(out, "cut-alpha-0.1-m.svg").contains("no Monte Carlo points at α = 0.1"))
    }

    func testDensePhaseDiagramHasItsLines() throws {
        let out = try grid("""
        name: fig-dense
        model: dense
        p: 3
        compute: [rs]
        axes: {alpha: [0.05, 0.15], temperature: [0.05, 0.2]}
        """)
        let plot = try hopsim(["plot", out, "--line-points", "6", "--theory-mesh", "8x6", "--quiet"])
        XCTAssertEqual(plot.status, 0, plot.stderr)
        let diagram = try svg(out, "phase-diagram-m.svg")
        XCTAssertTrue(curveTitles(diagram).isSuperset(of: ["retrieval spinodal T_M", "T_c (retrieval global)", "AT line (retrieval)"]),
                      "\(curveTitles(diagram))")
        XCTAssertTrue(regionLabels(diagram).contains("R"), "\(regionLabels(diagram))")
        XCTAssertFalse(diagram.contains("Monte Carlo"), "no MC grid, no MC entry in the legend")
        assertLegendInsideFrame(diagram)
    }

    func testMultitaskingPhaseDiagramNamesItsStates() throws {
        let out = try grid("""
        name: fig-multitasking
        model: multitasking
        patterns: 2
        axes: {dilution: [0.2, 0.6], temperature: [0, 0.4]}
        mc: {neurons: 200, thermalization: 20, sweeps: 40, samples: 1}
        """)
        let plot = try hopsim(["plot", out, "--observable", "m_sorted_1", "--theory-mesh", "12x10", "--cut", "dilution=0.2", "--cut-points", "9", "--quiet"])
        XCTAssertEqual(plot.status, 0, plot.stderr)
        let diagram = try svg(out, "phase-diagram-m_sorted_1.svg")
        XCTAssertTrue(curveTitles(diagram).isSuperset(of: ["level 1 vanishes (T_1)", "level 2 vanishes (T_2)"]), "\(curveTitles(diagram))")
        XCTAssertFalse(regionLabels(diagram).intersection(["single", "parallel", "hierarchical"]).isEmpty, "\(regionLabels(diagram))")
        let cut = try svg(out, "cut-dilution-0.2-m_sorted_1.svg")
        XCTAssertTrue(cut.contains("low-storage theory: global state"))
        XCTAssertTrue(cut.contains("<polyline"), "the theory at 9 points is drawn as a line")
    }

    func testBadPlotOptionsAreOneLineExit64() throws {
        let out = try grid("name: bad\ncompute: [rs]\naxes: {alpha: [0.05, 0.1], temperature: [0.1, 0.2]}\n")
        for (arguments, parameter) in [(["--cut", "beta=1"], "--cut"), (["--size", "10x10"], "--size"),
                                       (["--theory-mesh", "1x5"], "--theory-mesh"), (["--colour-map", "jet"], "--colour-map"),
                                       (["--temperature-range", "0.5:0.1"], "--temperature-range"), (["--cut", "dilution=0.3"], "--cut"),
                                       (["--cut", "alpha=0.05", "--cut", "dilution=0.3"], "--cut"), (["--cut", "alpha=0"], "--cut"),
                                       (["--x-range", "0:0.2"], "--x-range"), (["--theory-mesh", "400x400"], "--theory-mesh")] {
            let run = try hopsim(["plot", out, "--theory-mesh", "0x0"] + arguments)
            XCTAssertEqual(run.status, 64, "\(arguments): \(run.stderr)")
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
            XCTAssertTrue(run.stderr.contains(parameter), "\(arguments): \(run.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/rs-m.svg"), "a refused plot writes nothing")
    }
}
