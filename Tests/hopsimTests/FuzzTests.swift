import Foundation
import XCTest

/// Random argument lists for every subcommand (options drawn from each command's own flags, values
/// from a pool of valid, extreme and malformed ones) and random mutations of a valid grid spec.
/// Every run must end with a documented status — 0, 2 (not converged), 3 (no such state), 64 (bad input), 65 (bad
/// data), 73 (cannot create output), 75 (interrupted / points locked) — never by a signal, within a
/// time limit, and a run that fails (64, 65, 73) must leave no file behind. The seed is printed;
/// `HOPSIM_FUZZ_SEED=N` replays a failure. Bounded: about 30 s on 2 cores.
final class FuzzTests: ScratchTestCase {
    /// SplitMix64, so a seed replays the same runs.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let allowedStatuses: Set<Int32> = [0, 2, 3, 64, 65, 73, 75]
    /// Values that are malformed or out of range for any numeric option.
    static let hostile = ["", "-1", "0", "1e300", "-1e300", "99999999999", "9223372036854775808", "nan", "inf", "-inf",
                          "abc", "1:2:3", "0:1:1", "1:0:5", ":::", "0:1:1000000000", "0:1:0", "1/0", "0/99999999999",
                          "\n", "%", "x y", "0.5", "1", "2"]

    /// Each subcommand with small base arguments (so that valid draws stay cheap) and its options
    /// with the values worth trying beside the hostile pool. Valid values that would make a run
    /// long (millions of points or sweeps) are left out: those are accepted by design.
    static func commands(_ dir: String) -> [(base: [String], options: [String: [String]], flags: [String])] {
        let sizes = ["3", "5", "12"]
        return [
            (["mc", "--neurons", "40", "--sweeps", "5", "--thermalization", "2", "--samples", "1", "--threads", "1"],
             ["--model": ["classical", "multitasking", "dense", "modern"], "--p": ["2", "3", "9"], "--hamiltonian": ["gardner", "krotov", "x"],
              "--dilution": ["0.3", "1", "0"], "--examples": ["1", "3", "40000"], "--quality": ["0.5", "1", "1.5"],
              "--protocol": ["supervised", "unsupervised", "x"], "--archetypes": sizes, "--engine": ["exact", "plefka"],
              "--plefka-order": ["1", "2", "3"], "--damping": ["0.5", "2"], "--alpha": ["0.05", "0.01"], "--patterns": sizes,
              "--neurons": ["1", "30", "10000001"], "--temperature": ["0", "0.3", "2"], "--dynamics": ["heat-bath", "metropolis", "zero-temperature", "x"],
              "--order": ["sequential", "random"], "--thermalization": ["0", "3"], "--sweeps": ["1", "4"], "--measure-every": ["1", "2", "9"],
              "--samples": ["1", "2", "100001"], "--replicas": ["1", "2", "65"], "--init": ["pattern", "random", "noisy", "plefka", "x"],
              "--flip-fraction": ["0.1", "1.5"], "--seed": ["1", "18446744073709551616"], "--threads": ["1", "0"],
              "--output": ["\(dir)/out.json", "\(dir)/missing/out.json", dir, ""], "--format": ["text", "json", "csv", "xml"]],
             []),
            (["rs-solve", "--threads", "1"],
             ["--model": ["classical", "multitasking", "dense", "x"], "--p": ["3", "4", "2", "9"], "--examples": ["2", "40000"],
              "--quality": ["0.6", "0"], "--protocol": ["supervised", "unsupervised"], "--entropy": ["0.1", "0:0.2:3", "-1"],
              "--patterns": ["2", "3", "13"], "--sampled-average": ["999", "2000"], "--dilution": ["0.3", "1"],
              "--alpha": ["0.1", "0.02:0.1:3", "0.1:0.2:1"], "--temperature": ["0", "0.1", "0:0.5:3", "0:1:1"],
              "--line-points": ["2", "3", "1", "10001"], "--hermite-nodes": ["8", "7", "513"], "--laguerre-nodes": ["64", "0"],
              "--tolerance": ["1e-10", "1"], "--max-iterations": ["50", "0", "100001"], "--threads": ["1", "0"],
              "--output": ["\(dir)/rs.csv", "\(dir)/missing/rs.csv", ""], "--format": ["text", "json", "csv", "x"]],
             ["--critical-lines", "--thorough"]),
            (["rsb-solve", "--threads", "1"],
             ["--model": ["classical", "dense", "multitasking"], "--p": ["3", "2"], "--alpha": ["0.05", "0.12:0.13:2", "0"],
              "--temperature": ["0", "0.05", "0.3", "1e-300"], "--branch": ["retrieval", "spin-glass", "x"], "--x": ["0.5", "0", "2"],
              "--tolerance": ["1e-9", "0.1"], "--max-iterations": ["20", "0"], "--output": ["\(dir)/rsb.json", ""],
              "--format": ["text", "json", "csv"]],
             []),
            (["learning-curve", "--neurons", "60", "--samples", "1", "--sweeps", "4", "--threads", "1", "--examples", "1,2"],
             ["--patterns": ["2", "0", "13"], "--dilution": ["0.3", "1"], "--temperature": ["0.05", "-1"], "--quality": ["0.6", "0"],
              "--protocol": ["supervised", "x"], "--examples": ["1,2", "", "0", "a,b"], "--neurons": ["60", "1"], "--samples": ["1", "0"],
              "--sweeps": ["4", "1"], "--seed": ["3"], "--format": ["text", "csv", "json"]],
             []),
            (["plot", "\(dir)/grid", "--line-points", "3", "--theory-mesh", "6x5", "--cut-points", "5", "--quiet"],
             ["--observable": ["m", "energy", "banana", ""], "--line-points": ["2", "1", "0", "10001", "100000000"],
              "--theory-mesh": ["6x5", "0x0", "1x1", "axb", "401x2"], "--cut": ["alpha=0.05", "temperature=0.1", "beta=1", "alpha=-1"],
              "--size": ["400x300", "1x1", "x"], "--colour-map": ["cividis", "jet"], "--x-range": ["0:0.2", "0.2:0.1"],
              "--temperature-range": ["0:1", "nan:1"], "--cut-points": ["5", "2"]],
             []),
            (["compare", "\(dir)/grid/mc.csv", "\(dir)/grid/rs.csv"],
             ["--observable": ["m", "q", "banana"], "--threshold": ["0.5", "nan"], "--format": ["text", "json", "csv"]],
             []),
            (["grid", "status", "\(dir)/grid"], ["--format": ["text", "json"]], []),
            (["grid", "slurm", "\(dir)/spec.yaml", "--out", "\(dir)/slurm", "--shards", "2"],
             ["--shards": ["1", "2", "0", "1000000000"], "--time": ["01:00:00", "banana", "99:99:99", "2-03", "0", "UNLIMITED"],
              "--cpus-per-task": ["1", "0", "100000"], "--partition": ["debug", "a b"], "--max-running": ["4", "0"],
              "--signal-lead": ["300", "5"], "--hopsim": ["/usr/bin/hopsim", "a\nb"], "--out": ["\(dir)/slurm", "", "\(dir)/a%b"]],
             []),
        ]
    }

