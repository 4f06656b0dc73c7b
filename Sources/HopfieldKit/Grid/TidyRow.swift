import Foundation

/// One row of the tidy grid schema shared by simulation and theory: one observable of one
/// point from one source. Monte Carlo rows carry errors and no branch; theory rows carry the
/// branch, its stability and the solver's status and no error.
///
/// Columns (schema `hopsim.tidy/2`, in this order):
/// `schema, source, model, point, alpha, dilution, temperature, branch, stable, global, observable,
/// value, error, tau, sample_spread, samples, neurons, converged, residual, method, seed, version`.
/// (`/2` added `dilution`, the first axis of multitasking grids.)
public struct TidyRow: Sendable, Equatable {
    public static let schema = "hopsim.tidy/2"
    public static let columns = ["schema", "source", "model", "point", "alpha", "dilution", "temperature", "branch", "stable",
                                 "global", "observable", "value", "error", "tau", "sample_spread", "samples",
                                 "neurons", "converged", "residual", "method", "seed", "version"]

    public var source: String
    public var model: String
    public var point: Int
    public var alpha: Double
    public var dilution: Double = 0
    public var temperature: Double
    public var branch: String
    public var stable: Bool?
    public var global: Bool?
    public var observable: String
    public var value: Double
    /// Monte Carlo: thermal error of the disorder average.
    public var error: Double?
    public var tau: Double?
    public var sampleSpread: Double?
    public var samples: Int?
    public var neurons: Int?
    public var converged: Bool
    public var residual: Double?
    public var method: String
    public var seed: UInt64?
    public var version: String

    public init(source: String, model: String, point: Int, alpha: Double, temperature: Double, branch: String,
                stable: Bool?, global: Bool?, observable: String, value: Double, error: Double?, tau: Double?,
                sampleSpread: Double?, samples: Int?, neurons: Int?, converged: Bool, residual: Double?,
                method: String, seed: UInt64?, version: String) {
        self.source = source; self.model = model; self.point = point; self.alpha = alpha
        self.temperature = temperature; self.branch = branch; self.stable = stable; self.global = global
        self.observable = observable; self.value = value; self.error = error; self.tau = tau
        self.sampleSpread = sampleSpread; self.samples = samples; self.neurons = neurons; self.converged = converged
        self.residual = residual; self.method = method; self.seed = seed; self.version = version
    }

    /// Whether this row's convergence is the point's: every RS branch, the Monte Carlo, and of the
    /// 1RSB states only the global one (a 1RSB state tried for the global choice that did not
    /// converge leaves the RS answer standing, and says so in its own row).
    public var failsItsPoint: Bool { !converged && (source != "1rsb" || global == true) }

    /// √(error² + sample_spread²/samples): the uncertainty of a Monte Carlo mean as an estimate of
    /// the disorder average.
    public var totalError: Double? {
        guard let error else { return nil }
        guard let spread = sampleSpread, let s = samples, s > 0 else { return error }
        return (error * error + spread * spread / Double(s)).squareRoot()
    }

    /// The branch name of a simulation's rows: how it started and its dynamics (``Comparison`` picks
    /// the theory branch from it).
    public static func simulatedBranch(_ p: MonteCarloParameters) -> String {
        "simulated (init \(p.initialState.name), \(p.dynamics.rawValue))"
    }

    /// The rows of one Monte Carlo record.
    public static func rows(_ record: MonteCarloRecord, point: Int) -> [TidyRow] {
        let p = record.parameters
        let branch = simulatedBranch(p)
        let sorted = (record.observables.sortedOverlaps ?? []).enumerated().map { ("m_sorted_\($0.offset + 1)", $0.element) }
        return (record.observables.named + sorted).map { name, e in
            var row = TidyRow(source: "mc", model: p.model, point: point, alpha: p.alpha, temperature: p.temperature,
                              branch: branch, stable: nil, global: nil, observable: name, value: e.mean, error: e.error,
                              tau: e.tau, sampleSpread: e.sampleSpread, samples: e.samples, neurons: p.neurons,
                              converged: true, residual: nil, method: "monte-carlo", seed: p.seed, version: record.version)
            row.dilution = p.dilution
            return row
        }
    }

