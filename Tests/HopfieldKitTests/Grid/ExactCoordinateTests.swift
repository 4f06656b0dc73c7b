import XCTest
import HopfieldKit

/// Decimal ranges give decimal coordinates (issue 17, item 3): every value equals the double nearest
/// its decimal, so a CSV or JSON reader comparing with 0.1 finds it.
final class ExactCoordinateTests: XCTestCase {
    func testDecimalRangesGiveDecimalValues() throws {
        let t = try ParameterRange(parsing: "0:1:11", flag: "--temperature").values
        XCTAssertEqual(t, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
        let a = try ParameterRange(parsing: "0.01:0.16:31", flag: "--alpha").values
        for (k, v) in a.enumerated() {
            let decimal = Double(String(format: "%.3f", 0.01 + 0.005 * Double(k)))!
            XCTAssertEqual(v, decimal, "k = \(k)")
            XCTAssertEqual("\(v)", String(format: "%g", decimal), "printed as its decimal")
        }
        // The ends are exactly the given numbers, and a value without a short decimal stays within 1 ulp-ish.
        let third = try ParameterRange(parsing: "0:1:4", flag: "--alpha").values
        XCTAssertEqual(third.first, 0)
        XCTAssertEqual(third.last, 1)
        XCTAssertEqual(third[1], 1.0 / 3, accuracy: 1e-15)
        // A range narrower than 15 digits keeps distinct values.
        let narrow = try ParameterRange(parsing: "1:1.000000000000001:3", flag: "--alpha").values
        XCTAssertEqual(Set(narrow).count, 3)
    }
}