    static let spec = """
    name: fuzz
    model: classical
    seed: 3
    axes: {alpha: 0.05:0.1:2, temperature: [0, 0.4]}
    mc: {neurons: 40, thermalization: 5, sweeps: 20, samples: 1, replicas: 2}
    """

    func testRandomArgumentsEndWithDocumentedStatus() throws {
        let seed = ProcessInfo.processInfo.environment["HOPSIM_FUZZ_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        print("FuzzTests seed \(seed) (replay with HOPSIM_FUZZ_SEED=\(seed))")
        var rng = Generator(state: seed)
        let dir = scratch.path
        try Self.spec.write(toFile: "\(dir)/spec.yaml", atomically: true, encoding: .utf8)
        XCTAssertEqual(try hopsim(["grid", "run", "\(dir)/spec.yaml", "--out", "\(dir)/grid", "--threads", "1"]).status, 0)
        let baseline = try snapshot(dir)
        var runs = 0, statuses: [Int32: Int] = [:]
        for (base, options, flags) in Self.commands(dir) {
            for _ in 0..<22 {
                var arguments = base
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    let (flag, values) = options.randomElement(using: &rng)!
                    let value = Bool.random(using: &rng) ? values.randomElement(using: &rng)! : Self.hostile.randomElement(using: &rng)!
                    arguments += [flag, value]
                }
                if let flag = flags.randomElement(using: &rng), Bool.random(using: &rng) { arguments.append(flag) }
                let status = try check(arguments, in: dir, seed: seed)
                statuses[status, default: 0] += 1
                runs += 1
                // A run that failed must not have written anything; one that succeeded may have.
                if [64, 65, 73].contains(status) {
                    XCTAssertEqual(try snapshot(dir), baseline, "hopsim \(arguments) exited \(status) but changed files (seed \(seed))")
                }
                try restore(dir, to: baseline)
            }
        }
        // Mutated specs: grid plan must judge every one; grid run only those it calls cheap.
        let lines = Self.spec.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for _ in 0..<40 {
            var mutated = lines
            let k = Int.random(in: 0..<mutated.count, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: mutated.remove(at: k)
            case 1: mutated.insert(mutated[k], at: k)
            case 2: mutated[k] = mutated[k].replacingOccurrences(of: ["5", "0.05", "40", "20", "2", "3"].randomElement(using: &rng)!,
                                                                   with: Self.hostile.randomElement(using: &rng)!)
            default: mutated[k] = String(mutated[k].prefix(Int.random(in: 0...mutated[k].count, using: &rng)))
            }
            let path = "\(dir)/mutated.yaml"
            try mutated.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let plan = try hopsim(["grid", "plan", path, "--format", "json", "--no-calibrate"])
            XCTAssertTrue(Self.allowedStatuses.contains(plan.status), "grid plan of a mutated spec exited \(plan.status) (seed \(seed)):\n\(mutated.joined(separator: "\n"))")
            runs += 1
            guard plan.status == 0, let estimate = try? totalSeconds(plan.stdout), estimate < 2 else { continue }
            let status = try check(["grid", "run", path, "--out", "\(dir)/mutated-grid", "--threads", "1"], in: dir, seed: seed)
            statuses[status, default: 0] += 1
            runs += 1
            try? FileManager.default.removeItem(atPath: "\(dir)/mutated-grid")
        }
        print("FuzzTests: \(runs) runs, statuses \(statuses.sorted { $0.key < $1.key })")
    }

