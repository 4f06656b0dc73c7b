import Foundation

/// The theory of one point of a phase diagram: its RS branches, the 1RSB states solved where RS is
/// not admissible, and which of them is the global (thermodynamic) state.
public struct PointTheory: Sendable, Equatable {
    public var replicaSymmetric: [ReplicaSymmetricSolution]
    public var oneStep: [ReplicaSymmetryBreakingSolution]
    /// The free energies of the two sectors' representatives (retrieval; paramagnet or spin glass),
    /// nil where a sector has no converged, stable state: what the critical lines compare.
    public var retrievalFreeEnergy: Double? = nil
    public var glassFreeEnergy: Double? = nil

    public init(replicaSymmetric: [ReplicaSymmetricSolution], oneStep: [ReplicaSymmetryBreakingSolution] = []) {
        self.replicaSymmetric = replicaSymmetric; self.oneStep = oneStep
    }

    /// Every record of the point, RS first, as written to disk.
    public var records: [TheoryRecord] { replicaSymmetric.map(TheoryRecord.replicaSymmetric) + oneStep.map(TheoryRecord.oneStep) }
    /// Every RS branch converged and, where the global state is a 1RSB one, that one.
    public var converged: Bool { records.allSatisfy { $0.converged || !$0.countsForConvergence } }
}

/// The choice of the global state (issue 13): the state of lowest free energy among the physical
/// representatives of the point's two sectors, retrieval and non-retrieval (paramagnet / spin glass).
///
/// A sector is represented by its admissible RS state of lowest f; with none admissible, by its
/// converged, locally stable RS state of lowest f among those of entropy ≥ −10⁻⁶; with none of
/// those, by the one of least negative entropy (docs/physics.md §7.5). When the overall
/// lowest representative is not admissible (negative entropy, replicon λ > 1, or for the dense
/// paramagnet T below the static glass transition T_s), its sector's 1RSB state is solved and, when
/// it is a converged, genuinely broken saddle, replaces it; the choice is then made again. Only the
/// sector that could be global is ever solved at 1RSB, so admissible points cost nothing more.
///
/// Every trial (RS or 1RSB) free energy of a sector is a lower bound on its true free energy
/// (Guerra's bound: the Parisi functional at any trial order parameter bounds the pressure from
/// above), so an admissible global state below the other sector's representative is certainly
/// global; when the global state itself is not admissible (e.g. the 1RSB spin glass at low T, whose
/// entropy is still negative: full RSB is needed) the records say so (`global_admissible: false`).
public enum GlobalStateSelection {
    enum Sector: CaseIterable { case retrieval, glass }

    static func sector(_ branch: ReplicaSymmetricSolution.Branch) -> Sector { branch == .retrieval ? .retrieval : .glass }

    enum Candidate {
        case replicaSymmetric(Int)
        case oneStep(Int)
    }

    /// Selects the global state of a point. `oneStep(branch)` solves the 1RSB state of a sector
    /// (`.retrieval` or `.spinGlass`), nil where the family has no 1RSB or no state to start from.
    /// `eager`: also replace an inadmissible representative that is not the lowest (the global
    /// choice is the same; the critical lines need both sectors' physical free energies).
    public static func select(_ rs: [ReplicaSymmetricSolution], eager: Bool = false,
                              oneStep: (ReplicaSymmetricSolution.Branch) -> ReplicaSymmetryBreakingSolution?) -> PointTheory {
        var point = PointTheory(replicaSymmetric: rs)
        for i in point.replicaSymmetric.indices {
            point.replicaSymmetric[i].global = false
            if point.replicaSymmetric[i].admissible == nil { point.replicaSymmetric[i].judgeAdmissibility() }
        }
        func freeEnergy(_ c: Candidate) -> Double {
            switch c {
            case .replicaSymmetric(let i): point.replicaSymmetric[i].freeEnergy
            case .oneStep(let k): point.oneStep[k].freeEnergy
            }
        }
        // A sector's representative: its admissible RS state of lowest f; with none admissible,
        // its converged stable state of lowest f among those of non-negative entropy; with none of
        // those either, the one whose entropy is least negative. (A dense network's paramagnet
        // below its entropy crisis, f ∝ −1/T and s ≈ −αβ²·const, and the low-m retrieval root that
        // continues it, do not stand for their sector while a state closer to physical exists: at
        // P = 3, α = 0.1, T = 0.005 they have s = −333 against −0.0026 for the retrieval state.)
        func rank(_ s: ReplicaSymmetricSolution) -> Int {
            if s.admissible == true { return 0 }
            if !s.entropy.isFinite { return 3 }
            return s.entropy >= -ReplicaSymmetricSolution.entropyTolerance ? 1 : 2
        }
        var representatives: [Sector: Candidate] = [:]
        for (i, s) in point.replicaSymmetric.enumerated() where s.converged && s.stable && s.freeEnergy.isFinite {
            let key = sector(s.branch)
            if case .replicaSymmetric(let j) = representatives[key] {
                let current = point.replicaSymmetric[j]
                let better = rank(s) != rank(current) ? rank(s) < rank(current)
                    : (rank(s) == 2 ? s.entropy > current.entropy : s.freeEnergy < current.freeEnergy)
                if !better { continue }
            }
            representatives[key] = .replicaSymmetric(i)
        }
        var tried = Set<Sector>()
        func upgrade() -> (Sector, Candidate)? {
            // In Sector order (a Dictionary's own order changes from run to run).
            let order = Sector.allCases.compactMap { k in representatives[k].map { (key: k, value: $0) } }
                .sorted { freeEnergy($0.value) < freeEnergy($1.value) }
            return (eager ? order : Array(order.prefix(1))).first { key, c in
                guard case .replicaSymmetric(let i) = c else { return false }
                return point.replicaSymmetric[i].admissible != true && !tried.contains(key)
            }
        }
        while let (key, _) = upgrade() {
            tried.insert(key)
            guard var broken = oneStep(key == .retrieval ? .retrieval : .spinGlass) else { continue }
            broken.judgeAdmissibility()
            point.oneStep.append(broken)
            if broken.converged, !broken.reducesToReplicaSymmetry, broken.freeEnergy.isFinite {
                representatives[key] = .oneStep(point.oneStep.count - 1)
            }
        }
        point.retrievalFreeEnergy = representatives[.retrieval].map(freeEnergy)
        point.glassFreeEnergy = representatives[.glass].map(freeEnergy)
        guard let global = Sector.allCases.compactMap({ representatives[$0] }).min(by: { freeEnergy($0) < freeEnergy($1) }) else {
            return point
        }
        let summary: (theory: String, branch: String, f: Double, admissible: Bool)
        switch global {
        case .replicaSymmetric(let i):
            point.replicaSymmetric[i].global = true
            let s = point.replicaSymmetric[i]
            summary = ("rs", s.branch.rawValue, s.freeEnergy, s.admissible == true)
        case .oneStep(let k):
            point.oneStep[k].global = true
            let s = point.oneStep[k]
            summary = ("1rsb", s.branch, s.freeEnergy, s.admissible == true)
        }
        for i in point.replicaSymmetric.indices {
            point.replicaSymmetric[i].globalTheory = summary.theory
            point.replicaSymmetric[i].globalBranch = summary.branch
            point.replicaSymmetric[i].globalFreeEnergy = summary.f
            point.replicaSymmetric[i].globalAdmissible = summary.admissible
        }
        for k in point.oneStep.indices where point.oneStep[k].global != true { point.oneStep[k].global = false }
        return point
    }
}

