import ArgumentParser
import Foundation
import HopfieldKit

/// `hopsim fss`: one point at several sizes N, extrapolated to N = ∞.
struct FiniteSizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fss",
        abstract: "Finite-size scaling: one Monte Carlo point at a list of sizes N, every observable extrapolated to N = ∞.",
        discussion: """
            `hopsim fss --neurons 500,1000,2000,4000 --alpha 0.05 --temperature 0.1` runs the point at \
            each N (at fixed load α, or fixed --patterns), with ⌈S·N_max/N⌉ disorder samples at size N \
            (S = --samples, so every size has about the sample error of S samples at N_max), then fits \
            θ(N) = θ_∞ + a·N^(−ω) to each observable: --omega auto fits ω where ≥ 4 sizes allow and keeps \
            the form (ω fitted, or 1/N) with the smaller AIC; a number fixes ω; `fit` always fits it. \
            Errors of θ_∞ come from the jackknife over disorder samples; χ²/dof and its p-value test the \
            form; warnings say when not to trust it. With --output DIR every disorder sample is a file, \
            so the study resumes and can be split: `fss shard DIR --shard I/N` runs one part, \
            `fss slurm` writes a Slurm job array, `fss analyse DIR` fits what the directory holds.
            """,
        subcommands: [FiniteSizeRunCommand.self, FiniteSizeShardCommand.self, FiniteSizeAnalyseCommand.self, FiniteSizeSlurmCommand.self],
        defaultSubcommand: FiniteSizeRunCommand.self)
}

/// The study from the command line: family, load, sizes and the Monte Carlo run of every size.
struct StudyOptions: ParsableArguments {
    @OptionGroup(title: "Network family") var network: FamilyOptions

    @Option(parsing: .unconditional, help: "Load α = P/N^{P−1} kept at every size, > 0 (instead of --patterns).",
            transform: Parse.double(Limits.alpha))
    var alpha: Double?

    @Option(parsing: .unconditional, help: "A number of patterns P ≥ 1 kept at every size (e.g. 1: the Curie–Weiss limit), instead of --alpha.",
            transform: Parse.integer(Limits.patterns))
    var patterns: Int?

    @Option(name: .customLong("neurons"), parsing: .unconditional, help: "The sizes N, a comma-separated list of 2 to 32 (e.g. 500,1000,2000,4000).",
            transform: StudyOptions.sizes)
    var neurons: [Int]

    @OptionGroup(title: "Monte Carlo (--samples: disorder samples at the largest size)") var dynamicsOptions: MonteCarloOptions

    @Option(parsing: .unconditional, help: "Samples per size: inverse-size (⌈S·N_max/N⌉, equal sample errors) | constant (S everywhere).")
    var sampleScaling: FiniteSizeStudy.SampleScaling = .inverseSize

    @Sendable static func sizes(_ text: String) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap { Int($0) }
        guard !parts.isEmpty, values.count == parts.count else {
            throw ParameterError("--neurons", allowed: "a comma-separated list of integers (e.g. 500,1000,2000,4000)", given: "'\(text)'")
        }
        for n in values { try Limits.neurons.check(n) }
        return values
    }

    func study() throws(ParameterError) -> FiniteSizeStudy {
        let family = try network.family()
        let start = try dynamicsOptions.start()
        let template = MonteCarloParameters(
            neurons: neurons.max() ?? 2, patterns: patterns ?? 1, temperature: dynamicsOptions.temperature,
            dynamics: dynamicsOptions.dynamics ?? (dynamicsOptions.temperature == 0 ? .zeroTemperature : .heatBath),
            order: dynamicsOptions.order, thermalization: dynamicsOptions.thermalization, sweeps: dynamicsOptions.sweeps,
            measureEvery: dynamicsOptions.measureEvery, samples: 1, replicas: dynamicsOptions.replicas,
            initialState: start, seed: dynamicsOptions.seed, family: family,
            patternLayout: dynamicsOptions.patternLayout)
        let study = FiniteSizeStudy(template: template, alpha: patterns == nil ? (alpha ?? family.defaultAlpha) : alpha,
                                    patterns: patterns, neurons: neurons, samples: dynamicsOptions.samples,
                                    sampleScaling: sampleScaling)
        try study.validate()
        return study
    }
}

extension FiniteSizeStudy.SampleScaling: ExpressibleByArgument {}