    /// Runs hopsim with a time limit; returns its status after checking it is a documented one.
    func check(_ arguments: [String], in dir: String, seed: UInt64, limit: TimeInterval = 30) throws -> Int32 {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("hopsim")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        process.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(limit)
        while process.isRunning, Date() < deadline { usleep(2000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            XCTFail("hopsim \(arguments) ran past \(limit) s (seed \(seed))")
            return -1
        }
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationReason, .exit, "hopsim \(arguments) died by signal \(process.terminationStatus) (seed \(seed)): \(stderr)")
        XCTAssertTrue(Self.allowedStatuses.contains(process.terminationStatus),
                      "hopsim \(arguments) exited \(process.terminationStatus) (seed \(seed)): \(stderr)")
        if [64, 65, 73].contains(process.terminationStatus) {
            let lines = stderr.split(separator: "\n").filter { $0.hasPrefix("hopsim: error:") }
            XCTAssertEqual(lines.count, 1, "hopsim \(arguments): expected one error line (seed \(seed)): \(stderr)")
        }
        return process.terminationStatus
    }

    /// Every file under `dir` with its size, so that any write is seen.
    func snapshot(_ dir: String) throws -> [String: Int] {
        var files: [String: Int] = [:]
        let enumerator = FileManager.default.enumerator(atPath: dir)
        while let path = enumerator?.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(dir)/\(path)")
            files[path] = (attributes[.type] as? FileAttributeType) == .typeDirectory ? -1 : (attributes[.size] as? Int ?? 0)
        }
        return files
    }

    /// Removes whatever a successful run added (outputs, the slurm directory, plots), so every run
    /// starts from the same directory.
    func restore(_ dir: String, to baseline: [String: Int]) throws {
        for path in try snapshot(dir).keys.sorted(by: >) where baseline[path] == nil {
            try? FileManager.default.removeItem(atPath: "\(dir)/\(path)")
        }
    }

    /// Σ estimated_seconds of a `grid plan --format json` output (one JSON object per point).
    func totalSeconds(_ json: String) throws -> Double {
        let points = try jsonLines(json)
        guard !points.isEmpty else { throw CocoaError(.coderReadCorrupt) }
        return points.reduce(0) { $0 + (($1["estimated_seconds"] as? Double) ?? 1e9) }
    }
}
