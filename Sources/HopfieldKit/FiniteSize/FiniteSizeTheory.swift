import Foundation

/// The N = ∞ theory value of a finite-size study's observables, where the family's grid theory
/// covers its point: classical and dense (Gardner, untrained) networks at load α, diluted networks at
/// low storage (fixed K ≤ 12) or at load α. The branch is chosen as `compare` chooses it
/// (``Comparison``): the stable retrieval state for runs started in the pattern, else the global
/// state; the overlap m is attached to m, |m| and m_max for runs started in pattern 1, to m_max
/// only otherwise. Nil where the family has no grid theory at this point (trained networks, P = 1 kept fixed
/// in a classical network, the Krotov form).
public enum FiniteSizeTheory {
    public static func values(_ study: FiniteSizeStudy, threads: Int = 1) throws -> [String: Double]? {
        let t = study.template
        guard t.family.training == nil, let yaml = specText(study) else { return nil }
        let spec: GridSpec
        do { spec = try GridSpec.parse(yaml, file: "fss theory") } catch { return nil }
        let measure = try GaussianMeasure(settings: spec.quadrature)
        let solved = try spec.contract.solveTheory(rows: [spec.axis[0]], spec: spec, measure: measure, threads: threads) { _, _ in true }
        guard let branches = solved[0][0], let point = spec.points.first else { return nil }
        let rows = try spec.contract.theoryRows(branches.record, point: point, spec: spec)
        let simulated = TidyRow.simulatedBranch(t)
        var values: [String: Double] = [:]
        for name in Set(rows.map(\.observable)) {
            if let row = Comparison.choose(rows.filter { $0.observable == name }, simulatedBranch: simulated) {
                values[name] = row.value
            }
        }
        // The theory's m is the overlap with the condensed pattern: pattern 1 (m, |m|) for runs started
        // in it; for other starts the simulation may condense on any pattern, so only m_max compares.
        if let m = values["m"] {
            if t.initialState.startsInPattern {
                values["m_abs"] = abs(m)
            } else {
                values["m"] = nil
            }
            values["m_max"] = abs(m)
        }
        return values
    }

    /// A one-point grid spec of the study's family, or nil.
    static func specText(_ study: FiniteSizeStudy) -> String? {
        let temperature = "temperature: [\(study.template.temperature)]"
        switch study.template.family {
        case .classical:
            guard let alpha = study.alpha else { return nil }
            return "name: fss\nmodel: classical\ncompute: [rs]\naxes: {alpha: [\(alpha)], \(temperature)}\n"
        case .multitasking(let d, nil):
            if let k = study.patterns, k <= 12 {
                return "name: fss\nmodel: multitasking\npatterns: \(k)\ncompute: [rs]\naxes: {dilution: [\(d)], \(temperature)}\n"
            }
            guard let alpha = study.alpha else { return nil }
            return "name: fss\nmodel: multitasking\ndilution: \(d)\ncompute: [rs]\naxes: {alpha: [\(alpha)], \(temperature)}\n"
        case .dense(let settings):
            guard settings.hamiltonian == .gardner, settings.order >= 3, let alpha = study.alpha else { return nil }
            return "name: fss\nmodel: dense\np: \(settings.order)\ncompute: [rs]\naxes: {alpha: [\(alpha)], \(temperature)}\n"
        default:
            return nil
        }
    }
}