    /// The branch name of a Plefka point's rows: its start and order (``Comparison`` picks the theory
    /// branch from the start, as for a simulation).
    public static func plefkaBranch(_ record: PlefkaRecord) -> String {
        "plefka (init \(record.parameters.initialState.name), order \(record.approximation.order))"
    }

    /// The rows of one Plefka record (source "plefka"): m, q, energy, free_energy (n when trained), and where the
    /// family records every overlap m_k and m_sorted_k (the k-th largest |m_μ| per sample, averaged).
    /// `error` is 0 (the engine is deterministic); the uncertainty is the sample spread over √S.
    /// `converged` is false when a sample's iteration did not converge.
    public static func rows(_ record: PlefkaRecord, point: Int) -> [TidyRow] {
        let p = record.parameters
        var values: [(String, PlefkaRun.Estimate)] = [("m", record.m), ("q", record.q)]
        if let e = record.energy { values.append(("energy", e)) }
        if let f = record.freeEnergy { values.append(("free_energy", f)) }
        if let n = record.n { values.append(("n", n)) }
        for (k, e) in (record.overlaps ?? []).enumerated() { values.append(("m_\(k + 1)", e)) }
        let perSample = record.perSample.compactMap(\.overlaps)
        if perSample.count == record.perSample.count, let first = perSample.first {
            let sorted = perSample.map { $0.map(abs).sorted(by: >) }
            for k in first.indices { values.append(("m_sorted_\(k + 1)", PlefkaRun.Estimate(sorted.map { $0[k] }))) }
        }
        let a = record.approximation
        return values.map { name, e in
            var row = TidyRow(source: "plefka", model: p.model, point: point, alpha: p.alpha, temperature: p.temperature,
                              branch: plefkaBranch(record), stable: nil, global: nil, observable: name, value: e.mean, error: 0,
                              tau: nil, sampleSpread: e.sampleSpread, samples: e.samples, neurons: p.neurons,
                              converged: a.allConverged, residual: a.maxResidual,
                              method: "plefka order \(a.order), \((a.update ?? .sequential).rawValue) sweeps, damping \(a.damping), tolerance \(a.tolerance)", seed: p.seed,
                              version: record.version)
            row.dilution = p.dilution
            return row
        }
    }

    /// The rows of one multitasking low-storage solution: m_sorted_k (its overlaps, largest first)
    /// and free_energy.
    public static func rows(_ s: MultitaskingLowStorage.Solution, point: Int) -> [TidyRow] {
        let values = s.m.enumerated().map { ("m_sorted_\($0.offset + 1)", $0.element) } + [("free_energy", s.freeEnergy)]
        return values.map { name, v in
            var row = TidyRow(source: "rs", model: s.model, point: point, alpha: 0, temperature: s.temperature,
                              branch: s.branch, stable: s.stable, global: s.global, observable: name, value: v,
                              error: nil, tau: nil, sampleSpread: nil, samples: nil, neurons: nil, converged: s.converged,
                              residual: s.residual, method: s.method, seed: nil, version: HopsimVersion.string)
            row.dilution = s.dilution
            return row
        }
    }

