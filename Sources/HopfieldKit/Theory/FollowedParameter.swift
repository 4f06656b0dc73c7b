/// The parameter along which a branch is followed through its folds (``ArclengthContinuation``).
public enum FollowedParameter: String, Sendable, CaseIterable, Codable {
    case alpha
    case temperature

    /// (α, T) with this parameter set to `value`.
    public func point(alpha: Double, temperature: Double, value: Double) -> (alpha: Double, temperature: Double) {
        self == .alpha ? (value, temperature) : (alpha, value)
    }
}
