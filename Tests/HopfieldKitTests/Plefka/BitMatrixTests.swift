import HopfieldKit
import XCTest

/// The parallel Plefka sweep's kernel: out_c = Σ_r B_rc v_r from bit rows, bit for bit the sum in
/// increasing r (the order every instruction set uses, so Plefka numbers do not depend on it).
final class BitMatrixTests: XCTestCase {
    /// Column counts across the kernel's 8-column groups, 64-column units and 128-column unit pairs
    /// (1, 7, 8, 63, 64, 65, 121, 128, 129, 200: odd and even units per row, tails of 1–16 groups),
    /// rows 1 … 301, values of mixed sign and magnitude (so that the order of summation shows in the
    /// last bits); also the transposed matrix. Exact equality with a plain loop and with
    /// `referenceAccumulate`.
    func testAccumulateIsTheOrderedColumnSum() {
        var rng = Xoshiro256StarStar(seed: 42)
        for columns in [1, 7, 8, 63, 64, 65, 121, 128, 129, 200] {
            for rows in [1, 3, 64, 301] {
                let entries = (0..<(rows * columns)).map { _ in Int8(Int(rng.next() % 3) - 1) }   // −1, 0, +1
                let values = (0..<max(rows, columns)).map { _ in (rng.nextUniform() - 0.5) * pow(10, Double(rng.next() % 7) - 3) }
                let (byRow, byColumn) = entries.withUnsafeBufferPointer {
                    BitMatrix.entries(of: $0, neurons: rows, columns: columns, equalTo: 1)
                }
                for (matrix, transposed) in [(byRow, false), (byColumn, true)] {
                    let (r, c) = transposed ? (columns, rows) : (rows, columns)
                    var expected = [Double](repeating: 0, count: c)
                    for i in 0..<r {
                        for j in 0..<c where (transposed ? entries[j * columns + i] : entries[i * columns + j]) == 1 {
                            expected[j] += values[i]
                        }
                    }
                    var fast = [Double](repeating: .nan, count: c), reference = [Double](repeating: .nan, count: c)
                    values.withUnsafeBufferPointer { v in
                        fast.withUnsafeMutableBufferPointer { matrix.accumulate(v.baseAddress!, into: $0.baseAddress!) }
                        reference.withUnsafeMutableBufferPointer { matrix.referenceAccumulate(v.baseAddress!, into: $0.baseAddress!) }
                    }
                    XCTAssertEqual(fast, expected, "columns \(c), rows \(r)")
                    XCTAssertEqual(reference, expected, "columns \(c), rows \(r)")
                }
            }
        }
    }
}
