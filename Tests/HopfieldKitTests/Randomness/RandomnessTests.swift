import Foundation
import HopfieldKit
import XCTest

final class RandomnessTests: XCTestCase {
    /// First outputs of xoshiro256** from state (1, 2, 3, 4), as the authors' reference C code
    /// gives them (the first is rotl(2·5, 7)·9 = 11520 by hand; the others from a transcription of
    /// the C code in Python's arbitrary-precision integers).
    func testXoshiroMatchesReferenceAlgorithm() {
        var g = Xoshiro256StarStar(state: (1, 2, 3, 4))
        XCTAssertEqual(g.next(), 11520)
        XCTAssertEqual(g.next(), 0)
        XCTAssertEqual(g.next(), 1_509_978_240)
    }

    func testUniformsAreInUnitIntervalWithMeanHalf() {
        var g = Xoshiro256StarStar(seed: 7)
        let n = 100_000
        var sum = 0.0
        for _ in 0..<n {
            let u = g.nextUniform()
            XCTAssert(u >= 0 && u < 1)
            sum += u
        }
        // mean of n uniforms: sd 1/√(12n) ≈ 9.1e-4; 5 sd.
        XCTAssertEqual(sum / Double(n), 0.5, accuracy: 5 / (12 * Double(n)).squareRoot())
    }

    func testIndexIsUniformOverRange() {
        var g = Xoshiro256StarStar(seed: 11)
        var counts = [Int](repeating: 0, count: 7)
        let n = 70_000
        for _ in 0..<n { counts[g.nextIndex(below: 7)] += 1 }
        // χ² with 6 degrees of freedom; P(χ² > 27.9) = 1e-4.
        let expected = Double(n) / 7
        let chi2 = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        XCTAssertLessThan(chi2, 27.9)
    }

    func testStreamKeysSeparateEveryField() {
        let base = StreamKey(seed: 1, point: 0, sample: 0, replica: 0, purpose: .dynamics)
        var variants = [base]
        variants.append(StreamKey(seed: 2, point: 0, sample: 0, replica: 0, purpose: .dynamics))
        variants.append(StreamKey(seed: 1, point: 1, sample: 0, replica: 0, purpose: .dynamics))
        variants.append(StreamKey(seed: 1, point: 0, sample: 1, replica: 0, purpose: .dynamics))
        variants.append(StreamKey(seed: 1, point: 0, sample: 0, replica: 1, purpose: .dynamics))
        variants.append(StreamKey(seed: 1, point: 0, sample: 0, replica: 0, purpose: .patterns))
        // swapped sample and replica must differ too
        variants.append(StreamKey(seed: 1, point: 0, sample: 1, replica: 0, purpose: .initialState))
        variants.append(StreamKey(seed: 1, point: 0, sample: 0, replica: 1, purpose: .initialState))
        let firstOutputs = variants.map { key -> UInt64 in var g = key.generator(); return g.next() }
        XCTAssertEqual(Set(firstOutputs).count, variants.count)
        XCTAssertEqual(base.generator(), base.generator())
    }

    func testGeneratorStateRoundTripsAndRefusesOtherGenerators() throws {
        var g = Xoshiro256StarStar(seed: 99)
        _ = g.next()
        let data = try JSONEncoder().encode(g)
        var restored = try JSONDecoder().decode(Xoshiro256StarStar.self, from: data)
        XCTAssertEqual(restored.next(), g.next())
        let foreign = Data(#"{"generator":"mt19937","state":[1,2,3,4]}"#.utf8)
        XCTAssertThrowsError(try JSONDecoder().decode(Xoshiro256StarStar.self, from: foreign))
        let zero = Data(#"{"generator":"xoshiro256**-1.0","state":[0,0,0,0]}"#.utf8)
        XCTAssertThrowsError(try JSONDecoder().decode(Xoshiro256StarStar.self, from: zero))
    }
}
