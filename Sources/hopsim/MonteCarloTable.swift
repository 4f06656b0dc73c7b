import Foundation
import HopfieldKit

/// Text and CSV renderings of a Monte Carlo record.
enum MonteCarloTable {
    static func text(_ record: MonteCarloRecord) -> String {
        let p = record.parameters
        var out = "hopsim \(record.version) — \(p.model) Hopfield Monte Carlo\n"
        out += "N = \(p.neurons), P = \(p.patterns) (α = \(g(p.alpha))), \(p.dilution > 0 ? "dilution d = \(g(p.dilution)), " : "")T = \(g(p.temperature)), "
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
