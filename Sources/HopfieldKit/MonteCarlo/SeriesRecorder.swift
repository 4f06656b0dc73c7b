/// Collects the replica-averaged time series of one sample: one series per observable of the run
/// (``MonteCarloObservable``), each in a slot fixed at the start, so a measurement appends to
/// arrays and looks nothing up by name.
struct SeriesRecorder {
    let neurons: Int
    let patterns: Int
    let replicaCount: Int
    /// The observables recorded, in slot order.
    let observables: [MonteCarloObservable]
    private(set) var values: [[Double]]
    /// Slots of the scalar observables (nil when not recorded) and the first slots of the k
    /// individual and sorted overlaps.
    private let m, mAbs, mMax, energy, n, mOther, mOtherMax, q, q2, q4, r: Int?
    private let individual: Int
    private let overlapSlot: Int, sortedSlot: Int

    init(parameters p: MonteCarloParameters) {
        neurons = p.neurons
        patterns = p.patterns
        replicaCount = p.replicas
        let list = MonteCarloObservable.common(p) + p.family.contract.familyObservables(p)
        observables = list
        values = list.map { _ in
            var series: [Double] = []
            series.reserveCapacity(p.measurements)
            return series
        }
        func slot(_ o: MonteCarloObservable) -> Int? { list.firstIndex(of: o) }
        m = slot(.m); mAbs = slot(.mAbs); mMax = slot(.mMax); energy = slot(.energy); n = slot(.n)
        mOther = slot(.mOther); mOtherMax = slot(.mOtherMax); q = slot(.q); q2 = slot(.q2); q4 = slot(.q4); r = slot(.r)
        individual = list.filter { if case .overlap = $0 { true } else { false } }.count
        overlapSlot = slot(.overlap(1)) ?? 0
        sortedSlot = slot(.sortedOverlap(1)) ?? 0
    }

    /// The series by observable name (the form checkpoints and results keep).
    var series: [String: [Double]] {
        Dictionary(uniqueKeysWithValues: zip(observables.map(\.name), values))
    }

    /// Continues from a checkpointed series.
    mutating func restore(_ saved: [String: [Double]]) {
        for (k, o) in observables.enumerated() { if let v = saved[o.name] { values[k] = v } }
    }

    mutating func measure<R: MonteCarloReplica>(_ replicas: [R]) {
        let nn = Double(neurons)
        var sumM = 0.0, sumAbs = 0.0, sumMax = 0.0, sumOther = 0.0, sumOtherMax = 0.0, sumEnergy = 0.0, sumN = 0.0
        for replica in replicas {
            let m1 = Double(replica.archetypeOverlapSum(0)) / nn
            sumM += m1
            sumAbs += abs(m1)
            sumN += replica.exampleOverlap ?? 0
            var largest = abs(replica.archetypeOverlapSum(0)), largestOther = 0, otherSquares: Int64 = 0
            for mu in 1..<max(patterns, 1) {
                let v = abs(replica.archetypeOverlapSum(mu))
                largest = max(largest, v)
                largestOther = max(largestOther, v)
                otherSquares += Int64(v) * Int64(v)
            }
            sumMax += Double(largest) / nn
            sumOtherMax += Double(largestOther) / nn
            if patterns > 1 { sumOther += (Double(otherSquares) / Double(patterns - 1)).squareRoot() / nn }
            sumEnergy += replica.energyPerNeuron
        }
        let count = Double(replicaCount)
        append(m, sumM / count)
        append(mAbs, sumAbs / count)
        append(mMax, sumMax / count)
        append(energy, sumEnergy / count)
        append(n, sumN / count)
        append(mOther, sumOther / count)
        append(mOtherMax, sumOtherMax / count)
        if individual > 0 {
            var signed = [Double](repeating: 0, count: individual), sorted = signed
            for replica in replicas {
                let magnitudes = (0..<patterns).map { abs(Double(replica.archetypeOverlapSum($0))) / nn }.sorted(by: >)
                for k in 0..<individual {
                    signed[k] += Double(replica.archetypeOverlapSum(k)) / nn
                    sorted[k] += magnitudes[k]
                }
            }
            for k in 0..<individual {
                values[overlapSlot + 2 * k].append(signed[k] / count)
                values[sortedSlot + 2 * k].append(sorted[k] / count)
            }
        }
        guard replicaCount > 1 else { return }
        var sumQ = 0.0, sumQ2 = 0.0, sumQ4 = 0.0, sumR = 0.0
        var pairs = 0.0
        for a in 0..<replicaCount {
            for b in (a + 1)..<replicaCount {
                let qab = Double(spinOverlap(replicas[a].spins, replicas[b].spins)) / nn
                sumQ += qab
                sumQ2 += qab * qab
                sumQ4 += qab * qab * qab * qab
                if r != nil {
                    var dot: Int64 = 0
                    for mu in 1..<patterns {
                        dot += Int64(replicas[a].archetypeOverlapSum(mu)) * Int64(replicas[b].archetypeOverlapSum(mu))
                    }
                    // r_ab = (1/α) Σ_{μ≥2} m_μ^a m_μ^b = Σ M^a M^b / (P N)
                    sumR += Double(dot) / (Double(patterns) * nn)
                }
                pairs += 1
            }
        }
        append(q, sumQ / pairs)
        append(q2, sumQ2 / pairs)
        append(q4, sumQ4 / pairs)
        append(r, sumR / pairs)
    }

    @inline(__always)
    private mutating func append(_ slot: Int?, _ value: Double) {
        if let slot { values[slot].append(value) }
    }

    /// Σ_i σ_i^a σ_i^b.
    private func spinOverlap(_ a: [Int8], _ b: [Int8]) -> Int {
        var total = 0
        for i in 0..<a.count { total &+= Int(a[i]) &* Int(b[i]) }
        return total
    }
}
