import Foundation

/// The point records of a grid directory: which are valid, moving corrupt ones aside, and the
/// per-point lock that keeps two processes from computing the same point.
extension GridRun {
    /// A point record that exists but cannot be used: its file and why.
    public struct CorruptPoint: Error, CustomStringConvertible, Sendable, Codable, Equatable {
        public var file: String
        public var reason: String
        public var description: String { "\(file): \(reason)" }
    }

    /// What is on disk for one point record.
    enum PointFileState: Equatable {
        case absent
        case valid
        case corrupt(String)
    }

    /// Checks the record of `kind` ("mc", "plefka" or "rs") for `point`: readable, and a Monte Carlo
    /// or Plefka record computed for exactly this point's parameters (and Plefka settings).
    func pointFileState(_ kind: String, _ point: GridSpec.Point) -> PointFileState {
        let url = pointFile(kind, point.index)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return FileManager.default.fileExists(atPath: url.path) ? .corrupt("cannot be read") : .absent
        }
        do {
            if kind == "mc" {
                let record = try RecordCoding.decoder().decode(MonteCarloRecord.self, from: data)
                guard record.parameters == spec.monteCarloParameters(point) else {
                    return .corrupt("its parameters are not this point's (another spec)")
                }
            } else if kind == "plefka" {
                let record = try RecordCoding.decoder().decode(PlefkaRecord.self, from: data)
                let a = record.approximation, settings = spec.plefkaSettings
                guard record.parameters == spec.monteCarloParameters(point), a.order == settings.order.rawValue,
                      a.damping == settings.damping, a.tolerance == settings.tolerance,
                      // A parallel record needs a spec asking for parallel sweeps. A sequential record under
                      // a parallel spec comes from an engine without a parallel sweep (dense P ≠ 3), which
                      // runs sequential sweeps whatever the spec asks (spec.json pins the rest).
                      a.update != .parallel || settings.update == .parallel else {
                    return .corrupt("its parameters are not this point's (another spec)")
                }
            } else {
                _ = try spec.contract.theoryRows(data, point: point, spec: spec)
            }
            return .valid
        } catch {
            return .corrupt(Self.reason(error, bytes: data.count))
        }
    }

    /// A decoding failure in words.
    static func reason(_ error: Error, bytes: Int) -> String {
        if bytes == 0 { return "empty file" }
        switch error as? DecodingError {
        case .dataCorrupted: return "not valid JSON (truncated or damaged, \(bytes) bytes)"
        case .keyNotFound(let key, _): return "not a hopsim record (no '\(key.stringValue)')"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "not a hopsim record (\(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type)"
        default: return "\(error)".split(whereSeparator: \.isNewline).first.map(String.init) ?? "unreadable"
        }
    }

    /// Moves a corrupt record to DIR/points/corrupt/ (kept for inspection, never read again) and
    /// says where it went.
    func quarantine(_ kind: String, _ point: GridSpec.Point, reason: String) throws -> CorruptPoint {
        let url = pointFile(kind, point.index)
        let aside = pointsDirectory.appendingPathComponent("corrupt")
        try AtomicFile.makeDirectory(aside.path)
        let target = aside.appendingPathComponent("\(url.lastPathComponent).\(Int(Date().timeIntervalSince1970)).\(getpid())")
        guard rename(url.path, target.path) == 0 else {
            throw OutputFileError(path: url.path, reason: "cannot be moved aside: \(String(cString: strerror(errno)))")
        }
        return CorruptPoint(file: url.lastPathComponent, reason: "\(reason); moved to points/corrupt/\(target.lastPathComponent) and recomputed")
    }

    /// An exclusive, non-blocking lock on one point (flock on DIR/points/KIND-NNNNNN.lock): nil when
    /// another process holds it. Released by ``unlock(_:)`` (or when the process dies).
    func lock(_ kind: String, _ point: GridSpec.Point) throws -> PointLock? {
        let path = pointFile(kind, point.index).deletingPathExtension().appendingPathExtension("lock").path
        let fd = Foundation.open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputFileError(path: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        return PointLock(fd: fd, path: path)
    }

    struct PointLock {
        let fd: Int32
        let path: String
    }

    func unlock(_ lock: PointLock) {
        unlink(lock.path)
        close(lock.fd)
    }
}