/// How the fits are made and shown: --omega, --theory, --plot, --format.
struct FiniteSizeAnalysisOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Correction exponent ω of θ_∞ + a N^(−ω): auto | fit | a number in (0, 10] (e.g. 1, 0.5).",
            transform: FiniteSizeAnalysisOptions.omega)
    var omega: OmegaChoice = .automatic

    @Option(parsing: .singleValue, help: "N = ∞ theory value of an observable, NAME=VALUE (repeatable; replaces the family's own RS value).",
            transform: FiniteSizeAnalysisOptions.theoryValue)
    var theory: [TheoryValue] = []

    @Option(parsing: .singleValue, help: "Report (and plot) only this observable (repeatable; default: every one recorded, and binder_q).")
    var observable: [String] = []

    @Option(parsing: .unconditional, help: "Write one figure per observable, fss-<observable>.svg, into this directory.")
    var plot: String?

    @Option(help: "stdout format: text | json.") var format: OutputFormat = .text

    struct TheoryValue: Sendable { var name: String; var value: Double }

    @Sendable static func omega(_ text: String) throws -> OmegaChoice {
        switch text {
        case "auto": return .automatic
        case "fit": return .fitted
        default:
            guard let w = Double(text), w > 0, w <= 10 else {
                throw ParameterError("--omega", allowed: "auto, fit or a number in (0, 10]", given: "'\(text)'")
            }
            return .fixed(w)
        }
    }

    @Sendable static func theoryValue(_ text: String) throws -> TheoryValue {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, let v = Double(parts[1]), v.isFinite else {
            throw ParameterError("--theory", allowed: "NAME=VALUE with a finite number", given: "'\(text)'")
        }
        return TheoryValue(name: parts[0], value: v)
    }

    func validate() throws {
        try format.requireTextOrJSON("hopsim fss")
        if let plot { guard !plot.isEmpty else { throw ValidationError("--plot must be a directory path (got '')") } }
    }

    /// --theory and --observable name observables the study records (checked before any run).
    func check(_ study: FiniteSizeStudy) throws {
        let names = study.observableNames
        let known = Set(names)
        let recorded = names.joined(separator: ", ")
        if let unknown = theory.first(where: { !known.contains($0.name) }) {
            throw ValidationError("--theory must name an observable this study records: \(recorded) (got '\(unknown.name)')")
        }
        if let unknown = observable.first(where: { !known.contains($0) }) {
            throw ValidationError("--observable must be one this study records: \(recorded) (got '\(unknown)')")
        }
    }

    /// Analyses the samples, prints in --format, writes the figures; exit 3 when nothing could be
    /// extrapolated.
    func report(_ study: FiniteSizeStudy, _ samples: [FiniteSizeSample], threads: Int) throws {
        try check(study)
        var values: [String: Double] = [:]
        do {
            values = try FiniteSizeTheory.values(study, threads: threads) ?? [:]
        } catch {
            FileHandle.standardError.write(Data("hopsim fss: no theory value: \(error)\n".utf8))
        }
        for t in theory { values[t.name] = t.value }
        var analysis = FiniteSizeAnalysis.analyse(study, samples: samples, omega: omega, theory: values)
        if !observable.isEmpty { analysis.observables = analysis.observables.filter { observable.contains($0.observable) } }
        if let plot {
            try AtomicFile.makeDirectory(plot)
            for o in analysis.observables {
                guard let svg = FiniteSizeFigure.svg(o, title: "\(o.observable): \(FiniteSizeReport.describe(study))") else { continue }
                try AtomicFile.write(Data(svg.utf8), to: URL(fileURLWithPath: plot).appendingPathComponent("fss-\(o.observable).svg").path)
            }
        }
        switch format {
        case .json: print(try FiniteSizeReport.json(analysis))
        default: print(FiniteSizeReport.text(analysis), terminator: "")
        }
        if analysis.observables.allSatisfy({ $0.extrapolated == nil }) {
            FileHandle.standardError.write(Data("hopsim fss: no observable could be extrapolated (every size needs ≥ 2 samples, and ≥ 2 sizes)\n".utf8))
            throw ExitCode(3)
        }
    }
}

