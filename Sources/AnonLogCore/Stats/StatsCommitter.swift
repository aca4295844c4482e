/// Writes the recorder's held segments to an SQLite store on a thread of its own, in the order
/// they are handed over, so that counting the next hour's lines goes on while SQLite writes the
/// last hour's rows.
///
/// The store is then used by that thread alone. The recorder asks the ledger through a second,
/// read-only connection: it sees every commit that has ended, and ``heldUpdate(for:)`` answers
/// for the segments handed over and not yet written, so a question gets the answer it would get
/// had every earlier commit ended before it was asked. At most ``maximumQueued`` commits wait:
/// a store slower than the lines holds the recorder back instead of letting memory grow.
final class StatsCommitter: @unchecked Sendable {
    /// One commit: the rows of the held segments and their ledger entries.
    struct Job {
        var batch: StatsBatch
        var updates: [LedgerUpdate]
        /// Lines counted, events and alerts in it (for the report).
        var lines: Int
        var events: Int
        var alerts: Int
    }

    /// What the commits since the last ``drain()`` did.
    struct Outcome {
        var segmentsWritten = 0
        var linesCounted = 0
        var events = 0
        var alerts = 0
        var linesIngestedConcurrently = 0
        /// The first store error; no later commit is tried.
        var failure: AnonLogError?
    }

    static let maximumQueued = 2
    /// The read-only connection for the recorder's ledger questions.
    let ledger: SQLiteStatsStore
    private let store: any StatsStore
    private let lock = ConditionLock()
    private var queue: [Job] = []
    private var isStopping = false
    private var outcome = Outcome()
    private var thread: WorkerThread?

    // @unchecked Sendable: `store` is used by the commit thread only, every other field with
    // `lock` held.

    /// A committer for `store`, when it is an SQLite file a second connection can read.
    static func make(for store: any StatsStore) -> StatsCommitter? {
        guard let sqlite = store as? SQLiteStatsStore, let ledger = try? SQLiteStatsStore(path: sqlite.path, readOnly: true) else {
            return nil
        }
        return StatsCommitter(store: store, ledger: ledger)
    }

    private init(store: any StatsStore, ledger: SQLiteStatsStore) {
        self.store = store
        self.ledger = ledger
    }

    /// Hands a commit over; waits while ``maximumQueued`` are waiting already.
    func submit(_ job: Job) {
        lock.withLock {
            while queue.count >= Self.maximumQueued { lock.wait() }
            queue.append(job)
            if thread == nil {
                thread = WorkerThread { [self] in
                    WorkerThread.blockStopSignals()
                    run()
                }
            }
            lock.broadcast()
        }
    }

    /// The last ledger update handed over and not yet written for `segment`.
    func heldUpdate(for segment: [UInt8]) -> LedgerUpdate? {
        lock.withLock {
            for job in queue.reversed() {
                if let update = job.updates.last(where: { $0.entry.segment == segment }) { return update }
            }
            return nil
        }
    }

    /// The first commit error so far, if any.
    var failure: AnonLogError? { lock.withLock { outcome.failure } }

    /// Waits for every commit handed over, and hands over what they did.
    func drain() -> Outcome {
        lock.withLock {
            while !queue.isEmpty { lock.wait() }
            defer {
                let failure = outcome.failure
                outcome = Outcome()
                outcome.failure = failure
            }
            return outcome
        }
    }

    /// Ends the commit thread once the commits handed over are written.
    func stop() {
        let running = lock.withLock { () -> WorkerThread? in
            isStopping = true
            lock.broadcast()
            return thread
        }
        running?.join()
    }

    // MARK: - The commit thread

    private func run() {
        while true {
            let next = lock.withLock { () -> Job? in
                while queue.isEmpty && !isStopping { lock.wait() }
                // The job stays queued while it is written: heldUpdate(for:) still sees it.
                return queue.first
            }
            guard let job = next else { return }
            var result = Outcome()
            if failure == nil {
                do throws(AnonLogError) {
                    if try store.commit(job.batch, updates: job.updates) {
                        result.segmentsWritten = job.updates.count
                        result.linesCounted = job.lines
                        result.events = job.events
                        result.alerts = job.alerts
                    } else {
                        result.linesIngestedConcurrently = job.lines
                    }
                } catch {
                    result.failure = error
                }
            }
            lock.withLock {
                queue.removeFirst()
                outcome.segmentsWritten += result.segmentsWritten
                outcome.linesCounted += result.linesCounted
                outcome.events += result.events
                outcome.alerts += result.alerts
                outcome.linesIngestedConcurrently += result.linesIngestedConcurrently
                if outcome.failure == nil { outcome.failure = result.failure }
                lock.broadcast()
            }
        }
    }
}
