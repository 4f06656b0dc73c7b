import CGSL

/// GSL's default error handler aborts the process; hopsim checks every status instead.
enum GSLErrors {
    private static let once: Void = { _ = gsl_set_error_handler_off() }()
    static func disableAbort() { _ = once }
}
