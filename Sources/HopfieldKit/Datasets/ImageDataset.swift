import Foundation

/// A labelled set of grey-level images, as read from disk: `count` images of `rows` × `columns`
/// pixels, row-major, one byte per pixel (0 … `maximum`), and a class label per image.
public struct ImageDataset: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    /// Pixel k of image n at `pixels[n * rows * columns + k]`.
    public var pixels: [UInt8]
    public var labels: [Int]
    /// The largest pixel value of the format (255 for IDX, the largest value seen for CSV).
    public var maximum: Int

    public var count: Int { labels.count }
    public var pixelsPerImage: Int { rows * columns }

    public init(rows: Int, columns: Int, pixels: [UInt8], labels: [Int], maximum: Int) {
        self.rows = rows; self.columns = columns; self.pixels = pixels; self.labels = labels; self.maximum = maximum
    }

    public func image(_ n: Int) -> ArraySlice<UInt8> {
        pixels[(n * pixelsPerImage)..<((n + 1) * pixelsPerImage)]
    }
}

/// A dataset file that cannot be used, in one line naming the file and the reason.
public struct DatasetError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public init(_ path: String, _ reason: String) { self.path = path; self.reason = reason }
    public var description: String { "--dataset '\(path)': \(reason)" }
}

/// Readers of the two formats hopsim takes.
///
/// **IDX** (the MNIST / Fashion-MNIST format, LeCun et al.): big-endian; magic 0x00 0x00 type dims
/// with type 0x08 (unsigned byte); images have 3 dimensions (count, rows, columns), labels 1
/// (count); gzip-compressed or not. **CSV**: one image per line, pixel values as non-negative
/// integers and the label in the last column (or the first, `labelColumn: .first`); lines that do
/// not start with a digit (a header) are skipped; `rows` × `columns` must be given unless the pixel
/// count is a perfect square. Both are checked whole before use: wrong magic, truncated files,
/// labels not matching images, or a dataset larger than `maximumBytes` give a ``DatasetError``.
public enum DatasetReader {
    public enum LabelColumn: String, Sendable, Codable, CaseIterable { case first, last }

    /// 1 GB of pixels: beyond it the dataset is refused before it is decoded.
    public static let maximumBytes = 1 << 30

