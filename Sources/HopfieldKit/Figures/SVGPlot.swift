import Foundation

/// Self-contained SVG pictures of grids (no external program): a heat map of one observable over
/// (α, T) with a colour bar, critical lines, markers (Monte Carlo points coloured on the same scale),
/// region labels, and a legend inside the frame that lists only what is drawn.
public struct SVGPlot: Sendable {
    public struct Cell: Sendable {
        public var x: Double, y: Double, value: Double?
        public init(x: Double, y: Double, value: Double?) { self.x = x; self.y = y; self.value = value }
    }
    public struct Curve: Sendable {
        public var label: String, points: [(Double, Double)], colour: String, dashed: Bool
        public init(label: String, points: [(Double, Double)], colour: String, dashed: Bool) {
            self.label = label; self.points = points; self.colour = colour; self.dashed = dashed
        }
    }
    /// A point drawn as a circle filled with its value's colour (grey without a value).
    public struct Marker: Sendable {
        public var x: Double, y: Double, value: Double?, tip: String
        public init(x: Double, y: Double, value: Double?, tip: String) { self.x = x; self.y = y; self.value = value; self.tip = tip }
    }
    /// A text placed in the plane (a region of the phase diagram).
    public struct Label: Sendable {
        public var x: Double, y: Double, text: String
        public init(x: Double, y: Double, text: String) { self.x = x; self.y = y; self.text = text }
    }
    public enum Palette: Sendable { case sequential, diverging(limit: Double) }

    public var title: String
    public var xLabel = "load α = P/N"
    /// The x variable's symbol, in tooltips.
    public var xName = "α"
    public var yLabel = "temperature T"
    public var colourLabel: String
    public var cells: [Cell]
    public var curves: [Curve] = []
    public var markers: [Marker] = []
    /// The legend entry of the markers (e.g. "Monte Carlo, N = 2000").
    public var markerLabel = "Monte Carlo"
    public var labels: [Label] = []
    /// Extra legend lines (the key of the region labels).
    public var notes: [String] = []
    /// What a grey cell means here; shown in the legend when a cell has no value.
    public var missingMeaning = "no value"
    public var palette: Palette = .sequential
    public var colourMap = ColourMap.viridis
    /// Axis ranges; nil: the cells' extent.
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var width = 760.0, height = 540.0

    public init(title: String, colourLabel: String, cells: [Cell]) {
        self.title = title; self.colourLabel = colourLabel; self.cells = cells
    }

    // Margins (pixels): the colour bar sits right of the frame, the legend inside it.
    let left = 80.0, right = 95.0, top = 50.0, bottom = 70.0
    static let missingColour = "#c8c8c8"

    var map: ColourMap {
        if case .diverging = palette { return .diverging }
        return colourMap
    }

