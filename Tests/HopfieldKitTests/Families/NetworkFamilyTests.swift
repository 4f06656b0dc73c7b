import Foundation
import HopfieldKit
import XCTest

/// The family value: the one α → P conversion, records that say which family they are, and
/// records whose keys contradict their family refused.
final class NetworkFamilyTests: XCTestCase {
    static let trained = TrainingSet(examples: 3, quality: 0.6, learning: .unsupervised)
    static let families: [NetworkFamily] = [
        .classical, .multitasking(dilution: 0.3), .multitasking(dilution: 0.2, training: trained),
        .dense(DenseSettings(order: 3)), .dense(DenseSettings(order: 4, hamiltonian: .krotov, training: trained)),
    ]

    /// K = round(αN^{P−1}) and back: α = 0.05 at N = 200 is 10 patterns pairwise, 2000 at P = 3.
    func testLoadConversion() {
        XCTAssertEqual(NetworkFamily.classical.patterns(alpha: 0.05, neurons: 200), 10)
        XCTAssertEqual(NetworkFamily.dense(DenseSettings(order: 3)).patterns(alpha: 0.05, neurons: 200), 2000)
        XCTAssertEqual(NetworkFamily.dense(DenseSettings(order: 4)).alpha(patterns: 8000, neurons: 20), 1, accuracy: 1e-15)
        XCTAssertEqual(NetworkFamily.multitasking(dilution: 0.5).patterns(alpha: 0.138, neurons: 1000), 138)
    }

    /// Every family survives the record's JSON unchanged, under its own name, with its settings.
    func testParametersRoundTripEveryFamily() throws {
        for family in Self.families {
            let p = MonteCarloParameters(neurons: 50, patterns: 3, family: family)
            let data = try RecordCoding.encoder(pretty: false).encode(p)
            XCTAssertEqual(try RecordCoding.decoder().decode(MonteCarloParameters.self, from: data), p, "\(family)")
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
            XCTAssertEqual(object["model"] as? String, family.name)
            XCTAssertEqual(object["dilution"] as? Double, family.dilution)
            XCTAssertEqual(object["p"] as? Int, family.couplingSettings?.order)
        }
    }

    /// A record whose dilution or P contradicts its model is not read as some other family.
    func testContradictoryRecordsAreRefused() throws {
        let good = String(decoding: try RecordCoding.encoder(pretty: false).encode(MonteCarloParameters(neurons: 50, patterns: 3)),
                          as: UTF8.self)
        for bad in [good.replacingOccurrences(of: "\"dilution\":0", with: "\"dilution\":0.3"),
                    good.replacingOccurrences(of: "\"model\":\"classical\"", with: "\"model\":\"multitasking\""),
                    good.replacingOccurrences(of: "\"model\":\"classical\"", with: "\"model\":\"dense\""),
                    good.replacingOccurrences(of: "\"model\":\"classical\"", with: "\"model\":\"modern\"")] {
            XCTAssertNotEqual(bad, good)
            XCTAssertThrowsError(try RecordCoding.decoder().decode(MonteCarloParameters.self, from: Data(bad.utf8)), bad)
        }
    }

    /// Validation is the family's: a multitasking network needs d ∈ (0, 1), a dense one a valid P,
    /// every family has a Plefka start; each error is one line naming the parameter.
    func testFamilyValidation() {
        func message(_ family: NetworkFamily, _ initial: InitialState = .pattern) -> String? {
            do { try MonteCarloParameters(neurons: 50, patterns: 2, initialState: initial, family: family).validate(); return nil } catch {
                return error.description
            }
        }
        XCTAssertNil(message(.classical))
        XCTAssertEqual(message(.multitasking(dilution: 1)), "--dilution must be a number in (0, 1) (got 1.0)")
        XCTAssertEqual(message(.dense(DenseSettings(order: 9))), "--p must be an integer in [2, 8] (got 9)")
        XCTAssertNil(message(.classical, .plefka))
        XCTAssertNil(message(.multitasking(dilution: 0.3), .plefka))
        XCTAssertNil(message(.dense(DenseSettings(order: 3)), .plefka))
    }
}
