/// A parameter outside its allowed range. `description` is one line naming the parameter, the
/// allowed range and the value given, e.g. `--alpha must be a number > 0 (got -1.0)`.
public struct ParameterError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The parameter as the user writes it (a CLI flag or a spec key).
    public let parameter: String
    public let allowed: String
    public let given: String
    /// The interface-neutral key, when the error comes from a ``ParameterLimit``: the spec reader
    /// renders it under the YAML key (``ParameterKey/specKey``).
    public let key: ParameterKey?

    public init(_ parameter: String, allowed: String, given: String, key: ParameterKey? = nil) {
        self.parameter = parameter; self.allowed = allowed; self.given = given; self.key = key
    }

    /// "must be ALLOWED (got GIVEN)", without the parameter's name.
    public var message: String { "must be \(allowed) (got \(given))" }

    public var description: String { "\(parameter) \(message)" }
}
