import Foundation

extension GridRun {
    /// Why a directory cannot be merged: one line per problem kind, the points named.
    public struct MergeError: Error, CustomStringConvertible {
        public var problems: [String]
        public var description: String { problems.joined(separator: "; ") }
    }

    /// Opens a directory written by `grid run`, with the spec it holds.
    public static func open(directory: String) throws -> GridRun {
        let url = URL(fileURLWithPath: directory).appendingPathComponent("spec.json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw MergeError(problems: ["'\(directory)' holds no spec.json: not a grid directory"])
        }
        let spec: GridSpec
        do { spec = try RecordCoding.decoder().decode(GridSpec.self, from: data) } catch {
            throw MergeError(problems: ["'\(url.path)' cannot be read as a grid spec"])
        }
        return GridRun(spec: spec, directory: directory)
    }

    /// Checks that every point of the spec is present exactly once, readable, computed by this
    /// version from this very spec (the parameters in each Monte Carlo record must equal the
    /// spec's for that point; each theory record's α and T the point's), and that no stray point
    /// file is there; then writes the merged mc.csv, rs.csv and grid.json. Safe to re-run; writes
    /// nothing when a check fails.
    public func validatedMerge() throws -> Summary {
        var missing: [String] = [], unreadable: [String] = [], foreign: [String] = [], stray: [String] = []
        let decoder = RecordCoding.decoder()
        // Plefka records exist only at T > 0.
        let expected = Set(spec.points.flatMap { p in
            spec.compute.filter { $0 != .plefka || p.temperature > 0 }.map { "\($0.rawValue)-\(String(format: "%06d", p.index)).json" }
        })
        let present = (try? FileManager.default.contentsOfDirectory(atPath: pointsDirectory.path)) ?? []
        for name in present where name.hasSuffix(".json") && !expected.contains(name) { stray.append(name) }
        for point in spec.points {
            if spec.compute.contains(.mc) {
                let name = "mc-\(String(format: "%06d", point.index))"
                if let data = FileManager.default.contents(atPath: pointFile("mc", point.index).path) {
                    do {
                        let record = try decoder.decode(MonteCarloRecord.self, from: data)
                        if record.parameters != spec.monteCarloParameters(point) || record.version != HopsimVersion.string {
                            foreign.append(name)
                        }
                    } catch { unreadable.append("\(name) (\(Self.reason(error, bytes: data.count)))") }
                } else { missing.append(name) }
            }
            if spec.compute.contains(.plefka), point.temperature > 0 {
                let name = "plefka-\(String(format: "%06d", point.index))"
                switch pointFileState("plefka", point) {
                case .absent: missing.append(name)
                case .corrupt(let why) where why.contains("another spec"): foreign.append(name)
                case .corrupt(let why): unreadable.append("\(name) (\(why))")
                case .valid:
                    if let data = FileManager.default.contents(atPath: pointFile("plefka", point.index).path),
                       let record = try? decoder.decode(PlefkaRecord.self, from: data), record.version != HopsimVersion.string {
                        foreign.append(name)
                    }
                }
            }
            if spec.compute.contains(.rs) {
                let name = "rs-\(String(format: "%06d", point.index))"
                if FileManager.default.fileExists(atPath: pointFile("rs", point.index).path) {
                    let rows: [TidyRow]?
                    do { rows = try theoryRows(point) } catch {
                        unreadable.append("\(name) (\((error as? CorruptPoint)?.reason ?? "\(error)"))")
                        continue
                    }
                    if let rows {
                        let dilution = spec.family(at: point.x).dilution
                        if rows.contains(where: { spec.axisValue($0) != point.x || $0.temperature != point.temperature
                                                  || $0.model != spec.model.rawValue || $0.dilution != dilution }) {
                            foreign.append(name)
                        }
                    } else { unreadable.append(name) }
                } else { missing.append(name) }
            }
        }
        func list(_ items: [String]) -> String {
            items.prefix(8).joined(separator: ", ") + (items.count > 8 ? " and \(items.count - 8) more" : "")
        }
        var problems: [String] = []
        if !missing.isEmpty { problems.append("\(missing.count) point record(s) missing: \(list(missing)) (run the shards that own them)") }
        if !unreadable.isEmpty { problems.append("\(unreadable.count) unreadable: \(list(unreadable))") }
        if !foreign.isEmpty {
            problems.append("\(foreign.count) record(s) from another spec or hopsim version (mixed specs are not merged): \(list(foreign))")
        }
        if !stray.isEmpty { problems.append("\(stray.count) file(s) that belong to no point of this spec: \(list(stray))") }
        guard problems.isEmpty else { throw MergeError(problems: problems) }
        var summary = try merge()
        // In a merge every Monte Carlo record is taken as found: all of them count as reused.
        summary.monteCarloReused = spec.compute.contains(.mc) ? spec.points.count : 0
        try AtomicFile.write(try RecordCoding.encoder(pretty: true).encode(summary), to: directory.appendingPathComponent("grid.json").path)
        return summary
    }

