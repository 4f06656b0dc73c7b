import ArgumentParser
import Foundation
import HopfieldKit

extension DatasetPreparation.Binarization: ExpressibleByArgument {}
extension DatasetReader.LabelColumn: ExpressibleByArgument {}

/// `hopsim learn`: a dense network trained on a real dataset, tested, and compared with random theory.
struct LearnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Train dense Hebbian networks on an image dataset (IDX or CSV), test them, compare with random-data theory; sweeps of M × P × T on Slurm.",
        discussion: LearnOptions.discussion,
        subcommands: [LearnRunCommand.self, LearnShardCommand.self, LearnCollectCommand.self, LearnSlurmCommand.self],
        defaultSubcommand: LearnRunCommand.self)
}

/// The dataset, its preparation, the network and the dynamics of a learning sweep.
struct LearnOptions: ParsableArguments {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Train a dense Hebbian network on an image dataset (IDX or CSV), test recognition and retrieval, compare with random-data theory.",
        discussion: """
            Reads --dataset (IDX images with --labels, the MNIST format, or CSV with a label column; \
            gzip or not), binarises every image (--binarize threshold: ink where the grey level is \
            ≥ --threshold of the range, default 0.5), keeps --examples-per-class M images of each class \
            for training (a list gives a curve in M) and tests on the rest (split fixed by --seed). \
            Supervised: the couplings hold the per-class example sums (label means η̄; \
            --binarised-means: their signs); unsupervised: every example, weight 1/M. Measured from the \
            data: the archetype estimates ξ̂ (signs of the class sums), the quality r̂ (from the second moment of \
            the class sums, unbiased for random examples), ρ̂ = (1 − r̂²)/(M r̂²) and the archetype \
            correlations. Test images \
            and archetypes with --flip of their pixels flipped run --sweeps sweeps at --temperature \
            (T = 0: until no spin flips); the class with the largest end overlap is the retrieved one. \
            Beside the measured archetype overlap: the RS state for random archetypes at the measured \
            r̂ and load (P ≥ 3, gardner form), its overlap with the majority estimate ξ̂ (what the \
            measurement compares with) and with the true ξ. Example: bash Scripts/fetch-digits, then \
            hopsim learn --dataset data/digits.csv.gz --examples-per-class 5,10,20,40 --p 3. Lists in \
            --examples-per-class, --p and --temperature make a sweep of every combination; with \
            --output DIR each point is a file (resumable), `learn shard DIR --shard I/N` runs a part, \
            `learn slurm` writes a Slurm job array and `learn collect DIR` reports the whole.
            """)
    static var discussion: String { configuration.discussion }

    @Option(parsing: .unconditional, help: "Dataset: IDX image file (with --labels) or CSV (one image per line and a label column); gzip or not.")
    var dataset: String
    @Option(parsing: .unconditional, help: "IDX label file (required with IDX images).")
    var labels: String?
    @Option(parsing: .unconditional, help: "CSV: the label column, first | last.")
    var labelColumn: DatasetReader.LabelColumn = .last
    @Option(parsing: .unconditional, help: "CSV: image size ROWSxCOLUMNS (needed when the pixel count is not a square).")
    var imageSize: String?

    @Option(parsing: .unconditional, help: "Binarisation: threshold (default: ink where grey ≥ --threshold × range) | median | sign.")
    var binarize: DatasetPreparation.Binarization = .threshold
    @Option(parsing: .unconditional, help: "Threshold of --binarize threshold, a fraction of the grey range in (0, 1].",
            transform: Parse.double("--threshold", allowed: "a fraction of the grey range in (0, 1]"))
    var threshold = 0.5
    @Option(parsing: .unconditional, help: "Crop window TOP,LEFT,ROWS,COLUMNS (before downsampling).")
    var crop: String?
    @Option(parsing: .unconditional, help: "Downsample by k: the mean grey level of k × k blocks.",
            transform: Parse.integer("--downsample", allowed: "an integer ≥ 1"))
    var downsample = 1
    @Option(parsing: .unconditional, help: "The labels used, comma-separated (default: all).")
    var classes: String?
    @Option(parsing: .unconditional, help: "Training examples per class M, or a comma-separated list (a curve in M).")
    var examplesPerClass: String
    @Option(parsing: .unconditional, help: "Test images per class (default: all that remain after the largest M).",
            transform: Parse.integer("--test-per-class", allowed: "an integer ≥ 1"))
    var testPerClass: Int?

    @Option(name: .customLong("p"), parsing: .unconditional, help: "Interaction order P, 2 to 8 (theory for P ≥ 3), or a comma-separated list.")
    var orders = "3"
    @Option(parsing: .unconditional, help: "Dense Hamiltonian: gardner | krotov.")
    var hamiltonian: DenseHamiltonian = .gardner
    @Option(name: .customLong("protocol"), parsing: .unconditional, help: "supervised | unsupervised.")
    var learning: LearningProtocol = .supervised
    @Flag(help: "Supervised: store the signs of the label means instead of the means.")
    var binarisedMeans = false

    @Option(name: .customLong("temperature"), parsing: .unconditional, help: "Temperature T ≥ 0 of the retrieval dynamics (0: zero-temperature), or a comma-separated list.")
    var temperatures = "0"
    @Option(parsing: .unconditional, help: "Sweeps of the retrieval dynamics (T = 0: at most this many).",
            transform: Parse.integer("--sweeps", allowed: "an integer ≥ 1"))
    var sweeps = 100
    @Option(parsing: .unconditional, help: "An end state is spurious when its largest archetype overlap is below this.",
            transform: Parse.double("--spurious-below", allowed: "a number in (0, 1]"))
    var spuriousBelow = 0.9
    @Option(parsing: .unconditional, help: "Fraction of an archetype's pixels flipped for the retrieval starts.",
            transform: Parse.double("--flip", allowed: "a fraction in [0, 1]"))
    var flip = 0.1
    @Option(parsing: .unconditional, help: "Retrieval starts per class.",
            transform: Parse.integer("--repeats", allowed: "an integer ≥ 1"))
    var repeats = 10
    @Option(parsing: .unconditional, help: "Seed of the split, the flips and the dynamics.", transform: Parse.seed)
    var seed: UInt64 = 1
    func list(_ text: String, flag: String) throws(ParameterError) -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else {
            throw ParameterError(flag, allowed: "a comma-separated list of integers", given: "'\(text)'")
        }
        return parts.map { $0! }
    }

    func preparation() throws(ParameterError) -> (DatasetPreparation, [Int]) {
        let examples = try list(examplesPerClass, flag: "--examples-per-class")
        for m in examples { try Limits.examples.check(m) }
        var cropWindow: DatasetPreparation.Crop?
        if let crop {
            let v = try list(crop, flag: "--crop")
            guard v.count == 4 else { throw ParameterError("--crop", allowed: "TOP,LEFT,ROWS,COLUMNS", given: "'\(crop)'") }
            cropWindow = .init(top: v[0], left: v[1], rows: v[2], columns: v[3])
        }
        guard downsample >= 1 else { throw ParameterError("--downsample", allowed: "an integer ≥ 1", given: "\(downsample)") }
        var labelList: [Int]?
        if let classes { labelList = try list(classes, flag: "--classes") }
        let p = DatasetPreparation(binarization: binarize, threshold: threshold, crop: cropWindow, downsample: downsample,
                                   classes: labelList, examplesPerClass: examples.max()!,
                                   testPerClass: testPerClass, seed: seed)
        try p.validate()
        return (p, examples)
    }

    func temperatureList() throws(ParameterError) -> [Double] {
        let parts = temperatures.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0!.isFinite }) else {
            throw ParameterError("--temperature", allowed: "a number ≥ 0 or a comma-separated list", given: "'\(temperatures)'")
        }
        for t in parts { try Limits.temperature.check(t!) }
        return parts.map { $0! }
    }

    func orderList() throws(ParameterError) -> [Int] {
        let list = try self.list(orders, flag: "--p")
        for p in list { guard (2...8).contains(p) else { throw ParameterError("--p", allowed: "an integer in [2, 8]", given: "\(p)") } }
        return list
    }

    /// The sweep the flags describe, the dataset path made absolute (shards may run elsewhere).
    func study() throws(ParameterError) -> LearningStudy {
        let (prep, examples) = try preparation()
        var size: (Int, Int)?
        if let imageSize {
            let v = imageSize.split(separator: "x").compactMap { Int($0) }
            guard v.count == 2, v[0] > 0, v[1] > 0 else { throw ParameterError("--image-size", allowed: "ROWSxCOLUMNS", given: "'\(imageSize)'") }
            size = (v[0], v[1])
        }
        let absolute = { (path: String) in URL(fileURLWithPath: path).standardizedFileURL.path }
        let settings = DatasetLearning.Settings(
            order: 3, hamiltonian: hamiltonian, learning: learning, binarisedMeans: binarisedMeans,
            retrieval: .init(temperature: 0, sweeps: sweeps, spuriousBelow: spuriousBelow, seed: seed), flip: flip, repeats: repeats)
        return LearningStudy(source: .init(dataset: absolute(dataset), labels: labels.map(absolute), labelColumn: labelColumn,
                                           rows: size?.0, columns: size?.1),
                             preparation: prep, settings: settings, examples: examples, orders: try orderList(),
                             temperatures: try temperatureList())
    }

    func validate() throws {
        do throws(ParameterError) {
            _ = try study()
            guard sweeps >= 1 else { throw ParameterError("--sweeps", allowed: "an integer ≥ 1", given: "\(sweeps)") }
            guard spuriousBelow > 0, spuriousBelow <= 1 else { throw ParameterError("--spurious-below", allowed: "a number in (0, 1]", given: "\(spuriousBelow)") }
            guard (0...1).contains(flip) else { throw ParameterError("--flip", allowed: "a fraction in [0, 1]", given: "\(flip)") }
            guard repeats >= 1 else { throw ParameterError("--repeats", allowed: "an integer ≥ 1", given: "\(repeats)") }
            if binarisedMeans, learning == .unsupervised {
                throw ParameterError("--binarised-means", allowed: "used only with --protocol supervised", given: "--protocol unsupervised")
            }
        } catch { throw error.validationError }
    }

}