/// `hopsim fss [run]`: runs every size (resuming what --output holds) and analyses.
struct FiniteSizeRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the study (resuming --output DIR when given) and extrapolate every observable.")
    @OptionGroup var studyOptions: StudyOptions
    @OptionGroup(title: "Analysis") var analysis: FiniteSizeAnalysisOptions
    @Option(parsing: .unconditional, help: "Study directory: one file per disorder sample, resumable and shareable by shards.")
    var output: String?
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        let study: FiniteSizeStudy
        do { study = try studyOptions.study() } catch { throw error.validationError }
        try analysis.check(study)
        if let output { guard !output.isEmpty else { throw ValidationError("--output must be a directory path (got '')") } }
    }

    func run() throws {
        let study = try studyOptions.study()
        let progress = ProgressReporter(label: "hopsim fss", quiet: progressOptions.quiet)
        if output != nil { StopSignals.install() }
        let samples: [FiniteSizeSample]
        do {
            samples = try FiniteSizeRun.run(study, store: output.map(FiniteSizeStore.init), threads: threading.threads,
                                            shouldStop: { StopSignals.requested },
                                            progress: progress.enabled ? { @Sendable f in progress.report(f) } : nil)
        } catch is MonteCarloRun.Interrupted {
            progress.finish()
            FileHandle.standardError.write(Data("hopsim fss: interrupted; the finished samples are in \(output ?? "")/samples, rerun to resume\n".utf8))
            throw ExitCode(75)
        }
        progress.finish()
        try analysis.report(study, samples, threads: threading.threads)
    }
}

/// `hopsim fss shard DIR --shard I/N`: one part of the study a directory holds.
struct FiniteSizeShardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shard", abstract: "Run one shard (I/N) of the study in DIR; points already there are skipped.",
        discussion: "SIGTERM, SIGUSR1 (Slurm's --signal) or SIGINT stop it cleanly: finished samples are kept, exit 75; rerun to resume.")
    @Argument(help: "Study directory (written by `fss run --output` or `fss slurm`).") var directory: String
    @Option(help: "I/N: shard I of N (0 ≤ I < N), a cost-balanced deterministic split.") var shard: String
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var progressOptions: ProgressOptions

    func run() throws {
        let study: FiniteSizeStudy
        do { study = try FiniteSizeStore.study(in: directory) } catch { throw ValidationError("\(error)") }
        let (index, count): (Int, Int)
        do { (index, count) = try Sharding.parse(shard, points: study.points.count) } catch { throw error.validationError }
        let points = FiniteSizeRun.shard(study, index: index, count: count)
        let store = FiniteSizeStore(directory: directory)
        let before = points.filter { store.load($0) != nil }.count
        let progress = ProgressReporter(label: "hopsim fss shard \(shard)", quiet: progressOptions.quiet)
        StopSignals.install()
        do {
            _ = try FiniteSizeRun.run(study, points: points, store: store, threads: threading.threads,
                                      shouldStop: { StopSignals.requested },
                                      progress: progress.enabled ? { @Sendable f in progress.report(f) } : nil)
        } catch is MonteCarloRun.Interrupted {
            progress.finish()
            let done = points.filter { store.load($0) != nil }.count
            FileHandle.standardError.write(Data("hopsim fss shard \(shard): interrupted with \(done) of \(points.count) samples done; rerun to resume\n".utf8))
            throw ExitCode(75)
        }
        progress.finish()
        print("shard \(index)/\(count): \(points.count) samples, \(points.count - before) computed, \(before) already there")
    }
}

/// `hopsim fss analyse DIR`: the extrapolation of what a study directory holds.
struct FiniteSizeAnalyseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyse", abstract: "Extrapolate the study in DIR (every sample must be there; exit 3 otherwise).")
    @Argument(help: "Study directory.") var directory: String
    @OptionGroup(title: "Analysis") var analysis: FiniteSizeAnalysisOptions
    @OptionGroup var threading: ThreadOptions

    func run() throws {
        let study: FiniteSizeStudy
        do { study = try FiniteSizeStore.study(in: directory) } catch { throw ValidationError("\(error)") }
        let (samples, missing) = FiniteSizeRun.collect(study, store: FiniteSizeStore(directory: directory))
        guard missing.isEmpty else {
            let sizes = Set(missing.map(\.neurons)).sorted().map(String.init).joined(separator: ", ")
            FileHandle.standardError.write(Data("hopsim fss analyse: \(missing.count) of \(study.points.count) samples are missing (N = \(sizes)); run the missing shards or `hopsim fss shard \(directory) --shard 0/1`\n".utf8))
            throw ExitCode(3)
        }
        try analysis.report(study, samples, threads: threading.threads)
    }
}