    public func render() -> String {
        let xs = Array(Set(cells.map(\.x))).sorted(), ys = Array(Set(cells.map(\.y))).sorted()
        let xEdges = Self.edges(xs), yEdges = Self.edges(ys)
        let (x0, x1) = xRange.map { ($0.lowerBound, $0.upperBound) } ?? (xEdges.first ?? 0, xEdges.last ?? 1)
        let (y0, y1) = yRange.map { ($0.lowerBound, $0.upperBound) } ?? (yEdges.first ?? 0, yEdges.last ?? 1)
        let plotW = width - left - right, plotH = height - top - bottom
        func px(_ x: Double) -> Double { left + (x - x0) / max(x1 - x0, 1e-300) * plotW }
        func py(_ y: Double) -> Double { top + plotH - (y - y0) / max(y1 - y0, 1e-300) * plotH }
        let values = cells.compactMap(\.value).filter(\.isFinite) + markers.compactMap(\.value).filter(\.isFinite)
        let (vmin, vmax): (Double, Double) = {
            if case .diverging(let limit) = palette { return (-limit, limit) }
            let lo = values.min() ?? 0, hi = values.max() ?? 1
            return lo == hi ? (lo - 0.5, hi + 0.5) : (lo, hi)
        }()
        func colour(_ v: Double) -> String { map.colour((v - vmin) / (vmax - vmin)) }
        var svg = Self.header(title: title, width: width, height: height, left: left, top: top, plotW: plotW, plotH: plotH)
            + "<g id=\"cells\" shape-rendering=\"crispEdges\" clip-path=\"url(#frame)\">\n"
        var missing = false
        for cell in cells {
            guard let i = xs.firstIndex(of: cell.x), let j = ys.firstIndex(of: cell.y) else { continue }
            if cell.value == nil { missing = true }
            let fill = cell.value.map(colour) ?? Self.missingColour
            let xa = px(xEdges[i]), xb = px(xEdges[i + 1]), ya = py(yEdges[j + 1]), yb = py(yEdges[j])
            let tip = cell.value.map { String(format: "%.4g", $0) } ?? missingMeaning
            // Half a pixel of overlap hides the seams between cells in rasterisers.
            svg += "<rect x=\"\(f(xa))\" y=\"\(f(ya))\" width=\"\(f(xb - xa + 0.5))\" height=\"\(f(yb - ya + 0.5))\" fill=\"\(fill)\"><title>\(Self.escape(xName)) = \(String(format: "%.4g", cell.x)), T = \(String(format: "%.4g", cell.y)): \(Self.escape(tip))</title></rect>\n"
        }
        svg += "</g>\n<g id=\"curves\" fill=\"none\" stroke-width=\"2.5\" clip-path=\"url(#frame)\">\n"
        // A curve is drawn, and listed in the legend, only with two points inside the axes.
        var drawn: [Curve] = []
        let inRange = { (p: (Double, Double)) in p.0 >= x0 && p.0 <= x1 && p.1 >= y0 && p.1 <= y1 }
        for curve in curves {
            guard curve.points.filter(inRange).count >= 2 else { continue }
            drawn.append(curve)
            let path = curve.points.map { "\(f(px($0.0))),\(f(py($0.1)))" }.joined(separator: " ")
            svg += "<polyline points=\"\(path)\" stroke=\"\(curve.colour)\"\(curve.dashed ? " stroke-dasharray=\"7,4\"" : "")><title>\(Self.escape(curve.label))</title></polyline>\n"
        }
        svg += "</g>\n"
        let shownMarkers = markers.filter { inRange(($0.x, $0.y)) }
        if !shownMarkers.isEmpty {
            svg += "<g id=\"markers\" stroke=\"black\" stroke-width=\"1.2\">\n"
            for m in shownMarkers {
                svg += "<circle cx=\"\(f(px(m.x)))\" cy=\"\(f(py(m.y)))\" r=\"5.5\" fill=\"\(m.value.map(colour) ?? Self.missingColour)\"><title>\(Self.escape(m.tip))</title></circle>\n"
            }
            svg += "</g>\n"
        }
        let shownLabels = labels.filter { inRange(($0.x, $0.y)) }
        if !shownLabels.isEmpty {
            svg += "<g id=\"region-labels\" font-size=\"18\" font-weight=\"bold\" text-anchor=\"middle\">\n"
            for l in shownLabels {
                // A white halo keeps the label legible over any colour.
                svg += "<text x=\"\(f(px(l.x)))\" y=\"\(f(py(l.y) + 6))\" stroke=\"white\" stroke-width=\"4\" stroke-linejoin=\"round\" fill=\"black\" paint-order=\"stroke\">\(Self.escape(l.text))</text>\n"
            }
            svg += "</g>\n"
        }
        svg += axes(px: px, py: py, x0: x0, x1: x1, y0: y0, y1: y1, plotW: plotW, plotH: plotH)
        svg += colourBar(vmin, vmax, plotH: plotH)
        var entries: [LegendEntry] = drawn.map { .line($0.label, $0.colour, $0.dashed) }
        if !shownMarkers.isEmpty { entries.append(.marker(markerLabel)) }
        if missing || shownMarkers.contains(where: { $0.value == nil }) { entries.append(.swatch(missingMeaning, Self.missingColour)) }
        entries += notes.map { .text($0) }
        // Obstacles the legend should not hide: curve points, markers and labels (in pixels).
        // A region label weighs as much as a whole curve: it must not be hidden.
        var obstacles: [(Double, Double)] = []
        for curve in drawn { for p in curve.points where inRange(p) { obstacles.append((px(p.0), py(p.1))) } }
        for m in shownMarkers { obstacles.append((px(m.x), py(m.y))) }
        for l in shownLabels {
            for _ in 0..<3 {
                for dx in -2...2 { for dy in -1...1 { obstacles.append((px(l.x) + Double(dx) * 6, py(l.y) + Double(dy) * 5)) } }
            }
        }
        svg += legend(entries, plotW: plotW, plotH: plotH, avoiding: obstacles)
        svg += "</svg>\n"
        return svg
    }

    func axes(px: (Double) -> Double, py: (Double) -> Double, x0: Double, x1: Double, y0: Double, y1: Double,
              plotW: Double, plotH: Double) -> String {
        var s = "<g id=\"axes\" stroke=\"black\" fill=\"none\">\n"
        s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\"/>\n"
        for t in Self.ticks(x0, x1) {
            s += "<line x1=\"\(f(px(t)))\" y1=\"\(f(top + plotH))\" x2=\"\(f(px(t)))\" y2=\"\(f(top + plotH + 6))\"/>\n"
        }
        for t in Self.ticks(y0, y1) {
            s += "<line x1=\"\(f(left - 6))\" y1=\"\(f(py(t)))\" x2=\"\(f(left))\" y2=\"\(f(py(t)))\"/>\n"
        }
        s += "</g>\n<g id=\"tick-labels\" fill=\"black\">\n"
        for t in Self.ticks(x0, x1) {
            s += "<text x=\"\(f(px(t)))\" y=\"\(f(top + plotH + 22))\" text-anchor=\"middle\">\(Self.label(t))</text>\n"
        }
        for t in Self.ticks(y0, y1) {
            s += "<text x=\"\(f(left - 10))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(Self.label(t))</text>\n"
        }
        s += "<text id=\"x-label\" x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 22))\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>\n"
        s += "<text id=\"y-label\" x=\"22\" y=\"\(f(top + plotH / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 22 \(f(top + plotH / 2)))\">\(Self.escape(yLabel))</text>\n"
        return s + "</g>\n"
    }

    func colourBar(_ vmin: Double, _ vmax: Double, plotH: Double) -> String {
        let x = width - right + 20, w = 18.0, steps = 60
        var s = "<g id=\"colour-bar\">\n"
        for k in 0..<steps {
            let v = vmin + (vmax - vmin) * (Double(k) + 0.5) / Double(steps)
            let y = top + plotH * (1 - Double(k + 1) / Double(steps))
            s += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(w))\" height=\"\(f(plotH / Double(steps) + 0.5))\" fill=\"\(map.colour((v - vmin) / (vmax - vmin)))\"/>\n"
        }
        s += "<rect x=\"\(f(x))\" y=\"\(f(top))\" width=\"\(f(w))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"black\"/>\n"
        for t in Self.ticks(vmin, vmax) {
            let y = top + plotH * (1 - (t - vmin) / (vmax - vmin))
            s += "<text x=\"\(f(x + w + 6))\" y=\"\(f(y + 4))\">\(Self.label(t))</text>\n"
        }
        s += "<text x=\"\(f(x + w / 2))\" y=\"\(f(top - 10))\" text-anchor=\"middle\">\(Self.escape(colourLabel))</text>\n"
        return s + "</g>\n"
    }

    enum LegendEntry {
        case line(String, String, Bool), marker(String, colour: String = "black"), swatch(String, String), text(String)
        var text: String {
            switch self { case .line(let t, _, _), .marker(let t, _), .swatch(let t, _), .text(let t): t }
        }
    }

    /// The legend inside the frame, in the corner where it hides the fewest curve points, markers
    /// and labels; on a white, slightly transparent box.
    func legend(_ entries: [LegendEntry], plotW: Double, plotH: Double, avoiding obstacles: [(Double, Double)]) -> String {
        guard !entries.isEmpty else { return "" }
        let rowHeight = 16.0, pad = 6.0
        let textWidth = entries.map { entry -> Double in
            let indent: Double = if case .text = entry { 0 } else { 30 }
            return indent + Self.textWidth(entry.text, fontSize: 11)
        }.max() ?? 0
        let boxW = min(textWidth + 2 * pad, plotW - 8), boxH = Double(entries.count) * rowHeight + 2 * pad - 4
        // Candidate places on a 7 × 7 lattice over the frame, the top-right corner first (preferred
        // on ties), then the other corners, then the rest.
        let steps = 6
        var places: [(Double, Double)] = []
        for a in 0...steps {
            for b in 0...steps {
                places.append((left + 4 + (plotW - boxW - 8) * Double(steps - a) / Double(steps),
                               top + 4 + (plotH - boxH - 8) * Double(b) / Double(steps)))
            }
        }
        let corners = [0, steps, steps * (steps + 1), steps * (steps + 1) + steps]
        places = corners.map { places[$0] } + places.enumerated().filter { !corners.contains($0.offset) }.map(\.element)
        func hidden(_ c: (Double, Double)) -> Int {
            obstacles.filter { $0.0 >= c.0 - 4 && $0.0 <= c.0 + boxW + 4 && $0.1 >= c.1 - 4 && $0.1 <= c.1 + boxH + 4 }.count
        }
        var (bx, by) = places[0]
        var fewest = Int.max
        for place in places {
            let n = hidden(place)
            if n < fewest { fewest = n; (bx, by) = place }
        }
        var s = "<g id=\"legend\" font-size=\"11\">\n"
        s += "<rect x=\"\(f(bx))\" y=\"\(f(by))\" width=\"\(f(boxW))\" height=\"\(f(boxH))\" fill=\"white\" fill-opacity=\"0.88\" stroke=\"#555555\" stroke-width=\"0.8\"/>\n"
        var y = by + pad + 10
        let x = bx + pad
        for entry in entries {
            switch entry {
            case .line(let label, let colour, let dashed):
                // A light line gets a dark edge so that it shows on the white legend.
                if colour.lowercased() == "#ffffff" {
                    s += "<line x1=\"\(f(x))\" y1=\"\(f(y - 4))\" x2=\"\(f(x + 24))\" y2=\"\(f(y - 4))\" stroke=\"#444444\" stroke-width=\"4.5\"/>\n"
                }
                s += "<line x1=\"\(f(x))\" y1=\"\(f(y - 4))\" x2=\"\(f(x + 24))\" y2=\"\(f(y - 4))\" stroke=\"\(colour)\" stroke-width=\"2.5\"\(dashed ? " stroke-dasharray=\"7,4\"" : "")/>\n"
                s += "<text x=\"\(f(x + 30))\" y=\"\(f(y))\">\(Self.escape(label))</text>\n"
            case .marker(let label, let colour):
                s += "<circle cx=\"\(f(x + 12))\" cy=\"\(f(y - 4))\" r=\"5\" fill=\"white\" stroke=\"\(colour)\" stroke-width=\"1.2\"/>\n"
                s += "<text x=\"\(f(x + 30))\" y=\"\(f(y))\">\(Self.escape(label))</text>\n"
            case .swatch(let label, let colour):
                s += "<rect x=\"\(f(x + 4))\" y=\"\(f(y - 11))\" width=\"16\" height=\"12\" fill=\"\(colour)\" stroke=\"#555555\" stroke-width=\"0.6\"/>\n"
                s += "<text x=\"\(f(x + 30))\" y=\"\(f(y))\">\(Self.escape(label))</text>\n"
            case .text(let text):
                s += "<text x=\"\(f(x))\" y=\"\(f(y))\">\(Self.escape(text))</text>\n"
            }
            y += rowHeight
        }
        return s + "</g>\n"
    }

    /// The opening of a figure: the SVG element, its title, the plot frame as the clip path
    /// `#frame`, a white background and the visible title.
    static func header(title: String, width: Double, height: Double, left: Double, top: Double, plotW: Double, plotH: Double) -> String {
        let f = { (x: Double) in String(format: "%.1f", x) }
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="13">
        <title>\(escape(title))</title>
        <defs><clipPath id="frame"><rect x="\(f(left))" y="\(f(top))" width="\(f(plotW))" height="\(f(plotH))"/></clipPath></defs>
        <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="white"/>
        \(titleText(title, centre: left + plotW / 2, width: width))

        """
    }

    /// The figure's title, centred at `centre`, its font shrunk from 16 px so that it fits the figure.
    static func titleText(_ title: String, centre: Double, width: Double) -> String {
        let room = 2 * min(centre, width - centre) - 8
        let size = max(9, min(16, 16 * room / max(textWidth(title, fontSize: 16), 1)))
        return "<text x=\"\(String(format: "%.1f", centre))\" y=\"28\" text-anchor=\"middle\" font-size=\"\(String(format: "%.1f", size))\">\(escape(title))</text>"
    }

    /// Approximate width of a text in Helvetica (average advance 0.56 em; narrow and wide letters
    /// weighed), enough to size a legend box.
    static func textWidth(_ text: String, fontSize: Double) -> Double {
        text.reduce(0) { sum, c in
            let em: Double = "iljt.,:;|!()[] ".contains(c) ? 0.3 : ("mwMW—".contains(c) ? 0.88 : (c.isUppercase ? 0.7 : 0.6))
            return sum + em * fontSize
        }
    }

    /// Cell edges: midpoints between values, extended by half a step at the ends.
    static func edges(_ v: [Double]) -> [Double] {
        guard v.count > 1 else { return v.isEmpty ? [0, 1] : [v[0] - 0.5, v[0] + 0.5] }
        var e = [v[0] - (v[1] - v[0]) / 2]
        for k in 1..<v.count { e.append((v[k - 1] + v[k]) / 2) }
        e.append(v[v.count - 1] + (v[v.count - 1] - v[v.count - 2]) / 2)
        return e
    }

    /// About five round ticks in [a, b].
    static func ticks(_ a: Double, _ b: Double) -> [Double] {
        guard b > a else { return [a] }
        let raw = (b - a) / 5, magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var t = ceil(a / step) * step, result: [Double] = []
        while t <= b + 1e-9 * step { result.append(abs(t) < 1e-12 * step ? 0 : t); t += step }
        return result
    }

    static func label(_ x: Double) -> String { String(format: "%g", (x * 1e6).rounded() / 1e6) }
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
    func f(_ x: Double) -> String { String(format: "%.1f", x) }
}