/// The sweep a directory holds, a bad directory as one usage line.
func openStudy(_ directory: String) throws -> (StudyDirectory<LearningStudy>, LearningStudy) {
    let files = LearningStudy.directory(directory)
    do { return (files, try files.read()) } catch { throw ValidationError("\(error)") }
}

/// Reads a study's dataset, a bad file as one usage line.
func readDataset(_ study: LearningStudy) throws -> ImageDataset {
    do { return try study.source.read() } catch let error as DatasetError { throw ValidationError(error.description) }
}

/// How a learning sweep's results are shown: --plot and --format.
struct LearnOutputOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Write pictures into this directory: archetypes, example means and retrieved states (images-M<M>[-P<P>-T<T>].svg), and the curves in M (curve[-P<P>-T<T>].svg).")
    var plot: String?
    @Option(help: "stdout format: text | json.") var format: OutputFormat = .text

    func validate() throws { try format.requireTextOrJSON("hopsim learn") }

    /// Prints the records and writes the curves (one per P and T with ≥ 2 values of M).
    func report(_ study: LearningStudy, _ data: ImageDataset, _ records: [LearningStudy.Record]) throws {
        if let plot {
            try AtomicFile.makeDirectory(plot)
            for p in study.orders { for t in study.temperatures {
                let results = records.filter { $0.point.order == p && $0.point.temperature == t }.map(\.result)
                guard results.count >= 2 else { continue }
                var settings = study.settings
                settings.order = p
                settings.retrieval.temperature = t
                try AtomicFile.write(Data(LearnReport.curve(results, settings: settings).utf8),
                                     to: URL(fileURLWithPath: plot).appendingPathComponent("curve\(LearnReport.suffix(study, p, t)).svg").path)
            } }
        }
        let record = LearnReport.Record(dataset: study.source.dataset, labelsFile: study.source.labels, images: data.count, rows: data.rows,
                                        columns: data.columns, preparation: study.preparation, settings: study.settings,
                                        results: records.map(\.result))
        switch format {
        case .json: print(String(decoding: try RecordCoding.encoder(pretty: false).encode(record), as: UTF8.self))
        default: print(LearnReport.text(record), terminator: "")
        }
    }
}

