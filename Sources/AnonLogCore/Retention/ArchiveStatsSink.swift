/// A raw log the archive job has made durable, as the statistics store is told about it.
public struct ArchivedSource: Sendable {
    /// Identifies the raw log across runs and renames: the key for exactly-once ingestion.
    public var identity: SourceIdentity
    /// The raw log, still in place when ``ArchiveStatsSink/ingest(_:)`` is called (it is deleted
    /// only after the ingestion is recorded), so a store may read it with the real addresses.
    public var sourcePath: String
    /// Its path relative to the source directory.
    public var relativePath: String
    /// The verified anonymized file in the archive.
    public var outputPath: String
    /// What anonymizing it did (lines by format, drops, bytes).
    public var counts: AnonymizationCounts
    /// What was written: lines, bytes and checksum.
    public var written: ContentTally.Summary
    /// What the recorder from ``ArchiveStatsSink/makeRecorder(keys:)`` did with the raw log's
    /// lines (committed to the store), or `nil` when the sink made none.
    public var recorded: StatsIngestionReport?

    public init(
        identity: SourceIdentity, sourcePath: String, relativePath: String, outputPath: String,
        counts: AnonymizationCounts, written: ContentTally.Summary, recorded: StatsIngestionReport? = nil
    ) {
        self.identity = identity
        self.sourcePath = sourcePath
        self.relativePath = relativePath
        self.outputPath = outputPath
        self.counts = counts
        self.written = written
        self.recorded = recorded
    }
}

/// What an ingestion did.
public enum StatsIngestion: Sendable, Equatable {
    /// The source's statistics were added.
    case ingested
    /// The store already had them (an earlier run ingested them and then died before it could
    /// record that); nothing was added.
    case alreadyIngested
}

/// How many rows of a class a store holds, the oldest one's time, and how many are past the
/// class's window.
public struct StatisticsHolding: Sendable, Equatable {
    public var rows: Int
    /// The start of the oldest row's bucket (Unix time), if there are rows.
    public var oldest: Int64?
    /// Rows whose bucket ended before the window's cutoff, when one was given.
    public var overdue: Int?

    public init(rows: Int, oldest: Int64?, overdue: Int? = nil) {
        self.rows = rows
        self.oldest = oldest
        self.overdue = overdue
    }
}

/// Where the archive job sends statistics: the seam to the statistics store.
///
/// A sink that records lines hands the job a ``StatsRecorder`` per raw log
/// (``makeRecorder(keys:)``); the job records the lines with it while it anonymizes them, so
/// the raw log is read once. The recorder writes each segment's rows with its ledger entry in
/// one transaction, so lines recorded before a crash are recognised when the next run reads
/// the raw log again, and not counted twice.
///
/// The job then calls ``ingest(_:)`` once per archived raw log, after the anonymized output is
/// verified, in place and recorded in the manifest, and before the raw log may be deleted. A
/// crash between the ingestion and the manifest noting it makes the next run read the raw log
/// again (its lines are already in the store) and call ``ingest(_:)`` again for the same
/// ``ArchivedSource/identity``: the answer is then ``StatsIngestion/alreadyIngested``. That is
/// what makes ingestion exactly-once.
///
/// Calls come from one thread at a time; each recorder is used by one job at a time.
public protocol ArchiveStatsSink: AnyObject {
    /// A recorder for the lines of one raw log, or `nil` when the sink needs none.
    ///
    /// - Parameter keys: The key the raw log is anonymized with (pseudonyms in the statistics
    ///   are those of the archived log).
    /// - Throws: ``AnonLogError`` when the store cannot be opened; the raw log is then archived
    ///   without its statistics, which the next run records.
    func makeRecorder(keys: KeyRecord) throws(AnonLogError) -> StatsRecorder?

    /// Adds the statistics of one archived raw log, unless they were added before, or confirms
    /// what its recorder added (``ArchivedSource/recorded``).
    ///
    /// - Throws: ``AnonLogError`` when the store cannot be written; the raw log is then kept
    ///   and the next run tries again.
    func ingest(_ source: ArchivedSource) throws(AnonLogError) -> StatsIngestion

    /// Deletes the rows of `class` whose bucket ends before `cutoff`.
    ///
    /// - Returns: The number of rows deleted.
    func deleteRows(olderThan cutoff: Int64, class: StatisticsClass) throws(AnonLogError) -> Int

    /// The rows of `class` held now, or `nil` when the store keeps no such rows.
    ///
    /// - Parameter cutoff: The class's window measured back from now, to count overdue rows.
    func holdings(of class: StatisticsClass, olderThan cutoff: Int64?) throws(AnonLogError) -> StatisticsHolding?
}

extension ArchiveStatsSink {
    /// No recorder: the sink takes its statistics in ``ingest(_:)``.
    public func makeRecorder(keys: KeyRecord) throws(AnonLogError) -> StatsRecorder? { nil }
}

/// The sink used when statistics are off: nothing is recorded or held.
public final class NoStatisticsSink: ArchiveStatsSink {
    public init() {}
    public func ingest(_ source: ArchivedSource) throws(AnonLogError) -> StatsIngestion { .ingested }
    public func deleteRows(olderThan cutoff: Int64, class: StatisticsClass) throws(AnonLogError) -> Int { 0 }
    public func holdings(of class: StatisticsClass, olderThan cutoff: Int64?) throws(AnonLogError) -> StatisticsHolding? { nil }
}
