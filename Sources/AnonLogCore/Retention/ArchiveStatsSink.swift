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

    public init(
        identity: SourceIdentity, sourcePath: String, relativePath: String, outputPath: String,
        counts: AnonymizationCounts, written: ContentTally.Summary
    ) {
        self.identity = identity
        self.sourcePath = sourcePath
        self.relativePath = relativePath
        self.outputPath = outputPath
        self.counts = counts
        self.written = written
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

/// How many rows of a class a store holds, and the oldest one's time.
public struct StatisticsHolding: Sendable, Equatable {
    public var rows: Int
    /// The start of the oldest row's bucket (Unix time), if there are rows.
    public var oldest: Int64?

    public init(rows: Int, oldest: Int64?) {
        self.rows = rows
        self.oldest = oldest
    }
}

/// Where the archive job sends statistics: the seam to the statistics store.
///
/// The job calls ``ingest(_:)`` once per archived raw log, after the anonymized output is
/// verified, in place and recorded in the manifest, and before the raw log may be deleted.
/// A crash between the ingestion and the manifest noting it makes the next run call
/// ``ingest(_:)`` again for the same ``ArchivedSource/identity``: the store must recognise the
/// identity (in the same transaction as the rows) and answer
/// ``StatsIngestion/alreadyIngested``. That is what makes ingestion exactly-once.
///
/// Calls come from one thread at a time.
public protocol ArchiveStatsSink: AnyObject {
    /// Adds the statistics of one archived raw log, unless they were added before.
    ///
    /// - Throws: ``AnonLogError`` when the store cannot be written; the raw log is then kept
    ///   and the next run tries again.
    func ingest(_ source: ArchivedSource) throws(AnonLogError) -> StatsIngestion

    /// Deletes the rows of `class` whose bucket ends before `cutoff`.
    ///
    /// - Returns: The number of rows deleted.
    func deleteRows(olderThan cutoff: Int64, class: StatisticsClass) throws(AnonLogError) -> Int

    /// The rows of `class` held now, or `nil` when the store keeps no such rows.
    func holdings(of class: StatisticsClass) throws(AnonLogError) -> StatisticsHolding?
}

/// The sink used when no statistics store is configured: nothing is recorded or held.
public final class NoStatisticsSink: ArchiveStatsSink {
    public init() {}
    public func ingest(_ source: ArchivedSource) throws(AnonLogError) -> StatsIngestion { .ingested }
    public func deleteRows(olderThan cutoff: Int64, class: StatisticsClass) throws(AnonLogError) -> Int { 0 }
    public func holdings(of class: StatisticsClass) throws(AnonLogError) -> StatisticsHolding? { nil }
}
