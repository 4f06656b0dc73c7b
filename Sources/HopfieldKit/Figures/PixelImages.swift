import Foundation

/// Patterns drawn as pixel images in a self-contained SVG: rows of images (archetypes, example
/// means, start and end states), each pixel a grey level from its value v ∈ [−1, 1] (−1 white,
/// +1 black: "ink" is +1, as hopsim binarises images).
public enum PixelImages {
    public struct Row: Sendable {
        public var label: String
        public var images: [(caption: String, values: [Double])]
        public init(label: String, images: [(caption: String, values: [Double])]) { self.label = label; self.images = images }
    }

    public static func svg(title: String, rows: [Row], imageRows: Int, imageColumns: Int, pixel: Double? = nil) -> String {
        // Images at least 80 px wide (captions fit under them), pixels 4 to 12 px.
        let pixel = pixel ?? max(4, min(12, 80 / Double(imageColumns)))
        let labelWidth = 150.0, gap = 10.0, captionHeight = 14.0, top = 40.0
        let w = Double(imageColumns) * pixel, h = Double(imageRows) * pixel
        let columns = rows.map(\.images.count).max() ?? 0
        let width = labelWidth + Double(columns) * (w + gap) + gap
        let height = top + Double(rows.count) * (h + captionHeight + gap) + gap
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(Int(width / 2))" y="24" text-anchor="middle" font-size="15">\(SVGPlot.escape(title))</text>

        """
        for (r, row) in rows.enumerated() {
            let y0 = top + Double(r) * (h + captionHeight + gap)
            svg += "<text x=\"8\" y=\"\(String(format: "%.1f", y0 + h / 2 + 4))\" font-size=\"12\">\(SVGPlot.escape(row.label))</text>\n"
            for (c, image) in row.images.enumerated() {
                let x0 = labelWidth + Double(c) * (w + gap)
                svg += "<g><title>\(SVGPlot.escape(image.caption))</title>\n"
                for i in 0..<imageRows {
                    for j in 0..<imageColumns {
                        let v = max(-1, min(1, image.values[i * imageColumns + j]))
                        let level = Int(((1 - v) / 2 * 255).rounded())
                        svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"rgb(%d,%d,%d)\"/>", x0 + Double(j) * pixel, y0 + Double(i) * pixel, pixel, pixel, level, level, level)
                    }
                }
                svg += "\n<rect x=\"\(String(format: "%.1f", x0))\" y=\"\(String(format: "%.1f", y0))\" width=\"\(String(format: "%.1f", w))\" height=\"\(String(format: "%.1f", h))\" fill=\"none\" stroke=\"#888\" stroke-width=\"0.8\"/>\n"
                svg += "<text x=\"\(String(format: "%.1f", x0 + w / 2))\" y=\"\(String(format: "%.1f", y0 + h + 11))\" text-anchor=\"middle\" font-size=\"10\">\(SVGPlot.escape(image.caption))</text></g>\n"
            }
        }
        return svg + "</svg>\n"
    }
}
