import AnonLogCore
import ArgumentParser
import Foundation

/// The policy, the archive and the key, shared by `archive` and `retention`.
struct ArchivePolicyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The retention policy (TOML; see SampleLogs/policy.toml).", valueName: "path"))
    var policy: String

    @Option(help: ArgumentHelp("The archive directory (default: the policy's [archive] output).", valueName: "dir"))
    var out: String?

    @Option(
        name: .customLong("key-file"),
        help: ArgumentHelp(
            "The key file (default: the policy's key_file, then $ANONLOG_KEY_FILE, then the default key).",
            valueName: "path"))
    var keyFile: String?

    /// The policy, read and checked.
    func loadPolicy() throws(ExitCode) -> RetentionPolicy {
        try reportingErrors { () throws(AnonLogError) in try RetentionPolicy.load(from: policy) }
    }

    /// The configuration for a run: the directories, the key file, now.
    ///
    /// - Parameters:
    ///   - source: The source directory given on the command line, if any.
    ///   - needsKey: Whether the key itself is loaded (to archive), or only its path (to shred).
    func configuration(policy: RetentionPolicy, source: String?, needsKey: Bool) throws(ExitCode) -> ArchiveConfiguration {
        guard let archive = out ?? policy.archiveDirectory else {
            StandardError.print("anonlog: name the archive directory with --out or in the policy's [archive] output")
            throw ExitCode(AnonLogError.Code.usage.exitStatus)
        }
        var configuration = ArchiveConfiguration(
            sourceDirectory: source ?? policy.sourceDirectory, archiveDirectory: archive, policy: policy,
            now: Int64(Date().timeIntervalSince1970))
        let environment = ProcessEnvironment.current()
        let explicit = keyFile ?? policy.keyFile
        if needsKey {
            let resolved = try reportingErrors { () throws(AnonLogError) -> KeyFile.ResolvedKey in
                let template = KeyTemplate(mode: policy.mode ?? .hmac, rotation: policy.rotation ?? .none)
                return try KeyFile.resolve(explicitPath: explicit, environment: environment, creating: template)
            }
            if resolved.wasCreated {
                StandardError.print("anonlog: created a new key at \(resolved.path); back it up to keep pseudonyms stable")
            }
            configuration.keys = try reportingErrors { () throws(AnonLogError) -> KeyRecord in
                try KeySettingsCheck.settle(resolved.record, mode: policy.mode, rotation: policy.rotation)
            }
            configuration.keyFile = resolved.path
        } else if let explicit {
            configuration.keyFile = explicit
        } else if let named = environment[KeyFile.environmentVariable], !named.isEmpty {
            configuration.keyFile = named
        } else if let path = try? KeyFile.defaultPath(environment: environment), FileManager.default.fileExists(atPath: path) {
            configuration.keyFile = path
        }
        if let text = environment["ANONLOG_TEST_CRASH_AT"] {
            guard let points = ArchiveCrashPoints(parsing: text) else {
                StandardError.print("anonlog: ANONLOG_TEST_CRASH_AT names no step: \(text)")
                throw ExitCode(AnonLogError.Code.usage.exitStatus)
            }
            configuration.crashPoints = points
        }
        return configuration
    }

    /// The key of an existing key file, if it can be read and suits the policy: `retention
    /// apply` needs it only to record statistics an interrupted archive run left pending.
    func existingKey(_ configuration: ArchiveConfiguration) -> KeyRecord? {
        guard let path = configuration.keyFile, let record = try? KeyFile.load(from: path) else { return nil }
        return try? KeySettingsCheck.settle(record, mode: configuration.policy.mode, rotation: configuration.policy.rotation)
    }

    /// The statistics store the policy names (`[statistics] store`, else the default store), or
    /// no sink when the policy turns statistics off.
    ///
    /// - Parameter creating: Create the store to record into (`archive`); otherwise a missing
    ///   store holds nothing (`retention`).
    func statisticsSink(policy: RetentionPolicy, creating: Bool) throws(ExitCode) -> any ArchiveStatsSink {
        guard policy.statisticsEnabled else { return NoStatisticsSink() }
        return try reportingErrors { () throws(AnonLogError) -> any ArchiveStatsSink in
            guard let path = policy.statisticsStore ?? (try? StatsStoreLocation.defaultPath(environment: ProcessEnvironment.current())) else {
                throw AnonLogError(
                    .usage, "cannot find the default stats store: set HOME or XDG_STATE_HOME, or name one in the policy's [statistics] store",
                    location: .init(path: policy.path))
            }
            return try SQLiteArchiveStatsSink(path: path, creating: creating)
        }
    }
}

/// Printing shared by `archive` and `retention apply`.
enum ArchiveReportPrinter {
    /// The plan, one action per line, on standard output.
    static func printPlan(_ plan: ArchivePlan, configuration: ArchiveConfiguration) {
        for candidate in plan.toArchive {
            let deletion = candidate.deleteOnceArchived ? " (then delete the raw log: past its window)" : ""
            print("archive  \(candidate.relativePath) -> \(candidate.outputRelativePath)\(deletion)")
        }
        for skip in plan.skipped {
            print("skip     \(skip.relativePath): \(skip.reason)")
        }
        for identity in plan.pendingStatistics {
            print("ingest   statistics of \(identity) (left pending by an interrupted run)")
        }
        for deletion in plan.rawDeletions {
            print("delete   raw log \(deletion.relativePath) (archived, past \(configuration.policy.window(.rawLogs)?.description ?? "?"))")
        }
        for expiry in plan.outputExpiries {
            print("expire   anonymized log \(expiry.outputRelativePath) (past \(configuration.policy.window(.anonymizedLogs)?.description ?? "?"))")
        }
        for expiry in plan.rowExpiries {
            print("expire   statistics rows (\(expiry.statisticsClass.rawValue)) before \(LogTimestamp.format(expiry.cutoff))")
        }
        if let shred = plan.keyShred {
            let first = shred.rotation.describe(epoch: shred.fromEpoch)
            let last = shred.rotation.describe(epoch: shred.toEpoch - 1)
            print("shred    \(shred.toEpoch - shred.fromEpoch) key epochs, \(first) to \(last), in \(shred.keyFile)")
        }
        for note in plan.notes {
            print("note     \(note)")
        }
        if plan.isEmpty { print("nothing to do") }
    }

    /// Errors and the summary on standard error: always on a terminal, and under cron only
    /// when something failed.
    static func finish(_ report: ArchiveReport, reportJSON: String?, verbose: Bool) throws(ExitCode) {
        let status = report.exitStatus
        let failed = status != 0 && status != ArchiveReport.ExitStatus.nothingToDo
        if failed || verbose || isatty(2) == 1 {
            if let pid = report.lockTakenOverFrom {
                StandardError.print("anonlog: took over the stale lock of process \(pid), which is no longer running")
            }
            for error in report.errors { StandardError.report(error) }
            StandardError.print(report.summaryLine)
        }
        if let reportJSON {
            do {
                try OutputFile.write(report.json, to: reportJSON)
            } catch {
                StandardError.report(error)
                throw ExitCode(error.code.exitStatus)
            }
        }
        if status != 0 { throw ExitCode(status) }
    }
}