/// `hopsim learn [run]`: every point of the sweep (resuming --output), then the report.
struct LearnRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the sweep (resuming --output DIR when given) and report.")
    @OptionGroup var options: LearnOptions
    @OptionGroup var output: LearnOutputOptions
    @Option(name: .customLong("output"), parsing: .unconditional, help: "Study directory: one file per point (M, P, T), resumable and shareable by shards.")
    var outputDirectory: String?
    @OptionGroup var threading: ThreadOptions

    func run() throws {
        let study: LearningStudy
        do { study = try options.study() } catch { throw error.validationError }
        let data = try readDataset(study)
        var pictures: [(String, String)] = []
        let plot = output.plot
        let records: [LearningStudy.Record]
        do {
            records = try study.run(data, directory: outputDirectory.map(LearningStudy.directory), threads: threading.threads,
                                    measure: try GaussianMeasure()) { point, trained, prepared, ends in
                guard plot != nil else { return }
                pictures.append(("images-M\(point.examples)\(LearnReport.suffix(study, point.order, point.temperature)).svg",
                                 LearnReport.images(trained, prepared, ends)))
            }
        } catch let error as ParameterError { throw error.validationError }
        if let plot {
            try AtomicFile.makeDirectory(plot)
            for (name, svg) in pictures { try AtomicFile.write(Data(svg.utf8), to: URL(fileURLWithPath: plot).appendingPathComponent(name).path) }
        }
        try output.report(study, data, records)
    }
}

