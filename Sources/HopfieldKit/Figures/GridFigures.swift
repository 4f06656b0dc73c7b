import Foundation

/// The figures of a grid directory: heat maps of the Monte Carlo and theory grids and of their
/// z-scores, the phase diagram in its standard form (theory on a fine mesh, every critical line of
/// the family, region labels, the Monte Carlo points as markers), and cuts (an observable against
/// one axis at a fixed value of the other: Monte Carlo with error bars, RS and 1RSB curves).
public struct GridFigures {
    public enum Cut: Sendable, Equatable {
        /// At fixed first-axis value (α, or d for low-storage multitasking), against T.
        case atX(Double)
        /// At fixed T, against the first axis.
        case atTemperature(Double)
    }

    public struct Options: Sendable {
        public var observable = "m"
        public var linePoints = 25
        /// Fine theory mesh (first axis × T); nil: the family's default; 0 × 0: no phase diagram.
        public var theoryMesh: (x: Int, temperature: Int)?
        public var width = 760.0, height = 540.0
        public var xRange: ClosedRange<Double>?
        public var temperatureRange: ClosedRange<Double>?
        public var colourMap = ColourMap.viridis
        public var cuts: [Cut] = []
        /// Theory points along a cut.
        public var cutPoints = 121
        public var threads = 1
        public init() {}
    }

    public struct Figure: Sendable {
        public var name: String
        public var svg: String
    }

    public let run: GridRun
    public let options: Options
    let mc: [TidyRow]?
    let theory: [TidyRow]?
    /// The Plefka grid (plefka.csv), when the spec computed it.
    let plefka: [TidyRow]?

    /// Reads the grid directory's merged CSVs (either may be absent, not both).
    public init(directory: String, options: Options) throws {
        let run = try GridRun.open(directory: directory)
        self.run = run
        self.options = options
        func rows(_ name: String) throws -> [TidyRow]? {
            let path = run.directory.appendingPathComponent(name).path
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            return try TidyRow.parse(csv: String(decoding: data, as: UTF8.self), file: path)
        }
        let mc = try rows("mc.csv"), theory = try rows("rs.csv")
        self.mc = mc
        self.theory = theory
        let plefka = try rows("plefka.csv")
        self.plefka = plefka
        guard mc != nil || theory != nil || plefka != nil else { throw FigureError("'\(directory)' holds none of mc.csv, rs.csv, plefka.csv") }
        let available = Set((mc ?? []).map(\.observable) + (theory ?? []).map(\.observable) + (plefka ?? []).map(\.observable))
        guard available.contains(options.observable) else {
            throw FigureError("--observable must be one of \(available.sorted().joined(separator: ", ")) (got '\(options.observable)')")
        }
        // The first axis's domain: α > 0, or a dilution in (0, 1).
        let spec = run.spec
        let domain = spec.hasDilutionAxis ? "in (0, 1)" : "> 0"
        func inDomain(_ x: Double) -> Bool { x > 0 && (!spec.hasDilutionAxis || x < 1) }
        for cut in options.cuts {
            if case .atTemperature(let t) = cut, t < 0 { throw FigureError("--cut temperature must be ≥ 0 (got \(t))") }
            if case .atX(let x) = cut, !inDomain(x) { throw FigureError("--cut \(spec.axisName) must be \(domain) (got \(x))") }
        }
        if let r = options.xRange, !(inDomain(r.lowerBound) && inDomain(r.upperBound)) {
            throw FigureError("--x-range must lie \(spec.hasDilutionAxis ? "in (0, 1)" : "in (0, ∞)") on this grid's \(spec.axisName) axis (got \(r.lowerBound):\(r.upperBound))")
        }
    }

    public struct FigureError: Error, CustomStringConvertible {
        public var description: String
        init(_ d: String) { description = d }
    }

    var spec: GridSpec { run.spec }
    var observable: String { options.observable }
    var xName: String { spec.hasDilutionAxis ? "d" : "α" }
    func x(_ row: TidyRow) -> Double { spec.axisValue(row) }

