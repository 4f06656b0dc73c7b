/// The vectors of one parallel Plefka solve (``PlefkaUpdate/parallel``), allocated once per solve:
/// the overlaps S (K), the fields F (N), scratch for the −1 bits (max(N, K)), the tanh arguments u
/// and their tanh (N each), and m two sweeps ago (N, starting at the start m). Freed by
/// ``deallocate()``.
struct ParallelWorkspace {
    let overlaps: UnsafeMutablePointer<Double>
    let fields: UnsafeMutablePointer<Double>
    let scratch: UnsafeMutablePointer<Double>
    let arguments: UnsafeMutablePointer<Double>
    let targets: UnsafeMutablePointer<Double>
    let twoBack: UnsafeMutablePointer<Double>

    init(neurons n: Int, columns k: Int, start m: [Double]) {
        func zeros(_ count: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
            p.initialize(repeating: 0, count: max(count, 1))
            return p
        }
        overlaps = zeros(k); fields = zeros(n); scratch = zeros(max(n, k))
        arguments = zeros(n); targets = zeros(n); twoBack = zeros(n)
        m.withUnsafeBufferPointer { twoBack.update(from: $0.baseAddress!, count: n) }
    }

    func deallocate() {
        for p in [overlaps, fields, scratch, arguments, targets, twoBack] { p.deallocate() }
    }
}
