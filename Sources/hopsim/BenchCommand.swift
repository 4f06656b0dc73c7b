import ArgumentParser
import Foundation
import HopfieldKit

/// `hopsim bench`: throughput figures, never pass/fail.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks (figures and ratios, not tests).",
        subcommands: [MonteCarloBench.self, ReplicaSymmetricBench.self, PlefkaBench.self, OneStepBench.self])
}

/// `hopsim bench mc`: heat-bath sweeps on one network, timed as the reference C program of `Scripts/bench-mc` times
/// them; ops_per_second = N·P·sweeps / seconds.
struct MonteCarloBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mc",
        abstract: "Sweep throughput of the classical engine (neuron·pattern operations per second).",
        discussion: "With --baseline, also times the Int8 pattern layout and the Int32 overlap storage in the same process and prints the ratios.")

    @Option(parsing: .unconditional, transform: Parse.integer("--neurons", allowed: "an integer ≥ 2")) var neurons = 10_000
    @Option(parsing: .unconditional, transform: Parse.integer("--patterns", allowed: "an integer ≥ 1")) var patterns = 1_000
    @Option(parsing: .unconditional, transform: Parse.double("--temperature", allowed: "a number > 0")) var temperature = 0.1
    @Option(parsing: .unconditional, transform: Parse.integer("--sweeps", allowed: "an integer ≥ 1")) var sweeps = 30
    @Option(parsing: .unconditional, transform: Parse.seed) var seed: UInt64 = 1
    @Option(help: "Pattern layout: auto | int8 | packed (one bit per entry).") var patternLayout: PatternLayout = .auto
    @Flag(help: "Also time the Int8 pattern layout and the Int32 overlap storage (the layout of the reference C program) and print the ratios.")
    var baseline = false
    @Flag(help: "Alias of --format json.") var json = false
    @Option(help: "stdout format: text | json (one JSON line per measurement)") var format: OutputFormat = .text
    /// JSON output: --format json, or its alias --json.
    var jsonOutput: Bool { json || format == .json }

    func validate() throws {
        try format.requireTextOrJSON("hopsim bench mc")
        let p = MonteCarloParameters(neurons: neurons, patterns: patterns, temperature: temperature,
                                     sweeps: sweeps, measureEvery: 1, seed: seed)
        do { try p.validate() } catch { throw error.validationError }
        guard temperature > 0 else { throw ValidationError("--temperature must be a number > 0 (got \(temperature))") }
    }

    func run() throws {
        let ours = MonteCarloBenchmark.run(neurons: neurons, patterns: patterns, temperature: temperature,
                                           sweeps: sweeps, seed: seed, layout: patternLayout)
        report(ours)
        if baseline {
            let bytes = MonteCarloBenchmark.run(neurons: neurons, patterns: patterns, temperature: temperature,
                                                sweeps: sweeps, seed: seed, layout: .int8)
            report(bytes)
            let wide = MonteCarloBenchmark.run(neurons: neurons, patterns: patterns, temperature: temperature,
                                               sweeps: sweeps, seed: seed, width: .int32, layout: ours.patternLayout)
            report(wide)
            let layoutRatio = ours.opsPerSecond / bytes.opsPerSecond
            let widthRatio = ours.opsPerSecond / wide.opsPerSecond
            let layout = ours.patternLayout.rawValue, width = ours.overlapStorage.rawValue
            if jsonOutput {
                print("{\"ratio_\(layout)_over_int8\":\(layoutRatio),\"ratio_\(width)_over_int32\":\(widthRatio)}")
            } else {
                print(String(format: "ratio %@/int8 layout: %.2f   ratio %@/int32 overlaps: %.2f", layout, layoutRatio, width, widthRatio))
            }
        }
    }

    func report(_ b: MonteCarloBenchmark) {
        if jsonOutput {
            let encoder = RecordCoding.encoder(pretty: false)
            print(String(decoding: try! encoder.encode(b), as: UTF8.self))
        } else {
            print(String(format: "%@ (%@ patterns, %@ overlaps): N = %d, P = %d, T = %g, %d sweeps in %.4f s: %.3e ops/s, m = %.4f",
                         b.engine, b.patternLayout == .packed ? "packed/\(b.instructionSet)" : "int8", b.overlapStorage.rawValue, b.neurons, b.patterns, b.temperature, b.sweeps,
                         b.seconds, b.opsPerSecond, b.m))
        }
    }
}

