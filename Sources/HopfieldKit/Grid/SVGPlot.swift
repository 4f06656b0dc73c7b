import Foundation

/// Self-contained SVG pictures of grids (no external program): a heat map of one observable over
/// (α, T) with a colour bar, optional critical lines and markers, axes with ticks and labels.
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
    public enum Palette: Sendable { case sequential, diverging(limit: Double) }

    public var title: String
    public var xLabel = "load α = P/N"
    public var yLabel = "temperature T"
    public var colourLabel: String
    public var cells: [Cell]
    public var curves: [Curve] = []
    public var palette: Palette = .sequential

    public init(title: String, colourLabel: String, cells: [Cell]) {
        self.title = title; self.colourLabel = colourLabel; self.cells = cells
    }

    // Layout (pixels).
    let width = 760.0, height = 540.0
    let left = 80.0, right = 170.0, top = 50.0, bottom = 70.0

    public func render() -> String {
        let xs = Array(Set(cells.map(\.x))).sorted(), ys = Array(Set(cells.map(\.y))).sorted()
        let xEdges = Self.edges(xs), yEdges = Self.edges(ys)
        let (x0, x1) = (xEdges.first ?? 0, xEdges.last ?? 1), (y0, y1) = (yEdges.first ?? 0, yEdges.last ?? 1)
        let plotW = width - left - right, plotH = height - top - bottom
        func px(_ x: Double) -> Double { left + (x - x0) / max(x1 - x0, 1e-300) * plotW }
        func py(_ y: Double) -> Double { top + plotH - (y - y0) / max(y1 - y0, 1e-300) * plotH }
        let values = cells.compactMap(\.value).filter(\.isFinite)
        let (vmin, vmax): (Double, Double) = {
            if case .diverging(let limit) = palette { return (-limit, limit) }
            let lo = values.min() ?? 0, hi = values.max() ?? 1
            return lo == hi ? (lo - 0.5, hi + 0.5) : (lo, hi)
        }()
        var svg = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="13">
        <title>\(Self.escape(title))</title>
        <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="white"/>
        <text x="\(f(left + plotW / 2))" y="28" text-anchor="middle" font-size="16">\(Self.escape(title))</text>
        <g id="cells" shape-rendering="crispEdges">

        """
        for cell in cells {
            guard let i = xs.firstIndex(of: cell.x), let j = ys.firstIndex(of: cell.y) else { continue }
            let colour = cell.value.map { colourFor($0, vmin, vmax) } ?? "#dddddd"
            let xa = px(xEdges[i]), xb = px(xEdges[i + 1]), ya = py(yEdges[j + 1]), yb = py(yEdges[j])
            let tip = cell.value.map { String(format: "%.4g", $0) } ?? "no value"
            svg += "<rect x=\"\(f(xa))\" y=\"\(f(ya))\" width=\"\(f(xb - xa))\" height=\"\(f(yb - ya))\" fill=\"\(colour)\"><title>α = \(String(format: "%.4g", cell.x)), T = \(String(format: "%.4g", cell.y)): \(tip)</title></rect>\n"
        }
        svg += "</g>\n<g id=\"curves\" fill=\"none\" stroke-width=\"2.5\">\n"
        // A curve is drawn, and listed in the legend, only with two points inside the axes.
        var drawn: [Curve] = []
        for curve in curves {
            let inside = curve.points.filter { $0.0 >= x0 && $0.0 <= x1 && $0.1 >= y0 && $0.1 <= y1 }
            guard inside.count >= 2 else { continue }
            drawn.append(curve)
            let path = inside.map { "\(f(px($0.0))),\(f(py($0.1)))" }.joined(separator: " ")
            svg += "<polyline points=\"\(path)\" stroke=\"\(curve.colour)\"\(curve.dashed ? " stroke-dasharray=\"7,4\"" : "")><title>\(Self.escape(curve.label))</title></polyline>\n"
        }
        svg += "</g>\n"
        svg += axes(px: px, py: py, x0: x0, x1: x1, y0: y0, y1: y1, plotW: plotW, plotH: plotH)
        let legendRows = Double(drawn.count)
        svg += colourBar(vmin, vmax, plotH: legendRows > 0 ? plotH - 15 * legendRows - 30 : plotH)
        svg += legend(drawn)
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
        let x = width - right + 25, w = 18.0, steps = 40
        var s = "<g id=\"colour-bar\">\n"
        for k in 0..<steps {
            let v = vmin + (vmax - vmin) * (Double(k) + 0.5) / Double(steps)
            let y = top + plotH * (1 - Double(k + 1) / Double(steps))
            s += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(w))\" height=\"\(f(plotH / Double(steps) + 0.5))\" fill=\"\(colourFor(v, vmin, vmax))\"/>\n"
        }
        s += "<rect x=\"\(f(x))\" y=\"\(f(top))\" width=\"\(f(w))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"black\"/>\n"
        for t in Self.ticks(vmin, vmax) {
            let y = top + plotH * (1 - (t - vmin) / (vmax - vmin))
            s += "<text x=\"\(f(x + w + 6))\" y=\"\(f(y + 4))\">\(Self.label(t))</text>\n"
        }
        s += "<text x=\"\(f(x + w / 2))\" y=\"\(f(top - 10))\" text-anchor=\"middle\">\(Self.escape(colourLabel))</text>\n"
        return s + "</g>\n"
    }

    func legend(_ shown: [Curve]) -> String {
        guard !shown.isEmpty else { return "" }
        var s = "<g id=\"legend\">\n"
        let x = width - right + 8
        var y = top + (height - top - bottom) - 15 * Double(shown.count) + 12
        s += "<rect x=\"\(f(x - 4))\" y=\"\(f(y - 14))\" width=\"\(f(right - 8))\" height=\"\(f(15 * Double(shown.count) + 4))\" fill=\"#9a9a9a\"/>\n"
        for curve in shown {
            s += "<line x1=\"\(f(x))\" y1=\"\(f(y - 4))\" x2=\"\(f(x + 24))\" y2=\"\(f(y - 4))\" stroke=\"\(curve.colour)\" stroke-width=\"2.5\"\(curve.dashed ? " stroke-dasharray=\"7,4\"" : "")/>\n"
            s += "<text x=\"\(f(x + 30))\" y=\"\(f(y))\" font-size=\"11\">\(Self.escape(curve.label))</text>\n"
            y += 15
        }
        return s + "</g>\n"
    }

    /// Viridis-like sequential map, or blue–white–red for diverging values.
    func colourFor(_ v: Double, _ vmin: Double, _ vmax: Double) -> String {
        let t = max(0, min(1, (v - vmin) / (vmax - vmin)))
        let stops: [(Double, Double, Double)]
        switch palette {
        case .sequential:
            stops = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
        case .diverging:
            stops = [(33, 102, 172), (146, 197, 222), (247, 247, 247), (244, 165, 130), (178, 24, 43)]
        }
        let scaled = t * Double(stops.count - 1)
        let k = min(Int(scaled), stops.count - 2), u = scaled - Double(k)
        let (a, b) = (stops[k], stops[k + 1])
        func mix(_ p: Double, _ q: Double) -> Int { Int((p + (q - p) * u).rounded()) }
        return String(format: "#%02x%02x%02x", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
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
