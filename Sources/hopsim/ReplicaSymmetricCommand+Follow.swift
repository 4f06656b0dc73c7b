import ArgumentParser
import Foundation
import HopfieldKit

extension FollowedParameter: ExpressibleByArgument {}

extension ReplicaSymmetricCommand {
    /// The followed parameter's range and the other parameter's value, checked: the followed one
    /// must be a range start:stop:count (count ≥ 2 sets the largest step), the other one value.
    func followRange(_ parameter: FollowedParameter, _ inputs: Inputs) throws(ParameterError) -> (range: ParameterRange, fixed: Double) {
        let (followed, other, flag, otherFlag) = parameter == .alpha
            ? (inputs.alphas, inputs.temperatures, "--alpha", "--temperature")
            : (inputs.temperatures, inputs.alphas, "--temperature", "--alpha")
        guard followed.count >= 2 else {
            throw ParameterError(flag, allowed: "a range start:stop:count with count ≥ 2 when following \(parameter.rawValue)", given: "'\(followed)'")
        }
        guard other.count == 1 else {
            throw ParameterError(otherFlag, allowed: "one value when following \(parameter.rawValue)", given: "a range of \(other.count)")
        }
        return (followed, other.start)
    }

    /// `--follow alpha|temperature`: the retrieval branch from its stable state at the range's start,
    /// followed by pseudo-arclength continuation through its folds (the spinodal) onto the unstable
    /// partner, until the parameter leaves the range or m reaches 0.
    func runFollow(_ parameter: FollowedParameter, _ inputs: Inputs) throws {
        let (range, fixed) = try followRange(parameter, inputs)
        if let output {
            try AtomicFile.checkWritable(output)
            try AtomicFile.checkWritable(output + ".json")
        }
        let measure = try GaussianMeasure(settings: inputs.quadrature)
        let (alpha, temperature) = parameter.point(alpha: fixed, temperature: fixed, value: range.start)
        let maxStep = 1 / Double(range.count - 1)
        let bounds = range.start...range.stop
        let followed: (records: [ReplicaSymmetricSolution], ending: String)?
        switch model {
        case .dense:
            let (order, statistics) = try denseInputs()
            guard statistics.count == 1 else { throw ParameterError("--entropy", allowed: "one value with --follow", given: "a range") }
            followed = DenseReplicaSymmetric(order: order, alpha: alpha, temperature: temperature, examples: statistics[0],
                                             measure: measure, settings: inputs.solver)
                .followRetrieval(parameter, within: bounds, maxStep: maxStep)
        default:
            followed = ClassicalReplicaSymmetric(alpha: alpha, temperature: temperature, dilution: dilution ?? 0,
                                                 measure: measure, settings: inputs.solver)
                .followRetrieval(parameter, within: bounds, maxStep: maxStep)
        }
        guard let (records, ending) = followed else {
            let none = NoRetrievalState(model: model.rawValue, alpha: alpha, temperature: temperature)
            FileHandle.standardError.write(Data("hopsim: note: no stable retrieval state at α = \(alpha), T = \(temperature) to follow from\n".utf8))
            if let output { try TheoryOutput.writeRecords([none], to: output) }
            if format == .json { print(try TheoryOutput.jsonLines([none]), terminator: "") }
            throw ExitCode(3)
        }
        guard !records.isEmpty else {
            FileHandle.standardError.write(Data("hopsim: error: the branch could not be followed from α = \(alpha), T = \(temperature): \(ending)\n".utf8))
            throw ExitCode(2)
        }
        let dense = records.contains { $0.p != nil }
        let columns = TheoryOutput.solutionColumns + (dense ? TheoryOutput.denseColumns : []) + ["arclength", "fold", "folds_passed"]
        let csvText = ([columns.joined(separator: ",")] + records.map { r in
            TheoryOutput.csvRow(r) + (dense ? "," + TheoryOutput.denseRow(r) : "") + ",\(r.arclength ?? 0),\(r.fold ?? false),\(r.foldsPassed ?? 0)"
        }).joined(separator: "\n") + "\n"
        if let output {
            var provenance = TheoryProvenance(command: "rs-solve --follow \(parameter.rawValue)", model: model.rawValue, alpha: inputs.alphas,
                                              temperature: inputs.temperatures, quadrature: inputs.quadrature, solver: inputs.solver)
            provenance.equations = "pseudo-arclength continuation of the RS retrieval branch (ArclengthContinuation); ended: \(ending)"
            try AtomicFile.write(Data(csvText.utf8), to: output)
            let sidecar = TheoryOutput.Sidecar(provenance: provenance, points: records.count, rows: records.count,
                                               notConverged: records.filter { !$0.converged }.count, columns: columns)
            try AtomicFile.write(try RecordCoding.encoder(pretty: true).encode(sidecar) + Data("\n".utf8), to: output + ".json")
        }
        switch format {
        case .json: print(try TheoryOutput.jsonLines(records), terminator: "")
        case .csv: print(csvText, terminator: "")
        case .text:
            var out = TheoryOutput.pad("s", 10) + TheoryOutput.pad("alpha", 12) + TheoryOutput.pad("T", 12)
                + TheoryOutput.pad("m", 11) + TheoryOutput.pad("q", 11) + TheoryOutput.pad("f", 12) + TheoryOutput.pad("s(entropy)", 12) + "member\n"
            for r in records {
                out += TheoryOutput.pad(String(format: "%.5f", r.arclength ?? 0), 10) + TheoryOutput.pad(String(format: "%.8f", r.alpha), 12)
                out += TheoryOutput.pad(String(format: "%.6f", r.temperature), 12) + TheoryOutput.pad(TheoryOutput.f6(r.n ?? r.m), 11)
                out += TheoryOutput.pad(TheoryOutput.f6(r.q), 11) + TheoryOutput.pad(TheoryOutput.f6(r.freeEnergy), 12)
                out += TheoryOutput.pad(TheoryOutput.f6(r.entropy), 12)
                out += r.fold == true ? "FOLD (spinodal)\n" : (r.stable ? "stable\n" : "unstable\n")
            }
            print(out, terminator: "")
        }
        let folds = records.filter { $0.fold == true }
        let foldText = folds.isEmpty ? "no fold" : folds.map { "fold at \(parameter == .alpha ? "α" : "T") = \(parameter == .alpha ? $0.alpha : $0.temperature)" }.joined(separator: ", ")
        FileHandle.standardError.write(Data("hopsim: note: \(records.count) points, \(foldText); the walk ended: \(ending)\n".utf8))
        TheoryOutput.reportFailures(records.filter { !$0.converged }.count)
        if records.contains(where: { !$0.converged }) { throw ExitCode(2) }
    }

    /// The record written when there is no stable retrieval state to follow from.
    struct NoRetrievalState: Encodable {
        var theory = "rs"
        var model: String
        var alpha: Double
        var temperature: Double
        var branch = "retrieval"
        var exists = false
        var reason = "no converged, stable retrieval state at the start of the followed range"
    }
}