/// `hopsim learn shard DIR --shard I/N`.
struct LearnShardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "shard", abstract: "Run one shard (I/N) of the sweep in DIR; points already there are skipped.")
    @Argument(help: "Study directory (written by `learn --output` or `learn slurm`).") var directory: String
    @Option(help: "I/N: shard I of N (0 ≤ I < N).") var shard: String
    @OptionGroup var threading: ThreadOptions

    func run() throws {
        let (files, study) = try openStudy(directory)
        let (index, count): (Int, Int)
        do { (index, count) = try Sharding.parse(shard, points: study.points.count) } catch { throw error.validationError }
        let indices = study.shard(index: index, count: count)
        let before = study.collect(files).records.count
        _ = try study.run(try readDataset(study), indices: indices, directory: files, threads: threading.threads, measure: try GaussianMeasure())
        let after = study.collect(files).records.count
        print("shard \(index)/\(count): \(indices.count) points, \(after - before) computed")
    }
}

/// `hopsim learn collect DIR`: the report of a complete sweep.
struct LearnCollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "collect", abstract: "Report the sweep in DIR (every point must be there; exit 3 otherwise).")
    @Argument(help: "Study directory.") var directory: String
    @OptionGroup var output: LearnOutputOptions

    func run() throws {
        let (files, study) = try openStudy(directory)
        let (records, missing) = study.collect(files)
        guard missing.isEmpty else {
            FileHandle.standardError.write(Data("hopsim learn collect: \(missing.count) of \(study.points.count) points are missing; run their shards\n".utf8))
            throw ExitCode(3)
        }
        try output.report(study, try readDataset(study), records)
    }
}