/// One record of a point's theory on disk: an RS branch or a 1RSB state, told apart by `theory`
/// ("rs", the default of records written before it existed, or "1rsb").
public enum TheoryRecord: Sendable, Codable, Equatable, TheoryBranch {
    case replicaSymmetric(ReplicaSymmetricSolution)
    case oneStep(ReplicaSymmetryBreakingSolution)

    enum Key: String, CodingKey { case theory }

    public init(from decoder: Decoder) throws {
        let theory = try decoder.container(keyedBy: Key.self).decodeIfPresent(String.self, forKey: .theory)
        self = theory == "1rsb" ? .oneStep(try ReplicaSymmetryBreakingSolution(from: decoder))
            : .replicaSymmetric(try ReplicaSymmetricSolution(from: decoder))
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .replicaSymmetric(let s): try s.encode(to: encoder)
        case .oneStep(let s): try s.encode(to: encoder)
        }
    }

    public var converged: Bool {
        switch self {
        case .replicaSymmetric(let s): s.converged
        case .oneStep(let s): s.converged
        }
    }

    public var countsForConvergence: Bool {
        if case .oneStep(let s) = self { return s.global == true }
        return true
    }
}

extension GlobalStateSelection {
    /// The pairwise (AGS) network at one point, with the classical 1RSB (``ClassicalOneStepRSB``)
    /// where RS is not admissible; diluted patterns (d > 0) have no 1RSB theory in hopsim.
    public static func classical(_ rs: [ReplicaSymmetricSolution], settings: SolverSettings,
                                 measure: GaussianMeasure, eager: Bool = false) -> PointTheory {
        guard let first = rs.first, first.dilution == 0 else { return select(rs, eager: eager) { _ in nil } }
        return select(rs, eager: eager) { branch in
            OneStepGrid.point(alpha: first.alpha, temperature: first.temperature) { a, t in
                OneStepEquations(solver: ClassicalOneStepRSB(alpha: a, temperature: t, settings: settings), branch: branch, measure: measure)
            }
        }
    }

    /// The dense P-body network at one point, with ``DenseOneStepRSB`` where RS is not admissible.
    public static func dense(_ rs: [ReplicaSymmetricSolution], order: Int, examples: ExampleStatistics,
                             settings: SolverSettings, measure: GaussianMeasure, eager: Bool = false,
                             oneStepBranches: Set<ReplicaSymmetricSolution.Branch> = [.retrieval, .spinGlass]) -> PointTheory {
        guard let first = rs.first else { return PointTheory(replicaSymmetric: rs) }
        return select(rs, eager: eager) { branch in
            guard oneStepBranches.contains(branch) else { return nil }
            return OneStepGrid.point(alpha: first.alpha, temperature: first.temperature) { a, t in
                OneStepEquations(solver: DenseOneStepRSB(order: order, alpha: a, temperature: t, examples: examples,
                                                         settings: settings, measure: measure), branch: branch, measure: measure)
            }
        }
    }
}

extension GlobalStateSelection {
    /// `select(row, branches)` applied to every point of `rows` (row-major), on up to `threads` threads; the result
    /// does not depend on the thread count.
    public static func selectAll(_ rows: [[[ReplicaSymmetricSolution]]], threads: Int,
                                 _ select: @Sendable (_ row: Int, [ReplicaSymmetricSolution]) -> PointTheory) -> [[PointTheory]] {
        let width = rows.map(\.count)
        let flat = rows.enumerated().flatMap { row, points in points.map { (row, $0) } }
        let solved = Parallel.map(flat.count, threads: threads) { select(flat[$0].0, flat[$0].1) }
        var result: [[PointTheory]] = []
        var k = 0
        for w in width { result.append(Array(solved[k..<(k + w)])); k += w }
        return result
    }
}
