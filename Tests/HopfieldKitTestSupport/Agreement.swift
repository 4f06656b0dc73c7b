import HopfieldKit
import XCTest

/// Asserts that a Monte Carlo estimate agrees with an exact value in a z-test at the given
/// threshold |z| < zMax (a Bonferroni threshold for the family the test belongs to).
public func assertAgrees(_ estimate: Double, error: Double, exact: Double, zMax: Double, _ label: String,
                  file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertGreaterThan(error, 0, "\(label): a zero error bar makes the test vacuous", file: file, line: line)
    let z = (estimate - exact) / error
    XCTAssertLessThan(abs(z), zMax,
        "\(label): MC \(estimate) ± \(error) vs exact \(exact): z = \(z), p = \(Significance.twoSidedPValue(z: z))",
        file: file, line: line)
}
