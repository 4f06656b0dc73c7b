import Foundation

/// How images become ±1 neurons and which of them train and test the network.
///
/// Per image, in this order: crop (a window of the image), downsample (the mean grey level of
/// k × k blocks), binarise. Binarisation rules (η_i = +1 for "ink"):
/// - `threshold` (default): η_i = +1 iff x_i ≥ t·max, t = 0.5 by default: the conventional MNIST
///   binarisation at half the grey range; it keeps strokes as strokes and the background at −1,
///   whatever the amount of ink of a digit;
/// - `median`: η_i = +1 iff x_i > the image's median: every image about half +1 (a balanced
///   pattern, as random theory assumes), at the price of turning part of the background into ink;
/// - `sign`: η_i = +1 iff x_i ≥ the image's mean grey level.
///
/// Split: the images of each class are shuffled by the stream (seed, point = class label, purpose
/// examples); the first M train the network, the next `testPerClass` (default: all the rest) test
/// it. The split depends on the seed and the class only.
public struct DatasetPreparation: Sendable, Equatable, Codable {
    public enum Binarization: String, Sendable, Codable, CaseIterable { case threshold, median, sign }

    public struct Crop: Sendable, Equatable, Codable {
        public var top: Int, left: Int, rows: Int, columns: Int
        public init(top: Int, left: Int, rows: Int, columns: Int) {
            self.top = top; self.left = left; self.rows = rows; self.columns = columns
        }
    }

    public var binarization: Binarization = .threshold
    /// t of `threshold`, as a fraction of the format's largest grey level.
    public var threshold: Double = 0.5
    public var crop: Crop?
    public var downsample: Int = 1
    /// The labels used (nil: every label present), in this order (class index = position).
    public var classes: [Int]?
    /// M: training examples per class.
    public var examplesPerClass: Int
    /// Test images per class (nil: all that remain after the training examples).
    public var testPerClass: Int?
    public var seed: UInt64

    public init(binarization: Binarization = .threshold, threshold: Double = 0.5, crop: Crop? = nil, downsample: Int = 1,
                classes: [Int]? = nil, examplesPerClass: Int, testPerClass: Int? = nil, seed: UInt64 = 1) {
        self.binarization = binarization; self.threshold = threshold; self.crop = crop; self.downsample = downsample
        self.classes = classes; self.examplesPerClass = examplesPerClass; self.testPerClass = testPerClass; self.seed = seed
    }

    /// The prepared data: ±1 patterns of N = rows × columns neurons.
    public struct Prepared: Sendable {
        public var rows: Int
        public var columns: Int
        /// The class labels, in class-index order.
        public var labels: [Int]
        /// training[c][a]: example a of class c.
        public var training: [[[Int8]]]
        /// Test patterns with their class index.
        public var test: [(classIndex: Int, pattern: [Int8])]
        public var neurons: Int { rows * columns }
    }

    /// Crops, downsamples, binarises and splits `data`; errors name the flag at fault.
    public func prepare(_ data: ImageDataset) throws(ParameterError) -> Prepared {
        try validate()
        let window = crop ?? Crop(top: 0, left: 0, rows: data.rows, columns: data.columns)
        guard window.top >= 0, window.left >= 0, window.rows >= 1, window.columns >= 1,
              window.top + window.rows <= data.rows, window.left + window.columns <= data.columns else {
            throw ParameterError("--crop", allowed: "TOP,LEFT,ROWS,COLUMNS inside the \(data.rows) × \(data.columns) image",
                                 given: "\(window.top),\(window.left),\(window.rows),\(window.columns)")
        }
        guard downsample >= 1, window.rows % downsample == 0, window.columns % downsample == 0 else {
            throw ParameterError("--downsample", allowed: "an integer k ≥ 1 dividing the (cropped) image size \(window.rows) × \(window.columns)", given: "\(downsample)")
        }
        let present = Set(data.labels)
        let labels = classes ?? present.sorted()
        guard labels.count >= 2 else { throw ParameterError("--classes", allowed: "at least 2 classes", given: "\(labels.count)") }
        if let missing = labels.first(where: { !present.contains($0) }) {
            throw ParameterError("--classes", allowed: "labels present in the dataset (\(present.sorted().map(String.init).joined(separator: ",")))", given: "\(missing)")
        }
        guard Set(labels).count == labels.count else { throw ParameterError("--classes", allowed: "distinct labels", given: labels.map(String.init).joined(separator: ",")) }
        let rows = window.rows / downsample, columns = window.columns / downsample
        guard rows * columns >= 2 else {
            throw ParameterError("--crop/--downsample", allowed: "leaving at least 2 pixels (neurons)", given: "\(rows) × \(columns)")
        }
        var training: [[[Int8]]] = [], test: [(Int, [Int8])] = []
        for (c, label) in labels.enumerated() {
            var members = data.labels.indices.filter { data.labels[$0] == label }
            var rng = StreamKey(seed: seed, point: UInt64(label), sample: 0, purpose: .examples).generator()
            // Fisher–Yates with the stream's own index draws.
            for k in stride(from: members.count - 1, to: 0, by: -1) {
                members.swapAt(k, rng.nextIndex(below: k + 1))
            }
            let needed = examplesPerClass + 1
            guard members.count >= needed else {
                throw ParameterError("--examples-per-class", allowed: "at most \(members.count - 1) for class \(label) (it has \(members.count) images, one at least kept for testing)", given: "\(examplesPerClass)")
            }
            training.append(members.prefix(examplesPerClass).map { pattern(data, $0, window, rows, columns) })
            let rest = members.dropFirst(examplesPerClass)
            let kept = testPerClass.map { rest.prefix($0) } ?? rest
            test += kept.map { (c, pattern(data, $0, window, rows, columns)) }
        }
        return Prepared(rows: rows, columns: columns, labels: labels, training: training, test: test)
    }

    /// Image n cropped, downsampled and binarised.
    func pattern(_ data: ImageDataset, _ n: Int, _ w: Crop, _ rows: Int, _ columns: Int) -> [Int8] {
        let image = data.image(n)
        let base = image.startIndex
        var grey = [Double](repeating: 0, count: rows * columns)
        let k = downsample
        for r in 0..<rows {
            for c in 0..<columns {
                var sum = 0
                for dr in 0..<k { for dc in 0..<k {
                    sum += Int(image[base + (w.top + r * k + dr) * data.columns + w.left + c * k + dc])
                } }
                grey[r * columns + c] = Double(sum) / Double(k * k)
            }
        }
        let cut: Double
        switch binarization {
        case .threshold: cut = threshold * Double(data.maximum)
        case .median:
            let sorted = grey.sorted()
            cut = sorted[sorted.count / 2].nextUp        // strictly above the median
        case .sign: cut = grey.reduce(0, +) / Double(grey.count)
        }
        return grey.map { $0 >= cut ? 1 : -1 }
    }

    public func validate() throws(ParameterError) {
        try Limits.examples.check(examplesPerClass)
        if let testPerClass, testPerClass < 1 {
            throw ParameterError("--test-per-class", allowed: "an integer ≥ 1", given: "\(testPerClass)")
        }
        guard threshold > 0, threshold <= 1 else {
            throw ParameterError("--threshold", allowed: "a fraction of the grey range in (0, 1]", given: "\(threshold)")
        }
    }
}
