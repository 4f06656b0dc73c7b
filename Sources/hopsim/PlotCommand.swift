import ArgumentParser
import Foundation
import HopfieldKit

/// `hopsim plot DIR`: SVG figures of a grid directory (``GridFigures``).
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot", abstract: "Draw the SVG figures of a grid directory: heat maps, the phase diagram, cuts.",
        discussion: """
        Writes into DIR: <source>-<observable>.svg, heat maps of the Monte Carlo and theory grids, and with both \
        compare-<observable>.svg (z per point); phase-diagram-<observable>.svg, the theory of the global state on a \
        fine mesh (solved once and cached in DIR/fine-theory/) with every critical line of the family, the regions \
        labelled and the Monte Carlo points as markers coloured on the same scale; with --cut, \
        cut-<axis>-<value>-<observable>.svg, the observable against the other axis: Monte Carlo with error bars, \
        the theory's global state, the metastable RS retrieval state and the 1RSB retrieval state. Critical lines \
        are computed once and cached in DIR/lines.json. Grey cells are explained in each legend.
        """)
    @Argument(help: "Directory written by `hopsim grid run`.") var directory: String
    @Option(help: "Observable to draw (default: m; the grid's CSVs list the others).") var observable = "m"
    @Option(parsing: .unconditional, help: "Points per critical line, \(Limits.linePoints.allowed) (default: 25).",
            transform: Parse.integer(Limits.linePoints))
    var linePoints = 25
    @Option(name: .customLong("cut"), parsing: .singleValue,
            help: ArgumentHelp("A cut: alpha=VALUE (dilution=VALUE on a (d, T) grid) against T, or temperature=VALUE against the first axis; repeatable.", valueName: "axis=value"))
    var cuts: [String] = []
    @Option(parsing: .unconditional, help: "Theory points along each cut, in [3, 2000] (default: 121; the 1RSB state at up to 41 of them).")
    var cutPoints = 121
    @Option(parsing: .unconditional, help: ArgumentHelp("Fine theory mesh of the phase diagram, first axis × T, each in [2, 400], or 0x0 for no phase diagram (default: 64x52; 30x26 for dense networks, ~0.1 s per point).", valueName: "NXxNT"))
    var theoryMesh: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Figure size in pixels, each in [300, 4000] (default: 760x540).", valueName: "WxH"))
    var size = "760x540"
    @Option(name: .customLong("x-range"), parsing: .unconditional,
            help: ArgumentHelp("First-axis range of the phase diagram and cuts (default: the grid's values widened by half a step).", valueName: "lo:hi"))
    var xRange: String?
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Temperature range (default: the grid's, extended to show every critical line).", valueName: "lo:hi"))
    var temperatureRange: String?
    @Option(parsing: .unconditional, help: "Colour map of heat maps: \(ColourMap.allCases.filter { $0 != .diverging }.map(\.rawValue).joined(separator: " | ")) (default: viridis).")
    var colourMap = "viridis"
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        do { try Limits.linePoints.check(linePoints) } catch { throw error.validationError }
        _ = try options()
    }

    /// The parsed options, each checked with a one-line message naming it.
    func options() throws -> GridFigures.Options {
        var o = GridFigures.Options()
        o.observable = observable
        o.linePoints = linePoints
        o.threads = threading.threads
        guard (3...2000).contains(cutPoints) else { throw ValidationError("--cut-points must be an integer in [3, 2000] (got \(cutPoints))") }
        o.cutPoints = cutPoints
        guard let map = ColourMap(rawValue: colourMap), map != .diverging else {
            throw ValidationError("--colour-map must be one of viridis, cividis, magma, greys (got '\(colourMap)')")
        }
        o.colourMap = map
        func pair(_ text: String, _ name: String, _ range: ClosedRange<Int>, allowZero: Bool = false) throws -> (Int, Int) {
            let parts = text.lowercased().split(separator: "x").map { Int($0) }
            guard parts.count == 2, let a = parts[0], let b = parts[1],
                  (range.contains(a) && range.contains(b)) || (allowZero && a == 0 && b == 0) else {
                throw ValidationError("\(name) must be AxB with A and B in [\(range.lowerBound), \(range.upperBound)]\(allowZero ? " (or 0x0)" : "") (got '\(text)')")
            }
            return (a, b)
        }
        let (w, h) = try pair(size, "--size", 300...4000)
        o.width = Double(w); o.height = Double(h)
        if let theoryMesh {
            let mesh = try pair(theoryMesh, "--theory-mesh", 2...400, allowZero: true)
            guard mesh.0 * mesh.1 <= GridSpec.maximumPoints else {
                throw ValidationError("--theory-mesh must have at most \(GridSpec.maximumPoints) points (got '\(theoryMesh)')")
            }
            o.theoryMesh = mesh
        }
        func range(_ text: String?, _ name: String) throws -> ClosedRange<Double>? {
            guard let text else { return nil }
            let parts = text.split(separator: ":").map { Double($0) }
            guard parts.count == 2, let lo = parts[0], let hi = parts[1], lo.isFinite, hi.isFinite, lo >= 0, hi > lo else {
                throw ValidationError("\(name) must be lo:hi with 0 ≤ lo < hi (got '\(text)')")
            }
            return lo...hi
        }
        o.xRange = try range(xRange, "--x-range")
        o.temperatureRange = try range(temperatureRange, "--temperature-range")
        o.cuts = try cuts.map { text in
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]), value.isFinite else {
                throw ValidationError("--cut must be alpha=VALUE, dilution=VALUE or temperature=VALUE (got '\(text)')")
            }
            switch parts[0] {
            case "alpha", "dilution": return .atX(value)
            case "temperature", "T": return .atTemperature(value)
            default: throw ValidationError("--cut must be alpha=VALUE, dilution=VALUE or temperature=VALUE (got '\(text)')")
            }
        }
        return o
    }

    func run() throws {
        let figures: GridFigures
        do { figures = try GridFigures(directory: directory, options: try options()) } catch {
            throw ValidationError("\(error)")
        }
        let axisName = figures.run.spec.axisName
        for text in cuts where !text.hasPrefix("temperature=") && !text.hasPrefix("T=") && !text.hasPrefix(axisName + "=") {
            throw ValidationError("--cut on this grid's first axis is \(axisName)=VALUE (got '\(text)')")
        }
        // Each stage on a line of its own, and the theory loops' fraction with ETA.
        let progress = ProgressReporter(label: "hopsim plot", quiet: progressOptions.quiet)
        progress.observeLoops()
        let drawn = try figures.figures { message in progress.note(message) }
        progress.finish()
        for figure in drawn {
            let path = figures.run.directory.appendingPathComponent(figure.name).path
            try AtomicFile.write(Data(figure.svg.utf8), to: path)
            print("wrote \(path)")
        }
    }
}
