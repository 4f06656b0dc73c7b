import ArgumentParser
import Foundation
import HopfieldKit

/// Printing and writing theory results: stdout in the chosen format; with --output, a CSV written
/// atomically plus a JSON sidecar (FILE.json) with the provenance.
enum TheoryOutput {
    static let solutionColumns = ["model", "alpha", "temperature", "branch", "m", "q", "r", "c", "free_energy",
                                  "entropy", "energy", "stable", "global", "replicon", "at_stable", "converged",
                                  "iterations", "residual", "method", "quadrature", "admissible", "inadmissible_because",
                                  "global_theory", "global_branch", "global_free_energy", "global_admissible"]

    static func csvRow(_ s: ReplicaSymmetricSolution) -> String {
        [s.model, "\(s.alpha)", "\(s.temperature)", s.branch.rawValue, "\(s.m)", "\(s.q)", "\(s.r)", "\(s.c)",
         "\(s.freeEnergy)", "\(s.entropy)", "\(s.energy)", "\(s.stable)", "\(s.global)",
         s.replicon.map { "\($0)" } ?? "", "\(s.atStable)", "\(s.converged)", "\(s.iterations)", "\(s.residual)",
         quoted(s.method), s.quadrature, s.admissible.map { "\($0)" } ?? "",
         quoted(s.inadmissibleBecause ?? ""), s.globalTheory ?? "", s.globalBranch ?? "",
         s.globalFreeEnergy.map { "\($0)" } ?? "", s.globalAdmissible.map { "\($0)" } ?? ""].joined(separator: ",")
    }

    /// Extra columns of dense-network solutions.
    static let denseColumns = ["p", "n", "hamiltonian", "quality", "examples", "dataset_entropy", "learning_protocol", "crosstalk_weight"]

    static func denseRow(_ s: ReplicaSymmetricSolution) -> String {
        func o<T>(_ x: T?) -> String { x.map { "\($0)" } ?? "" }
        return [o(s.p), o(s.n), o(s.hamiltonian), o(s.quality), o(s.examples), o(s.datasetEntropy),
                o(s.learningProtocol), o(s.crosstalkWeight)].joined(separator: ",")
    }

    static func csv(_ solutions: [ReplicaSymmetricSolution]) -> String {
        let dense = solutions.contains { $0.p != nil }
        let header = (solutionColumns + (dense ? denseColumns : [])).joined(separator: ",")
        return ([header] + solutions.map { csvRow($0) + (dense ? "," + denseRow($0) : "") }).joined(separator: "\n") + "\n"
    }

