import Foundation

/// One Monte Carlo run as written to disk: every parameter, the seed and how streams derive from
/// it, the version, and the results. Keys are snake_case; the schema is versioned by `schema`.
///
/// The observables sit at the top level under their physics names (`m`, `q`, `r`, `energy`, …),
/// each an object with `mean`, `error`, `tau`, `sample_spread`, `samples`, `measurements`, `bins`,
/// as the theory records carry `m`, `q`, `r` at the top level: one schema for both.
public struct MonteCarloRecord: Sendable, Equatable, Codable {
    public static let schemaIdentifier = "hopsim.record/1"

    public var schema: String
    /// "mc" for Monte Carlo (theory records will say which solver).
    public var kind: String
    public var version: String
    public var parameters: MonteCarloParameters
    public var seed: SeedProvenance
    /// Threads used; never changes a number, recorded for the wall time.
    public var threads: Int
    public var wallSeconds: Double
    public var observables: MonteCarloObservables
    public var flipRate: Double
    public var overlapStorage: OverlapWidth
    public var perSample: [MonteCarloResult.SampleSummary]
    public var warnings: [String]
    /// Multitasking networks: the state's kind and the rule used (absent for binary patterns).
    public var state: MultitaskingState?
    /// Build, host, date and command line of the run (absent in records written before it existed).
    public var provenance: RunProvenance?

    private enum CodingKeys: String, CodingKey {
        case schema, kind, version, parameters, seed, threads, wallSeconds, flipRate, overlapStorage
        case perSample, warnings, state, provenance
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decode(String.self, forKey: .schema)
        guard schema == Self.schemaIdentifier else {
            throw DecodingError.dataCorruptedError(forKey: .schema, in: c,
                debugDescription: "record schema '\(schema)' is not '\(Self.schemaIdentifier)'")
        }
        kind = try c.decode(String.self, forKey: .kind)
        version = try c.decode(String.self, forKey: .version)
        parameters = try c.decode(MonteCarloParameters.self, forKey: .parameters)
        seed = try c.decode(SeedProvenance.self, forKey: .seed)
        threads = try c.decode(Int.self, forKey: .threads)
        wallSeconds = try c.decode(Double.self, forKey: .wallSeconds)
        flipRate = try c.decode(Double.self, forKey: .flipRate)
        overlapStorage = try c.decode(OverlapWidth.self, forKey: .overlapStorage)
        perSample = try c.decode([MonteCarloResult.SampleSummary].self, forKey: .perSample)
        warnings = try c.decode([String].self, forKey: .warnings)
        state = try c.decodeIfPresent(MultitaskingState.self, forKey: .state)
        provenance = try c.decodeIfPresent(RunProvenance.self, forKey: .provenance)
        observables = try MonteCarloObservables(from: decoder)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(kind, forKey: .kind)
        try c.encode(version, forKey: .version)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(seed, forKey: .seed)
        try c.encode(threads, forKey: .threads)
        try c.encode(wallSeconds, forKey: .wallSeconds)
        try c.encode(flipRate, forKey: .flipRate)
        try c.encode(overlapStorage, forKey: .overlapStorage)
        try c.encode(perSample, forKey: .perSample)
        try c.encode(warnings, forKey: .warnings)
        try c.encodeIfPresent(state, forKey: .state)
        try c.encodeIfPresent(provenance, forKey: .provenance)
        try observables.encode(to: encoder)
    }

    public struct SeedProvenance: Sendable, Equatable, Codable {
        public var master: UInt64
        public var derivation: String
    }

    public init(result: MonteCarloResult, threads: Int, wallSeconds: Double) {
        schema = Self.schemaIdentifier
        kind = "mc"
        version = HopsimVersion.string
        parameters = result.parameters
        seed = SeedProvenance(master: result.parameters.seed, derivation: StreamKey.derivationScheme)
        self.threads = threads
        self.wallSeconds = wallSeconds
        observables = result.observables
        flipRate = result.flipRate
        overlapStorage = result.overlapStorage
        perSample = result.perSample
        warnings = result.warnings
        state = result.state
        provenance = .current()
    }

    /// The record as one line of JSON (sorted keys, so equal records give equal bytes).
    public func jsonLine() throws -> String {
        String(decoding: try RecordCoding.encoder(pretty: false).encode(self), as: UTF8.self)
    }
}

/// The JSON conventions of every hopsim record.
public enum RecordCoding {
    public static func encoder(pretty: Bool) -> JSONEncoder {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                                    : [.sortedKeys, .withoutEscapingSlashes]
        // A non-finite number (a diverged residual, an undefined free energy) is written as a
        // string, so the record is never lost for it.
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // Dates (shard states) as ISO 8601 in UTC, as in `provenance.date`.
        e.dateEncodingStrategy = .iso8601
        return e
    }

    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // ISO 8601, or the seconds since 2001-01-01 that shard states held before 0.2.0.
        d.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            if let seconds = try? c.decode(Double.self) { return Date(timeIntervalSinceReferenceDate: seconds) }
            let text = try c.decode(String.self)
            guard let date = ISO8601DateFormatter().date(from: text) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(text)' is not an ISO 8601 date")
            }
            return date
        }
        return d
    }
}
