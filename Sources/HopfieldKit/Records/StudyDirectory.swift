import Foundation

/// A directory holding one study (a sweep of points run in any order, by any number of shards):
/// `study.json` ({schema, study, provenance of the first run}) and one file per finished point in
/// `points/`, each written atomically. A point already there is never recomputed, so a killed run
/// resumes, and shards anywhere that see the directory share it. Used by `fss` and `learn`.
public struct StudyDirectory<Study: Codable & Equatable & Sendable>: Sendable {
    public let directory: String
    public let schema: String
    /// The folder of the point files.
    public let pointsFolder: String

    public init(directory: String, schema: String, pointsFolder: String = "points") {
        self.directory = directory; self.schema = schema; self.pointsFolder = pointsFolder
    }

    struct Header: Codable {
        var schema: String
        var study: Study
        var provenance: RunProvenance
    }

    var studyPath: String { directory + "/study.json" }
    var pointsPath: String { directory + "/" + pointsFolder }

    /// Creates the directory for `study`, or checks that the one there holds the same study.
    public func open(_ study: Study) throws {
        if FileManager.default.fileExists(atPath: studyPath) {
            guard try read() == study else {
                throw StudyDirectoryError(directory: directory, reason: "holds another study (different parameters); use another directory")
            }
        } else {
            try AtomicFile.makeDirectory(directory)
            var data = try RecordCoding.encoder(pretty: true).encode(Header(schema: schema, study: study, provenance: .current()))
            data.append(0x0A)
            try AtomicFile.write(data, to: studyPath)
        }
        try AtomicFile.makeDirectory(pointsPath)
    }

    /// The study the directory holds.
    public func read() throws -> Study {
        guard let data = FileManager.default.contents(atPath: studyPath) else {
            throw StudyDirectoryError(directory: directory, reason: "is not a study directory (no readable study.json)")
        }
        guard let header = try? RecordCoding.decoder().decode(Header.self, from: data), header.schema == schema else {
            throw StudyDirectoryError(directory: directory, reason: "holds a study.json that is not a \(schema) study")
        }
        return header.study
    }

    /// The point file `name`, decoded, or nil when absent or unreadable.
    public func load<Point: Decodable>(_ name: String, as: Point.Type) -> Point? {
        guard let data = FileManager.default.contents(atPath: pointsPath + "/" + name) else { return nil }
        return try? RecordCoding.decoder().decode(Point.self, from: data)
    }

    public func save<Point: Encodable>(_ point: Point, as name: String) throws {
        try AtomicFile.write(try RecordCoding.encoder(pretty: false).encode(point), to: pointsPath + "/" + name)
    }
}

/// A study directory that cannot be used.
public struct StudyDirectoryError: Error, CustomStringConvertible, Sendable {
    public let directory: String
    public let reason: String
    public var description: String { "'\(directory)' \(reason)" }
}
