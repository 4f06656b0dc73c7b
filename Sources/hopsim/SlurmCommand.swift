import ArgumentParser
import Foundation
import HopfieldKit

/// `hopsim grid slurm`: sbatch scripts for a job array over the shards and a merge job after it.
struct GridSlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm", abstract: "Write sbatch scripts: a job array of shards and a merge job chained with afterok.",
        discussion: """
            Writes DIR/slurm/shards.sbatch (array task I runs `grid run --shard I/N` with \
            --threads $SLURM_CPUS_PER_TASK), DIR/slurm/merge.sbatch and DIR/slurm/submit.sh, which \
            submits the array and then the merge with --dependency=afterok. Nothing site-specific is \
            written unless given (partition, account, memory, QOS). Shards receive SIGUSR1 \
            --signal-lead seconds before their time limit and stop cleanly (exit 75); resubmit the \
            failed tasks with `sbatch --array=<ids> DIR/slurm/shards.sbatch`, then the merge.
            """)
    @Argument(help: "Grid spec (YAML or JSON).") var spec: String
    @Option(name: .customLong("out"), help: "Grid directory (shared by all tasks).") var directory: String
    @OptionGroup(title: "Slurm") var slurm: SlurmOptions

    func validate() throws {
        guard !directory.isEmpty else { throw ValidationError("--out must be a directory path (got '')") }
        do {
            try SlurmSyntax.checkPath(URL(fileURLWithPath: directory).standardizedFileURL.path, flag: "--out")
            try SlurmSyntax.checkPath(URL(fileURLWithPath: spec).standardizedFileURL.path, flag: "spec")
        } catch { throw error.validationError }
    }

    func run() throws {
        let grid = try loadSpec(spec)
        let shards = slurm.shards
        // Before anything is written: one array task per shard, each with at least one point.
        do { try Sharding.checkCount(shards, points: grid.points.count, flag: "--shards") } catch { throw error.validationError }
        let dir = URL(fileURLWithPath: directory).standardizedFileURL
        let specPath = URL(fileURLWithPath: spec).standardizedFileURL.path
        let q = SlurmOptions.quoted
        let slurmDir = try slurm.write(
            directory: dir, jobName: "hopsim-\(grid.name)",
            arrayComment: "hopsim grid '\(grid.name)': \(grid.points.count) points in \(shards) shards (one array task each).",
            arrayCommand: { binary in "grid run \(q(specPath)) --out \(q(dir.path)) \\\n  --shard \"${SLURM_ARRAY_TASK_ID}/\(shards)\" --threads \"${SLURM_CPUS_PER_TASK:-1}\"" },
            finalName: "merge", finalComment: "Merges hopsim grid '\(grid.name)' once every shard has succeeded.",
            finalCommand: { _ in "grid merge \(q(dir.path))" })
        let plan = GridRun(spec: grid, directory: dir.path).plan()
        let loads = Sharding.assign(plan, shards: shards).map { members in
            members.reduce(0.0) { $0 + plan[$1].estimatedSeconds } / Double(slurm.cpusPerTask)
        }
        print("wrote \(slurmDir.path)/shards.sbatch, merge.sbatch, submit.sh")
        print(String(format: "%d points in %d shards; estimated %.3g to %.3g s per shard on %d CPU(s); submit with: bash %@/submit.sh",
                     grid.points.count, shards, loads.min() ?? 0, loads.max() ?? 0, slurm.cpusPerTask, slurmDir.path))
    }
}

/// The Slurm settings of a job array and the job that runs after it (`grid slurm`, `fss slurm`), and
/// the scripts they give: DIR/slurm/shards.sbatch (array task I runs shard I/N), DIR/slurm/<final>.sbatch
/// and DIR/slurm/submit.sh, which submits the array and then the final job with --dependency=afterok.
struct SlurmOptions: ParsableArguments {
    @Option(parsing: .unconditional, transform: Parse.integer("--shards", allowed: "an integer ≥ 1")) var shards: Int
    @Option(help: "Time limit per task, Slurm syntax (e.g. 04:00:00).") var time = "01:00:00"
    @Option(parsing: .unconditional, transform: Parse.integer("--cpus-per-task", allowed: "an integer ≥ 1")) var cpusPerTask = 1
    @Option(help: "Partition (omitted: the cluster's default).") var partition: String?
    @Option(help: "Account (omitted: your default).") var account: String?
    @Option(help: "Memory per task, Slurm syntax (omitted: the default).") var mem: String?
    @Option(help: "QOS (omitted: the default).") var qos: String?
    @Option(parsing: .unconditional, help: "Most array tasks running at once (%-limit; omitted: no limit).",
            transform: Parse.integer("--max-running", allowed: "an integer ≥ 1")) var maxRunning: Int?
    @Option(parsing: .unconditional, help: "Seconds before the time limit at which shards get SIGUSR1.",
            transform: Parse.integer("--signal-lead", allowed: "an integer in [10, 65535]")) var signalLead = 300
    @Option(help: "hopsim executable the jobs run (default: this one).") var hopsim: String?