    /// The fine mesh the phase diagram uses by default: ~60 × 50 where the family's RS point costs
    /// milliseconds, 30 × 26 for dense networks (~0.1 s per point).
    public var defaultTheoryMesh: (x: Int, temperature: Int) {
        spec.model == .dense ? (30, 26) : (64, 52)
    }

    /// Every figure: heat maps, the phase diagram (unless the mesh is 0 × 0), the cuts.
    public func figures(progress: (@Sendable (String) -> Void)? = nil) throws -> [Figure] {
        let lines = try run.criticalLines(points: options.linePoints, threads: options.threads).curves
        var figures = heatMaps(lines)
        let mesh = options.theoryMesh ?? defaultTheoryMesh
        if mesh.x > 1, mesh.temperature > 1 {
            figures.append(try phaseDiagram(lines, mesh: mesh, progress: progress))
        }
        for cut in options.cuts { figures.append(try self.cut(cut, lines: lines, progress: progress)) }
        return figures
    }

    // MARK: - Heat maps (the grid's own points)

    func styled(_ curves: [CriticalCurve], onLightMap: Bool) -> [SVGPlot.Curve] {
        curves.map { curve in
            let (colour, dashed): (String, Bool) = switch curve.kind {
            case .spinodal: ("#000000", false)
            case .global: (onLightMap ? "#6a3d9a" : "#ffffff", false)
            case .glass: ("#d62728", true)
            case .almeidaThouless: ("#ff7f0e", true)
            case .level(let k): (["#000000", onLightMap ? "#6a3d9a" : "#ffffff", "#d62728", "#ff7f0e", "#1f77b4", "#2ca02c"][(k - 1) % 6], k > 2)
            }
            return SVGPlot.Curve(label: curve.label, points: curve.points.map { ($0.x, $0.temperature) }, colour: colour, dashed: dashed)
        }
    }

    func plot(_ title: String, colourLabel: String, cells: [SVGPlot.Cell]) -> SVGPlot {
        var plot = SVGPlot(title: title, colourLabel: colourLabel, cells: cells)
        plot.xLabel = spec.axisLabel
        plot.xName = xName
        plot.width = options.width; plot.height = options.height
        plot.colourMap = options.colourMap
        return plot
    }

    func cells(_ rows: [TidyRow]) -> [SVGPlot.Cell] {
        var seen = Set<[Double]>()
        return rows.compactMap { row in
            guard seen.insert([x(row), row.temperature]).inserted else { return nil }
            return SVGPlot.Cell(x: x(row), y: row.temperature, value: row.value)
        }
    }

    /// Cells for every grid point, nil (grey) where `rows` has no value. Rows are matched by point
    /// index: a Monte Carlo or Plefka row's α is the realised P/N, not the spec's value.
    func gridCells(_ rows: [TidyRow]) -> [SVGPlot.Cell] {
        let byPoint = Dictionary(rows.map { ($0.point, $0.value) }, uniquingKeysWith: { a, _ in a })
        return spec.points.map { p in SVGPlot.Cell(x: p.x, y: p.temperature, value: byPoint[p.index]) }
    }

