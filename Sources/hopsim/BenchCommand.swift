import ArgumentParser
import Foundation
import HopfieldKit

/// `hopsim bench`: throughput figures, never pass/fail.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks (figures and ratios, not tests).",
        subcommands: [MonteCarloBench.self, ReplicaSymmetricBench.self])
}

/// `hopsim bench mc`: heat-bath sweeps on one network, timed as `shared/bench/reference_mc.c` times
/// them; ops_per_second = N·P·sweeps / seconds.
struct MonteCarloBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mc",
        abstract: "Sweep throughput of the classical engine (neuron·pattern operations per second).",
        discussion: "With --baseline, also times the Int32 overlap storage in the same process and prints the ratio.")

    @Option(parsing: .unconditional, transform: Parse.integer("--neurons", allowed: "an integer ≥ 2")) var neurons = 10_000
    @Option(parsing: .unconditional, transform: Parse.integer("--patterns", allowed: "an integer ≥ 1")) var patterns = 1_000
    @Option(parsing: .unconditional, transform: Parse.double("--temperature", allowed: "a number > 0")) var temperature = 0.1
    @Option(parsing: .unconditional, transform: Parse.integer("--sweeps", allowed: "an integer ≥ 1")) var sweeps = 30
    @Option(parsing: .unconditional, transform: Parse.seed) var seed: UInt64 = 1
    @Flag(help: "Also time the Int32 overlap storage (the layout of the reference C program) and print the ratio.")
    var baseline = false
    @Flag(help: "One JSON line per measurement.") var json = false

    func validate() throws {
        let p = MonteCarloParameters(neurons: neurons, patterns: patterns, temperature: temperature,
                                     sweeps: sweeps, measureEvery: 1, seed: seed)
        do { try p.validate() } catch { throw error.validationError }
        guard temperature > 0 else { throw ValidationError("--temperature must be a number > 0 (got \(temperature))") }
    }

    func run() throws {
        let ours = MonteCarloBenchmark.run(neurons: neurons, patterns: patterns, temperature: temperature,
                                           sweeps: sweeps, seed: seed)
        report(ours)
        if baseline {
            let wide = MonteCarloBenchmark.run(neurons: neurons, patterns: patterns, temperature: temperature,
                                               sweeps: sweeps, seed: seed, width: .int32)
            report(wide)
            let ratio = ours.opsPerSecond / wide.opsPerSecond
            if json {
                print("{\"ratio_\(ours.overlapStorage.rawValue)_over_int32\":\(ratio)}")
            } else {
                print(String(format: "ratio %@/int32: %.2f", ours.overlapStorage.rawValue, ratio))
            }
        }
    }

    func report(_ b: MonteCarloBenchmark) {
        if json {
            let encoder = RecordCoding.encoder(pretty: false)
            print(String(decoding: try! encoder.encode(b), as: UTF8.self))
        } else {
            print(String(format: "%@ (%@ overlaps): N = %d, P = %d, T = %g, %d sweeps in %.4f s: %.3e ops/s, m = %.4f",
                         b.engine, b.overlapStorage.rawValue, b.neurons, b.patterns, b.temperature, b.sweeps,
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
    @Option(parsing: .unconditional, transform: Parse.integer("--threads", allowed: "an integer ≥ 1"))
    var threads = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Also solve the grid by bracketing every point and print the speed-up of continuation.")
    var baseline = false
    @Flag(help: "One JSON line per measurement.") var json = false

    func run() throws {
        let alphas = try ParameterRange(parsing: alpha, flag: "--alpha")
        let temperatures = try ParameterRange(parsing: temperature, flag: "--temperature")
        guard alphas.start > 0 else { throw ParameterError("--alpha", allowed: "> 0", given: alpha) }
        guard temperatures.start >= 0 else { throw ParameterError("--temperature", allowed: "≥ 0", given: temperature) }
        let fast = try ReplicaSymmetricBenchmark.run(alphas: alphas, temperatures: temperatures, threads: threads, thorough: false)
        report(fast)
        if baseline {
            let slow = try ReplicaSymmetricBenchmark.run(alphas: alphas, temperatures: temperatures, threads: threads, thorough: true)
            report(slow)
            let ratio = fast.pointsPerSecond / slow.pointsPerSecond
            print(json ? "{\"ratio_continuation_over_bracketing\":\(ratio)}" : String(format: "ratio continuation/bracketing: %.2f", ratio))
        }
    }

    func report(_ b: ReplicaSymmetricBenchmark) {
        if json {
            print(String(decoding: try! RecordCoding.encoder(pretty: false).encode(b), as: UTF8.self))
        } else {
            print(String(format: "%@: %d × %d grid (%d solutions, %d not converged), %d threads, %@: %.2f s, %.0f points/s, %.2f iterations/point",
                         b.engine, b.alphas, b.temperatures, b.solutions, b.notConverged, b.threads, b.method,
                         b.seconds, b.pointsPerSecond, b.meanIterations))
        }
    }
}
