import ArgumentParser
import Foundation
import HopfieldKit

/// `hopsim compare MC THEORY`: simulation against theory on one grid.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "Compare a Monte Carlo grid with a theory grid, point by point.",
        discussion: """
            MC and THEORY are tidy CSVs written by `hopsim grid run` (mc.csv, plefka.csv, rs.csv). mc.csv against rs.csv \
            (or plefka.csv against rs.csv): the theory value is the stable retrieval state where the simulation started in \
            the pattern and one exists, else the global branch; z in units of the first grid's uncertainty (Plefka: the \
            sample spread over √S). mc.csv against plefka.csv: the Plefka value of the same point, on the same networks from \
            the same start, z = (MC − Plefka)/σ_MC; points where a Plefka iteration did not converge are left out.
            """)
    @Argument(help: "Monte Carlo grid (mc.csv), or the Plefka grid (plefka.csv) against a theory grid.") var simulation: String
    @Argument(help: "Theory grid (rs.csv), or the Plefka grid (plefka.csv) against mc.csv.") var theory: String
    @Option(help: "Observable to compare (m, q, r, energy, …).") var observable = "m"
    @Option(parsing: .unconditional, help: "Level whose crossing along α locates the boundary in both.",
            transform: Parse.double("--threshold", allowed: "a number")) var threshold = 0.5
    @Option(help: "stdout format: text | json.") var format: OutputFormat = .text

    func read(_ path: String) throws -> [TidyRow] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("'\(path)' cannot be read")
        }
        do { return try TidyRow.parse(csv: text, file: path) } catch { throw ValidationError("\(error.description)") }
    }

    func validate() throws { try format.requireTextOrJSON("hopsim compare") }

    func run() throws {
        let mc = try read(simulation), rs = try read(theory)
        let simulated = mc.contains { $0.source == "mc" }, plefkaFirst = mc.contains { $0.source == "plefka" }
        guard simulated || plefkaFirst else { throw ValidationError("'\(simulation)' holds no Monte Carlo or Plefka rows") }
        let c: Comparison
        if simulated, rs.contains(where: { $0.source == "plefka" }) {
            c = Comparison.compare(simulation: mc, approximation: rs, observable: observable, threshold: threshold)
        } else {
            guard rs.contains(where: { $0.source == "rs" || $0.source == "1rsb" }) else { throw ValidationError("'\(theory)' holds no theory rows") }
            c = Comparison.compare(simulation: mc, theory: rs, observable: observable, threshold: threshold)
        }
        guard !c.points.isEmpty else { throw ValidationError("--observable '\(observable)': no point has it in both grids") }
        // Points of the first grid without a counterpart (Plefka: T = 0 or not converged) are named, not hidden.
        let leftOut = Set(mc.filter { $0.observable == observable }.map(\.point)).subtracting(c.points.map(\.point)).count
        if format == .json {
            print(String(decoding: try RecordCoding.encoder(pretty: false).encode(c), as: UTF8.self))
            return
        }
        print(Self.text(c), terminator: "")
        if leftOut > 0 {
            print("left out: \(leftOut) point(s) of '\(simulation)' without a counterpart (no converged Plefka value, T = 0 for Plefka, or no theory branch)")
        }
    }

    static func text(_ c: Comparison) -> String {
        var out = "observable \(c.observable): \(c.points.count) points\n"
        let multitasking = c.boundaries.first?.axis == "dilution"
        func x(_ p: Comparison.PointComparison) -> Double { multitasking ? p.dilution : p.alpha }
        out += "\(multitasking ? "d    " : "alpha")      T          simulated     ± error      theory        branch       z\n"
        for p in c.points {
            out += String(format: "%-9.5g  %-9.5g  %-12.6f  %-11.2e  %-12.6f  %-11@  %@\n", x(p), p.temperature, p.simulated,
                          p.error, p.theory, p.branch, p.z.map { String(format: "%+.2f", $0) } ?? "—")
        }
        let n = Double(c.points.count)
        out += String(format: "\nwithin 2σ: %d of %d (%.0f%%), within 3σ: %d (%.0f%%)\n", c.within2Sigma, c.points.count,
                      100 * Double(c.within2Sigma) / n, c.within3Sigma, 100 * Double(c.within3Sigma) / n)
        out += "worst: " + c.worst.map { String(format: "(%@ %.4g, T %.4g) z = %@", multitasking ? "d" : "α", x($0), $0.temperature, $0.z.map { String(format: "%+.1f", $0) } ?? "—") }.joined(separator: "; ") + "\n"
        let name = multitasking ? "d" : "α"
        out += "boundary (\(c.observable) crosses \(c.threshold) along \(name)):\n"
        for b in c.boundaries {
            func g(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "none in range" }
            out += String(format: "  T = %-8.4g simulated %@ = %@, theory %@ = %@", b.temperature, name, g(b.simulated), name, g(b.theory))
            out += b.offset.map { String(format: ", offset %+.4f\n", $0) } ?? "\n"
        }
        out += "note: \(c.finiteSizeNote)\n"
        return out
    }
}
