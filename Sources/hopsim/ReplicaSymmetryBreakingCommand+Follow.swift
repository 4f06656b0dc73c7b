import ArgumentParser
import Foundation
import HopfieldKit

extension ReplicaSymmetryBreakingCommand {
    /// `--follow alpha` (classical, T = 0, retrieval): the 1RSB retrieval branch from the start of the
    /// α range through its fold (the 1RSB capacity) onto the unstable partner.
    func runFollow() throws {
        let (alphas, temperatures) = try ranges()
        if let output { try AtomicFile.checkWritable(output) }
        let settings = try solverOptions.settings(defaultTolerance: 1e-11)
        let measure = try GaussianMeasure()
        let solver = ClassicalOneStepRSB(alpha: alphas.start, temperature: temperatures.start, settings: settings)
        let maxStep = 1 / Double(alphas.count - 1), range = alphas.start...alphas.stop
        var walk: (records: [ReplicaSymmetryBreakingSolution], ending: String)?
        var why = "no converged 1RSB retrieval state (not reducing to RS) at the start of the followed range"
        if temperatures.start == 0 {
            walk = solver.followZeroTemperatureRetrieval(within: range, maxStep: maxStep, measure: measure)
        } else if let start = solver.solve(branch: .retrieval, measure: measure) {
            guard start.converged else {
                FileHandle.standardError.write(Data("hopsim: error: the 1RSB retrieval state at the start α = \(alphas.start) did not converge (\(start.method)); nothing to follow\n".utf8))
                throw ExitCode(2)
            }
            if start.reducesToReplicaSymmetry { why = "the 1RSB retrieval state reduces to RS at the start α = \(alphas.start) (below the AT line): start the walk where it is broken" }
            walk = solver.followFiniteTemperatureRetrieval(from: start, within: range, maxStep: maxStep)
        }
        guard let followed = walk else {
            let none = NoState(model: "classical", p: nil, alpha: alphas.start, temperature: temperatures.start, branch: "retrieval",
                               reason: why)
            FileHandle.standardError.write(Data("hopsim: note: no 1RSB retrieval state at α = \(alphas.start), T = \(temperatures.start) to follow from\n".utf8))
            if let output { try TheoryOutput.writeRecords([none], to: output) }
            if format == .json { print(try TheoryOutput.jsonLines([none]), terminator: "") }
            throw ExitCode(3)
        }
        guard !followed.records.isEmpty else {
            FileHandle.standardError.write(Data("hopsim: error: the branch could not be followed from α = \(alphas.start): \(followed.ending)\n".utf8))
            throw ExitCode(2)
        }
        let records = followed.records.map(OneStepRecord.state)
        if let output {
            try TheoryOutput.writeRecords(records, to: output)
        }
        switch format {
        case .json: print(try TheoryOutput.jsonLines(records), terminator: "")
        case .csv:
            let lines = Self.csv(records).split(separator: "\n", omittingEmptySubsequences: false)
            let rows = zip(lines.dropFirst(), followed.records).map { "\($0),\($1.arclength ?? 0),\($1.fold ?? false),\($1.member ?? "")" }
            print(([lines[0] + ",arclength,fold,member"] + rows).joined(separator: "\n") + "\n", terminator: "")
        case .text:
            let zero = temperatures.start == 0
            var out = "s         alpha        m          q0         " + (zero ? "C1         μ" : "q1         x") + "          f            s(entropy)   member\n"
            for r in followed.records {
                out += String(format: "%-9.5f %-12.8f %-10.6f %-10.6f %-10.6f %-10.6f %-12.8f %-12.6f %@\n", r.arclength ?? 0, r.alpha, r.m, r.q0,
                              (zero ? r.c1 : r.q1) ?? .nan, (zero ? r.mu : r.x) ?? .nan, r.freeEnergy, r.entropy ?? .nan,
                              r.fold == true ? "FOLD (1RSB spinodal)" : (r.member ?? ""))
            }
            print(out, terminator: "")
        }
        let folds = followed.records.filter { $0.fold == true }.map { "fold at α = \($0.alpha) (m = \($0.m))" }
        FileHandle.standardError.write(Data("hopsim: note: \(records.count) points, \(folds.isEmpty ? "no fold" : folds.joined(separator: ", ")); the walk ended: \(followed.ending)\n".utf8))
        TheoryOutput.reportFailures(followed.records.filter { !$0.converged }.count)
        if followed.records.contains(where: { !$0.converged }) { throw ExitCode(2) }
    }
}