/// `hopsim fss slurm`: the study directory and a Slurm job array over its samples.
struct FiniteSizeSlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm", abstract: "Create the study directory and write sbatch scripts: a job array of shards and an analysis job after it.",
        discussion: "The analysis job writes DIR/fss.json and the figures DIR/figures/fss-<observable>.svg.")
    @OptionGroup var studyOptions: StudyOptions
    @Option(name: .customLong("out"), help: "Study directory (shared by all tasks).") var directory: String
    @OptionGroup(title: "Slurm") var slurm: SlurmOptions

    func validate() throws {
        do { _ = try studyOptions.study() } catch { throw error.validationError }
        guard !directory.isEmpty else { throw ValidationError("--out must be a directory path (got '')") }
        do { try SlurmSyntax.checkPath(URL(fileURLWithPath: directory).standardizedFileURL.path, flag: "--out") } catch { throw error.validationError }
    }

    func run() throws {
        let study = try studyOptions.study()
        do { try Sharding.checkCount(slurm.shards, points: study.points.count, flag: "--shards") } catch { throw error.validationError }
        let dir = URL(fileURLWithPath: directory).standardizedFileURL
        try FiniteSizeStore(directory: dir.path).open(study)
        try slurm.writeStudy(directory: dir, command: "fss", finalVerb: "analyse", points: study.points.count,
                             what: "\(study.points.count) disorder samples at N = \(study.neurons.map(String.init).joined(separator: ","))")
    }
}

/// The text and JSON forms of an analysis.
enum FiniteSizeReport {
    static func describe(_ study: FiniteSizeStudy) -> String {
        let t = study.template
        let load = study.alpha.map { "α = \($0)" } ?? "P = \(study.patterns ?? 0)"
        return "\(t.model), \(load), T = \(t.temperature), \(t.dynamics.rawValue), init \(t.initialState.name), seed \(t.seed)"
    }

    struct Output: Encodable {
        var schema = "hopsim.fss/1"
        var provenance = RunProvenance.current()
        var analysis: FiniteSizeAnalysis
    }

    static func json(_ analysis: FiniteSizeAnalysis) throws -> String {
        String(decoding: try RecordCoding.encoder(pretty: false).encode(Output(analysis: analysis)), as: UTF8.self)
    }

    static func text(_ a: FiniteSizeAnalysis) -> String {
        let s = a.study
        var out = "finite-size study: \(describe(s))\n"
        out += "sizes N = \(s.neurons.map(String.init).joined(separator: ", ")), samples \(s.neurons.map { String(s.samples(neurons: $0)) }.joined(separator: ", ")) (\(s.sampleScaling.rawValue)), \(s.template.thermalization) + \(s.template.sweeps) sweeps, \(s.template.replicas) replicas; ω: \(a.omega); errors: jackknife over disorder samples\n"
        for o in a.observables {
            out += "\n\(o.observable):"
            for v in o.sizes { out += String(format: "  N=%d: %.6g ± %.2g", v.neurons, v.mean, v.error) }
            out += "\n"
            if let e = o.extrapolated {
                let w = e.fit.omegaFitted ? String(format: "ω = %.3g ± %.2g (fitted)", e.omega, e.omegaError ?? .nan) : String(format: "ω = %g", e.omega)
                let chi = e.chi2Dof.map { String(format: "χ²/dof = %.2f (p = %.2g)", $0, e.pValue ?? .nan) } ?? "χ²/dof: no degree of freedom"
                out += String(format: "  N → ∞: %.6g ± %.2g   [%@; %@; %@]\n", e.mean, e.error, w, chi, e.choice)
                for other in o.fits.dropFirst() {
                    out += String(format: "  beside: %@ %.6g ± %.2g, χ²/dof = %@\n", other.model == "inverse-size" ? "1/N" : String(format: "ω = %.3g:", other.omega),
                                  other.mean, other.error, other.chi2Dof.map { String(format: "%.2f", $0) } ?? "–")
                }
            }
            if let t = o.theory { out += String(format: "  theory (N = ∞): %.6g, z = %@\n", t, o.z.map { String(format: "%+.2f", $0) } ?? "–") }
            for w in o.warnings { out += "  warning: \(w)\n" }
        }
        return out
    }
}