/// `hopsim bench rs`: a full classical RS grid, by continuation and (with --baseline) by bracketing
/// every point, with points per second, mean iterations and their ratio.
struct ReplicaSymmetricBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rs", abstract: "Classical RS grid throughput (points per second, mean iterations per point).")

    @Option(parsing: .unconditional, help: "α axis, start:stop:count.") var alpha = "0.001:0.16:200"
    @Option(parsing: .unconditional, help: "T axis, start:stop:count.") var temperature = "0:1.2:200"
    @OptionGroup var threading: ThreadOptions
    var threads: Int { threading.threads }
    @Flag(help: "Also solve the grid by bracketing every point and print the speed-up of continuation.")
    var baseline = false
    @Flag(help: "Alias of --format json.") var json = false
    @Option(help: "stdout format: text | json (one JSON line per measurement)") var format: OutputFormat = .text
    /// JSON output: --format json, or its alias --json.
    var jsonOutput: Bool { json || format == .json }

    func validate() throws { try format.requireTextOrJSON("hopsim bench rs") }

    func run() throws {
        let alphas = try ParameterRange(parsing: alpha, flag: "--alpha")
        let temperatures = try ParameterRange(parsing: temperature, flag: "--temperature")
        guard alphas.start > 0 else { throw ParameterError("--alpha", allowed: "> 0", given: alpha) }
        guard temperatures.start >= 0 else { throw ParameterError("--temperature", allowed: "≥ 0", given: temperature) }
        try ParameterRange.checkGrid(alphas, temperatures, limit: 4_000_000, flag: "--alpha")
        let fast = try ReplicaSymmetricBenchmark.run(alphas: alphas, temperatures: temperatures, threads: threads, thorough: false)
        report(fast)
        if baseline {
            let slow = try ReplicaSymmetricBenchmark.run(alphas: alphas, temperatures: temperatures, threads: threads, thorough: true)
            report(slow)
            let ratio = fast.pointsPerSecond / slow.pointsPerSecond
            print(jsonOutput ? "{\"ratio_continuation_over_bracketing\":\(ratio)}" : String(format: "ratio continuation/bracketing: %.2f", ratio))
        }
    }

    func report(_ b: ReplicaSymmetricBenchmark) {
        if jsonOutput {
            print(String(decoding: try! RecordCoding.encoder(pretty: false).encode(b), as: UTF8.self))
        } else {
            print(String(format: "%@: %d × %d grid (%d solutions, %d not converged), %d threads, %@: %.2f s, %.0f points/s, %.2f iterations/point",
                         b.engine, b.alphas, b.temperatures, b.solutions, b.notConverged, b.threads, b.method,
                         b.seconds, b.pointsPerSecond, b.meanIterations))
        }
    }
}

