import Foundation

/// One theory (RS, 1RSB, exact low-storage) of one family at one point of its phase diagram: every
/// branch found there, continued from `hints`, the branches at the neighbouring point of the same
/// row. Every solver of hopsim conforms, so one ``Continuation`` drives `rs-solve` and `rsb-solve`
/// grids and the theory side of `grid run`.
public protocol SaddlePointEquations: Sendable {
    associatedtype Solution: TheoryBranch
    /// The branches at this point. `hints` are tried first; `thorough` asks for the full search
    /// (bracketing) even where the hints suffice (solvers without a cheaper path ignore it).
    func solve(hints: [Solution], thorough: Bool) -> [Solution]
}

/// One branch of a theory at one point, as written to disk: a saddle point with its solver status.
public protocol TheoryBranch: Sendable, Codable {
    /// Whether the solver's residual met its tolerance (``SolverStatus``).
    var converged: Bool { get }
    /// Whether a failure of this branch is a failure of its point (false for a 1RSB state tried for
    /// the global choice and not chosen).
    var countsForConvergence: Bool { get }
    /// What ``Continuation`` tracks along a path: a key (branch and stability; a continued branch
    /// keeps it) and the order parameters that must move continuously. nil: not tracked.
    var continuity: (key: String, values: [Double])? { get }
    /// Records that continuation could not make this branch continuous with its neighbour.
    mutating func noteDiscontinuity(_ note: String)
}

extension TheoryBranch {
    public var countsForConvergence: Bool { true }
    public var continuity: (key: String, values: [Double])? { nil }
    public mutating func noteDiscontinuity(_ note: String) {}
}

extension ReplicaSymmetricSolution: TheoryBranch {
    public var continuity: (key: String, values: [Double])? {
        converged ? ("\(branch.rawValue)/\(stable ? "stable" : "unstable")", [m, q]) : nil
    }
    public mutating func noteDiscontinuity(_ note: String) { method += "; " + note }
}

extension ReplicaSymmetryBreakingSolution: TheoryBranch {
    public var continuity: (key: String, values: [Double])? {
        converged && !reducesToReplicaSymmetry ? (branch, [m, q0, q1]) : nil
    }
    public mutating func noteDiscontinuity(_ note: String) { method += "; " + note }
}

/// The branches of one theory point as a grid writes them (DIR/points/rs-NNNNNN.json).
public struct TheoryBranches: Sendable {
    /// The JSON array of the point's branches.
    public var record: Data
    public var converged: Bool
    /// How many branches the point has.
    public var count: Int

    public init<S: TheoryBranch>(_ solutions: [S]) throws {
        record = try RecordCoding.encoder(pretty: false).encode(solutions)
        converged = solutions.allSatisfy { $0.converged || !$0.countsForConvergence }
        count = solutions.count
    }
}
