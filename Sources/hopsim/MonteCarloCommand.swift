import ArgumentParser
import Foundation
import HopfieldKit

/// How `mc` obtains the magnetisations: exact Monte Carlo or the family's Plefka (TAP) engine.
enum EngineChoice: String, CaseIterable, ExpressibleByArgument {
    case exact, plefka
}

extension DenseHamiltonian: ExpressibleByArgument {}
extension LearningProtocol: ExpressibleByArgument {}

/// `hopsim mc`: Monte Carlo of the classical, multitasking and dense Hebbian networks.

struct MonteCarloCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mc",
        abstract: "Monte Carlo of Hebbian networks: classical (pairwise), multitasking (diluted) and dense (P-body).",
        discussion: """
            Stores P = αN random ±1 patterns in J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ (i ≠ j), runs single-spin \
            dynamics and reports, averaged over replicas, time and pattern samples: the overlap m with \
            the condensed pattern ξ¹, the crosstalk overlaps with the others, the spin-glass overlap q \
            (replicas ≥ 2), AGS's r and the energy per neuron. Each observable carries its mean, the \
            thermal error from binning, the integrated autocorrelation time (sweeps) and the spread \
            across samples, reported apart.

            --model dense --p P stores K = αN^{P−1} patterns in the P-body Hamiltonian \
            H = −(1/(P! N^{P−1})) Σ_μ Σ_{distinct i_1…i_P} ξ…ξ σ…σ (--hamiltonian gardner) or \
            −(N/P!) Σ_μ m_μ^P (krotov); with --examples M --quality r --protocol supervised|unsupervised \
            the couplings are built from M noisy examples of each of K archetypes. --engine plefka \
            replaces Monte Carlo by the deterministic Plefka (TAP) fixed point.
            """)

    @OptionGroup(title: "Network family") var network: FamilyOptions

    @Option(parsing: .unconditional, help: "Trained networks: number of archetypes K (same as --patterns).",
            transform: Parse.integer("--archetypes", allowed: "an integer ≥ 1"))
    var archetypes: Int?

    @Option(parsing: .unconditional, help: "exact (Monte Carlo) | plefka (the deterministic Plefka/TAP fixed point of the family, docs/physics.md §8).")
    var engine: EngineChoice = .exact

    @Option(parsing: .unconditional, help: "Order of the Plefka expansion, 1 (naive mean field) or 2 (with the Onsager term).",
            transform: Parse.integer("--plefka-order", allowed: "1 or 2"))
    var plefkaOrder = 2

    @Option(parsing: .unconditional, help: "Plefka sweeps: parallel (every field from the previous sweep, over the whole vector; dense networks only at P = 3 with ±1 couplings) or sequential (site by site). Same fixed points.")
    var plefkaUpdate: PlefkaUpdate = .parallel

    @Option(parsing: .unconditional, help: "Damping λ ∈ (0, 1] of the Plefka iteration m ← (1−λ)m + λ tanh(…) (halved automatically where it oscillates).",
            transform: Parse.double("--damping", allowed: "a number in (0, 1]"))
    var damping = 1.0

    @Option(parsing: .unconditional, help: "Load α = P/N^{P−1}, > 0 (P = round(αN^{P−1})). Default 0.1 (dense 0.05) unless --patterns is given.",
            transform: Parse.double(Limits.alpha))
    var alpha: Double?

    @Option(parsing: .unconditional, help: "Number of stored patterns P ≥ 1 (instead of --alpha).",
            transform: Parse.integer(Limits.patterns))
    var patterns: Int?

    @Option(name: .customLong("neurons"), parsing: .unconditional, help: "Number of neurons N, \(Limits.neurons.allowed) (default 2000; dense 200).",
            transform: Parse.integer(Limits.neurons))
    var neuronCount: Int?

    @OptionGroup(title: "Monte Carlo") var dynamicsOptions: MonteCarloOptions
    @OptionGroup var threading: ThreadOptions

    @Option(parsing: .unconditional, help: "Also write the run's JSON record (with its provenance) to this file (pretty, atomically), whatever --format prints.")
    var output: String?

    @Option(parsing: .unconditional, help: "stdout format: text | json | csv.")
    var format: OutputFormat = .text

    /// Default N: the family's (2000 for the pairwise families, 200 for dense networks).
    func neurons(_ family: NetworkFamily) -> Int {
        neuronCount ?? family.defaultNeurons
    }

    /// The run's parameters from the flags, with every range checked.
    func parameters() throws(ParameterError) -> MonteCarloParameters {
        if let n = neuronCount { try Limits.neurons.check(n) }
        let family = try network.family()
        let neurons = neurons(family)
        if archetypes != nil, family.training == nil, network.model != .dense {
            throw ParameterError("--examples/--quality/--protocol/--archetypes", allowed: "used only with --model dense or multitasking", given: "--model \(network.model.rawValue)")
        }
        if archetypes != nil, patterns != nil {
            throw ParameterError("--archetypes", allowed: "given without --patterns (they set the same K)", given: "both")
        }
        let patternCount: Int
        switch (alpha, patterns ?? archetypes) {
        case (.some, .some):
            throw ParameterError("--alpha", allowed: "given without --patterns or --archetypes (they set the same number)", given: "both")
        case (.some(let a), nil):
            try Limits.alpha.check(a)
            // round(αN^{P−1}) (round(e^{αN}) for the exponential family), saturating, never trapping.
            let p = family.patterns(alpha: a, neurons: neurons)
            guard p >= 1 else {
                throw ParameterError("--alpha", allowed: "≥ \(family.alpha(patterns: 1, neurons: neurons) / 2) so that the number of patterns (\(family.loadLabel)) is ≥ 1", given: "\(a)")
            }
            guard p <= Int(Int32.max) else {
                throw ParameterError("--alpha", allowed: "such that the number of patterns (\(family.loadLabel)) is below 2^31", given: "\(a)")
            }
            patternCount = Int(p)
        case (nil, .some(let p)):
            patternCount = p
        case (nil, nil):
            // The family's default load: α = 0.1 on the pairwise engine, 0.05 on the P-body one.
            patternCount = max(1, family.patterns(alpha: family.defaultAlpha, neurons: neurons))
        }
        let start = try dynamicsOptions.start()
        if engine == .plefka, !(plefkaOrder == 1 || plefkaOrder == 2) {
            throw ParameterError("--plefka-order", allowed: "1 or 2", given: "\(plefkaOrder)")
        }
        let p = MonteCarloParameters(
            neurons: neurons, patterns: patternCount, temperature: dynamicsOptions.temperature,
            dynamics: dynamicsOptions.dynamics ?? (dynamicsOptions.temperature == 0 ? .zeroTemperature : .heatBath),
            order: dynamicsOptions.order, thermalization: dynamicsOptions.thermalization, sweeps: dynamicsOptions.sweeps, measureEvery: dynamicsOptions.measureEvery,
            samples: dynamicsOptions.samples, replicas: dynamicsOptions.replicas, initialState: start, seed: dynamicsOptions.seed, family: family,
            patternLayout: dynamicsOptions.patternLayout)
        try p.validate()
        try Limits.threads.check(threads)
        return p
    }

    @OptionGroup var progressOptions: ProgressOptions
    var threads: Int { threading.threads }

    func validate() throws {
        do { _ = try parameters() } catch { throw error.validationError }
    }

    func run() throws {
        let parameters = try parameters()
        if let output { try AtomicFile.checkWritable(output) }
        if engine == .plefka { return try runPlefka(parameters) }
        let progress = ProgressReporter(label: "hopsim mc", quiet: progressOptions.quiet)
        if !progressOptions.quiet { FileHandle.standardError.write(Data((memoryLine(parameters) + "\n").utf8)) }
        let start = DispatchTime.now().uptimeNanoseconds
        let report: MonteCarloRun.Progress? = progress.enabled ? { @Sendable fraction in progress.report(fraction) } : nil
        let result = try MonteCarloRun.run(parameters, threads: threads, progress: report)
        progress.finish()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        let record = MonteCarloRecord(result: result, threads: threads, wallSeconds: wall)
        try emit(record, json: record.jsonLine, csv: MonteCarloTable.csv, text: MonteCarloTable.text)
    }

    /// The memory the run will hold, stated before it starts (stderr), with the engine's layout.
    func memoryLine(_ p: MonteCarloParameters) -> String {
        let bytes = MonteCarloRun.estimatedPeakBytes(p, threads: threads)
        let size = bytes >= 1e9 ? String(format: "%.2f GB", bytes / 1e9) : String(format: "%.0f MB", bytes / 1e6)
        var line = "hopsim mc: memory ≈ \(size) (\(min(p.samples, threads)) of \(p.samples) samples at once"
        let kernels = "packed one bit per entry, \(PackedKernels.instructionSet) kernels"
        if p.family.couplingSettings == nil {
            line += p.packedRows ? "; patterns \(kernels)" : "; patterns one byte per entry"
        } else if p.packedRows {
            line += "; couplings \(kernels)"
        }
        return line + ")"
    }

    /// Writes the record to --output (pretty JSON, atomically) and prints it in --format.
    func emit<R: Encodable>(_ record: R, json: () throws -> String, csv: (R) -> String, text: (R) -> String) throws {
        if let output {
            var data = try RecordCoding.encoder(pretty: true).encode(record)
            data.append(0x0A)
            try AtomicFile.write(data, to: output)
        }
        switch format {
        case .json: print(try json())
        case .csv: print(csv(record), terminator: "")
        case .text: print(text(record), terminator: "")
        }
    }
}

extension MonteCarloCommand {
    /// `--engine plefka`: the deterministic Plefka fixed point per sample, its record, and the
    /// approximation it rests on. Exit status 2 when a sample did not converge.
    func runPlefka(_ parameters: MonteCarloParameters) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try PlefkaRun.run(parameters, settings: PlefkaSettings(order: plefkaOrder == 1 ? .first : .second, damping: damping,
                                                                         update: plefkaUpdate),
                                       threads: threads)
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        let record = PlefkaRecord(result: result, threads: threads, wallSeconds: wall)
        try emit(record, json: record.jsonLine, csv: MonteCarloTable.plefkaCSV, text: MonteCarloTable.plefkaText)
        if !record.approximation.allConverged { throw ExitCode(2) }
    }
}