    func heatMaps(_ lines: [CriticalCurve]) -> [Figure] {
        var figures: [Figure] = []
        let multitasking = spec.isMultitasking && spec.hasDilutionAxis
        if let mc {
            var p = plot("Monte Carlo \(observable) (N = \(mc.first?.neurons ?? 0))", colourLabel: observable,
                         cells: gridCells(mc.filter { $0.observable == observable }))
            p.curves = styled(lines, onLightMap: false)
            p.missingMeaning = "not computed"
            figures.append(Figure(name: "mc-\(observable).svg", svg: p.render()))
        }
        if let theory {
            let global = theory.filter { $0.observable == observable && $0.global == true }
            var p = plot("\(theoryName(theory)) \(observable) of the global state", colourLabel: observable, cells: gridCells(global))
            p.curves = styled(lines, onLightMap: false)
            p.missingMeaning = "no converged global state"
            figures.append(Figure(name: "rs-\(observable).svg", svg: p.render()))
        }
        if let mc, let theory {
            let c = Comparison.compare(simulation: mc, theory: theory, observable: observable)
            let limit = max(3, c.points.compactMap(\.z).map(abs).filter(\.isFinite).max() ?? 3)
            var p = plot("(MC − theory) / error for \(observable)", colourLabel: "z",
                         cells: c.points.map { SVGPlot.Cell(x: spec.points[$0.point].x, y: $0.temperature, value: $0.z) })
            p.palette = .diverging(limit: min(limit, 10))
            // The map is white where MC agrees: every line dark.
            p.curves = styled(lines, onLightMap: true)
            p.missingMeaning = "z undefined: MC error 0 (T = 0, samples identical)"
            figures.append(Figure(name: "compare-\(observable).svg", svg: p.render()))
        }
        if let plefka, plefka.contains(where: { $0.observable == observable }) {
            figures += plefkaMaps(plefka, lines, multitasking: multitasking)
        }
        return figures
    }

    /// The Plefka grid: its heat map (converged points), (MC − Plefka)/σ_MC and (Plefka − theory)/σ.
    func plefkaMaps(_ plefka: [TidyRow], _ lines: [CriticalCurve], multitasking: Bool) -> [Figure] {
        var figures: [Figure] = []
        let order = plefka.first.map { $0.method.hasPrefix("plefka order 1") ? "first" : "second" } ?? "second"
        var p = plot("Plefka (TAP, \(order) order) \(observable)", colourLabel: observable,
                     cells: gridCells(plefka.filter { $0.observable == observable && $0.converged }))
        p.curves = styled(lines, onLightMap: false)
        p.missingMeaning = "no Plefka value: T = 0, or the iteration did not converge"
        figures.append(Figure(name: "plefka-\(observable).svg", svg: p.render()))
        func zMap(_ c: Comparison, _ title: String, _ name: String, _ missing: String) -> Figure {
            let limit = max(3, c.points.compactMap(\.z).map(abs).filter(\.isFinite).max() ?? 3)
            // Every grid point is drawn (matched by index): grey where there is no z.
            let byPoint = Dictionary(c.points.map { ($0.point, $0.z) }, uniquingKeysWith: { a, _ in a })
            let cells = spec.points.map { point in
                SVGPlot.Cell(x: point.x, y: point.temperature, value: byPoint[point.index] ?? nil)
            }
            var p = plot(title, colourLabel: "z", cells: cells)
            p.palette = .diverging(limit: min(limit, 10))
            p.curves = styled(lines, onLightMap: true)
            p.missingMeaning = missing
            return Figure(name: name, svg: p.render())
        }
        if let mc {
            let c = Comparison.compare(simulation: mc, approximation: plefka, observable: observable)
            figures.append(zMap(c, "(MC − Plefka) / MC error for \(observable)", "compare-plefka-\(observable).svg",
                                "no z: T = 0 (no Plefka), Plefka not converged, or MC error 0"))
        }
        if let theory {
            let c = Comparison.compare(simulation: plefka, theory: theory, observable: observable)
            figures.append(zMap(c, "(Plefka − theory) / sample error for \(observable)", "compare-plefka-rs-\(observable).svg",
                                "no z: T = 0, not converged, no theory state, zero spread"))
        }
        return figures
    }

    // MARK: - Phase diagram

    /// The theory in words, from its rows: low-storage (exact), RS, or RS with 1RSB states.
    func theoryName(_ rows: [TidyRow]) -> String {
        if spec.isMultitasking && spec.hasDilutionAxis { return "low-storage theory" }
        if let name = spec.contract.theoryLabel { return name }
        return rows.contains { $0.source == "1rsb" && $0.global == true } ? "theory (RS; 1RSB where RS is not admissible)" : "RS theory"
    }

