#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The archive's statistics in the SQLite stats store, the one `anonlog` records into.
///
/// Each raw log gets its own ``StatsRecorder`` on its own connection: the jobs that archive in
/// parallel record at once, and the store keeps their writes apart (write-ahead log, write
/// transactions that wait for each other, see ``SQLiteStatsStore``). A recorder commits its
/// segments with their ledger entries while the raw log is read, so ``ingest(_:)`` only confirms
/// what it did. Rows are deleted and counted on the sink's own connection, each class in one
/// transaction.
public final class SQLiteArchiveStatsSink: ArchiveStatsSink {
    /// The store's file.
    public let path: String
    private let configuration: StatsConfiguration
    /// For deleting and counting rows; `nil` when the store does not exist (and was not to be
    /// created).
    private let store: SQLiteStatsStore?

    /// - Parameters:
    ///   - path: The SQLite file.
    ///   - configuration: The detection rules' parameters and memory bounds.
    ///   - creating: Create the store (and its directory) if it does not exist, to record into;
    ///     otherwise a missing store holds nothing and records nothing.
    /// - Throws: ``AnonLogError`` when the store cannot be opened or created, or is from a newer
    ///   anonlog.
    public init(path: String, configuration: StatsConfiguration = StatsConfiguration(), creating: Bool) throws(AnonLogError) {
        self.path = path
        self.configuration = configuration
        store = creating || access(path, F_OK) == 0 ? try SQLiteStatsStore(path: path) : nil
    }

    /// A recorder on a connection of its own.
    ///
    /// - Throws: ``AnonLogError`` when the store cannot be opened, or was not created.
    public func makeRecorder(keys: KeyRecord) throws(AnonLogError) -> StatsRecorder? {
        guard store != nil else {
            throw AnonLogError(.noInput, "there is no statistics store to record into", location: .init(path: path))
        }
        return StatsRecorder(store: try SQLiteStatsStore(path: path), keys: keys, configuration: configuration) { Int64(time(nil)) }
    }

    /// Confirms what the raw log's recorder committed: ``StatsIngestion/alreadyIngested`` when
    /// every line was in the store before (a run that died after recording it).
    ///
    /// - Throws: ``AnonLogError`` when no recorder read the raw log (there was no key to read it
    ///   with): its statistics are not in the store.
    public func ingest(_ source: ArchivedSource) throws(AnonLogError) -> StatsIngestion {
        guard let recorded = source.recorded else {
            throw AnonLogError(
                .usage, "its statistics are not recorded yet, and recording them needs the key: anonlog archive will",
                location: .init(path: source.sourcePath))
        }
        let before = recorded.linesAlreadyIngested + recorded.linesIngestedConcurrently
        return recorded.linesCounted == 0 && before > 0 ? .alreadyIngested : .ingested
    }

    public func deleteRows(olderThan cutoff: Int64, class statisticsClass: StatisticsClass) throws(AnonLogError) -> Int {
        try store?.deleteRows(olderThan: cutoff, class: statisticsClass) ?? 0
    }

    public func holdings(of statisticsClass: StatisticsClass, olderThan cutoff: Int64?) throws(AnonLogError) -> StatisticsHolding? {
        try store?.holdings(of: statisticsClass, olderThan: cutoff)
    }
}
