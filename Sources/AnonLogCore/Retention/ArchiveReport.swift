/// What an archive or retention run did, for the one-line summary, `--report-json` and the exit
/// status.
public struct ArchiveReport: Sendable {
    /// The exit statuses of the archive and retention commands besides 0 and the
    /// ``AnonLogError/Code/exitStatus`` of a failure that stopped the run.
    public enum ExitStatus {
        /// Some raw logs, deletions or statistics failed; everything else was done.
        public static let partialFailure: Int32 = 2
        /// Nothing to archive, delete or shred; nothing failed.
        public static let nothingToDo: Int32 = 3
    }

    /// One raw log the run tried to archive.
    public struct FileReport: Sendable {
        /// Relative to the source directory.
        public var source: String
        /// Relative to the archive directory.
        public var output: String
        public var counts: AnonymizationCounts
        /// What was written and verified, when the file was archived.
        public var written: ContentTally.Summary?
        /// The raw log's size as stored.
        public var bytesRead: Int64
        /// The output's size as stored.
        public var bytesWritten: Int64
        public var seconds: Double
        /// Why it was not archived (it is kept and tried again next run).
        public var error: AnonLogError?
        /// What its statistics recorder did, when the sink records lines.
        public var statistics: StatsIngestionReport? = nil
    }

    /// A file deleted (or that failed to be) at the end of its window.
    public struct Deletion: Sendable {
        public enum Kind: String, Sendable {
            case rawLog = "raw_log"
            case anonymizedLog = "anonymized_log"
        }
        public var kind: Kind
        public var path: String
        public var error: AnonLogError?
    }

    /// Whether this was a dry run (the plan was worked out, nothing was touched).
    public var dryRun = false
    /// The plan the run followed.
    public var plan = ArchivePlan()
    public var files: [FileReport] = []
    public var deletions: [Deletion] = []
    /// Raw logs whose statistics were ingested, and those the store already had.
    public var statisticsIngested = 0
    public var statisticsAlreadyIngested = 0
    /// Lines counted into the statistics store by this run (lines it had before are not).
    public var statisticsLinesCounted = 0
    /// Rows deleted per statistics class.
    public var statisticsRowsDeleted: [StatisticsClass: Int] = [:]
    /// The key epochs shredded, if any were.
    public var shredded: KeyFile.ShredResult?
    /// The process whose stale lock this run took over.
    public var lockTakenOverFrom: Int32?
    /// Failures that did not stop the run (statistics, manifest updates, shredding).
    public var problems: [AnonLogError] = []
    /// A failure that stopped the run (the lock, the manifest, the source directory).
    public var fatalError: AnonLogError?
    /// SIGINT or SIGTERM, if one stopped the run early.
    public var interruptingSignal: Int32?

    public init() {}

    /// Raw logs archived.
    public var archived: [FileReport] { files.filter { $0.error == nil } }
    /// Raw logs that could not be archived.
    public var failed: [FileReport] { files.filter { $0.error != nil } }

    /// Every error, file by file, then the others.
    public var errors: [AnonLogError] {
        files.compactMap(\.error) + deletions.compactMap(\.error) + problems + (fatalError.map { [$0] } ?? [])
    }

    /// Whether the run changed anything.
    public var didSomething: Bool {
        !archived.isEmpty || deletions.contains { $0.error == nil } || statisticsIngested > 0
            || statisticsRowsDeleted.values.contains { $0 > 0 } || shredded?.shredAny == true
    }

    /// 0 when everything succeeded; ``ExitStatus/nothingToDo`` when there was nothing to do;
    /// ``ExitStatus/partialFailure`` when something failed and the rest was done; a fatal
    /// failure's own status; 128 + the signal when interrupted.
    public var exitStatus: Int32 {
        if let fatalError { return fatalError.code.exitStatus }
        if let interruptingSignal { return 128 + interruptingSignal }
        if !errors.isEmpty { return ExitStatus.partialFailure }
        if dryRun { return plan.isEmpty ? ExitStatus.nothingToDo : 0 }
        return didSomething ? 0 : ExitStatus.nothingToDo
    }