    static func jsonLines<T: Encodable>(_ values: [T]) throws -> String {
        let encoder = RecordCoding.encoder(pretty: false)
        return try values.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }.joined()
    }

    static func text(_ points: [PointTheory]) -> String {
        let grid = points.map(\.replicaSymmetric)
        let dense = grid.joined().contains { $0.p != nil }
        var out = pad("alpha", 10) + (dense ? pad("rho", 9) : "") + pad("T", 8) + pad("branch", 12) + (dense ? pad("n", 11) : "") + pad("m", 11) + pad("q", 11) + pad("r", 11)
        out += pad("f", 12) + pad("s", 12) + pad("stable", 7) + pad("global", 7) + pad("AT", 4) + "solver\n"
        for theory in points {
            let point = theory.replicaSymmetric
            if point.isEmpty { continue }
            defer {
                for s in theory.oneStep {
                    let block = s.x.map { "x = " + f6($0) } ?? s.mu.map { "μ = " + f6($0) } ?? "x —"
                    out += "  1RSB " + pad(s.branch, 11) + "m = \(f6(s.m)), q0 = \(f6(s.q0)), q1 = \(f6(s.q1)), \(block), f = \(f6(s.freeEnergy))"
                    out += s.entropy.map { ", s = " + f6($0) } ?? ""
                    out += s.global == true ? "  global" : ""
                    out += "  \(s.converged ? "converged" : "NOT CONVERGED") (\(s.method))"
                    out += s.inadmissibleBecause.map { "; not admissible: " + $0 } ?? ""
                    out += "\n"
                }
            }
            for s in point {
                out += pad(g(s.alpha), 10) + (dense ? pad(s.datasetEntropy.map(g) ?? "—", 9) : "") + pad(g(s.temperature), 8) + pad(s.branch.rawValue, 12)
                out += (dense ? pad(f6(s.n ?? s.m), 11) : "") + pad(f6(s.m), 11) + pad(f6(s.q), 11) + pad(f6(s.r), 11) + pad(f6(s.freeEnergy), 12)
                out += pad(f6(s.entropy), 12) + pad(s.stable ? "yes" : "no", 7) + pad(s.global ? "yes" : "no", 7)
                out += pad(s.atStable ? "ok" : "RSB", 4)
                out += "\(s.converged ? "converged" : "NOT CONVERGED") in \(s.iterations) (\(s.method)), residual \(String(format: "%.1e", s.residual))\n"
            }
        }
        let negative = grid.joined().filter { $0.entropy < 0 && $0.converged }
        if !negative.isEmpty {
            out += "note: \(negative.count) solution(s) have negative RS entropy: replica symmetry is broken there\n"
        }
        let broken = points.filter { $0.oneStep.contains { $0.global == true } }
        if !broken.isEmpty {
            out += "note: at \(broken.count) point(s) the global state is a 1RSB state (no RS state there is admissible and lower in f)\n"
        }
        let uncertain = points.filter { $0.replicaSymmetric.first?.globalAdmissible == false }
        if let first = uncertain.first?.replicaSymmetric.first {
            out += "note: at \(uncertain.count) point(s) the global state is itself not admissible (e.g. α = \(g(first.alpha)), T = \(g(first.temperature)): "
            out += "\(first.globalTheory ?? "") \(first.globalBranch ?? "")); its free energy is a lower bound of the true one\n"
        }
        let none = points.filter { !$0.replicaSymmetric.isEmpty && $0.replicaSymmetric.first?.globalTheory == nil }
        if !none.isEmpty { out += "note: at \(none.count) point(s) no converged, stable state was found: no global state\n" }
        return out
    }

    static func emit(_ points: [PointTheory], provenance: TheoryProvenance,
                     format: OutputFormat, output: String?) throws {
        let solutions = points.flatMap(\.replicaSymmetric)
        if let output {
            try AtomicFile.write(Data(csv(solutions).utf8), to: output)
            let dense = solutions.contains { $0.p != nil }
            var sidecar = Sidecar(provenance: provenance, points: points.count, rows: solutions.count,
                                  notConverged: solutions.filter { !$0.converged }.count,
                                  columns: solutionColumns + (dense ? denseColumns : []))
            sidecar.oneStep = points.flatMap(\.oneStep)
            try AtomicFile.write(try RecordCoding.encoder(pretty: true).encode(sidecar) + Data("\n".utf8), to: output + ".json")
        }
        switch format {
        case .json: print(try jsonLines(points.flatMap(\.records)), terminator: "")
        case .csv: print(csv(solutions), terminator: "")
        case .text: print(text(points), terminator: "")
        }
        reportFailures(solutions.filter { !$0.converged }.count)
    }

    struct Sidecar: Encodable {
        var provenance: TheoryProvenance
        var points: Int
        var rows: Int
        var notConverged: Int
        var columns: [String]
        /// The 1RSB states solved for the points' global choice (their CSV rows carry only the
        /// global state's theory, branch and free energy).
        var oneStep: [ReplicaSymmetryBreakingSolution]? = nil
    }

    /// What `--output FILE` holds for commands whose records are JSON objects (rsb-solve, and the
    /// no-state record of `rs-solve --follow`): `{"schema": "hopsim.records/1", "provenance": …,
    /// "records": [ … ]}`, pretty-printed and written atomically.
    struct RecordFile<Record: Encodable>: Encodable {
        var schema = "hopsim.records/1"
        var provenance = RunProvenance.current()
        var records: [Record]
    }

    static func writeRecords<Record: Encodable>(_ records: [Record], to output: String) throws {
        try AtomicFile.write(try RecordCoding.encoder(pretty: true).encode(RecordFile(records: records)) + Data("\n".utf8), to: output)
    }

    static let lineColumns = ["line", "alpha", "temperature", "m", "residual", "converged", "iterations", "method", "dataset_entropy", "p"]

    static func emitLines(_ lines: [CriticalPoint], provenance: TheoryProvenance, format: OutputFormat,
                          output: String?) throws {
        try refuseEmpty(lines.count, what: "critical-line point")
        let rows = lines.map { p in
            [p.line.rawValue, "\(p.alpha)", "\(p.temperature)", p.m.map { "\($0)" } ?? "", "\(p.residual)",
             "\(p.converged)", "\(p.iterations)", quoted(p.method), p.datasetEntropy.map { "\($0)" } ?? "",
             p.p.map { "\($0)" } ?? ""].joined(separator: ",")
        }
        let csvText = ([lineColumns.joined(separator: ",")] + rows).joined(separator: "\n") + "\n"
        if let output {
            try AtomicFile.write(Data(csvText.utf8), to: output)
            let sidecar = Sidecar(provenance: provenance, points: lines.count, rows: lines.count,
                                  notConverged: lines.filter { !$0.converged }.count, columns: lineColumns)
            try AtomicFile.write(try RecordCoding.encoder(pretty: true).encode(sidecar) + Data("\n".utf8), to: output + ".json")
        }
        switch format {
        case .json: print(try jsonLines(lines), terminator: "")
        case .csv: print(csvText, terminator: "")
        case .text:
            let rho = lines.contains { $0.datasetEntropy != nil }
            var out = pad("line", 18) + pad("alpha", 22) + (rho ? pad("rho", 22) : "") + pad("T", 12) + pad("m", 10) + pad("residual", 10) + "solver\n"
            for p in lines {
                out += pad(p.line.rawValue, 18) + pad("\(p.alpha)", 22) + (rho ? pad(p.datasetEntropy.map { "\($0)" } ?? "", 22) : "")
                out += pad(String(format: "%.6f", p.temperature), 12)
                out += pad(p.m.map(f6) ?? "—", 10) + pad(String(format: "%.1e", p.residual), 10)
                out += "\(p.converged ? "converged" : "NOT CONVERGED") (\(p.method))\n"
            }
            print(out, terminator: "")
        }
        reportFailures(lines.filter { !$0.converged }.count)
    }

    /// Records as JSON lines (json, csv) or text, and with --output as a records file
    /// (``writeRecords(_:to:)``); counts what did not converge on stderr and then exits 2.
    static func emitRecords<T: Encodable>(_ values: [T], format: OutputFormat, output: String?, notConverged: Int,
                                          text: () -> String) throws {
        try refuseEmpty(values.count, what: "record")
        if let output { try writeRecords(values, to: output) }
        switch format {
        case .json, .csv: print(try jsonLines(values), terminator: "")
        case .text: print(text(), terminator: "")
        }
        reportFailures(notConverged)
        if notConverged > 0 { throw ExitCode(2) }
    }

    /// No command writes zero records with exit 0: with none (no line crosses the range asked),
    /// one line on stderr, no output file, exit 3.
    static func refuseEmpty(_ count: Int, what: String) throws {
        guard count == 0 else { return }
        FileHandle.standardError.write(Data("hopsim: note: no \(what) exists in the range asked; nothing written\n".utf8))
        throw ExitCode(3)
    }

    static func reportFailures(_ count: Int) {
        if count > 0 {
            FileHandle.standardError.write(Data("hopsim: warning: \(count) result(s) did not converge; they are marked converged=false\n".utf8))
        }
    }

    /// A CSV field in double quotes (a method or a reason may hold commas; inner quotes become ').
    static func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "'") + "\"" }

    static func g(_ x: Double) -> String { String(format: "%.6g", x) }
    static func f6(_ x: Double) -> String { String(format: "%.6f", x) }
    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
