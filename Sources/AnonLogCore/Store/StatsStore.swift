/// Where statistics go: the seam between the recorder and a database.
///
/// The recorder asks the ledger whether a segment was ingested before and commits each
/// segment's rows together with its ledger entry, atomically. ``SQLiteStatsStore`` is the
/// implementation; ``MemoryStatsStore`` keeps everything in memory for tests.
public protocol StatsStore: AnyObject {
    /// The ledger entry of a segment, if some earlier run ingested it.
    ///
    /// - Parameter segment: The segment's identity (``LedgerEntry/segment``).
    /// - Throws: ``AnonLogError`` when the store cannot be read.
    func ledgerEntry(for segment: [UInt8]) throws(AnonLogError) -> LedgerEntry?

    /// Writes the rows of one or more segments and their ledger entries in one transaction.
    ///
    /// Nothing is written when the ledger, read inside the transaction, no longer says what the
    /// recorder saw when a segment began (another writer ingested the same lines meanwhile): the
    /// rows would count those lines twice.
    ///
    /// - Parameters:
    ///   - batch: The segments' rows and alerts.
    ///   - updates: The ledger entries to write, in order, each with the lines the ledger
    ///     covered when its segment began.
    /// - Returns: Whether the batch was written.
    /// - Throws: ``AnonLogError`` when the store cannot be written.
    func commit(_ batch: StatsBatch, updates: [LedgerUpdate]) throws(AnonLogError) -> Bool
}

/// A ledger entry to write, with what the ledger said about its segment when it began.
public struct LedgerUpdate: Sendable, Equatable {
    /// The entry to write (it replaces an earlier, shorter one).
    public var entry: LedgerEntry
    /// The lines of the segment the ledger covered when it began (0 if none).
    public var coveredBefore: Int

    public init(entry: LedgerEntry, coveredBefore: Int) {
        self.entry = entry
        self.coveredBefore = coveredBefore
    }
}

/// What the ledger knows about one ingested segment of a log.
///
/// A segment is a run of consecutive lines of one input between two flush points; its identity
/// is a keyed MAC of the line before it and its first line, so the same lines replayed from a
/// file or a pipe have the same identity and are not counted again.
public struct LedgerEntry: Sendable, Equatable {
    /// 16 bytes: the segment's identity.
    public var segment: [UInt8]
    /// Lines of the segment counted, from its first.
    public var lines: Int
    /// 16 bytes: a keyed digest of those lines, to check that a replay holds the same lines.
    public var digest: [UInt8]
    /// Whether the segment ended at a flush point (rather than at the end of its input).
    public var isComplete: Bool
    /// The input's name, for people.
    public var source: String
    /// The record times of the segment's first and last timed lines.
    public var firstTime: Int64?
    public var lastTime: Int64?
    /// Lines in a known format, events counted and alerts fired in the segment.
    public var recognizedLines: Int
    public var events: Int
    public var alerts: Int
    /// When it was ingested (wall clock, Unix seconds).
    public var ingestedAt: Int64

    public init(
        segment: [UInt8], lines: Int, digest: [UInt8], isComplete: Bool, source: String, firstTime: Int64?, lastTime: Int64?,
        recognizedLines: Int, events: Int, alerts: Int, ingestedAt: Int64
    ) {
        self.segment = segment
        self.lines = lines
        self.digest = digest
        self.isComplete = isComplete
        self.source = source
        self.firstTime = firstTime
        self.lastTime = lastTime
        self.recognizedLines = recognizedLines
        self.events = events
        self.alerts = alerts
        self.ingestedAt = ingestedAt
    }
}

/// A stats store in memory, for tests of the recorder: it keeps every committed batch.
public final class MemoryStatsStore: StatsStore {
    private(set) var ledger: [[UInt8]: LedgerEntry] = [:]
    private(set) var batches: [StatsBatch] = []

    public init() {}

    public func ledgerEntry(for segment: [UInt8]) throws(AnonLogError) -> LedgerEntry? { ledger[segment] }

    public func commit(_ batch: StatsBatch, updates: [LedgerUpdate]) throws(AnonLogError) -> Bool {
        var written = ledger
        for update in updates {
            guard (written[update.entry.segment]?.lines ?? 0) == update.coveredBefore else { return false }
            written[update.entry.segment] = update.entry
        }
        ledger = written
        batches.append(batch)
        return true
    }

    /// Every alert committed.
    public var alerts: [StatsAlert] { batches.flatMap(\.alerts) }
    /// HTTP requests committed.
    public var requests: Int64 { batches.reduce(0) { $0 + $1.traffic.reduce(0) { $0 + $1.hits } } }
}
