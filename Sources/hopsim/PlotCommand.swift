import ArgumentParser
import Foundation
import HopfieldKit

/// `hopsim plot DIR`: SVG pictures of a grid directory.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot", abstract: "Draw SVG heat maps of a grid directory, with the RS critical lines over them.",
        discussion: "Writes DIR/<source>-<observable>.svg for the Monte Carlo and theory grids present and, with both, DIR/compare-<observable>.svg (z per point). Critical lines are computed once and cached in DIR/lines.json.")
    @Argument(help: "Directory written by `hopsim grid run`.") var directory: String
    @Option(help: "Observable to draw.") var observable = "m"
    @Option(parsing: .unconditional, transform: Parse.integer(Limits.linePoints))
    var linePoints = 25

    func validate() throws {
        do { try Limits.linePoints.check(linePoints) } catch { throw error.validationError }
    }

    func run() throws {
        let dir = URL(fileURLWithPath: directory)
        func rows(_ name: String) throws -> [TidyRow]? {
            let path = dir.appendingPathComponent(name).path
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            do { return try TidyRow.parse(csv: String(decoding: data, as: UTF8.self), file: path) } catch {
                throw ValidationError(error.description)
            }
        }
        let mc = try rows("mc.csv"), rs = try rows("rs.csv")
        guard mc != nil || rs != nil else { throw ValidationError("'\(directory)' holds neither mc.csv nor rs.csv") }
        let available = Set((mc ?? []).map(\.observable) + (rs ?? []).map(\.observable))
        guard available.contains(observable) else {
            throw ValidationError("--observable must be one of \(available.sorted().joined(separator: ", ")) (got '\(observable)')")
        }
        let spec: GridSpec
        do { spec = try GridRun.open(directory: directory).spec } catch { throw ValidationError("\(error)") }
        let multitasking = spec.hasDilutionAxis
        let x: (TidyRow) -> Double = spec.axisValue
        let xLabel = spec.axisLabel
        let run = GridRun(spec: spec, directory: directory)
        let curves = try run.criticalLines(points: linePoints, threads: ProcessInfo.processInfo.activeProcessorCount)
            .curves.map(Self.style)
        var written: [String] = []
        func write(_ plot: SVGPlot, _ name: String) throws {
            let path = dir.appendingPathComponent(name).path
            try AtomicFile.write(Data(plot.render().utf8), to: path)
            written.append(path)
        }
        if let mc {
            var plot = SVGPlot(title: "Monte Carlo \(observable) (N = \(mc.first?.neurons ?? 0))", colourLabel: observable,
                               cells: cells(mc.filter { $0.observable == observable }, x))
            plot.xLabel = xLabel
            plot.curves = curves
            try write(plot, "mc-\(observable).svg")
        }
        if let rs {
            let global = rs.filter { $0.observable == observable && $0.global == true }
            let broken = global.contains { $0.source == "1rsb" }
            var plot = SVGPlot(title: "\(multitasking ? "low-storage theory" : "RS theory") \(observable) (global state\(broken ? "; 1RSB where RS is not admissible" : ""))",
                               colourLabel: observable, cells: cells(global, x))
            plot.xLabel = xLabel
            plot.curves = curves
            try write(plot, "rs-\(observable).svg")
        }
        if let mc, let rs {
            let c = Comparison.compare(simulation: mc, theory: rs, observable: observable)
            let limit = max(3, c.points.compactMap(\.z).map(abs).filter(\.isFinite).max() ?? 3)
            var plot = SVGPlot(title: "(MC − RS) / error for \(observable)", colourLabel: "z",
                               cells: c.points.map { SVGPlot.Cell(x: multitasking ? $0.dilution : $0.alpha, y: $0.temperature, value: $0.z) })
            plot.xLabel = xLabel
            plot.palette = SVGPlot.Palette.diverging(limit: min(limit, 10))
            plot.curves = curves
            try write(plot, "compare-\(observable).svg")
        }
        for path in written { print("wrote \(path)") }
    }

    func cells(_ rows: [TidyRow], _ x: (TidyRow) -> Double) -> [SVGPlot.Cell] {
        var seen = Set<[Double]>()
        return rows.compactMap { row in
            guard seen.insert([x(row), row.temperature]).inserted else { return nil }
            return SVGPlot.Cell(x: x(row), y: row.temperature, value: row.value)
        }
    }

    /// How a critical line is drawn: black spinodal, white T_c, dashed red T_g, dashed orange AT
    /// line; the levels of a multitasking hierarchy in turn (dashed from the third).
    static func style(_ curve: CriticalCurve) -> SVGPlot.Curve {
        let (colour, dashed): (String, Bool) = switch curve.kind {
        case .spinodal: ("#000000", false)
        case .global: ("#ffffff", false)
        case .glass: ("#d62728", true)
        case .almeidaThouless: ("#ff7f0e", true)
        case .level(let k): (["#000000", "#ffffff", "#d62728", "#ff7f0e", "#1f77b4", "#2ca02c"][(k - 1) % 6], k > 2)
        }
        return SVGPlot.Curve(label: curve.label, points: curve.points.map { ($0.x, $0.temperature) }, colour: colour, dashed: dashed)
    }
}