    /// The first axis's range: the option, else the grid's values widened by half a step (kept ≥ 0).
    var xExtent: ClosedRange<Double> {
        if let r = options.xRange { return r }
        let v = spec.axis.sorted()
        guard let lo = v.first, let hi = v.last, hi > lo else {
            // One value x: from x/2 to 1.5x (a dilution stays below 1).
            let x = v.first ?? 0.1
            return (x / 2)...(spec.hasDilutionAxis ? min(1.5 * x, (1 + x) / 2) : 1.5 * x)
        }
        let half = (v[1] - v[0]) / 2
        // A dilution stays below 1.
        let upper = spec.hasDilutionAxis ? min(hi + half, hi + (1 - hi) / 2) : hi + half
        return (lo - half > 0 ? lo - half : lo / 2)...upper
    }

    /// T's range: the option, else from T = 0 (where the AT line and the capacity lie) up to the
    /// grid's highest T or, if higher, 8% above the highest point of a critical line within the x
    /// range (so that T_g shows).
    func temperatureExtent(_ lines: [CriticalCurve]) -> ClosedRange<Double> {
        if let r = options.temperatureRange { return r }
        let t = spec.temperature.sorted()
        let xr = xExtent
        let lineTop = lines.flatMap(\.points).filter { xr.contains($0.x) }.map(\.temperature).max() ?? 0
        return 0...max(t.last ?? 1, 1.08 * lineTop, 1e-3)
    }

    func phaseDiagram(_ lines: [CriticalCurve], mesh: (x: Int, temperature: Int), progress: (@Sendable (String) -> Void)?) throws -> Figure {
        let xr = xExtent, tr = temperatureExtent(lines)
        let xs = FineTheory.mesh(xr.lowerBound, xr.upperBound, mesh.x)
        let ts = FineTheory.mesh(tr.lowerBound, tr.upperBound, mesh.temperature)
        progress?("theory on a \(mesh.x) × \(mesh.temperature) mesh (cached in \(run.directory.lastPathComponent)/fine-theory)")
        let rows = try FineTheory.rows(spec: spec, xValues: xs, temperatures: ts,
                                       directory: run.directory.appendingPathComponent("fine-theory").path, threads: options.threads)
        let nT = ts.count
        let global = Dictionary(rows.filter { $0.observable == observable && $0.global == true }.map { ($0.point, $0.value) },
                                uniquingKeysWith: { a, _ in a })
        var cells: [SVGPlot.Cell] = []
        for (i, x) in xs.enumerated() { for (j, t) in ts.enumerated() { cells.append(SVGPlot.Cell(x: x, y: t, value: global[i * nT + j])) } }
        let region = PhaseRegions.classify(rows)
        let grid: [[String?]] = xs.indices.map { i in ts.indices.map { j in region[i * nT + j] } }
        var p = plot("Phase diagram: \(theoryName(rows)) \(observable) of the global state\(mc == nil ? "" : ", Monte Carlo points")",
                     colourLabel: observable, cells: cells)
        p.xRange = xr; p.yRange = tr
        p.curves = styled(lines, onLightMap: false)
        p.labels = PhaseRegions.labelPositions(grid).map { SVGPlot.Label(x: xs[$0.i], y: ts[$0.j], text: $0.text) }
        p.notes = PhaseRegions.key(Set(p.labels.map(\.text)))
        p.missingMeaning = global.isEmpty ? "the theory has no \(observable)" : "no converged global state"
        if let mc {
            let neurons = mc.first?.neurons.map { "N = \($0)" } ?? ""
            p.markerLabel = "Monte Carlo \(observable), \(neurons) (fill: same scale)"
            p.markers = mc.filter { $0.observable == observable }.map { row in
                SVGPlot.Marker(x: x(row), y: row.temperature, value: row.value,
                               tip: String(format: "MC %@ = %.4g ± %.2g at %@ = %.4g, T = %.4g", observable, row.value,
                                           row.totalError ?? 0, xName, x(row), row.temperature))
            }
        }
        return Figure(name: "phase-diagram-\(observable).svg", svg: p.render())
    }