    /// Progress of a grid directory, per shard.
    public struct ShardStatus: Sendable, Codable {
        public var shard: Int
        public var shards: Int
        public var state: String
        public var host: String?
        public var updated: Date?
        public var points: Int
        public var done: Int
        public var missing: [Int]
        /// Points whose theory did not converge.
        public var failed: [Int]
        /// Points with a Monte Carlo checkpoint (partly computed).
        /// Point records that exist but cannot be used (file and reason); `grid run` recomputes them.
        public var corrupt: [String]
        public var checkpointed: [Int]
    }

    /// Done / running / missing / failed points per shard, from what is on disk. With no shard
    /// files, the whole grid is reported as one shard.
    public func status() throws -> [ShardStatus] {
        let shardsDir = directory.appendingPathComponent("shards")
        let decoder = RecordCoding.decoder()
        var states: [ShardState] = ((try? FileManager.default.contentsOfDirectory(atPath: shardsDir.path)) ?? [])
            .sorted().compactMap { name in
                FileManager.default.contents(atPath: shardsDir.appendingPathComponent(name).path)
                    .flatMap { try? decoder.decode(ShardState.self, from: $0) }
            }
        // Only the most common shard count is current (an old split leaves files of another count).
        if let count = Dictionary(grouping: states, by: \.shards).max(by: { $0.value.count < $1.value.count })?.key {
            states = states.filter { $0.shards == count }
        }
        let shardCount = states.first?.shards ?? 1
        let assignment = Sharding.assign(plan(), shards: shardCount)
        // Corrupt theory records are reported as corrupt, not as failures.
        let failed = Set(spec.points.filter { ((try? theoryRows($0)) ?? nil)?.contains { $0.failsItsPoint } ?? false }.map(\.index))
        return (0..<shardCount).map { k in
            let members = assignment[k]
            let saved = states.first { $0.shard == k }
            func done(_ i: Int) -> Bool {
                // Plefka points exist only at T > 0.
                spec.compute.allSatisfy {
                    ($0 == .plefka && spec.points[i].temperature == 0) || pointFileState($0.rawValue, spec.points[i]) == .valid
                }
            }
            var state = saved?.state ?? "not started"
            if state == "running", saved?.host == ProcessInfo.processInfo.hostName, let pid = saved?.pid, kill(pid, 0) != 0 {
                state = "dead (process \(pid) gone)"
            }
            return ShardStatus(shard: k, shards: shardCount, state: state, host: saved?.host, updated: saved?.updated,
                               points: members.count, done: members.filter(done).count,
                               missing: members.filter { !done($0) }, failed: members.filter { failed.contains($0) },
                               corrupt: members.flatMap { i in
                                   spec.compute.compactMap { kind -> String? in
                                       guard case .corrupt(let why) = pointFileState(kind.rawValue, spec.points[i]) else { return nil }
                                       return "\(pointFile(kind.rawValue, i).lastPathComponent) (\(why))"
                                   }
                               },
                               checkpointed: members.filter {
                                   FileManager.default.fileExists(atPath: pointFile("mc", $0).deletingPathExtension().appendingPathExtension("checkpoint").path)
                               })
        }
    }
}
