import ArgumentParser
import HopfieldKit

/// Parsers for numeric options that name the option and its allowed range when the text is not a
/// number (ArgumentParser prefixes: "The value 'abc' is invalid for '--alpha <alpha>': ...").
enum Parse {
    static func double(_ flag: String, allowed: String) -> @Sendable (String) throws -> Double {
        { text in
            guard let value = Double(text), value.isFinite else {
                throw ParameterError(flag, allowed: allowed, given: "'\(text)'")
            }
            return value
        }
    }

    static func integer(_ flag: String, allowed: String) -> @Sendable (String) throws -> Int {
        { text in
            guard let value = Int(text) else { throw ParameterError(flag, allowed: allowed, given: "'\(text)'") }
            return value
        }
    }

    /// A number, named and described by its limit (the range is checked where the value is used).
    static func double(_ limit: ParameterLimit<Double>) -> @Sendable (String) throws -> Double {
        double(limit.key.flag, allowed: limit.allowed)
    }

    /// An integer, named and described by its limit (the range is checked where the value is used).
    static func integer(_ limit: ParameterLimit<Int>) -> @Sendable (String) throws -> Int {
        integer(limit.key.flag, allowed: limit.allowed)
    }

    static func seed(_ text: String) throws -> UInt64 {
        guard let value = UInt64(text) else {
            throw ParameterError("--seed", allowed: "an integer in [0, 2^64 − 1]", given: "'\(text)'")
        }
        return value
    }
}

extension Dynamics: ExpressibleByArgument {}
extension UpdateOrder: ExpressibleByArgument {}
extension PatternLayout: ExpressibleByArgument {}
extension PlefkaUpdate: ExpressibleByArgument {}

/// How results are printed on stdout.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json, csv

    /// Refuses csv for a command whose output has no table form (it used to print text silently).
    func requireTextOrJSON(_ command: String) throws {
        if self == .csv { throw ValidationError("--format must be text or json for \(command) (got csv)") }
    }
}

/// `--init` values; `noisy` takes its flip fraction from `--flip-fraction`.
enum InitialStateName: String, CaseIterable, ExpressibleByArgument {
    case pattern, random, noisy, plefka
}

extension ParameterError {
    /// As an ArgumentParser validation error (exit 64, message printed on one line).
    var validationError: ValidationError { ValidationError(description) }
}