/// `hopsim learn slurm`: the study directory and a Slurm job array over its points.
struct LearnSlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "slurm", abstract: "Create the sweep's directory and write sbatch scripts: a job array of shards and a collect job after it.",
                                                    discussion: "The collect job writes DIR/learn.json and the curves DIR/figures/curve*.svg.")
    @OptionGroup var options: LearnOptions
    @Option(name: .customLong("out"), help: "Study directory (shared by all tasks).") var directory: String
    @OptionGroup(title: "Slurm") var slurm: SlurmOptions

    func run() throws {
        let study: LearningStudy
        do { study = try options.study() } catch { throw error.validationError }
        _ = try readDataset(study)
        do { try Sharding.checkCount(slurm.shards, points: study.points.count, flag: "--shards") } catch { throw error.validationError }
        let dir = URL(fileURLWithPath: directory).standardizedFileURL
        try LearningStudy.directory(dir.path).open(study)
        try slurm.writeStudy(directory: dir, command: "learn", finalVerb: "collect", points: study.points.count,
                             what: "\(study.points.count) points (M × P × T)")
    }
}

/// The record, text and pictures of `hopsim learn`.
enum LearnReport {
    /// "" for a sweep with one P and one T, else "-P<P>-T<T>".
    static func suffix(_ study: LearningStudy, _ p: Int, _ t: Double) -> String {
        study.orders.count == 1 && study.temperatures.count == 1 ? "" : "-P\(p)-T\(t)"
    }

    struct Record: Encodable {
        var schema = "hopsim.learn/1"
        var provenance = RunProvenance.current()
        var dataset: String
        var labelsFile: String?
        var images: Int
        var rows: Int
        var columns: Int
        var preparation: DatasetPreparation
        var settings: DatasetLearning.Settings
        var results: [DatasetLearning.Result]
    }

    static func text(_ r: Record) -> String {
        let s = r.settings, p = r.preparation
        var out = "dataset \(r.dataset): \(r.images) images of \(r.rows) × \(r.columns); binarised by \(p.binarization.rawValue)"
        out += p.binarization == .threshold ? " \(p.threshold)" : ""
        out += p.downsample > 1 ? ", downsampled by \(p.downsample)" : ""
        out += "\nnetwork: \(s.hamiltonian.rawValue), \(s.learning.rawValue)\(s.binarisedMeans ? " (binarised means)" : ""); dynamics ≤ \(s.retrieval.sweeps) sweeps (T = 0: until nothing flips); seed \(s.retrieval.seed)\n"
        out += "M | P | T | N | r̂ | ρ̂ | max|C| | accuracy ± err | spurious | m(test) | m(archetype, \(Int(s.flip * 100))% flipped) | RS m(ξ̂) | RS m(ξ) | z\n"
        for x in r.results {
            let theory = x.theory.map { String(format: "%.4f | %.4f", $0.mEstimate, $0.m) } ?? "– | –"
            let z = x.z.map { String(format: "%+.1f", $0) } ?? "–"
            out += String(format: "%d | %d | %g | %d | %.4f | %.4f | %.3f | %.4f ± %.4f | %.4f | %.4f ± %.4f | %.4f ± %.4f | %@ | %@\n",
                          x.examples, x.order, x.temperature, x.neurons, x.quality, x.datasetEntropy, x.largestCorrelation, x.accuracy.mean, x.accuracy.error,
                          x.spurious.mean, x.testOverlap.mean, x.testOverlap.error, x.archetypeOverlap.mean, x.archetypeOverlap.error,
                          theory, z)
        }
        if let last = r.results.last {
            out += String(format: "chance accuracy 1/%d = %.3f; archetype correlations up to %.3f (random archetypes: ~1/√N = %.3f)\n",
                          last.classes, 1 / Double(last.classes), last.largestCorrelation, 1 / Double(last.neurons).squareRoot())
            out += "r̂ from the second moment of the class sums (unbiased for random examples); m against the archetype estimates ξ̂ = sign(class sum), beside the RS overlap with ξ̂ and with the true ξ for random archetypes at r̂; z = (m − RS m(ξ̂))/error, the error from the per-class means\n"
        }
        return out
    }

