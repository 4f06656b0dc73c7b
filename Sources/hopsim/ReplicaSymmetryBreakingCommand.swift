import ArgumentParser
import Foundation
import HopfieldKit

/// `hopsim rsb-solve`: one-step replica symmetry breaking.
struct ReplicaSymmetryBreakingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rsb-solve",
        abstract: "One-step RSB (1RSB) saddle points of the classical and dense networks.",
        discussion: """
            Solves the 1RSB equations (order parameters m, q0, q1 and Parisi's x, optimised by ∂f/∂x = 0 \
            unless --x fixes it) by nested Gaussian quadrature and GSL's hybrid root finder, starting \
            from the RS solution of the chosen branch, and reports the free energy, entropy, whether the \
            solution reduced to RS (q0 = q1), the RS values beside it, the starting point and the \
            solver's status. T = 0 is solved in the scaled variables C1 = β(1 − q1), μ = βx. Ranges \
            (--alpha 0.1:0.14:50) give a grid; rows run on threads. A point beyond the \
            RS spinodal is reached by continuation from 5% lower α (classical retrieval at T ≥ 0.001: by following the branch). Exit status 2 when a point did not converge \
            (marked converged=false), else 3 when a point has no state of the branch (a record with exists: false).
            """)

    @Option(help: "Model: classical | dense (--p P ≥ 3).") var model: TheoryModel = .classical
    @Option(name: .customLong("p"), parsing: .unconditional, help: "Dense: interaction order P, \(Limits.theoryOrder.allowed) (P = 2 is --model classical, whose theory is AGS; mc --model dense --p 2 runs a pairwise network with the dense engine).",
            transform: Parse.integer(Limits.theoryOrder)) var interactionOrder: Int?
    @Option(parsing: .unconditional, help: "Load α > 0, or a range start:stop:count.") var alpha = "0.1"
    @Option(parsing: .unconditional, help: "Temperature T ≥ 0, or a range start:stop:count.") var temperature = "0.1"
    @Option(parsing: .unconditional, help: "Branch to follow: retrieval | spin-glass.") var branch: BranchName = .retrieval
    @Option(parsing: .unconditional, help: "Hold Parisi's x fixed at this value in (0, 1] instead of optimising it (T > 0).",
            transform: Parse.double("--x", allowed: "a number in (0, 1]")) var x: Double?
    @Option(parsing: .unconditional, help: """
        Follow the classical 1RSB retrieval branch in alpha by pseudo-arclength continuation through \
        its fold (the 1RSB capacity) onto the unstable partner: from the state at the start of \
        --alpha start:stop:count (the largest step is 1/(count − 1) of the range).
        """) var follow: FollowedParameter?
    @OptionGroup(title: "Root finder") var solverOptions: SolverOptions
    @OptionGroup var progressOptions: ProgressOptions
    @OptionGroup var threading: ThreadOptions
    var threads: Int { threading.threads }
    @Option(parsing: .unconditional, help: "Also write the records to this file (atomically) as a JSON records file: {schema, provenance, records}.") var output: String?
    @Option(parsing: .unconditional, help: "stdout format: text | json (one object per line) | csv.") var format: OutputFormat = .text

    enum BranchName: String, CaseIterable, ExpressibleByArgument {
        case retrieval
        case spinGlass = "spin-glass"
        var branch: ReplicaSymmetricSolution.Branch { self == .retrieval ? .retrieval : .spinGlass }
    }

    func ranges() throws(ParameterError) -> (ParameterRange, ParameterRange) {
        let alphas = try ParameterRange(parsing: alpha, flag: "--alpha")
        let temperatures = try ParameterRange(parsing: temperature, flag: "--temperature")
        try ParameterRange.checkGrid(alphas, temperatures, limit: 1_000_000, flag: "--alpha")
        guard alphas.start > 0 else { throw ParameterError("--alpha", allowed: "> 0", given: alpha) }
        guard temperatures.start >= 0 else { throw ParameterError("--temperature", allowed: "≥ 0", given: temperature) }
        return (alphas, temperatures)
    }

    func validate() throws {
        do { _ = try ranges() } catch { throw error.validationError }
        switch model {
        case .classical:
            if interactionOrder != nil { throw ValidationError("--p is used only with --model dense") }
        case .dense:
            guard let p = interactionOrder else { throw ValidationError("--p must be \(Limits.theoryOrder.allowed), required by --model dense (got none)") }
            do { try Limits.theoryOrder.check(p) } catch { throw error.validationError }
        case .multitasking, .exponential:
            throw ValidationError("--model must be classical or dense for rsb-solve (got \(model.rawValue))")
        }
        if let follow {
            guard follow == .alpha, model == .classical, branch == .retrieval, x == nil,
                  let (alphas, temperatures) = try? ranges(), alphas.count >= 2, temperatures.count == 1 else {
                throw ValidationError("--follow must be alpha, with --model classical, --branch retrieval, no --x, one --temperature and --alpha start:stop:count (count ≥ 2) (got --follow \(follow.rawValue))")
            }
            let t = temperatures.start
            guard t == 0 || t >= 1e-3 else {
                throw ValidationError("--temperature must be 0 or ≥ 0.001 with --follow (below, the T = 0 solution to first order in T is reported, which a finite-T walk cannot follow) (got \(t))")
            }
        }
        if let x, !(x > 0 && x <= 1) { throw ValidationError("--x must be a number in (0, 1] (got \(x))") }
        if x != nil, let (_, temperatures) = try? ranges(), temperatures.values.contains(0) {
            throw ValidationError("--x must be used only at temperatures > 0 (at T = 0, x → 0 and μ = βx is optimised) (got a range including T = 0)")
        }
    }

    /// The family whose 1RSB is solved.
    func family() throws(ParameterError) -> NetworkFamily {
        switch model {
        case .classical: return .classical
        case .dense: return .dense(DenseSettings(order: try Limits.theoryOrder.check(interactionOrder ?? 0)))
        case .multitasking, .exponential: throw ParameterError("--model", allowed: "classical or dense for rsb-solve", given: model.rawValue)
        }
    }

    func run() throws {
        let progress = ProgressReporter(label: "hopsim rsb-solve", quiet: progressOptions.quiet)
        progress.observeLoops()
        defer { progress.finish() }
        try solve()
    }

    func solve() throws {
        if follow != nil { return try runFollow() }
        let (alphas, temperatures) = try ranges()
        if let output { try AtomicFile.checkWritable(output) }
        let settings = try solverOptions.settings(defaultTolerance: 1e-11)
        let measure = try GaussianMeasure()
        let points = alphas.values.flatMap { a in temperatures.values.map { (a, $0) } }
        let all = OneStepGrid.solve(family: try family(), alphas: alphas.values, temperatures: temperatures.values,
                                    branch: branch.branch, fixedX: x, settings: settings, measure: measure, threads: threads) ?? []
        let solutions = all.compactMap { $0 }
        let modelName = model.rawValue, p = model == .dense ? interactionOrder : nil, branchName = branch.branch.rawValue
        // Every point has a record: where no state of the branch exists (no RS state to start from,
        // none reached by continuation from 5% lower α), one that says so.
        let records: [OneStepRecord] = zip(points, all).map { point, solution in
            solution.map(OneStepRecord.state) ?? .none(NoState(model: modelName, p: p, alpha: point.0, temperature: point.1,
                                                                 branch: branchName))
        }
        for case .none(let n) in records {
            FileHandle.standardError.write(Data("hopsim: note: no 1RSB \(n.branch) state at α = \(n.alpha), T = \(n.temperature) (\(n.reason))\n".utf8))
        }
        if let output {
            try TheoryOutput.writeRecords(records, to: output)
        }
        switch format {
        case .json: print(try TheoryOutput.jsonLines(records), terminator: "")
        case .csv: print(Self.csv(records), terminator: "")
        case .text: print(Self.text(records), terminator: "")
        }
        let failed = solutions.filter { !$0.converged }.count
        TheoryOutput.reportFailures(failed)
        // Exit 2 when a point did not converge, else 3 when a point has no such state: never zero
        // records (or fewer records than points) with exit 0.
        if failed > 0 { throw ExitCode(2) }
        if solutions.count < points.count { throw ExitCode(3) }
    }

    /// A point where the requested 1RSB branch does not exist, as written in the record stream.
    struct NoState: Encodable {
        var theory = "1rsb"
        var model: String
        var p: Int?
        var alpha: Double
        var temperature: Double
        var branch: String
        var exists = false
        var reason = "no RS state of the branch to start from here, and none reached by continuation from up to 5% lower α (beyond the branch's fold)"
    }

    /// One record of rsb-solve: a 1RSB saddle point, or a point without one.
    enum OneStepRecord: Encodable {
        case state(ReplicaSymmetryBreakingSolution)
        case none(NoState)
        func encode(to encoder: Encoder) throws {
            switch self {
            case .state(let s): try s.encode(to: encoder)
            case .none(let n): try n.encode(to: encoder)
            }
        }
    }

    static let columns = ["model", "p", "alpha", "temperature", "branch", "m", "q0", "q1", "x", "mu", "x_mode", "free_energy",
                          "entropy", "energy", "reduces_to_rs", "rs_free_energy", "rs_m", "rs_q", "converged", "iterations",
                          "residual", "method", "start_from", "exists"]

    static func csv(_ records: [OneStepRecord]) -> String {
        func o<T>(_ v: T?) -> String { v.map { "\($0)" } ?? "" }
        let rows = records.map { record -> String in
            switch record {
            case .state(let s):
                return [s.model, o(s.p), "\(s.alpha)", "\(s.temperature)", s.branch, "\(s.m)", "\(s.q0)", "\(s.q1)", o(s.x), o(s.mu), s.xMode,
                        "\(s.freeEnergy)", o(s.entropy), o(s.energy), "\(s.reducesToReplicaSymmetry)", o(s.rsFreeEnergy), o(s.rsM), o(s.rsQ),
                        "\(s.converged)", "\(s.iterations)", "\(s.residual)", TheoryOutput.quoted(s.method), TheoryOutput.quoted(s.startFrom),
                        "true"].joined(separator: ",")
            case .none(let n):
                var fields = [n.model, o(n.p), "\(n.alpha)", "\(n.temperature)", n.branch] + Array(repeating: "", count: columns.count - 6)
                fields[columns.firstIndex(of: "method")!] = TheoryOutput.quoted(n.reason)
                return (fields + ["false"]).joined(separator: ",")
            }
        }
        return ([columns.joined(separator: ",")] + rows).joined(separator: "\n") + "\n"
    }

    static func text(_ records: [OneStepRecord]) -> String {
        func f(_ v: Double?) -> String { v.map { String(format: "%.6f", $0) } ?? "—" }
        var out = "alpha     T        branch      m          q0         q1         x/μ        f            s            f_RS         solver\n"
        for record in records {
            guard case .state(let s) = record else {
                if case .none(let n) = record {
                    out += String(format: "%-9.6g %-8.4g %-11@ ", n.alpha, n.temperature, n.branch) + "no such state (\(n.reason))\n"
                }
                continue
            }
            let xs = s.x.map { String(format: "x=%.4f", $0) } ?? s.mu.map { String(format: "μ=%.4f", $0) } ?? "—"
            out += String(format: "%-9.6g %-8.4g %-11@ %@ %@ %@ %-10@ %-12@ %-12@ %-12@ ", s.alpha, s.temperature, s.branch,
                          f(s.m), f(s.q0), f(s.q1), xs, String(format: "%.8f", s.freeEnergy), f(s.entropy), f(s.rsFreeEnergy))
            out += "\(s.converged ? "converged" : "NOT CONVERGED") in \(s.iterations)\(s.reducesToReplicaSymmetry ? " (= RS)" : "")\n"
        }
        return out
    }
}