    /// One line for a person or a cron mail.
    public var summaryLine: String {
        if dryRun {
            var parts = ["would archive \(plan.toArchive.count) files"]
            parts.append("delete \(plan.rawDeletions.count + plan.toArchive.filter(\.deleteOnceArchived).count) raw logs")
            parts.append("expire \(plan.outputExpiries.count) anonymized logs")
            if let shred = plan.keyShred { parts.append("shred \(shred.toEpoch - shred.fromEpoch) key epochs") }
            parts.append("\(plan.skipped.count) skipped")
            return "anonlog archive (dry run): " + parts.joined(separator: ", ")
        }
        let archived = archived
        let lines = archived.reduce(0) { $0 + $1.counts.lines }
        let bytes = archived.reduce(Int64(0)) { $0 + $1.bytesRead }
        var parts = ["\(archived.count) files archived (\(lines) lines, \(bytes) bytes)"]
        let failed = failed.count + deletions.filter { $0.error != nil }.count
        if failed > 0 { parts.append("\(failed) failed") }
        let skipped = plan.skipped.filter { if case .alreadyArchived = $0.reason { false } else { true } }.count
        if skipped > 0 { parts.append("\(skipped) skipped") }
        let raw = deletions.filter { $0.kind == .rawLog && $0.error == nil }.count
        let anonymized = deletions.filter { $0.kind == .anonymizedLog && $0.error == nil }.count
        if statisticsLinesCounted > 0 { parts.append("\(statisticsLinesCounted) lines counted in the statistics") }
        parts.append("\(raw) raw logs deleted")
        if anonymized > 0 { parts.append("\(anonymized) anonymized logs expired") }
        let rows = statisticsRowsDeleted.values.reduce(0, +)
        if rows > 0 { parts.append("\(rows) statistics rows expired") }
        if let shredded, shredded.shredAny { parts.append("\(shredded.retainedEpoch - shredded.previousEpoch) key epochs shredded") }
        if !problems.isEmpty { parts.append("\(problems.count) problems") }
        if let interruptingSignal { parts.append("interrupted by signal \(interruptingSignal)") }
        if !didSomething && errors.isEmpty && interruptingSignal == nil { parts = ["nothing to do"] }
        return "anonlog archive: " + parts.joined(separator: ", ")
    }

    /// The report as JSON, for `--report-json`.
    public var json: String {
        let files = files.map { file in
            JSONValue.object([
                ("source", .string(file.source)), ("output", .string(file.output)),
                ("lines", .int(file.counts.lines)), ("lines_written", .optional(file.written?.lines)),
                ("addresses", .int(file.counts.addressesReplaced)),
                ("dropped", .int(file.counts.recordsDroppedByAge + file.counts.chatLinesDropped)),
                ("bytes_in", .int(Int(file.bytesRead))), ("bytes_out", .int(Int(file.bytesWritten))),
                ("seconds", .milli(file.seconds)),
                ("counts", .object(AnonymizationReport.members(of: file.counts))),
                ("statistics", file.statistics.map { statistics in
                    .object([
                        ("lines_counted", .int(statistics.linesCounted)), ("lines_already_counted", .int(statistics.linesAlreadyIngested)),
                        ("lines_counted_by_another_process", .int(statistics.linesIngestedConcurrently)),
                        ("lines_not_verified", .int(statistics.linesNotVerified)),
                        ("lines_in_shredded_epochs", .int(statistics.linesInShreddedEpochs)), ("alerts", .int(statistics.alerts)),
                    ])
                } ?? .null),
                ("error", .optional(file.error?.description)),
            ])
        }
        let skipped = plan.skipped.map { JSONValue.object([("source", .string($0.relativePath)), ("reason", .string($0.reason.description))]) }
        let deletions = deletions.map {
            JSONValue.object([("kind", .string($0.kind.rawValue)), ("path", .string($0.path)), ("error", .optional($0.error?.description))])
        }
        let shred: JSONValue = shredded.map {
            .object([
                ("rotation", .string($0.rotation.rawValue)),
                ("epochs", .int(Int($0.retainedEpoch - $0.previousEpoch))),
                ("first", .string($0.rotation.describe(epoch: $0.previousEpoch))),
                ("oldest_left", .string($0.rotation.describe(epoch: $0.retainedEpoch))),
            ])
        } ?? .null
        let object = JSONValue.object([
            ("exit_status", .int(Int(exitStatus))), ("dry_run", .bool(dryRun)),
            ("interrupted_by_signal", .optional(interruptingSignal.map(Int.init))),
            ("files", .array(files)), ("skipped", .array(skipped)), ("deletions", .array(deletions)),
            ("statistics_ingested", .int(statisticsIngested)), ("statistics_already_ingested", .int(statisticsAlreadyIngested)),
            ("statistics_lines_counted", .int(statisticsLinesCounted)),
            ("statistics_rows_deleted", .object(StatisticsClass.allCases.map { ($0.rawValue, .int(statisticsRowsDeleted[$0] ?? 0)) })),
            ("shredded_epochs", shred), ("lock_taken_over_from", .optional(lockTakenOverFrom.map(Int.init))),
            ("notes", .array(plan.notes.map(JSONValue.string))),
            ("errors", .array(errors.map { .string($0.description) })),
        ])
        return object.text + "\n"
    }
}