    /// Archetype estimates, label means and, per class, the first test image and its end state.
    static func images(_ trained: DatasetNetwork, _ prepared: DatasetPreparation.Prepared, _ ends: [[Int8]]) -> String {
        let k = prepared.labels.count, n = prepared.neurons
        func values(_ v: [Int8]) -> [Double] { v.map(Double.init) }
        let archetypes = (0..<k).map { c in ("class \(prepared.labels[c])", values(trained.archetype(c))) }
        let means = (0..<k).map { c -> (String, [Double]) in
            let m = Double(prepared.training[c].count)
            return ("r̂ = \(String(format: "%.2f", trained.qualities[c]))",
                    (0..<n).map { i in prepared.training[c].reduce(0.0) { $0 + Double($1[i]) } / m })
        }
        var starts: [(String, [Double])] = [], finals: [(String, [Double])] = []
        for c in 0..<k {
            guard let t = prepared.test.firstIndex(where: { $0.classIndex == c }) else { continue }
            starts.append(("test, class \(prepared.labels[c])", values(prepared.test[t].pattern)))
            let end = ends[t]
            let overlaps = (0..<k).map { d in zip(trained.archetype(d), end).reduce(0) { $0 + Int($1.0) * Int($1.1) } }
            let best = overlaps.indices.max { overlaps[$0] < overlaps[$1] }!
            finals.append(("→ \(prepared.labels[best]), m = \(String(format: "%.2f", Double(overlaps[best]) / Double(n)))", values(end)))
        }
        return PixelImages.svg(title: "M = \(trained.examples) examples per class: archetypes ξ̂, label means η̄, test images and end states",
                               rows: [.init(label: "archetype ξ̂", images: archetypes), .init(label: "label mean η̄", images: means),
                                      .init(label: "test image", images: starts), .init(label: "end state", images: finals)],
                               imageRows: prepared.rows, imageColumns: prepared.columns)
    }

    /// Accuracy, archetype overlap and the RS prediction against M.
    static func curve(_ results: [DatasetLearning.Result], settings: DatasetLearning.Settings) -> String {
        var series: [SVGLineChart.Series] = [
            .init(label: "accuracy on test images", colour: "#1f5fa8", style: .points,
                  points: results.map { (Double($0.examples), $0.accuracy.mean, $0.accuracy.error) }),
            .init(label: "archetype overlap from \(Int(settings.flip * 100))% flipped pixels", colour: "#000000", style: .points,
                  points: results.map { (Double($0.examples), $0.archetypeOverlap.mean, $0.archetypeOverlap.error) }),
        ]
        // The RS overlap with the majority estimate ξ̂: what the archetype overlap is measured against.
        let theory = results.compactMap { r in r.theory.map { (Double(r.examples), $0.mEstimate, nil as Double?) } }
        if theory.count >= 2 {
            series.append(.init(label: "RS theory (overlap with ξ̂), random archetypes at the measured r̂", colour: "#c0392b", style: .line(dashed: true, width: 2),
                                points: theory))
        }
        series.append(.init(label: "measured quality r̂", colour: "#2e8b57", style: .line(dashed: false, width: 1.5),
                            points: results.map { (Double($0.examples), $0.quality, nil) }))
        let stored = settings.binarisedMeans ? "binarised label means" : settings.learning == .supervised ? "label means" : "every example"
        var chart = SVGLineChart(title: "P = \(settings.order) network storing \(stored), T = \(settings.retrieval.temperature)",
                                 xLabel: "examples per class M", yLabel: "accuracy, overlap", series: series)
        chart.gap = 10
        if let first = results.first { chart.notes = [String(format: "chance 1/%d = %.2f", first.classes, 1 / Double(first.classes))] }
        return chart.render()
    }
}
