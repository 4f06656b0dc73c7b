import Foundation

/// A file that cannot be created: the one-line reason, for exit code 73 (EX_CANTCREAT).
public struct OutputFileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
    public var description: String { "--output '\(path)' cannot be written: \(reason)" }
}

/// Writes that are all or nothing: the bytes go to a temporary file in the target's directory,
/// which is then renamed over the target (rename(2) is atomic within a file system). A reader
/// sees the old file or the new one, never a partial one, and a killed writer leaves at most a
/// `.tmp` file that no reader takes for a result.
public enum AtomicFile {
    /// Checks, before any work, that `path`'s directory exists and accepts a new file, by creating
    /// and removing a probe there. Leaves nothing behind.
    public static func checkWritable(_ path: String) throws(OutputFileError) {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw OutputFileError(path: path, reason: "it is a directory")
        }
        let directory = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            throw OutputFileError(path: path, reason: "directory '\(directory.path)' does not exist")
        }
        let probe = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).probe")
        guard FileManager.default.createFile(atPath: probe.path, contents: nil) else {
            throw OutputFileError(path: path, reason: "directory '\(directory.path)' is not writable")
        }
        try? FileManager.default.removeItem(at: probe)
    }

    /// Writes `data` to `path` atomically (temporary file, fsync, rename).
    public static func write(_ data: Data, to path: String) throws(OutputFileError) {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw OutputFileError(path: path, reason: String(cString: strerror(errno))) }
        var ok = data.withUnsafeBytes { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        ok = ok && fsync(fd) == 0
        let closed = close(fd) == 0
        guard ok, closed, rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw OutputFileError(path: path, reason: reason)
        }
    }
}
