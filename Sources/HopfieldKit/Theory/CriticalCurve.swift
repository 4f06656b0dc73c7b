import Foundation

/// One critical line of a family's phase diagram in the grid's axes (x = α, or d for low-storage
/// multitasking grids; y = T), as `plot` draws it.
public struct CriticalCurve: Sendable {
    public enum Kind: Sendable, Equatable {
        /// The retrieval spinodal α_M(T) (T_M(α)).
        case spinodal
        /// T_c: where retrieval states become global minima.
        case global
        /// T_g(α): the spin-glass transition.
        case glass
        /// The de Almeida–Thouless line of the retrieval states.
        case almeidaThouless
        /// Multitasking (low storage): T_k(d), above which level k of the hierarchy is 0.
        case level(Int)
    }

    public var kind: Kind
    public var label: String
    public var points: [(x: Double, temperature: Double)]

    /// The RS lines of ``CriticalPoint`` records (classical, high-storage multitasking, dense), the
    /// converged points of each line; the glass line in its α order, the others sorted by T (the
    /// spinodal and T_c are re-entrant in α).
    static func curves(_ lines: [CriticalPoint]) -> [CriticalCurve] {
        let kinds: [(CriticalPoint.Line, Kind, String)] = [
            (.spinodal, .spinodal, "retrieval spinodal T_M"),
            (.global, .global, "T_c (retrieval global)"),
            (.glass, .glass, "T_g = spin-glass line"),
            (.almeidaThouless, .almeidaThouless, "AT line (retrieval)"),
        ]
        return kinds.compactMap { line, kind, label in
            let points = lines.filter { $0.line == line && $0.converged }.map { (x: $0.alpha, temperature: $0.temperature) }
            guard !points.isEmpty else { return nil }
            return CriticalCurve(kind: kind, label: label, points: line == .glass ? points : points.sorted { $0.temperature < $1.temperature })
        }
    }
}

/// A family's critical lines for one grid: the records as cached in DIR/lines.json (the family's own
/// line records, so they can be read as such) and the curves drawn from them.
public struct FamilyCriticalLines: Sendable {
    /// The JSON of the line records, as written to lines.json.
    public var record: Data
    public var curves: [CriticalCurve]

    init<R: Encodable>(records: R, curves: [CriticalCurve]) throws {
        record = try RecordCoding.encoder(pretty: true).encode(records)
        self.curves = curves
    }
}
