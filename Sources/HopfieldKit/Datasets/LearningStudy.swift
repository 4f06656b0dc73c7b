import Foundation

/// A sweep of `hopsim learn` over M × P × T on one dataset: one point per combination, numbered
/// M-major (index = (i_M · n_P + i_P) · n_T + i_T), each run alone (the test set is the one after the
/// largest M, the same for every point) and stored in a ``StudyDirectory``, so the sweep resumes,
/// splits into shards and runs as a Slurm job array (`learn shard`, `learn slurm`).
public struct LearningStudy: Sendable, Equatable, Codable {
    /// Where the images come from and how the file is read.
    public struct Source: Sendable, Equatable, Codable {
        public var dataset: String
        public var labels: String?
        public var labelColumn: DatasetReader.LabelColumn
        public var rows: Int?
        public var columns: Int?
        public init(dataset: String, labels: String?, labelColumn: DatasetReader.LabelColumn, rows: Int?, columns: Int?) {
            self.dataset = dataset; self.labels = labels; self.labelColumn = labelColumn; self.rows = rows; self.columns = columns
        }

        public func read() throws -> ImageDataset {
            if let labels { return try DatasetReader.idx(images: dataset, labels: labels) }
            return try DatasetReader.csv(dataset, labelColumn: labelColumn, rows: rows, columns: columns)
        }
    }

    public struct Point: Sendable, Equatable, Codable {
        public var index: Int
        public var examples: Int
        public var order: Int
        public var temperature: Double
        public var fileName: String { String(format: "point-%06d.json", index) }
    }

    /// One finished point.
    public struct Record: Sendable, Codable {
        public var point: Point
        public var result: DatasetLearning.Result
    }

    public static let schema = "hopsim.learn-study/1"

    public var source: Source
    public var preparation: DatasetPreparation
    /// The settings of every point; `order` and the retrieval temperature are set per point.
    public var settings: DatasetLearning.Settings
    public var examples: [Int]
    public var orders: [Int]
    public var temperatures: [Double]

    public init(source: Source, preparation: DatasetPreparation, settings: DatasetLearning.Settings,
                examples: [Int], orders: [Int], temperatures: [Double]) {
        self.source = source; self.preparation = preparation; self.settings = settings
        self.examples = examples; self.orders = orders; self.temperatures = temperatures
    }

    public var points: [Point] {
        var list: [Point] = []
        for m in examples { for p in orders { for t in temperatures {
            list.append(Point(index: list.count, examples: m, order: p, temperature: t))
        } } }
        return list
    }

    func settings(_ point: Point) -> DatasetLearning.Settings {
        var s = settings
        s.order = point.order
        s.retrieval.temperature = point.temperature
        return s
    }

    /// Computes the points of `indices` (default: all) that `directory` (if any) does not hold, in
    /// order, saving each; returns the records of `indices`.
    /// `figure` gets, for every point computed here, the trained network, the prepared data and the
    /// end states of the test images.
    public func run(_ data: ImageDataset, indices: [Int]? = nil, directory: StudyDirectory<LearningStudy>?, threads: Int,
                    measure: GaussianMeasure,
                    figure: ((Point, DatasetNetwork, DatasetPreparation.Prepared, [[Int8]]) -> Void)? = nil) throws -> [Record] {
        try directory?.open(self)
        let all = points
        let largest = examples.max() ?? 1
        return try (indices ?? Array(all.indices)).map { k in
            let point = all[k]
            if let saved = directory?.load(point.fileName, as: Record.self), saved.point == point { return saved }
            let result = try DatasetLearning.run(data, preparation: preparation, examples: [point.examples], settings: settings(point),
                                                 threads: threads, measure: measure, testAfter: largest) { figure?(point, $0, $1, $2) }[0]
            let record = Record(point: point, result: result)
            try directory?.save(record, as: point.fileName)
            return record
        }
    }

    /// The records a directory holds and the points it lacks.
    public func collect(_ directory: StudyDirectory<LearningStudy>) -> (records: [Record], missing: [Point]) {
        var records: [Record] = [], missing: [Point] = []
        for point in points {
            if let r = directory.load(point.fileName, as: Record.self), r.point == point { records.append(r) } else { missing.append(point) }
        }
        return (records, missing)
    }

    /// The points of shard `index` of `count` (the grid's ``Sharding``, cost ∝ M·P·(1 + T-independent)).
    public func shard(index: Int, count: Int) -> [Int] {
        let plan = points.map { p in
            GridRun.PlannedPoint(point: p.index, x: Double(p.examples), temperature: p.temperature, patterns: p.examples,
                                 monteCarloOperations: Double(p.examples * p.order), estimatedSeconds: Double(p.examples * p.order))
        }
        return Sharding.assign(plan, shards: count)[index]
    }

    public static func directory(_ path: String) -> StudyDirectory<LearningStudy> {
        StudyDirectory(directory: path, schema: schema)
    }
}