/// `hopsim bench plefka`: exact Monte Carlo and each family's Plefka engine side by side on one network.
struct PlefkaBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plefka",
        abstract: "Exact MC and the Plefka engine on one network of each family: seconds per sweep and their ratio, time to equilibrium, and the Plefka m's deviation in MC errors.",
        discussion: """
            Defaults per family: classical N = 2000, α = 0.05, T = 0.2; multitasking the same with d = 0.5; \
            dense P = 3, N = 300, α = 0.05, T = 0.15. --alpha, --temperature and --neurons override them for \
            every family run.
            """)

    enum Family: String, ExpressibleByArgument, CaseIterable { case all, classical, multitasking, dense }

    @Option(help: "Family: all | classical | multitasking | dense.") var model: Family = .all
    @Option(name: .customLong("p"), parsing: .unconditional, transform: Parse.integer("--p", allowed: "an integer in [3, 8]")) var order = 3
    @Option(parsing: .unconditional, transform: Parse.double("--dilution", allowed: "a number in (0, 1)")) var dilution = 0.5
    @Option(parsing: .unconditional, transform: Parse.double("--alpha", allowed: "a number > 0")) var alpha: Double?
    @Option(parsing: .unconditional, transform: Parse.double("--temperature", allowed: "a number > 0")) var temperature: Double?
    @Option(parsing: .unconditional, transform: Parse.integer("--neurons", allowed: "an integer ≥ 2")) var neurons: Int?
    @Option(parsing: .unconditional, help: "Exact MC sweeps (the second half estimates equilibrium).",
            transform: Parse.integer("--sweeps", allowed: "an integer ≥ 64")) var sweeps = 400
    @Option(parsing: .unconditional, transform: Parse.integer("--replicas", allowed: "an integer in [1, 64]")) var replicas = 4
    @Option(parsing: .unconditional, help: "Fraction of ξ¹'s spins flipped in the start.",
            transform: Parse.double("--flip-fraction", allowed: "a number in [0, 1]")) var flipFraction = 0.3
    @Option(parsing: .unconditional, help: "Equilibrium is reached when |m − m_eq| ≤ this.",
            transform: Parse.double("--tolerance", allowed: "a number > 0")) var tolerance = 0.01
    @Option(parsing: .unconditional, transform: Parse.integer("--plefka-order", allowed: "1 or 2")) var plefkaOrder = 2
    @Option(parsing: .unconditional, help: "Plefka sweeps: parallel (default) or sequential.") var plefkaUpdate: PlefkaUpdate = .parallel
    @Option(parsing: .unconditional, transform: Parse.seed) var seed: UInt64 = 1
    @Option(help: ArgumentHelp("A grid spec: run its Monte Carlo and Plefka points (T > 0) side by side, print grid_speedup (MC seconds / Plefka seconds) and the median and 90th percentile of |z| = |MC − Plefka|/σ_MC.", valueName: "SPEC"))
    var grid: String?
    @OptionGroup var threading: ThreadOptions
    @Flag(help: "Alias of --format json.") var json = false
    @Option(help: "stdout format: text | json (one JSON line per family)") var format: OutputFormat = .text
    /// JSON output: --format json, or its alias --json.
    var jsonOutput: Bool { json || format == .json }

    func validate() throws { try format.requireTextOrJSON("hopsim bench plefka") }

    /// The benchmark's parameters for one family, its defaults overridden by the flags given.
    func parameters(_ family: Family) throws -> MonteCarloParameters {
        let networkFamily: NetworkFamily = switch family {
        case .classical, .all: .classical
        case .multitasking: .multitasking(dilution: try Limits.dilution.check(dilution))
        case .dense: .dense(DenseSettings(order: order))
        }
        let dense = family == .dense
        let n = neurons ?? (dense ? 300 : 2000)
        let a = alpha ?? 0.05
        var p = MonteCarloParameters(neurons: n, patterns: max(1, networkFamily.patterns(alpha: a, neurons: n)),
                                     temperature: temperature ?? (dense ? 0.15 : 0.2), sweeps: sweeps, samples: 1,
                                     replicas: replicas, initialState: .noisy(flipFraction: flipFraction), seed: seed)
        p.family = networkFamily
        return p
    }

    func run() throws {
        guard plefkaOrder == 1 || plefkaOrder == 2 else { throw ParameterError("--plefka-order", allowed: "1 or 2", given: "\(plefkaOrder)") }
        guard tolerance > 0 else { throw ParameterError("--tolerance", allowed: "a number > 0", given: "\(tolerance)") }
        guard (0...1).contains(flipFraction) else { throw ParameterError("--flip-fraction", allowed: "a number in [0, 1]", given: "\(flipFraction)") }
        if let grid { return try runGrid(grid) }
        let families: [Family] = model == .all ? [.classical, .multitasking, .dense] : [model]
        let settings = PlefkaSettings(order: plefkaOrder == 1 ? .first : .second, update: plefkaUpdate)
        // Every family's parameters checked before the first runs.
        let runs = try families.map { ($0, try parameters($0)) }
        for (_, p) in runs { try p.validate() }
        for (_, p) in runs {
            let b = try PlefkaBenchmark.run(p, tolerance: tolerance, plefka: settings)
            if jsonOutput {
                print(String(decoding: try RecordCoding.encoder(pretty: false).encode(b), as: UTF8.self))
                continue
            }
            func t(_ sweeps: Int?, _ seconds: Double?) -> String {
                guard let sweeps, let seconds else { return "not reached" }
                return String(format: "%d sweeps, %.4f s", sweeps, seconds)
            }
            let network = b.model == "dense" ? String(format: "dense P = %d, N = %d, K = %d", b.p, b.neurons, b.patterns)
                : b.model == "multitasking" ? String(format: "multitasking d = %g, N = %d, P = %d", b.dilution ?? 0, b.neurons, b.patterns)
                : String(format: "classical N = %d, P = %d", b.neurons, b.patterns)
            print(String(format: "%@ (α = %g), T = %g, start %@%@, tolerance |Δm| ≤ %g", network, b.alpha, b.temperature, b.start,
                         b.flipFraction.map { String(format: " (%.0f%% of ξ¹ flipped)", 100 * $0) } ?? "", b.tolerance))
            print(String(format: "  exact MC   : m = %.5f ± %.1e (second half of %d sweeps × %d replicas), %.3e s per sweep, to equilibrium: %@",
                         b.exactM, b.exactError, b.exactSweeps, b.replicas, b.exactSecondsPerSweep, t(b.exactSweepsToEquilibrium, b.exactSecondsToEquilibrium)))
            print(String(format: "  Plefka (%d, %@) : m = %.5f (%@ in %d sweeps), %.3e s per sweep (%.2f× exact), to equilibrium: %@",
                         b.plefkaOrder, b.plefkaUpdate.rawValue, b.plefkaM, b.plefkaConverged ? "converged" : "NOT converged", b.plefkaSweeps,
                         b.plefkaSecondsPerSweep, b.perSweepRatio, t(b.plefkaSweepsToEquilibrium, b.plefkaSecondsToEquilibrium)))
            print(String(format: "  deviation of Plefka from exact: %.2f exact errors; speed-up to equilibrium: %@",
                         b.deviationInErrors, b.speedup.map { String(format: "%.2f×", $0) } ?? "—"))
            for c in b.initPlefka {
                func sweeps(_ x: Int?) -> String { x.map { "\($0) sweeps" } ?? "not within \(b.exactSweeps) sweeps" }
                print(String(format: "  --init plefka vs %@ start (equilibrium m = %.4f ± %g): %@ vs %@ (+ %.1f sweeps of Plefka work): %@",
                             c.start, c.equilibriumM, b.tolerance, sweeps(c.sweepsFromPlefka), sweeps(c.sweepsFromStart), c.plefkaCostInSweeps,
                             c.sweepsSaved.map { String(format: "%.1f sweeps saved", $0) }
                                 ?? String(format: "the %@ start ends elsewhere (m = %.3f)", c.start, c.finalMFromStart)))
            }
        }
    }
}

