/// One replica of a dense P-body Hebbian network (``DenseNetwork``, ``DenseHamiltonian``).
///
/// The state is the spins plus, per coupling pattern ν and odd power k, the exact integer sums
/// S_k^ν = Σ_j (a_j^ν)^k σ_j (k = 1 only for binary patterns), updated after each flip in O(K_c).
/// Every Ising Hamiltonian is affine in each spin, H = −σ_i h_i + (terms without σ_i), so the
/// field h_i = [H(σ_i = −1) − H(σ_i = +1)]/2 decides the update and ΔH = 2σ_i h_i for a flip.
/// With the sums of the other neurons, S'_k = S_k − a_i^k σ_i:
/// ```
/// gardner:  h_i = (w/N^{P−1}) Σ_ν η_i^ν e_{P−1}(x^ν without i),   x_j = η_j σ_j,
///           since e_P(x) = x_i e_{P−1}(x without i) + e_P(x without i);
///           e_{P−1} from the power sums p_k = S'_k/s^k (odd k), (Σ_{j≠i} a_j^k)/s^k (even k)
/// krotov:   h_i = (w/(2 P! N^{P−1} s^P)) Σ_ν [(S'_1 + a_i^ν)^P − (S'_1 − a_i^ν)^P]
/// ```
/// Both cost O(K_c P) per neuron, never O(N^{P−1}). For binary patterns the summand is a
/// polynomial of degree P − 1 in S'_1 (``ElementarySymmetric/binaryPolynomial(order:variables:)``),
/// which splits into a dot product with a kept vector (``signalCoefficients``). At large N, e_{P−1} ≈ (N n)^{P−1}/(P−1)!, so
/// h_i ≈ (w/(P−1)!) Σ_ν η_i^ν n_ν^{P−1}: the signal P m^{P−1}/P! of the RS theory.
public struct DenseHebbianReplica: Sendable {
    public let network: DenseNetwork
    public internal(set) var spins: [Int8]
    /// S_k^ν at `oddSums[o * couplingCount + ν]` for k = network.oddPowers[o]; exact integers
    /// held in doubles (|S| ≤ N·M^k ≪ 2^53).
    public internal(set) var oddSums: [Double]
    /// N m_μ = Σ_i ξ_i^μ σ_i for the archetypes (kept separately only for trained networks; for a
    /// plain network they are S_1).
    public internal(set) var archetypeSums: [Int]
    /// Binary patterns: coefficients c_d of the per-pattern field polynomial Σ_d c_d S'^d, the
    /// prefactor included.
    let fieldPolynomial: [Double]
    /// General patterns: w/N^{P−1} (gardner) or w/(2 P! N^{P−1} s^P) (krotov).
    let fieldPrefactor: Double
    /// Binary patterns: with a = ±1 (a² = 1), a·c(S − aσ) = a·A(S) + σ·B(S), where, for
    /// c(x) = Σ_d c_d x^d, A(S) = Σ_d c_d Σ_{k even} C(d,k) S^{d−k} and B(S) = −Σ_d c_d Σ_{k odd} C(d,k) S^{d−k}.
    /// So h_i = Σ_ν a_i^ν A(S_ν) + σ_i Σ_ν B(S_ν): a plain dot product of the pattern row with the
    /// kept vector A_ν, plus one kept sum. Both are recomputed from the exact S after every flip
    /// (no drift). Coefficients of A and B as polynomials in S.
    let signalCoefficients: [Double], selfCoefficients: [Double]
    /// A(S_ν) for every coupling pattern (binary patterns only; empty otherwise).
    public internal(set) var signalPart: [Double]
    /// Σ_ν B(S_ν) (binary patterns only).
    public internal(set) var selfSum: Double

    public init(network: DenseNetwork, spins: [Int8]) {
        precondition(spins.count == network.neurons && spins.allSatisfy { $0 == 1 || $0 == -1 })
        self.network = network
        self.spins = spins
        self.oddSums = Self.recomputedOddSums(network, spins)
        self.archetypeSums = network.settings.training == nil ? [] : Self.recomputedArchetypeSums(network, spins)
        let p = network.order, n = Double(network.neurons)
        let nPower = pow(n, Double(p - 1))
        switch network.hamiltonian {
        case .gardner:
            fieldPrefactor = network.weight / nPower
            fieldPolynomial = ElementarySymmetric.binaryPolynomial(order: p - 1, variables: network.neurons - 1)
                .map { $0 * network.weight / nPower }
        case .krotov:
            let factorial = (1...p).reduce(1.0) { $0 * Double($1) }
            fieldPrefactor = network.weight / (2 * factorial * nPower * pow(network.scale, Double(p)))
            // (S+1)^P − (S−1)^P = 2 Σ_{k odd} C(P, k) S^{P−k}
            var c = [Double](repeating: 0, count: p)
            for k in stride(from: 1, through: p, by: 2) { c[p - k] = 2 * binomial(p, k) }
            fieldPolynomial = c.map { $0 * network.weight / (2 * factorial * nPower) }
        }
        let (aCoefficients, bCoefficients) = Self.splitPolynomial(fieldPolynomial)
        signalCoefficients = aCoefficients
        selfCoefficients = bCoefficients
        if network.binary {
            let kc = network.couplingCount
            let sums = oddSums
            signalPart = (0..<kc).map { Self.horner(aCoefficients, sums[$0]) }
            selfSum = (0..<kc).reduce(0.0) { $0 + Self.horner(bCoefficients, sums[$1]) }
        } else {
            signalPart = []
            selfSum = 0
        }
    }

