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
    @Option(parsing: .unconditional, transform: Parse.integer("--line-points", allowed: "an integer in [2, 10000]"))
    var linePoints = 25

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
        let curves = try criticalCurves(dir)
        var written: [String] = []
        func write(_ plot: SVGPlot, _ name: String) throws {
            let path = dir.appendingPathComponent(name).path
            try AtomicFile.write(Data(plot.render().utf8), to: path)
            written.append(path)
        }
        if let mc {
            var plot = SVGPlot(title: "Monte Carlo \(observable) (N = \(mc.first?.neurons ?? 0))", colourLabel: observable,
                               cells: cells(mc.filter { $0.observable == observable }))
            plot.curves = curves
            try write(plot, "mc-\(observable).svg")
        }
        if let rs {
            let global = rs.filter { $0.observable == observable && $0.global == true }
            var plot = SVGPlot(title: "RS theory \(observable) (global branch)", colourLabel: observable, cells: cells(global))
            plot.curves = curves
            try write(plot, "rs-\(observable).svg")
        }
        if let mc, let rs {
            let c = Comparison.compare(simulation: mc, theory: rs, observable: observable)
            let limit = max(3, c.points.compactMap(\.z).map(abs).filter(\.isFinite).max() ?? 3)
            var plot = SVGPlot(title: "(MC − RS) / error for \(observable)", colourLabel: "z",
                               cells: c.points.map { SVGPlot.Cell(x: $0.alpha, y: $0.temperature, value: $0.z) })
            plot.palette = SVGPlot.Palette.diverging(limit: min(limit, 10))
            plot.curves = curves
            try write(plot, "compare-\(observable).svg")
        }
        for path in written { print("wrote \(path)") }
    }

    func cells(_ rows: [TidyRow]) -> [SVGPlot.Cell] {
        var seen = Set<[Double]>()
        return rows.compactMap { row in
            guard seen.insert([row.alpha, row.temperature]).inserted else { return nil }
            return SVGPlot.Cell(x: row.alpha, y: row.temperature, value: row.value)
        }
    }

    /// The classical RS lines, from DIR/lines.json or computed (and cached there).
    func criticalCurves(_ dir: URL) throws -> [SVGPlot.Curve] {
        let path = dir.appendingPathComponent("lines.json").path
        var lines: [CriticalPoint]
        if let data = FileManager.default.contents(atPath: path),
           let decoded = try? RecordCoding.decoder().decode([CriticalPoint].self, from: data) {
            lines = decoded
        } else {
            lines = ClassicalCriticalLines(measure: try GaussianMeasure()).all(points: linePoints, threads: ProcessInfo.processInfo.activeProcessorCount)
            try AtomicFile.write(try RecordCoding.encoder(pretty: true).encode(lines), to: path)
        }
        let style: [(CriticalPoint.Line, String, String, Bool)] = [
            (.spinodal, "retrieval spinodal T_M", "#000000", false),
            (.global, "T_c (retrieval global)", "#ffffff", false),
            (.glass, "T_g = spin-glass line", "#d62728", true),
            (.almeidaThouless, "AT line (retrieval)", "#ff7f0e", true),
        ]
        return style.map { line, label, colour, dashed in
            let points = lines.filter { $0.line == line && $0.converged }.map { ($0.alpha, $0.temperature) }
            return SVGPlot.Curve(label: label, points: line == .glass ? points : points.sorted { $0.1 < $1.1 }, colour: colour, dashed: dashed)
        }
    }
}