extension PlefkaBench {
    /// `--grid SPEC`: the spec's Monte Carlo and Plefka points side by side (``PlefkaGridBenchmark``).
    func runGrid(_ path: String) throws {
        let spec: GridSpec
        do { spec = try GridSpec.load(path: path) } catch { throw ValidationError(error.description) }
        let progress = ProgressReporter(label: "hopsim bench plefka", quiet: jsonOutput)
        let b = try PlefkaGridBenchmark.run(spec, threads: threading.threads) { progress.note($0) }
        progress.finish()
        if jsonOutput {
            print(String(decoding: try RecordCoding.encoder(pretty: false).encode(b), as: UTF8.self))
            return
        }
        print(String(format: "grid '%@' (%@): %d points at T > 0, Plefka converged at %d; %d threads",
                     b.spec, b.model, b.points, b.plefkaConverged, b.threads))
        print(String(format: "Monte Carlo %.2f s, Plefka %.2f s: grid_speedup %.1f×%@", b.monteCarloSeconds, b.plefkaSeconds, b.gridSpeedup,
                     b.convergedSpeedup.map { String(format: " (%.1f× over the converged points)", $0) } ?? ""))
        for d in b.deviations {
            func g(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "—" }
            print("|z| = |MC − Plefka|/σ_MC for \(d.observable) over \(d.points) points: median \(g(d.medianAbsZ)), 90th percentile \(g(d.p90AbsZ)), max \(g(d.maxAbsZ))")
        }
    }
}