    // MARK: - Cuts

    /// Splits states along a cut into continuous tracks: in order of position, each value joins the
    /// track that ended at the previous position with the nearest value, if within `jump`, else
    /// starts a track; a track takes one value per position. Two roots at one position, or a root
    /// that jumps, are never joined by a line.
    static func tracks(_ points: [(Double, Double)], jump: Double) -> [[(Double, Double)]] {
        let positions = Array(Set(points.map(\.0))).sorted()
        var tracks: [[(Double, Double)]] = []
        var open: [Int] = []            // tracks that ended at the previous position
        for x in positions {
            var next: [Int] = []
            var free = open
            for value in points.filter({ $0.0 == x }).map(\.1).sorted() {
                if let best = free.min(by: { abs(tracks[$0].last!.1 - value) < abs(tracks[$1].last!.1 - value) }),
                   abs(tracks[best].last!.1 - value) <= jump {
                    tracks[best].append((x, value))
                    free.removeAll { $0 == best }
                    next.append(best)
                } else {
                    tracks.append([(x, value)])
                    next.append(tracks.count - 1)
                }
            }
            open = next
        }
        return tracks
    }

    func cut(_ cut: Cut, lines: [CriticalCurve], progress: (@Sendable (String) -> Void)?) throws -> Figure {
        let measure = try GaussianMeasure(settings: spec.quadrature)
        let along: [Double], xs: [Double], ts: [Double], fixed: String, axisLabel: String, name: String
        switch cut {
        case .atX(let x0):
            let tr = temperatureExtent(lines)
            ts = FineTheory.mesh(tr.lowerBound, tr.upperBound, options.cutPoints); xs = [x0]; along = ts
            fixed = "\(xName) = \(SVGPlot.label(x0))"; axisLabel = "temperature T"
            name = "cut-\(spec.axisName)-\(SVGPlot.label(x0))-\(observable).svg"
        case .atTemperature(let t0):
            let xr = xExtent
            xs = FineTheory.mesh(xr.lowerBound, xr.upperBound, options.cutPoints); ts = [t0]; along = xs
            fixed = "T = \(SVGPlot.label(t0))"; axisLabel = spec.axisLabel
            name = "cut-temperature-\(SVGPlot.label(t0))-\(observable).svg"
        }
        progress?("cut at \(fixed): theory at \(along.count) points")
        let cutSpec = FineTheory.spec(spec, xValues: xs, temperatures: ts)
        let solved = try cutSpec.contract.solveTheory(rows: xs, spec: cutSpec, measure: measure, threads: options.threads) { _, _ in true }
        var theoryRows: [TidyRow] = []
        for point in cutSpec.points {
            guard let branches = solved[point.index / ts.count][point.index % ts.count] else { continue }
            theoryRows += try cutSpec.contract.theoryRows(branches.record, point: point, spec: cutSpec)
        }
        func position(_ row: TidyRow) -> Double { xs.count == 1 ? row.temperature : x(row) }
        let ofObservable = theoryRows.filter { $0.observable == observable && $0.converged }
        var series: [SVGLineChart.Series] = []
        // The global state, one series per branch, so that a first-order jump is not drawn as a line.
        let globalRows = ofObservable.filter { $0.global == true }
        for branch in Set(globalRows.map(\.branch)).sorted() {
            series.append(.init(label: "\(theoryName(theoryRows)): global state", colour: "#000000",
                                style: .line(dashed: false, width: 4),
                                points: globalRows.filter { $0.branch == branch }.map { (position($0), $0.value, nil) }))
        }
        // Stable retrieval roots that are not global: one line per continuous track, so that two
        // roots at the same point are never joined.
        // Only states of entropy ≥ −10⁻⁶ (PhaseRegions.isMetastableRetrieval).
        let metastable = PhaseRegions.states(theoryRows).filter(PhaseRegions.isMetastableRetrieval)
            .compactMap { rows in rows.first { $0.observable == observable } }
        let span = max((ofObservable.map(\.value).max() ?? 1) - (ofObservable.map(\.value).min() ?? 0), 1e-12)
        for track in Self.tracks(metastable.map { (position($0), $0.value) }, jump: 0.15 * span) {
            series.append(.init(label: "\(spec.contract.theoryLabel.map { $0.replacingOccurrences(of: " theory", with: "") } ?? "RS") retrieval state (stable, not global, s ≥ 0)", colour: "#1f77b4", style: .line(dashed: true, width: 2),
                                points: track.map { ($0.0, $0.1, nil) }))
        }
        // The 1RSB retrieval state along the cut, where the family has a 1RSB theory.
        if ["m", "energy", "free_energy"].contains(observable) {
            let points = min(41, options.cutPoints)
            let oneXs = xs.count == 1 ? xs : FineTheory.mesh(xs[0], xs[xs.count - 1], points)
            let oneTs = ts.count == 1 ? ts : FineTheory.mesh(ts[0], ts[ts.count - 1], points)
            progress?("cut at \(fixed): 1RSB retrieval state at \(points) points")
            if let states = spec.contract.oneStepRSB(alphas: oneXs, temperatures: oneTs, branch: .retrieval, fixedX: nil,
                                                     settings: spec.solver, measure: measure, threads: options.threads) {
                var curve: [(x: Double, y: Double, error: Double?)] = []
                for (i, a) in oneXs.enumerated() {
                    for (j, t) in oneTs.enumerated() {
                        guard let s = states[i][j].first(where: { $0.converged && $0.branch == "retrieval" }) else { continue }
                        let value: Double? = switch observable {
                        case "m": s.m
                        case "energy": s.energy
                        default: s.freeEnergy
                        }
                        if let value { curve.append((xs.count == 1 ? t : a, value, nil)) }
                    }
                }
                for track in Self.tracks(curve.map { ($0.x, $0.y) }, jump: 0.15 * span) {
                    series.append(.init(label: "1RSB retrieval state", colour: "#d62728", style: .line(dashed: true, width: 2),
                                        points: track.map { ($0.0, $0.1, nil) }))
                }
            }
        }
        var notes: [String] = []
        if let mc {
            let onCut = mc.filter { row in
                guard row.observable == observable else { return false }
                switch cut {
                // The grid's own first-axis value of the row's point (the realised α of a record,
                // ln K/N or K/N^{P−1} with K rounded, differs from it).
                case .atX(let x0):
                    let gridX = spec.points.indices.contains(row.point) ? spec.points[row.point].x : x(row)
                    return abs(gridX - x0) <= 1e-9 * max(1, abs(x0))
                case .atTemperature(let t0): return abs(row.temperature - t0) <= 1e-9 * max(1, abs(t0))
                }
            }
            if onCut.isEmpty {
                let values = (xs.count == 1 ? spec.axis : spec.temperature).map(SVGPlot.label).joined(separator: ", ")
                notes.append("no Monte Carlo points at \(fixed) (grid: \(values))")
            } else {
                series.append(.init(label: "Monte Carlo, N = \(onCut.first?.neurons ?? 0) (± total error)", colour: "#000000", style: .points,
                                    points: onCut.map { (position($0), $0.value, $0.totalError) }))
            }
        }
        var chart = SVGLineChart(title: "\(observable) at \(fixed) (\(spec.name))", xLabel: axisLabel, yLabel: observable, series: series)
        chart.notes = notes
        chart.width = options.width; chart.height = options.height
        if xs.count == 1 { chart.xRange = options.temperatureRange ?? (ts[0]...ts[ts.count - 1]) } else { chart.xRange = xExtent }
        return Figure(name: name, svg: chart.render())
    }
}
