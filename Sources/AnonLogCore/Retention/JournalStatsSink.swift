/// A statistics sink without a database: one line per ingested raw log (identity, lines,
/// bytes, name) in a text file, replaced atomically on each ingestion.
///
/// It keeps no buckets, so it deletes no rows. It exists to check exactly-once ingestion from
/// outside a process (the archive crash test reads it) and as a record on hosts without the
/// statistics store.
public final class JournalStatsSink: ArchiveStatsSink {
    /// The journal file.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The ingested raw logs: identity and line count, in order.
    public func entries() throws(AnonLogError) -> [(identity: SourceIdentity, lines: Int)] {
        guard ArchiveFileSystem.exists(path) else { return [] }
        let text = String(decoding: try ArchiveFileSystem.readFile(path), as: UTF8.self)
        var entries: [(identity: SourceIdentity, lines: Int)] = []
        for (number, line) in text.split(separator: "\n").enumerated() {
            let fields = line.split(separator: "\t")
            guard fields.count >= 2, let identity = SourceIdentity(parsing: String(fields[0])), let lines = Int(fields[1]) else {
                throw AnonLogError(.dataError, "damaged statistics journal entry", location: .init(path: path, line: number + 1))
            }
            entries.append((identity, lines))
        }
        return entries
    }

    public func ingest(_ source: ArchivedSource) throws(AnonLogError) -> StatsIngestion {
        if try entries().contains(where: { $0.identity == source.identity }) { return .alreadyIngested }
        var text = ArchiveFileSystem.exists(path) ? try ArchiveFileSystem.readFile(path) : []
        text += Array("\(source.identity)\t\(source.counts.lines)\t\(source.counts.bytesIn)\t\(source.relativePath)\n".utf8)
        try ArchiveFileSystem.replace(path, with: text)
        return .ingested
    }

    public func deleteRows(olderThan cutoff: Int64, class: StatisticsClass) throws(AnonLogError) -> Int { 0 }

    public func holdings(of class: StatisticsClass) throws(AnonLogError) -> StatisticsHolding? { nil }
}