    /// (A, B) coefficient arrays from c (see ``signalCoefficients``).
    static func splitPolynomial(_ c: [Double]) -> ([Double], [Double]) {
        var a = [Double](repeating: 0, count: c.count), b = [Double](repeating: 0, count: c.count)
        for d in c.indices {
            for k in 0...d {
                let term = c[d] * binomial(d, k)
                if k % 2 == 0 { a[d - k] += term } else { b[d - k] -= term }
            }
        }
        return (a, b)
    }

    @inline(__always)
    static func horner(_ c: [Double], _ x: Double) -> Double {
        var v = 0.0
        for d in stride(from: c.count - 1, through: 0, by: -1) { v = v * x + c[d] }
        return v
    }

    public var neurons: Int { network.neurons }

    static func recomputedOddSums(_ net: DenseNetwork, _ spins: [Int8]) -> [Double] {
        let kc = net.couplingCount
        var sums = [Double](repeating: 0, count: kc * net.oddPowers.count)
        for i in 0..<net.neurons {
            let s = Double(spins[i])
            for (o, k) in net.oddPowers.enumerated() {
                for nu in 0..<kc { sums[o * kc + nu] += DenseNetwork.power(Double(net.couplings[i * kc + nu]), k) * s }
            }
        }
        return sums
    }

    static func recomputedArchetypeSums(_ net: DenseNetwork, _ spins: [Int8]) -> [Int] {
        let k = net.archetypes.patterns
        var sums = [Int](repeating: 0, count: k)
        for i in 0..<net.neurons {
            for mu in 0..<k { sums[mu] += Int(net.archetypes.entries[i * k + mu]) * Int(spins[i]) }
        }
        return sums
    }

    /// The kept sums equal a recomputation from the spins, exactly (and so do A_ν and Σ B, which
    /// are recomputed from them after every flip).
    public func checkInvariants() -> Bool {
        let fresh = DenseHebbianReplica(network: network, spins: spins)
        return oddSums == fresh.oddSums && archetypeSums == fresh.archetypeSums
            && signalPart == fresh.signalPart && selfSum == fresh.selfSum
    }

    /// N m_μ with archetype μ.
    @inline(__always)
    public func archetypeOverlapSum(_ mu: Int) -> Int {
        archetypeSums.isEmpty ? Int(oddSums[mu]) : archetypeSums[mu]
    }

    /// n_ν = (1/N) Σ_j η_j^ν σ_j, the overlap with coupling pattern ν (an example, or a label mean).
    public func couplingOverlap(_ nu: Int) -> Double { oddSums[nu] / (network.scale * Double(neurons)) }

    /// h_i (see the type's documentation).
    public func localField(_ i: Int) -> Double {
        spins.withUnsafeBufferPointer { sigma in
            oddSums.withUnsafeBufferPointer { sums in
                network.couplings.withUnsafeBufferPointer { a in
                    network.evenPowerSums.withUnsafeBufferPointer { even in
                        signalPart.withUnsafeBufferPointer { signal in
                            field(i, sigma.baseAddress!, sums.baseAddress!, a.baseAddress!,
                                  even.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                  signal.baseAddress ?? UnsafePointer(bitPattern: 8)!, selfSum)
                        }
                    }
                }
            }
        }
    }

