import Foundation

/// The figure of one extrapolation: θ(N) with error bars against x = N^(−ω) (ω of the chosen form,
/// so that it is a straight line), the chosen fit down to x = 0 with θ_∞ ± error there, the other
/// form tried, and the N = ∞ theory value where one is known.
public enum FiniteSizeFigure {
    public static func svg(_ o: FiniteSizeAnalysis.Observable, title: String) -> String? {
        guard let e = o.extrapolated else { return nil }
        let w = e.omega
        func x(_ n: Int) -> Double { pow(Double(n), -w) }
        let xMax = o.sizes.map { x($0.neurons) }.max() ?? 1
        var series: [SVGLineChart.Series] = []
        func curve(_ fit: FiniteSizeExtrapolation) -> [(x: Double, y: Double, error: Double?)] {
            // x = N^(−ω) ⇒ N^(−ω') = x^(ω'/ω).
            (0...60).map { k in
                let u = xMax * 1.05 * Double(k) / 60
                return (u, fit.mean + fit.amplitude * pow(u, fit.omega / w), nil)
            }
        }
        func label(_ fit: FiniteSizeExtrapolation) -> String {
            let form = fit.model == "inverse-size" ? "1/N" : (fit.omegaFitted ? String(format: "N^−ω, ω = %.3g", fit.omega) : String(format: "N^−%g", fit.omega))
            let chi = fit.chi2Dof.map { String(format: ", χ²/dof = %.2f", $0) } ?? ""
            return String(format: "fit %@: θ∞ = %.5g ± %.2g%@", form, fit.mean, fit.error, chi)
        }
        series.append(.init(label: label(e.fit) + " (chosen)", colour: "#1f5fa8", style: .line(dashed: false, width: 2.5), points: curve(e.fit)))
        // A form whose ω ran to the edge of its range is listed in the text, not drawn.
        for other in o.fits.dropFirst() where !other.omegaAtBound {
            series.append(.init(label: label(other), colour: "#8c8c8c", style: .line(dashed: true, width: 1.5), points: curve(other)))
        }
        if let t = o.theory {
            series.append(.init(label: String(format: "theory N = ∞: %.5g", t), colour: "#c0392b", style: .line(dashed: true, width: 2),
                                points: [(0, t, nil), (xMax * 1.05, t, nil)]))
        }
        let samples = o.sizes.map(\.samples)
        series.append(.init(label: "Monte Carlo (\(samples.min() ?? 0)–\(samples.max() ?? 0) samples per N)", colour: "#000000",
                            style: .points, points: o.sizes.map { (x($0.neurons), $0.mean, $0.error) }))
        series.append(.init(label: "extrapolation N → ∞", colour: "#1f5fa8", style: .points, points: [(0, e.mean, e.error)]))
        var chart = SVGLineChart(title: title, xLabel: String(format: "N^−%.3g   (N = %@)", w, o.sizes.map { "\($0.neurons)" }.joined(separator: ", ")),
                                 yLabel: o.observable, series: series)
        chart.xRange = (-0.04 * xMax)...(xMax * 1.08)
        chart.notes = ([e.choice] + o.warnings).flatMap { wrap($0, width: 80) }
        return chart.render()
    }

    /// A note cut into lines of at most `width` characters at spaces (the legend does not wrap).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = "  " + word
            } else {
                line += (line.isEmpty ? "" : " ") + word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