    func validate() throws {
        guard shards >= 1 else { throw ValidationError("--shards must be an integer ≥ 1 (got \(shards))") }
        guard (1...4096).contains(cpusPerTask) else { throw ValidationError("--cpus-per-task must be an integer in [1, 4096] (got \(cpusPerTask))") }
        do {
            _ = try SlurmSyntax.timeLimit(time)
            if let hopsim { try SlurmSyntax.checkPath(hopsim, flag: "--hopsim") }
        } catch { throw error.validationError }
        guard (10...65535).contains(signalLead) else { throw ValidationError("--signal-lead must be an integer in [10, 65535] (got \(signalLead))") }
        if let maxRunning, maxRunning < 1 || maxRunning > 1_000_000 { throw ValidationError("--max-running must be an integer in [1, 1000000] (got \(maxRunning))") }
        for (flag, value) in [("--time", time), ("--partition", partition ?? "x"), ("--account", account ?? "x"),
                              ("--mem", mem ?? "x"), ("--qos", qos ?? "x")] {
            guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || "-_:.,".contains($0) }) else {
                throw ValidationError("\(flag) must be a Slurm word of letters, digits and -_:., (got '\(value)')")
            }
        }
    }

    /// The scripts of a study directory (`fss`, `learn`): the array runs `hopsim <command> shard DIR
    /// --shard I/N`, the final job `hopsim <command> <finalVerb> DIR --format json --plot DIR/figures
    /// > DIR/<command>.json`; prints what was written.
    func writeStudy(directory dir: URL, command: String, finalVerb: String, points: Int, what: String) throws {
        let q = Self.quoted
        let slurmDir = try write(
            directory: dir, jobName: "hopsim-\(command)",
            arrayComment: "hopsim \(command): \(what) in \(shards) shards.",
            arrayCommand: { _ in "\(command) shard \(q(dir.path)) --shard \"${SLURM_ARRAY_TASK_ID}/\(shards)\" --threads \"${SLURM_CPUS_PER_TASK:-1}\"" },
            finalName: finalVerb, finalComment: "Runs hopsim \(command) \(finalVerb) once every shard has succeeded.",
            finalCommand: { _ in "\(command) \(finalVerb) \(q(dir.path)) --format json --plot \(q(dir.appendingPathComponent("figures").path)) > \(q(dir.appendingPathComponent("\(command).json").path))" })
        print("wrote \(slurmDir.path)/shards.sbatch, \(finalVerb).sbatch, submit.sh")
        print("\(points) points in \(shards) shards; submit with: bash \(slurmDir.path)/submit.sh")
    }

    /// A word for the shell, in single quotes.
    static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Writes the three scripts into `directory`/slurm (with logs/) and returns that folder.
    /// `arrayCommand` and `finalCommand` get the executable and return the hopsim arguments.
    func write(directory dir: URL, jobName: String, arrayComment: String, arrayCommand: (String) -> String,
               finalName: String, finalComment: String, finalCommand: (String) -> String) throws -> URL {
        let slurmDir = dir.appendingPathComponent("slurm")
        try AtomicFile.makeDirectory(slurmDir.path)
        try AtomicFile.makeDirectory(slurmDir.appendingPathComponent("logs").path)
        let binary = try hopsim.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? GridSlurmCommand.runningExecutable()
        let q = Self.quoted
        var common = ["#SBATCH --time=\(time)"]
        if let partition { common.append("#SBATCH --partition=\(partition)") }
        if let account { common.append("#SBATCH --account=\(account)") }
        if let mem { common.append("#SBATCH --mem=\(mem)") }
        if let qos { common.append("#SBATCH --qos=\(qos)") }
        let array = "0-\(shards - 1)" + (maxRunning.map { "%\($0)" } ?? "")
        let shardsScript = """
        #!/bin/bash
        # \(arrayComment)
        #SBATCH --job-name=\(jobName)
        #SBATCH --array=\(array)
        #SBATCH --cpus-per-task=\(cpusPerTask)
        #SBATCH --output="\(slurmDir.path)/logs/%x_%A_%a.out"
        #SBATCH --error="\(slurmDir.path)/logs/%x_%A_%a.err"
        #SBATCH --signal=B:USR1@\(signalLead)
        \(common.joined(separator: "\n"))
        set -euo pipefail
        # exec: hopsim itself receives Slurm's SIGUSR1 and SIGTERM and stops cleanly (exit 75).
        exec \(q(binary)) \(arrayCommand(binary))

        """
        let finalScript = """
        #!/bin/bash
        # \(finalComment)
        #SBATCH --job-name=\(jobName)-\(finalName)
        #SBATCH --cpus-per-task=1
        #SBATCH --output="\(slurmDir.path)/logs/%x_%j.out"
        #SBATCH --error="\(slurmDir.path)/logs/%x_%j.err"
        \(common.joined(separator: "\n"))
        set -euo pipefail
        exec \(q(binary)) \(finalCommand(binary))

        """
        let submit = """
        #!/bin/bash
        # Submits the shard array, then the \(finalName) job, which runs only if every shard succeeds.
        set -euo pipefail
        here=$(cd "$(dirname "$0")" && pwd)
        array=$(sbatch --parsable "$here/shards.sbatch")
        array=${array%%;*}
        \(finalName)=$(sbatch --parsable --dependency=afterok:"$array" --kill-on-invalid-dep=yes "$here/\(finalName).sbatch")
        echo "submitted shards as job $array and the \(finalName) as job ${\(finalName)%%;*}"

        """
        for (name, text) in [("shards.sbatch", shardsScript), ("\(finalName).sbatch", finalScript), ("submit.sh", submit)] {
            let path = slurmDir.appendingPathComponent(name).path
            try AtomicFile.write(Data(text.utf8), to: path)
            chmod(path, 0o755)
        }
        return slurmDir
    }
}

extension GridSlurmCommand {
    /// The absolute path of this executable (/proc/self/exe), so that the jobs run the same hopsim
    /// whether it was started by path or found on PATH.
    static func runningExecutable() throws -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 { return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        if let path = Bundle.main.executablePath { return URL(fileURLWithPath: path).standardizedFileURL.path }
        throw ValidationError("--hopsim must be given: the path of this executable cannot be found")
    }
}