    /// The field of neuron i from raw storage (the sweep's inner loop): for binary patterns the dot
    /// product Σ_ν a_i^ν A_ν + σ_i Σ B (see ``signalCoefficients``).
    @inline(__always)
    func field(_ i: Int, _ sigma: UnsafePointer<Int8>, _ sums: UnsafePointer<Double>, _ a: UnsafePointer<Int16>,
               _ even: UnsafePointer<Double>, _ signal: UnsafePointer<Double>, _ selfSum: Double,
               packedRows: UnsafePointer<UInt32>? = nil) -> Double {
        let kc = network.couplingCount
        let row = a + i * kc
        let s = Double(sigma[i])
        if let packed = packedRows {
            // The same eight lanes and order from the packed row: each byte of a row word signs
            // eight A_ν (PackedKernels.addSigned), bit for bit the Int16 form below.
            var lanes = SIMD8<Double>(repeating: 0)
            let words = packed + i * network.packedCouplings!.wordsPerRow
            let rawSignal = UnsafeRawPointer(signal)
            var nu = 0
            while nu + 8 <= kc {
                let byte = UInt8(truncatingIfNeeded: words[nu >> 5] >> UInt32(nu & 31))
                lanes = PackedKernels.addSigned(lanes, byte, rawSignal.loadUnaligned(fromByteOffset: nu * 8, as: SIMD8<Double>.self))
                nu += 8
            }
            var acc = lanes.sum()
            while nu < kc {
                acc += ((words[nu >> 5] >> UInt32(nu & 31)) & 1 == 1 ? 1.0 : -1.0) * signal[nu]
                nu += 1
            }
            return acc + s * selfSum
        }
        if network.binary {
            // Eight independent lanes (a fixed summation order, so results do not depend on the
            // machine beyond IEEE arithmetic): the dot product vectorises.
            var lanes = SIMD8<Double>(repeating: 0)
            let rawRow = UnsafeRawPointer(row), rawSignal = UnsafeRawPointer(signal)
            var nu = 0
            while nu + 8 <= kc {
                let a8 = rawRow.loadUnaligned(fromByteOffset: nu * 2, as: SIMD8<Int16>.self)
                let s8 = rawSignal.loadUnaligned(fromByteOffset: nu * 8, as: SIMD8<Double>.self)
                lanes += SIMD8<Double>(a8) * s8
                nu += 8
            }
            var acc = lanes.sum()
            while nu < kc { acc += Double(row[nu]) * signal[nu]; nu += 1 }
            return acc + s * selfSum
        }
        return generalField(row, s, sums, even, kc)
    }

    /// The field for non-binary coupling patterns (supervised learning with M > 1).
    func generalField(_ row: UnsafePointer<Int16>, _ s: Double, _ sums: UnsafePointer<Double>,
                      _ even: UnsafePointer<Double>, _ kc: Int) -> Double {
        let p = network.order
        let scale = network.scale
        var acc = 0.0
        switch network.hamiltonian {
        case .krotov:
            for nu in 0..<kc {
                let ai = Double(row[nu])
                guard ai != 0 else { continue }
                let rest = sums[nu] - ai * s
                acc += DenseNetwork.power(rest + ai, p) - DenseNetwork.power(rest - ai, p)
            }
            return acc * fieldPrefactor
        case .gardner:
            var powerSums = [Double](repeating: 0, count: p)
            var e = [Double](repeating: 0, count: p + 1)
            for nu in 0..<kc {
                let ai = Double(row[nu])
                guard ai != 0 else { continue }
                for k in 1..<p {
                    let aik = DenseNetwork.power(ai, k)
                    let total = k % 2 == 1 ? sums[(k / 2) * kc + nu] - aik * s : even[(k / 2 - 1) * kc + nu] - aik
                    powerSums[k - 1] = total / DenseNetwork.power(scale, k)
                }
                powerSums.withUnsafeBufferPointer { ps in
                    e.withUnsafeMutableBufferPointer { ep in
                        ElementarySymmetric.fromPowerSums(ps.baseAddress!, order: p - 1, into: ep.baseAddress!)
                    }
                }
                acc += ai / scale * e[p - 1]
            }
            return acc * fieldPrefactor
        }
    }

    /// H/N: −(w/N^P) Σ_ν e_P(x^ν) (gardner) or −(w/P!) Σ_ν n_ν^P (krotov).
    public var energyPerNeuron: Double {
        let p = network.order, kc = network.couplingCount, n = Double(neurons), scale = network.scale
        var total = 0.0
        switch network.hamiltonian {
        case .krotov:
            let factorial = (1...p).reduce(1.0) { $0 * Double($1) }
            for nu in 0..<kc { total += DenseNetwork.power(oddSums[nu] / (scale * n), p) }
            return -network.weight * total / factorial
        case .gardner:
            var powerSums = [Double](repeating: 0, count: p)
            var e = [Double](repeating: 0, count: p + 1)
            for nu in 0..<kc {
                for k in 1...p {
                    let raw = network.binary ? (k % 2 == 1 ? oddSums[nu] : n)
                        : (k % 2 == 1 ? oddSums[(k / 2) * kc + nu] : network.evenPowerSums[(k / 2 - 1) * kc + nu])
                    powerSums[k - 1] = raw / DenseNetwork.power(scale, k)
                }
                powerSums.withUnsafeBufferPointer { ps in
                    e.withUnsafeMutableBufferPointer { ep in
                        ElementarySymmetric.fromPowerSums(ps.baseAddress!, order: p, into: ep.baseAddress!)
                    }
                }
                total += e[p]
            }
            return -network.weight * total / pow(n, Double(p))
        }
    }
}

func binomial(_ n: Int, _ k: Int) -> Double {
    guard k >= 0, k <= n else { return 0 }
    var r = 1.0
    for j in 0..<k { r = r * Double(n - j) / Double(j + 1) }
    return r.rounded()
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension DenseHebbianReplica: MonteCarloReplica {
    public var measuredPatterns: Int { network.archetypes.patterns }
    public var exampleOverlap: Double? {
        guard network.settings.training != nil else { return nil }
        let range = network.firstArchetypeCouplings
        return range.reduce(0.0) { $0 + couplingOverlap($1) } / Double(range.count)
    }
}