/// `hopsim bench rsb`: 1RSB solutions per second on an (α, T) grid, and the RS grid on the same
/// points in the same process for the ratio.
struct OneStepBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rsb", abstract: "1RSB grid throughput (solutions per second), with the RS grid on the same points as baseline.")

    @Option(help: "Model: classical | dense (--p P).") var model: TheoryModel = .classical
    @Option(name: .customLong("p"), parsing: .unconditional, transform: Parse.integer(Limits.theoryOrder)) var order = 3
    @Option(parsing: .unconditional, help: "α axis, start:stop:count.") var alpha = "0.01:0.14:10"
    @Option(parsing: .unconditional, help: "T axis, start:stop:count.") var temperature = "0:0.5:10"
    @OptionGroup var threading: ThreadOptions
    var threads: Int { threading.threads }
    @Flag(help: "Also solve the grid without the classical solver's shortcuts (every point its own RS bracketing and x = ½ trial) and print the speed-up and the largest change.")
    var baseline = false
    @Flag(help: "Alias of --format json.") var json = false
    @Option(help: "stdout format: text | json (one JSON line)") var format: OutputFormat = .text
    /// JSON output: --format json, or its alias --json.
    var jsonOutput: Bool { json || format == .json }

    func validate() throws { try format.requireTextOrJSON("hopsim bench rsb") }

    func run() throws {
        let alphas = try ParameterRange(parsing: alpha, flag: "--alpha")
        let temperatures = try ParameterRange(parsing: temperature, flag: "--temperature")
        guard alphas.start > 0 else { throw ParameterError("--alpha", allowed: "> 0", given: alpha) }
        guard temperatures.start >= 0 else { throw ParameterError("--temperature", allowed: "≥ 0", given: temperature) }
        try ParameterRange.checkGrid(alphas, temperatures, limit: 1_000_000, flag: "--alpha")
        let family: NetworkFamily = switch model {
        case .classical: .classical
        case .dense: .dense(DenseSettings(order: try Limits.theoryOrder.check(order)))
        case .multitasking, .exponential: throw ParameterError("--model", allowed: "classical or dense", given: model.rawValue)
        }
        if baseline, model != .classical {
            throw ParameterError("--baseline", allowed: "with --model classical (the dense 1RSB solver has no shortcuts to switch off)", given: "--model \(model.rawValue)")
        }
        let measure = try GaussianMeasure()
        let clock = ContinuousClock.now
        let solutions = OneStepGrid.solve(family: family, alphas: alphas.values, temperatures: temperatures.values,
                                          branch: .retrieval, measure: measure, threads: threads) ?? []
        let seconds = Self.seconds(ContinuousClock.now - clock)
        // The same grid without the shortcuts (classical): the per-point computations they replace.
        var baselineSeconds: Double?
        var largestChange = 0.0
        if baseline {
            var settings = SolverSettings()
            settings.oneStepShortcuts = false
            let start = ContinuousClock.now
            let full = OneStepGrid.solve(family: family, alphas: alphas.values, temperatures: temperatures.values,
                                         branch: .retrieval, settings: settings, measure: measure, threads: threads) ?? []
            baselineSeconds = Self.seconds(ContinuousClock.now - start)
            for (a, b) in zip(solutions, full) {
                guard let a, let b, a.converged, b.converged else { continue }
                largestChange = max(largestChange, abs(a.m - b.m), abs(a.q0 - b.q0), abs(a.q1 - b.q1), abs(a.freeEnergy - b.freeEnergy))
            }
        }
        let rsClock = ContinuousClock.now
        var rsCount = 0
        if model == .dense {
            for a in alphas.values { for t in temperatures.values {
                rsCount += DenseReplicaSymmetric(order: order, alpha: a, temperature: t, measure: measure).solve().count
            } }
        } else {
            rsCount = ReplicaSymmetricGrid.solve(alphas: alphas.values, temperatures: temperatures.values, measure: measure,
                                                 settings: SolverSettings(), threads: threads).joined().count
        }
        let rsSeconds = Self.seconds(ContinuousClock.now - rsClock)
        let found = solutions.compactMap { $0 }
        let converged = found.filter(\.converged).count
        let broken = found.filter { $0.converged && !$0.reducesToReplicaSymmetry }.count
        let points = alphas.count * temperatures.count
        let rate = Double(points) / seconds
        let baselineJSON = baselineSeconds.map { ",\"baseline_seconds\":\($0),\"speedup_over_baseline\":\($0 / seconds),\"largest_change_from_baseline\":\(largestChange)" } ?? ""
        if jsonOutput {
            print("{\"points\":\(points),\"seconds\":\(seconds),\"points_per_second\":\(rate),\"converged\":\(converged),\"rsb\":\(broken),\"rs_seconds\":\(rsSeconds),\"ratio_rs_over_rsb_time\":\(rsSeconds / seconds)\(baselineJSON)}")
        } else {

            print(String(format: "1RSB %@ grid %d × %d (%d points, %d threads): %.2f s, %.2f points/s; %d converged (%d with q1 > q0, the rest = RS), %d without a start",
                         model.rawValue, alphas.count, temperatures.count, points, threads, seconds, rate, converged, broken, points - found.count))
            print(String(format: "RS on the same points (%d branches): %.3f s; 1RSB costs %.0f× RS", rsCount, rsSeconds, seconds / max(rsSeconds, 1e-9)))
            if let baselineSeconds {
                print(String(format: "without the shortcuts (baseline): %.2f s, %.2f points/s; speed-up %.1f×; largest change of m, q0, q1 or f at points converged in both: %.1e",
                             baselineSeconds, Double(points) / baselineSeconds, baselineSeconds / seconds, largestChange))
            }
            print(String(format: "a 50 × 50 grid at this rate: about %.1f minutes", 2500 / rate / 60))
        }
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
}
