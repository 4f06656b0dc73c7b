/// A parameter outside its allowed range. `description` is one line naming the parameter, the
/// allowed range and the value given, e.g. `--alpha must be > 0 (got -1.0)`.
public struct ParameterError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The parameter as the user writes it (a CLI flag or a spec key).
    public let parameter: String
    public let allowed: String
    public let given: String

    public init(_ parameter: String, allowed: String, given: String) {
        self.parameter = parameter; self.allowed = allowed; self.given = given
    }

    public var description: String { "\(parameter) must be \(allowed) (got \(given))" }
}