    /// The raw bytes of a file, gunzipped when they start with the gzip magic.
    static func contents(_ path: String, limit: Int = maximumBytes) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError(path, "cannot be read (no such file, or no permission)")
        }
        guard Gzip.isCompressed(data) else { return data }
        guard let plain = Gzip.decompress(data, limit: limit) else {
            throw DatasetError(path, "is not a valid gzip stream (corrupt or truncated), or decompresses to more than \(limit / (1 << 20)) MB")
        }
        return plain
    }

    /// Images from an IDX image file and labels from an IDX label file.
    public static func idx(images imagePath: String, labels labelPath: String) throws -> ImageDataset {
        let images = try contents(imagePath)
        let (imageDims, imageOffset) = try header(images, path: imagePath, dimensions: 3, what: "an IDX image file")
        let (count, rows, columns) = (imageDims[0], imageDims[1], imageDims[2])
        guard rows > 0, columns > 0 else { throw DatasetError(imagePath, "has images of \(rows) × \(columns) pixels") }
        guard count > 0 else { throw DatasetError(imagePath, "holds no image") }
        let (perImage, o1) = rows.multipliedReportingOverflow(by: columns)
        let (size, o2) = count.multipliedReportingOverflow(by: perImage)
        guard !o1, !o2, size <= maximumBytes else {
            throw DatasetError(imagePath, "promises \(count) images of \(rows) × \(columns) pixels, more than the \(maximumBytes) bytes allowed in memory")
        }
        guard images.count - imageOffset == size else {
            throw DatasetError(imagePath, "is truncated or has trailing bytes: the header promises \(count) images of \(rows) × \(columns) (\(size) bytes), the file has \(images.count - imageOffset)")
        }
        let labels = try contents(labelPath)
        let (labelDims, labelOffset) = try header(labels, path: labelPath, dimensions: 1, what: "an IDX label file")
        guard labels.count - labelOffset == labelDims[0] else {
            throw DatasetError(labelPath, "is truncated or has trailing bytes: the header promises \(labelDims[0]) labels, the file has \(labels.count - labelOffset)")
        }
        guard labelDims[0] == count else {
            throw DatasetError(labelPath, "has \(labelDims[0]) labels for \(count) images in '\(imagePath)'")
        }
        return ImageDataset(rows: rows, columns: columns, pixels: [UInt8](images[(images.startIndex + imageOffset)...]),
                            labels: labels[(labels.startIndex + labelOffset)...].map { Int($0) }, maximum: 255)
    }

    /// The dimensions of an IDX header and the offset of the data.
    static func header(_ data: Data, path: String, dimensions: Int, what: String) throws -> ([Int], Int) {
        let bytes = [UInt8](data.prefix(4 + 4 * dimensions))
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else {
            throw DatasetError(path, "is not \(what): wrong magic number (IDX files start with two zero bytes)")
        }
        guard bytes[2] == 0x08 else {
            throw DatasetError(path, "is not \(what) of unsigned bytes: data type 0x\(String(bytes[2], radix: 16)) (expected 0x08)")
        }
        guard Int(bytes[3]) == dimensions else {
            throw DatasetError(path, "is not \(what): \(bytes[3]) dimensions (expected \(dimensions))")
        }
        guard bytes.count == 4 + 4 * dimensions else { throw DatasetError(path, "is truncated inside its header") }
        let dims = (0..<dimensions).map { d in
            (0..<4).reduce(0) { $0 << 8 | Int(bytes[4 + 4 * d + $1]) }
        }
        return (dims, 4 + 4 * dimensions)
    }

    /// Images and labels from a CSV file.
    public static func csv(_ path: String, labelColumn: LabelColumn = .last, rows: Int? = nil, columns: Int? = nil) throws -> ImageDataset {
        let data = try contents(path)
        if data.count >= 3, data[data.startIndex] == 0, data[data.startIndex + 1] == 0, data[data.startIndex + 2] == 0x08 {
            throw DatasetError(path, "is an IDX image file: give its label file with --labels")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw DatasetError(path, "is not UTF-8 text") }
        var pixels: [UInt8] = [], labels: [Int] = []
        var width: Int?
        var maximum = 0
        var seenLine = false
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let lineNumber = index + 1
            let trimmed = line.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\u{FEFF}\r"))
            guard let first = trimmed.first else { continue }                          // blank
            defer { seenLine = true }
            // A header is allowed on the first non-blank line only.
            if !seenLine, !(first.isNumber || first == "-" || first == "+") { continue }
            var fields = trimmed.split(separator: ",", omittingEmptySubsequences: false)
            if fields.count > 1, fields.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { fields.removeLast() }   // a trailing comma
            let values = fields.map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard values.allSatisfy({ $0 != nil }) else { throw DatasetError(path, "line \(lineNumber): a field is not an integer (pixels and labels are plain integers)") }
            let numbers = values.map { $0! }
            guard numbers.count >= 2 else { throw DatasetError(path, "line \(lineNumber): needs pixels and a label") }
            let label = labelColumn == .last ? numbers.last! : numbers[0]
            let row = labelColumn == .last ? numbers.dropLast() : numbers.dropFirst()
            if let width, row.count != width {
                throw DatasetError(path, "line \(lineNumber): \(row.count) pixels where the first image has \(width)")
            }
            width = row.count
            guard row.allSatisfy({ (0...255).contains($0) }) else {
                throw DatasetError(path, "line \(lineNumber): pixel values must be integers in [0, 255]")
            }
            guard label >= 0 else { throw DatasetError(path, "line \(lineNumber): the label must be a non-negative integer (got \(label))") }
            maximum = max(maximum, row.max() ?? 0)
            pixels.append(contentsOf: row.map { UInt8($0) })
            labels.append(label)
            guard pixels.count <= maximumBytes else { throw DatasetError(path, "holds more than \(maximumBytes) pixels") }
        }
        guard let width, !labels.isEmpty else { throw DatasetError(path, "holds no image") }
        let r: Int, c: Int
        if let rows, let columns {
            guard rows * columns == width else { throw DatasetError(path, "has \(width) pixels per image, not \(rows) × \(columns)") }
            (r, c) = (rows, columns)
        } else {
            let side = Int(Double(width).squareRoot().rounded())
            guard side * side == width else { throw DatasetError(path, "has \(width) pixels per image, not a square: give the image size") }
            (r, c) = (side, side)
        }
        return ImageDataset(rows: r, columns: c, pixels: pixels, labels: labels, maximum: max(maximum, 1))
    }
}
