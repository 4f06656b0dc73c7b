import Foundation

/// A self-contained SVG chart of curves and points with error bars: a cut through a phase diagram
/// (an observable against T at fixed α, or against α at fixed T), Monte Carlo against theory.
public struct SVGLineChart: Sendable {
    public struct Series: Sendable {
        public enum Style: Sendable {
            /// A polyline; breaks where consecutive points are farther apart than `gap` in x
            /// (a branch that ends and reappears is not joined across).
            case line(dashed: Bool, width: Double)
            /// Circles with vertical error bars (± error).
            case points
        }
        public var label: String
        public var colour: String
        public var style: Style
        public var points: [(x: Double, y: Double, error: Double?)]
        public init(label: String, colour: String, style: Style, points: [(x: Double, y: Double, error: Double?)]) {
            self.label = label; self.colour = colour; self.style = style; self.points = points
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var notes: [String] = []
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var width = 760.0, height = 540.0
    /// Largest x step joined by a line, as a fraction of the x range.
    public var gap = 0.08

    public init(title: String, xLabel: String, yLabel: String, series: [Series]) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series
    }

    let left = 80.0, right = 30.0, top = 50.0, bottom = 70.0

    public func render() -> String {
        let all = series.flatMap { s in s.points.flatMap { p in [(p.x, p.y - (p.error ?? 0)), (p.x, p.y + (p.error ?? 0))] } }
            .filter { $0.0.isFinite && $0.1.isFinite }
        let (x0, x1) = xRange.map { ($0.lowerBound, $0.upperBound) } ?? Self.padded(all.map(\.0).min() ?? 0, all.map(\.0).max() ?? 1, 0.02)
        let (y0, y1) = yRange.map { ($0.lowerBound, $0.upperBound) } ?? Self.padded(all.map(\.1).min() ?? 0, all.map(\.1).max() ?? 1, 0.06)
        let plotW = width - left - right, plotH = height - top - bottom
        func px(_ x: Double) -> Double { left + (x - x0) / max(x1 - x0, 1e-300) * plotW }
        func py(_ y: Double) -> Double { top + plotH - (y - y0) / max(y1 - y0, 1e-300) * plotH }
        let f = { (x: Double) in String(format: "%.1f", x) }
        var svg = SVGPlot.header(title: title, width: width, height: height, left: left, top: top, plotW: plotW, plotH: plotH)
        var drawn: [Series] = []
        var obstacles: [(Double, Double)] = []
        for s in series {
            let points = s.points.filter { $0.x.isFinite && $0.y.isFinite }.sorted { $0.x < $1.x }
            guard !points.isEmpty else { continue }
            // What the legend should not hide: the curve every few pixels, each error bar whole.
            for (a, b) in zip(points, points.dropFirst()) {
                let n = max(1, Int((abs(px(b.x) - px(a.x)) + abs(py(b.y) - py(a.y))) / 6))
                obstacles += (0..<n).map { k in
                    let u = Double(k) / Double(n)
                    return (px(a.x + (b.x - a.x) * u), py(a.y + (b.y - a.y) * u))
                }
            }
            for p in points {
                let e = p.error ?? 0
                obstacles += (0...8).map { k in (px(p.x), py(p.y - e + 2 * e * Double(k) / 8)) }
            }
            switch s.style {
            case .line(let dashed, let width):
                // Break where a step is wider than `gap` of the range and than 2.5 times the
                // series' own median step (a coarse series is still drawn as a line).
                let steps = zip(points, points.dropFirst()).map { $1.x - $0.x }.filter { $0 > 0 }.sorted()
                let median = steps.isEmpty ? 0 : steps[steps.count / 2]
                let largestStep = max(gap * (x1 - x0), 2.5 * median)
                var segments: [[(x: Double, y: Double, error: Double?)]] = [[points[0]]]
                for p in points.dropFirst() {
                    if p.x - segments[segments.count - 1].last!.x > largestStep { segments.append([p]) } else { segments[segments.count - 1].append(p) }
                }
                // Listed in the legend only when a segment of two points or more is drawn.
                guard segments.contains(where: { $0.count >= 2 }) else { continue }
                drawn.append(s)
                svg += "<g class=\"series\" fill=\"none\" stroke=\"\(s.colour)\" stroke-width=\"\(width)\"\(dashed ? " stroke-dasharray=\"7,4\"" : "") clip-path=\"url(#frame)\"><title>\(SVGPlot.escape(s.label))</title>\n"
                for segment in segments where segment.count >= 2 {
                    svg += "<polyline points=\"\(segment.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " "))\"/>\n"
                }
                svg += "</g>\n"
            case .points:
                drawn.append(s)
                svg += "<g class=\"series\" stroke=\"\(s.colour)\" stroke-width=\"1.4\" clip-path=\"url(#frame)\"><title>\(SVGPlot.escape(s.label))</title>\n"
                for p in points {
                    if let e = p.error, e > 0 {
                        svg += "<line x1=\"\(f(px(p.x)))\" y1=\"\(f(py(p.y - e)))\" x2=\"\(f(px(p.x)))\" y2=\"\(f(py(p.y + e)))\"/>\n"
                        for y in [p.y - e, p.y + e] {
                            svg += "<line x1=\"\(f(px(p.x) - 4))\" y1=\"\(f(py(y)))\" x2=\"\(f(px(p.x) + 4))\" y2=\"\(f(py(y)))\"/>\n"
                        }
                    }
                    let tip = String(format: "%.4g ± %.2g at %.4g", p.y, p.error ?? 0, p.x)
                    svg += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"4.5\" fill=\"white\"><title>\(tip)</title></circle>\n"
                }
                svg += "</g>\n"
            }
        }
        // The frame, ticks and legend are SVGPlot's (same margins left, top and bottom).
        var frame = SVGPlot(title: title, colourLabel: "", cells: [])
        frame.xLabel = xLabel; frame.yLabel = yLabel; frame.width = width; frame.height = height
        svg += frame.axes(px: px, py: py, x0: x0, x1: x1, y0: y0, y1: y1, plotW: plotW, plotH: plotH)
        // One legend entry per label (a curve may be drawn as several series, e.g. per branch).
        var seen = Set<String>()
        var entries: [SVGPlot.LegendEntry] = drawn.filter { seen.insert($0.label).inserted }.map { s in
            switch s.style {
            case .line(let dashed, _): .line(s.label, s.colour, dashed)
            case .points: .marker(s.label, colour: s.colour == "#000000" ? "black" : s.colour)
            }
        }
        entries += notes.map { .text($0) }
        svg += frame.legend(entries, plotW: plotW, plotH: plotH, avoiding: obstacles)
        return svg + "</svg>\n"
    }

    static func padded(_ a: Double, _ b: Double, _ fraction: Double) -> (Double, Double) {
        guard b > a else { return (a - 0.5, b + 0.5) }
        let pad = (b - a) * fraction
        return (a - pad, b + pad)
    }
}
