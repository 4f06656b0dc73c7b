import Foundation

/// A grid's theory on a finer (x, T) mesh than its Monte Carlo points, for figures: theory is cheap
/// where simulation is not, so a phase diagram shows the theory at its own resolution with the
/// simulated points over it. The fine mesh is a grid run of its own (`compute: [rs]`) in a
/// directory beside the grid's, so it is resumable, reused while its spec is unchanged, and solved
/// by the family's own grid theory (continuation along T, the global state among RS and 1RSB).
public enum FineTheory {
    /// The spec of the fine mesh: `spec` with `xValues` on its first axis, `temperatures`, theory only.
    public static func spec(_ spec: GridSpec, xValues: [Double], temperatures: [Double]) -> GridSpec {
        var fine = spec
        fine.name = spec.name + "-fine-theory"
        fine.compute = [.rs]
        fine.monteCarlo = GridSpec.MonteCarloSettings()     // theory does not depend on it
        if spec.hasDilutionAxis { fine.dilution = xValues } else { fine.alpha = xValues }
        fine.temperature = temperatures
        return fine
    }

    /// The tidy theory rows of `spec`'s family on xValues × temperatures, computed into
    /// `directory` or read back from it; replaced when it holds another spec or was computed by
    /// another build (DIR/fine-theory/key.json: version and git commit).
    public static func rows(spec: GridSpec, xValues: [Double], temperatures: [Double], directory: String, threads: Int,
                            progress: (@Sendable (Double, String) -> Void)? = nil) throws -> [TidyRow] {
        let fine = Self.spec(spec, xValues: xValues, temperatures: temperatures)
        let keyPath = URL(fileURLWithPath: directory).appendingPathComponent("key.json").path
        let key = try RecordCoding.encoder(pretty: true).encode(GridRun.CacheKey())
        if FileManager.default.fileExists(atPath: directory), FileManager.default.contents(atPath: keyPath) != key {
            try FileManager.default.removeItem(atPath: directory)
        }
        var run = GridRun(spec: fine, directory: directory)
        defer { if FileManager.default.fileExists(atPath: directory) { try? AtomicFile.write(key, to: keyPath) } }
        do {
            _ = try run.run(threads: threads, progress: progress)
        } catch GridRun.RunError.otherSpec {
            // Our own cache, made for another resolution or range: start it again.
            try FileManager.default.removeItem(atPath: directory)
            run = GridRun(spec: fine, directory: directory)
            _ = try run.run(threads: threads, progress: progress)
        }
        let path = run.directory.appendingPathComponent("rs.csv").path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GridRun.RunError.io("the fine theory grid wrote no '\(path)'")
        }
        return try TidyRow.parse(csv: String(decoding: data, as: UTF8.self), file: path)
    }

    /// n values from a to b, equally spaced, rounded to 12 significant digits (exact ends).
    public static func mesh(_ a: Double, _ b: Double, _ n: Int) -> [Double] {
        guard n > 1 else { return [a] }
        return (0..<n).map { k in
            if k == 0 { return a }
            if k == n - 1 { return b }
            let v = a + (b - a) * Double(k) / Double(n - 1)
            return Double(String(format: "%.12g", v))!
        }
    }
}
