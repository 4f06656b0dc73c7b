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
    /// Checks, before any work, that `path` is a non-empty path whose directory exists and accepts a
    /// new file, by creating (exclusively) and removing a probe there. Leaves nothing behind.
    public static func checkWritable(_ path: String) throws(OutputFileError) {
        guard !path.isEmpty else { throw OutputFileError(path: path, reason: "the path is empty") }
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
        let (fd, probe) = try temporary(beside: url, suffix: "probe")
        close(fd)
        unlink(probe)
    }

    /// Writes `data` to `path` atomically: an exclusively created temporary file in the same
    /// directory (mkstemp: O_CREAT|O_EXCL, so a planted file or symlink is never written through),
    /// fsync, rename over the target.
    public static func write(_ data: Data, to path: String) throws(OutputFileError) {
        guard !path.isEmpty else { throw OutputFileError(path: path, reason: "the path is empty") }
        let url = URL(fileURLWithPath: path)
        let (fd, temporary) = try temporary(beside: url, suffix: "tmp")
        fchmod(fd, 0o644)
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
        guard ok, closed, rename(temporary, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw OutputFileError(path: path, reason: reason)
        }
    }

    /// A new file `.NAME.XXXXXX.suffix` beside `url`, created exclusively (mode 0600), and its path.
    static func temporary(beside url: URL, suffix: String) throws(OutputFileError) -> (Int32, String) {
        var template = Array(url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).XXXXXX.\(suffix)").path.utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, Int32(suffix.utf8.count + 1)) }
        guard fd >= 0 else {
            throw OutputFileError(path: url.path, reason: String(cString: strerror(errno)))
        }
        return (fd, String(cString: template))
    }

    /// Whether `path` exists as a symbolic link (not followed).
    public static func isSymbolicLink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFLNK
    }

    /// Creates directory `path` (and its parents) unless it exists; refuses a symbolic link at
    /// `path`, so that hopsim never writes through a link it did not make.
    public static func makeDirectory(_ path: String) throws(OutputFileError) {
        guard !isSymbolicLink(path) else {
            throw OutputFileError(path: path, reason: "it is a symbolic link; hopsim writes only into real directories")
        }
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw OutputFileError(path: path, reason: error.localizedDescription)
        }
    }
}
