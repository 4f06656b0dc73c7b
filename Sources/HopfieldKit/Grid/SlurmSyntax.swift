import Foundation

/// What sbatch accepts, checked before a script is written.
public enum SlurmSyntax {
    /// A time limit as Slurm takes it: `M`, `M:S`, `H:M:S`, `D-H`, `D-H:M`, `D-H:M:S`, or
    /// `UNLIMITED`/`INFINITE`; minutes and seconds after the first field are below 60, hours after
    /// a day count below 24. Returns the limit in seconds (nil for no limit).
    public static func timeLimit(_ text: String) throws(ParameterError) -> Int? {
        let bad = ParameterError("--time", allowed: "a Slurm time limit: M, M:S, H:M:S, D-H, D-H:M or D-H:M:S (minutes and seconds < 60, hours < 24 after a day count), or UNLIMITED", given: "'\(text)'")
        if ["UNLIMITED", "INFINITE"].contains(text.uppercased()) { return nil }
        func number(_ s: Substring) -> Int? { s.isEmpty || s.count > 7 || !s.allSatisfy(\.isASCII) || !s.allSatisfy(\.isNumber) ? nil : Int(s) }
        var days = 0
        var clock = Substring(text)
        if let dash = text.firstIndex(of: "-") {
            guard let d = number(text[..<dash]) else { throw bad }
            days = d
            clock = text[text.index(after: dash)...]
        }
        let fields = clock.split(separator: ":", omittingEmptySubsequences: false).map(number)
        guard !fields.isEmpty, fields.count <= 3, fields.allSatisfy({ $0 != nil }) else { throw bad }
        let v = fields.map { $0! }
        let seconds: Int
        if text.contains("-") {
            // D-H, D-H:M, D-H:M:S
            guard v[0] < 24, v.dropFirst().allSatisfy({ $0 < 60 }) else { throw bad }
            seconds = days * 86400 + v[0] * 3600 + (v.count > 1 ? v[1] * 60 : 0) + (v.count > 2 ? v[2] : 0)
        } else {
            // M, M:S, H:M:S
            guard v.dropFirst().allSatisfy({ $0 < 60 }) else { throw bad }
            switch v.count {
            case 1: seconds = v[0] * 60
            case 2: seconds = v[0] * 60 + v[1]
            default: seconds = v[0] * 3600 + v[1] * 60 + v[2]
            }
        }
        guard seconds > 0 else { throw bad }
        return seconds
    }

    /// A path written into a script: an absolute path without characters that sbatch directives
    /// or the shell would read differently (newlines and other control characters, `"`, `%`,
    /// which Slurm expands in --output names). The error names `flag`.
    public static func checkPath(_ path: String, flag: String) throws(ParameterError) {
        guard !path.isEmpty, path.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F && $0 != "\"" && $0 != "%" }) else {
            throw ParameterError(flag, allowed: "a path without control characters, '\"' or '%' (they cannot be written safely into an sbatch script)", given: "'\(path.debugDescription.dropFirst().dropLast())'")
        }
    }
}