    /// The rows of one RS solution: m, q, r, free_energy, entropy, energy.
    public static func rows(_ s: ReplicaSymmetricSolution, point: Int, requestedAlpha: Double) -> [TidyRow] {
        let values: [(String, Double)] = [("m", s.m), ("q", s.q), ("r", s.r), ("free_energy", s.freeEnergy),
                                          ("entropy", s.entropy), ("energy", s.energy)]
        return values.map { name, v in
            var row = TidyRow(source: "rs", model: s.model, point: point, alpha: requestedAlpha, temperature: s.temperature,
                              branch: s.branch.rawValue, stable: s.stable, global: s.global, observable: name, value: v,
                              error: nil, tau: nil, sampleSpread: nil, samples: nil, neurons: nil, converged: s.converged,
                              residual: s.residual, method: "\(s.method), \(s.quadrature) quadrature", seed: nil,
                              version: HopsimVersion.string)
            row.dilution = s.dilution
            return row
        }
    }

    /// The rows of a 1RSB state solved for a point's global choice (source "1rsb"): m, q0, q1,
    /// free_energy, entropy, energy (x or μ is in the point record).
    public static func rows(_ s: ReplicaSymmetryBreakingSolution, point: Int, requestedAlpha: Double) -> [TidyRow] {
        var values: [(String, Double)] = [("m", s.m), ("q0", s.q0), ("q1", s.q1), ("free_energy", s.freeEnergy)]
        if let entropy = s.entropy { values.append(("entropy", entropy)) }
        if let energy = s.energy { values.append(("energy", energy)) }
        return values.map { name, v in
            TidyRow(source: "1rsb", model: s.model, point: point, alpha: requestedAlpha, temperature: s.temperature,
                    branch: s.branch, stable: nil, global: s.global, observable: name, value: v,
                    error: nil, tau: nil, sampleSpread: nil, samples: nil, neurons: nil, converged: s.converged,
                    residual: s.residual, method: s.method, seed: nil, version: HopsimVersion.string)
        }
    }

    var fields: [String] {
        func f(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }
        func b(_ x: Bool?) -> String { x.map { "\($0)" } ?? "" }
        return [Self.schema, source, model, "\(point)", "\(alpha)", "\(dilution)", "\(temperature)", branch, b(stable), b(global),
                observable, "\(value)", f(error), f(tau), f(sampleSpread), samples.map { "\($0)" } ?? "",
                neurons.map { "\($0)" } ?? "", "\(converged)", f(residual), method, seed.map { "\($0)" } ?? "", version]
            .map { $0.replacingOccurrences(of: ",", with: ";") }
    }

    /// Header plus rows.
    public static func csv(_ rows: [TidyRow]) -> String {
        ([columns.joined(separator: ",")] + rows.map { $0.fields.joined(separator: ",") }).joined(separator: "\n") + "\n"
    }

    /// Reads a tidy CSV written by ``csv(_:)``; the error says which line is wrong.
    public static func parse(csv text: String, file: String) throws(GridSpecError) -> [TidyRow] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard !lines.isEmpty, lines.removeFirst() == columns.joined(separator: ",") else {
            throw GridSpecError(file: file, line: 1, key: "(header)", message: "is not a \(schema) CSV header")
        }
        var rows: [TidyRow] = []
        for (k, line) in lines.enumerated() {
            let c = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            func bad(_ what: String) -> GridSpecError { GridSpecError(file: file, line: k + 2, key: what, message: "cannot be read") }
            guard c.count == columns.count, c[0] == schema else { throw bad("(row)") }
            guard let point = Int(c[3]), let alpha = Double(c[4]), let dilution = Double(c[5]), let t = Double(c[6]),
                  let value = Double(c[11]) else {
                throw bad("point/alpha/dilution/temperature/value")
            }
            var row = TidyRow(source: c[1], model: c[2], point: point, alpha: alpha, temperature: t, branch: c[7],
                              stable: Bool(c[8]), global: Bool(c[9]), observable: c[10], value: value,
                              error: Double(c[12]), tau: Double(c[13]), sampleSpread: Double(c[14]), samples: Int(c[15]),
                              neurons: Int(c[16]), converged: c[17] == "true", residual: Double(c[18]), method: c[19],
                              seed: UInt64(c[20]), version: c[21])
            row.dilution = dilution
            rows.append(row)
        }
        return rows
    }
}
