import Foundation

/// One analytic prediction checked against simulation extrapolated to N = ∞.
public struct VerificationResult: Sendable, Codable {
    public var prediction: String
    public var source: String
    /// The N = ∞ theory value.
    public var theory: Double
    /// The simulated value extrapolated to N = ∞ (or a size-free statistic: a crossing of two sizes).
    public var extrapolated: Double
    /// Its statistical error (jackknife over disorder samples).
    public var error: Double
    /// (extrapolated − theory)/error; nil when the error is zero.
    public var z: Double?
    /// The sizes simulated.
    public var sizes: [Int]
    /// |z| ≤ 3 and nothing makes the comparison unreliable.
    public var agrees: Bool
    /// `agrees`, `DISAGREES` (|z| > 3), or `INCONCLUSIVE` (a zero or undefined error, or a value
    /// whose own diagnostics say it is not to be trusted; see ``unreliable``).
    public var verdict: String
    /// How the value was obtained: the fitted form and its χ²/dof, or the crossing used.
    public var method: String
    /// Warnings of the fit and statements about what the data can and cannot tell.
    public var notes: [String]

    /// The tolerance: 3 standard errors, nothing else.
    public static let tolerance = 3.0

    /// `unreliable`: the reasons, if any, why the value cannot be judged (they make the verdict
    /// INCONCLUSIVE, which fails `verify` as a disagreement does).
    init(prediction: String, source: String, theory: Double, extrapolated: Double, error: Double, sizes: [Int],
         method: String, notes: [String], unreliable: [String] = []) {
        self.prediction = prediction; self.source = source; self.theory = theory; self.extrapolated = extrapolated
        self.error = error; self.sizes = sizes; self.method = method; self.notes = notes
        z = error > 0 && error.isFinite && theory.isFinite && extrapolated.isFinite ? (extrapolated - theory) / error : nil
        var problems = unreliable
        if z == nil { problems.append(error == 0 ? "zero error: no z can be given" : "no finite value or error") }
        if problems.isEmpty {
            agrees = abs(z!) <= Self.tolerance
            verdict = agrees ? "agrees" : "DISAGREES"
        } else {
            agrees = false
            verdict = "INCONCLUSIVE"
            self.notes += problems.map { "inconclusive: \($0)" }
        }
    }
}

/// The curated suite behind `hopsim verify`: textbook predictions, each compared with simulation
/// extrapolated to N = ∞ by finite-size scaling (``FiniteSizeAnalysis``), or with a size-free
/// statistic (the crossing of two sizes, ``SizeCrossing``), in units of its own jackknife error;
/// tolerance 3σ and no other allowance. The checks are listed in ``checks(quick:)``.
public enum Verification {
    /// One check: the finite-size studies it runs and how its verdicts follow from their samples.
    public struct Check {
        public var name: String
        public var studies: [FiniteSizeStudy]
        let judge: ([[FiniteSizeSample]]) throws -> [VerificationResult]
    }

    /// Runs every check; `progress` gets each verdict as a line, `fraction` the share of the
    /// planned Monte Carlo work done.
    public static func run(quick: Bool, threads: Int, progress: (@Sendable (String) -> Void)? = nil,
                           fraction: (@Sendable (Double) -> Void)? = nil) throws -> [VerificationResult] {
        let checks = try checks(quick: quick)
        let total = max(checks.flatMap(\.studies).map(operations).reduce(0, +), 1)
        var done = 0.0
        var results: [VerificationResult] = []
        for check in checks {
            var samples: [[FiniteSizeSample]] = []
            for study in check.studies {
                let before = done
                let work = operations(study)
                samples.append(try FiniteSizeRun.run(study, store: nil, threads: threads,
                                                     progress: fraction.map { f in { @Sendable x in f((before + x * work) / total) } }))
                done += work
            }
            for r in try check.judge(samples) {
                results.append(r)
                progress?("\(r.agrees ? "ok  " : r.verdict == "INCONCLUSIVE" ? "??  " : "FAIL") \(r.prediction)")
            }
        }
        return results
    }

    /// Neuron·pattern operations of every sample of a study.
    static func operations(_ study: FiniteSizeStudy) -> Double {
        study.neurons.reduce(0) { $0 + study.operations(neurons: $1) * Double(study.samples(neurons: $1)) }
    }

    /// The suite's wall time on `threads` threads, estimated from this machine: a shortened run of
    /// one sample of each check's largest size (about 0.1 s) gives that check's speed in operations
    /// per second per thread; the check's work is divided by it and by the threads (its samples are
    /// independent points). Returns (estimate, seconds measuring).
    public static func estimate(quick: Bool, threads: Int) throws -> (seconds: Double, measuring: Double) {
        let clock = DispatchTime.now().uptimeNanoseconds
        var seconds = 0.0
        for check in try checks(quick: quick) {
            guard let first = check.studies.first, let n = first.neurons.last else { continue }
            let probe = first.parameters(neurons: n).probe(seconds: 0.1, rate: GridRun.assumedOperationsPerSecond, samples: 1)
            let t = DispatchTime.now().uptimeNanoseconds
            _ = try MonteCarloRun.run(probe, threads: 1)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - t) * 1e-9
            let rate = probe.operations / max(elapsed, 1e-9)
            seconds += check.studies.map(operations).reduce(0, +) / rate / Double(max(threads, 1))
        }
        return (seconds, Double(DispatchTime.now().uptimeNanoseconds - clock) * 1e-9)
    }

    /// The verdict on one observable of one study: extrapolated with `omega`, against `theory`.
    static func extrapolate(_ prediction: String, source: String, samples: [FiniteSizeSample], observable: String,
                            omega: OmegaChoice, theory: Double, study: FiniteSizeStudy, why: String? = nil) -> VerificationResult {
        let estimator = SampleEstimator.mean(observable)
        let o = FiniteSizeAnalysis.analyse(FiniteSizeAnalysis.sizeSamples(samples, estimator), estimator: estimator,
                                           omega: omega, theory: theory)
        guard let e = o.extrapolated else {
            return VerificationResult(prediction: prediction, source: source, theory: theory, extrapolated: .nan, error: .nan,
                                      sizes: study.neurons, method: "no extrapolation possible", notes: o.warnings)
        }
        // The fit's own diagnostics beyond chance at the level of the whole suite: χ² rejecting the
        // form at p < 0.001, or the extrapolation moving by more than 3σ without the smallest size.
        var unreliable: [String] = []
        if let p = e.pValue, p < 0.001 { unreliable.append(String(format: "χ² rejects the fitted form (p = %.2g)", p)) }
        if let shift = o.dropShift, shift > 3 { unreliable.append(String(format: "dropping the smallest size moves θ_∞ by %.1fσ", shift)) }
        let form = e.model == "inverse-size" ? "1/N" : (e.fit.omegaFitted ? String(format: "N^−ω, ω = %.2f ± %.2f", e.omega, e.omegaError ?? .nan) : String(format: "N^−%g", e.omega))
        let chi = e.chi2Dof.map { String(format: ", χ²/dof = %.2f", $0) } ?? ""
        let samplesText = study.neurons.map { String(study.samples(neurons: $0)) }.joined(separator: "/")
        return VerificationResult(
            prediction: prediction, source: source, theory: theory, extrapolated: e.mean, error: e.error, sizes: study.neurons,
            method: "θ_∞ + a·\(form)\(chi) (\(why ?? e.choice)); samples \(samplesText)",
            notes: o.warnings, unreliable: unreliable)
    }
}
