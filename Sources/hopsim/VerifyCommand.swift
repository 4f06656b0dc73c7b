import ArgumentParser
import Foundation
import HopfieldKit

/// `hopsim verify`: textbook predictions, simulation against theory.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Re-derive textbook results: simulation against theory, with a verdict per prediction.",
        discussion: """
            Each prediction is compared with simulation extrapolated to N = ∞ (hopsim fss: θ_∞ + a·N^(−ω), \
            jackknife errors over disorder samples) or with a size-free statistic (the crossing of two \
            sizes), in units of its own error: it agrees when |z| ≤ 3, with no other allowance. \
            A value whose own diagnostics say it cannot be judged (zero error; χ² rejecting the fitted form \
            at p < 0.001; moving by more than 3σ without the smallest size; a crossing lost in more than \
            5 % of the leave-one-out sets) is INCONCLUSIVE. \
            Exit status 0 when every prediction agrees, 1 otherwise. --quick runs smaller sizes (under a minute) with wider errors.
            """)
    @Flag(help: "Smaller sizes and fewer samples (under a minute; wider errors).") var quick = false
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var progressOptions: ProgressOptions
    var threads: Int { threading.threads }
    @Option(help: "stdout format: text | json.") var format: OutputFormat = .text

    func validate() throws {
        try format.requireTextOrJSON("hopsim verify")
    }

    func run() throws {
        // An estimate measured on this machine first, then each check's verdict as it comes and
        // the share of the planned Monte Carlo work done, with ETA.
        let progress = ProgressReporter(label: "hopsim verify", quiet: progressOptions.quiet)
        if progress.enabled {
            let estimate = try Verification.estimate(quick: quick, threads: threads)
            let time = estimate.seconds < 60 ? String(format: "%.1f s", estimate.seconds) : ProgressReporter.duration(estimate.seconds)
            progress.note(String(format: "estimated %@ on %d threads, besides %.1f s measuring this machine's speed", time, threads, estimate.measuring))
        }
        let results = try Verification.run(quick: quick, threads: threads, progress: { line in progress.note(line) },
                                           fraction: { f in progress.report(f) })
        progress.finish()
        if format == .json {
            print(try TheoryOutput.jsonLines(results), terminator: "")
        } else {
            print("prediction | source | theory | N → ∞ ± error | z | sizes | verdict")
            for r in results {
                let z = r.z.map { String(format: "%+.2f", $0) } ?? "–"
                print(String(format: "%@ | %@ | %.6g | %.6g ± %.2g | %@ | %@ | %@", r.prediction, r.source, r.theory, r.extrapolated,
                             r.error, z, r.sizes.map(String.init).joined(separator: ","), r.verdict))
                print("    how: \(r.method)")
                for note in r.notes { print("    note: \(note)") }
            }
            let passed = results.filter(\.agrees).count
            let inconclusive = results.filter { $0.verdict == "INCONCLUSIVE" }.count
            print("\(passed) passed, \(results.count - passed - inconclusive) failed, \(inconclusive) inconclusive")
        }
        if results.contains(where: { !$0.agrees }) { throw ExitCode(1) }
    }
}
