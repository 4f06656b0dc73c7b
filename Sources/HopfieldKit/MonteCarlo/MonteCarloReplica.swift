/// What the Monte Carlo driver needs of one replica of any of hopsim's networks: its spins, the
/// overlaps it reports, its energy, and a sweep. Conformances are specialised by the generic
/// driver, so the sweep's inner loop keeps its concrete types.
public protocol MonteCarloReplica: Sendable {
    var spins: [Int8] { get }
    /// How many patterns (archetypes, for trained dense networks) have a measured overlap.
    var measuredPatterns: Int { get }
    /// N m_μ = Σ_i ξ_i^μ σ_i with pattern (archetype) μ, exactly.
    func archetypeOverlapSum(_ mu: Int) -> Int
    /// H/N.
    var energyPerNeuron: Double { get }
    /// Trained networks: the mean overlap n with the coupling patterns of archetype 1 (its examples,
    /// or its label mean); nil otherwise.
    var exampleOverlap: Double? { get }
    /// One sweep of N single-spin updates; returns the number of flips.
    mutating func sweep(dynamics: Dynamics, beta: Double, order: UpdateOrder, rng: inout Xoshiro256StarStar) -> Int
}
