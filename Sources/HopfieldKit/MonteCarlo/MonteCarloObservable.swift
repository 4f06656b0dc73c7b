/// One measured observable (see ``MonteCarloObservables`` for the definitions). The recorder keeps a
/// series per observable in a slot fixed when the run starts; `name` is its key on disk.
public enum MonteCarloObservable: Hashable, Sendable {
    case m, n, mAbs, mMax, mOther, mOtherMax, energy, q, q2, q4, r
    /// m_k, signed (k from 1).
    case overlap(Int)
    /// The k-th largest |m_μ| of each measurement (k from 1).
    case sortedOverlap(Int)

    public var name: String {
        switch self {
        case .m: "m"
        case .n: "n"
        case .mAbs: "m_abs"
        case .mMax: "m_max"
        case .mOther: "m_other"
        case .mOtherMax: "m_other_max"
        case .energy: "energy"
        case .q: "q"
        case .q2: "q2"
        case .q4: "q4"
        case .r: "r"
        case .overlap(let k): "m_\(k)"
        case .sortedOverlap(let k): "m_sorted_\(k)"
        }
    }

    /// What every family records: the condensed overlap and energy; the crosstalk with the other
    /// patterns (P ≥ 2); the replica overlaps (≥ 2 replicas). The family adds its own
    /// (``FamilyContract/familyObservables(_:)``).
    static func common(_ p: MonteCarloParameters) -> [MonteCarloObservable] {
        var list: [MonteCarloObservable] = [.m, .mAbs, .mMax, .energy]
        if p.patterns > 1 { list += [.mOther, .mOtherMax] }
        if p.replicas > 1 { list += [.q, .q2, .q4] }
        return list
    }
}
