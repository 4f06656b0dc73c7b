import Foundation
import HopfieldKit

/// Text and CSV renderings of a Monte Carlo record.
enum MonteCarloTable {
    static func text(_ record: MonteCarloRecord) -> String {
        let p = record.parameters
        var out = "hopsim \(record.version) — \(p.model) Hopfield Monte Carlo\n"
        out += header(p)
        out += "T = \(g(p.temperature)), "
        out += "\(p.dynamics.rawValue) dynamics, \(p.order.rawValue) order, init \(initDescription(p.initialState))\n"
        out += "\(p.thermalization) thermalization + \(p.sweeps) measured sweeps (every \(p.measureEvery)), "
        out += "\(p.samples) samples × \(p.replicas) replicas, seed \(p.seed), "
        out += "\(record.threads) threads, \(String(format: "%.2f", record.wallSeconds)) s\n\n"
        out += pad("observable", 13) + pad("mean", 13) + pad("thermal err", 13) + pad("tau (sweeps)", 14) + "sample spread\n"
        for (name, e) in record.observables.named {
            out += pad(name, 13) + pad(String(format: "%.6f", e.mean), 13) + pad(String(format: "%.2e", e.error), 13)
            out += pad(e.tau.map { String(format: "%.3g", $0) } ?? "—", 14) + String(format: "%.2e", e.sampleSpread) + "\n"
        }
        if let overlaps = record.observables.overlaps, let sorted = record.observables.sortedOverlaps {
            out += "\nk   m_k (signed)          |m|_(k) (sorted)\n"
            for k in overlaps.indices {
                out += pad("\(k + 1)", 4) + pad(String(format: "%.5f ± %.1e", overlaps[k].mean, overlaps[k].totalError), 22)
                out += String(format: "%.5f ± %.1e", sorted[k].mean, sorted[k].totalError) + "\n"
            }
        }
        if let state = record.state {
            out += "state: \(state.kind.rawValue) (\(state.retrieved) retrieved; amplitudes/(1−d): "
            out += state.amplitudes.prefix(8).map { String(format: "%.3f", $0) }.joined(separator: ", ") + ")\n"
            out += "rule: \(state.rule)\n"
        }
        out += "\nflip rate: \(String(format: "%.4g", record.flipRate)) per neuron per sweep\n"
        if p.replicas < 2 { out += "q and r need --replicas ≥ 2\n" }
        for w in record.warnings { out += "warning: \(w)\n" }
        return out
    }

    /// The network's line: N, patterns and load, dilution or dense settings.
    static func header(_ p: MonteCarloParameters) -> String { p.networkDescription }

    static func plefkaText(_ record: PlefkaRecord) -> String {
        let p = record.parameters, a = record.approximation
        var out = "hopsim \(record.version) — \(p.family.name) network, Plefka engine (order \(a.order), deterministic)\n"
        out += header(p)
        out += "T = \(g(p.temperature)), init \(initDescription(p.initialState)), damping \(g(a.damping)), "
        out += "\(p.samples) samples, seed \(p.seed), \(record.threads) threads, \(String(format: "%.2f", record.wallSeconds)) s\n\n"
        out += pad("observable", 13) + pad("mean", 13) + pad("error", 13) + "sample spread\n"
        var rows: [(String, PlefkaRun.Estimate)] = [("m", record.m)]
        if let n = record.n { rows.append(("n", n)) }
        rows.append(("q", record.q))
        if let e = record.energy { rows.append(("energy", e)) }
        if let f = record.freeEnergy { rows.append(("free_energy", f)) }
        for (k, e) in (record.overlaps ?? []).enumerated() { rows.append(("m_\(k + 1)", e)) }
        for (name, e) in rows {
            out += pad(name, 13) + pad(String(format: "%.6f", e.mean), 13) + pad(String(format: "%.2e", e.error), 13)
            out += String(format: "%.2e", e.sampleSpread) + "\n"
        }
        out += "\napproximation: Plefka order \(a.order), \((a.update ?? .sequential).rawValue) sweeps; neglected: \(a.neglected)\n"
        out += "reaction field \(String(format: "%.3g", a.reactionField)) vs mean |h| \(String(format: "%.3g", a.meanField)) "
        out += "(ratio \(String(format: "%.3g", a.relativeReaction))); converged: \(a.allConverged ? "all samples" : "NO"), "
        out += "max residual \(String(format: "%.2e", a.maxResidual))\n"
        for w in record.warnings { out += "warning: \(w)\n" }
        return out
    }

    static func plefkaCSV(_ record: PlefkaRecord) -> String {
        let p = record.parameters, a = record.approximation
        var header = ["model", "p", "hamiltonian", "neurons", "patterns", "alpha", "temperature", "samples", "seed",
                      "engine", "plefka_order", "converged", "max_residual", "reaction_field", "mean_field", "version"]
        var row = [p.model, "\(p.family.interactionOrder)", (p.family.couplingSettings?.hamiltonian ?? .gardner).rawValue, "\(p.neurons)", "\(p.patterns)",
                   g(p.alpha), g(p.temperature), "\(p.samples)", "\(p.seed)", "plefka", "\(a.order)",
                   "\(a.allConverged)", g(a.maxResidual), g(a.reactionField), g(a.meanField), record.version]
        var rows: [(String, PlefkaRun.Estimate)] = [("m", record.m)]
        if let n = record.n { rows.append(("n", n)) }
        rows.append(("q", record.q))
        if let e = record.energy { rows.append(("energy", e)) }
        if let f = record.freeEnergy { rows.append(("free_energy", f)) }
        for (k, e) in (record.overlaps ?? []).enumerated() { rows.append(("m_\(k + 1)", e)) }
        for (name, e) in rows {
            header += ["\(name)_mean", "\(name)_error", "\(name)_sample_spread"]
            row += [g(e.mean), g(e.error), g(e.sampleSpread)]
        }
        return header.joined(separator: ",") + "\n" + row.joined(separator: ",") + "\n"
    }

    static let parameterColumns = ["model", "neurons", "patterns", "alpha", "temperature", "dynamics", "order",
                                   "thermalization", "sweeps", "measure_every", "samples", "replicas", "init",
                                   "flip_fraction", "seed", "version"]
    static let statisticColumns = ["mean", "error", "tau", "sample_spread"]

    /// A header and one row: the parameters, then four columns per observable.
    static func csv(_ record: MonteCarloRecord) -> String {
        let p = record.parameters
        var flip = ""
        if case .noisy(let f) = p.initialState { flip = g(f) }
        var header = parameterColumns
        var row = [p.model, "\(p.neurons)", "\(p.patterns)", g(p.alpha), g(p.temperature), p.dynamics.rawValue,
                   p.order.rawValue, "\(p.thermalization)", "\(p.sweeps)", "\(p.measureEvery)", "\(p.samples)",
                   "\(p.replicas)", p.initialState.name, flip, "\(p.seed)", record.version]
        for (name, e) in record.observables.named {
            header += statisticColumns.map { "\(name)_\($0)" }
            row += [g(e.mean), g(e.error), e.tau.map(g) ?? "", g(e.sampleSpread)]
        }
        return header.joined(separator: ",") + "\n" + row.joined(separator: ",") + "\n"
    }

    static func initDescription(_ s: InitialState) -> String {
        if case .noisy(let f) = s { return "noisy (flip fraction \(g(f)))" }
        return s.name
    }

    /// Shortest round-trip decimal.
    static func g(_ x: Double) -> String { "\(x)" }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
