/// Records statistics while logs are anonymized: one event per recognised line, built before
/// the line's addresses are replaced, fed to the detectors and the aggregates, and written to a
/// ``StatsStore`` exactly once per segment of input.
///
/// ## Segments and exactly-once ingestion
///
/// Each input is cut into segments at flush points that depend only on the lines themselves:
/// before the first line whose record time falls in a later window of
/// ``StatsConfiguration/segmentSeconds`` (aligned to the Unix epoch), after
/// ``StatsConfiguration/segmentLines`` lines, or when a straggler needs more minute buckets than
/// a segment holds; the end of an input ends its last segment too. A segment's identity is a
/// keyed MAC (``KeyPurpose/ingestion`` subkey of its first line's epoch) of a hash of the line
/// before it and of its first line. The same lines replayed, from the same file, a copy, a
/// rotated or compressed version, or a pipe, give the same segments with the same identities.
///
/// Before counting a segment the ledger is asked about its identity. A segment it knows was
/// counted up to some line: those lines are replayed through the detectors (so their state is
/// what an uninterrupted run would have) but neither counted nor alerted again; a keyed digest
/// of them is checked against the ledger's. Lines after them (a log that grew since, or the rest
/// of a stream that was interrupted) are counted. A segment's rows and its ledger entry are
/// written in one transaction: from a file, the segments of one hour of record time share a
/// transaction (and their rows are merged in memory first); from a live stream (a pipe or a
/// terminal, which may never end) every segment is committed at its flush point, that is, once
/// per window of record time.
///
/// ## Threads
///
/// Recording is split in two. What depends only on a line (its time, its hash, its event) is
/// computed by the anonymizing workers in parallel, each with its own ``EventExtractor``, into
/// their chunks' ``StatsEventBuffer``s; what depends on the order of the lines (segments, the
/// ledger, detectors, aggregates, commits) is done here, by ``consume(_:lines:)``, on one
/// thread that sees the chunks in input order. An SQLite store's commits are written by a
/// ``StatsCommitter`` thread meanwhile, in order. The results are those of one thread reading
/// the lines one by one, whatever the number of workers and the size of the chunks; the
/// ``report`` is complete when ``finishInput()`` returns.
public final class StatsRecorder {
    /// What recording did, for the summary.
    public private(set) var report = StatsIngestionReport()
    /// The first store error; recording stops at it (anonymization goes on).
    public private(set) var failure: AnonLogError?

    private let store: any StatsStore
    private let configuration: StatsConfiguration
    private let keys: KeyRecord
    private let keyring: StatsKeyring
    /// Path template texts by key, for alert evidence.
    private let evidence = TemplateDictionary()
    private let detectors: Detectors
    private let aggregates: SegmentAggregates
    /// Organizations of the autonomous systems met, from the workers' GeoIP caches.
    private var organizations: [UInt32: String] = [:]
    private let clock: () -> Int64
    /// Writes held segments on a thread of its own (an SQLite store); `nil`: written here.
    private let committer: StatsCommitter?
    /// The epoch of the last line that carried a time: the epoch of the lines without one.
    private var lastEpoch: Int64?

    // The input being read.
    private var source = "-"
    private var isLive = false
    private var lastTime: Int64?
    private var previousLineHash: UInt64 = 0

    // The open segment.
    private var isOpen = false
    private var isDead = false
    private var window: Int64 = .min
    private var identity: [UInt8] = []
    private var identityKeys: StatsEpochKeys?
    private var lines = 0
    private var contentHash: UInt64 = 0
    private var coveredLines = 0
    private var coveredDigest: [UInt8] = []
    private var firstTime: Int64?
    private var segmentLastTime: Int64?
    private var recognized = 0
    private var segmentEvents = 0

    // Closed segments whose rows are held in the aggregates, not yet committed.
    private var pending: [LedgerUpdate] = []
    private var pendingAlerts: [StatsAlert] = []
    private var pendingHour: Int64 = .min
    private var pendingEvents = 0
    private var pendingLines = 0
    private var segmentSpan = SegmentSpan()

    /// - Parameters:
    ///   - store: Where segments go.
    ///   - keys: The key file's record (the same the anonymizer uses).
    ///   - configuration: Rule parameters and memory bounds.
    ///   - clock: The wall clock in Unix seconds, for the ledger's `ingested_at`.
    public init(store: any StatsStore, keys: KeyRecord, configuration: StatsConfiguration = StatsConfiguration(), clock: @escaping () -> Int64) {
        self.store = store
        self.configuration = configuration
        self.keys = keys
        keyring = StatsKeyring(record: keys)
        detectors = Detectors(configuration: configuration, evidence: evidence)
        aggregates = SegmentAggregates(configuration: configuration)
        self.clock = clock
        committer = StatsCommitter.make(for: store)
    }

    deinit {
        committer?.stop()
    }

    /// Starts a new input: its lines form their own segments.
    ///
    /// - Parameters:
    ///   - name: The input's name for the ledger (a path, or `-`).
    ///   - isLive: Whether it is a pipe or terminal that may never end (every segment is then
    ///     committed at its flush point).
    public func beginInput(named name: String, isLive: Bool = false) {
        finishInput()
        source = name
        self.isLive = isLive
        lastTime = nil
        previousLineHash = 0
    }

    /// Ends the current input: its last segment is written (as incomplete: a later, longer
    /// version of the same input continues it).
    public func finishInput() {
        if isOpen { closeSegment(complete: false) }
        commitPending()
        drainCommitter()
    }

    /// Ends the current input after its source turned out damaged: the rows already handed to
    /// the store are written and reported, the open segment and the rows not yet handed over
    /// are dropped. The last line read may have been cut short by the damage; counted so, it
    /// would never be counted whole. A later, whole copy of the input continues after the
    /// segments that were written.
    public func abandonInput() {
        isOpen = false
        pending.removeAll(keepingCapacity: true)
        pendingAlerts.removeAll(keepingCapacity: true)
        pendingEvents = 0
        pendingLines = 0
        aggregates.reset()
        drainCommitter()
    }

    /// Waits for the commits handed to the committer thread and adds what they did to the report.
    private func drainCommitter() {
        guard let committer else { return }
        let outcome = committer.drain()
        report.segmentsWritten += outcome.segmentsWritten
        report.linesCounted += outcome.linesCounted
        report.events += outcome.events
        report.alerts += outcome.alerts
        report.linesIngestedConcurrently += outcome.linesIngestedConcurrently
        if let error = outcome.failure { fail(error) }
    }

    /// Subjects the detectors forgot to stay within their memory.
    public var detectorEvictions: Int { detectors.evictions }

    // MARK: - Lines

    /// An extractor for one worker: it computes, in parallel with the other workers, what
    /// ``consume(_:lines:)`` then counts in order.
    func makeEventExtractor() -> EventExtractor {
        EventExtractor(keys: keys, configuration: configuration)
    }

    /// Counts the records of a chunk's lines, in input order, before the next chunk's.
    ///
    /// - Parameters:
    ///   - buffer: The records an ``EventExtractor`` made of the chunk's lines.
    ///   - lines: The chunk the records point into (its raw lines).
    @_spi(Benchmarks)
    public func consume(_ buffer: StatsEventBuffer, lines: UnsafeRawBufferPointer) {
        if let committer, failure == nil, let error = committer.failure { fail(error) }
        for (asn, name) in buffer.organizations where organizations[asn] == nil { organizations[asn] = name }
        var index = 0
        while index < buffer.count, failure == nil {
            consume(buffer.records + index, from: buffer, lines: lines)
            index += 1
        }
    }

    @inline(__always)
    private func consume(_ record: UnsafePointer<StatsEventBuffer.Record>, from buffer: StatsEventBuffer, lines chunk: UnsafeRawBufferPointer) {
        let flags = record.pointee.flags
        let lineTime: Int64? = flags.contains(.hasTime) ? record.pointee.time : nil
        let epoch: Int64
        if let lineTime {
            lastTime = lineTime
            lastEpoch = record.pointee.epoch
            epoch = record.pointee.epoch
        } else {
            // The worker's last epoch may be another chunk's: take the one of the line before.
            epoch = lastEpoch ?? record.pointee.epoch
        }
        let localDay = record.pointee.localDay
        let minute = lineTime.map { StatsTime.floorDivide($0, 60) * 60 }

        // Flush points depend on the lines alone (never on what is held in memory), so that a
        // replay cuts the same segments.
        if isOpen, let lineTime {
            let lineWindow = StatsTime.floorDivide(lineTime, configuration.segmentSeconds)
            if lineWindow > window || lines >= configuration.segmentLines || !segmentSpan.admits(minute: minute!, day: localDay) {
                closeSegment(complete: true)
            }
        } else if isOpen, lines >= configuration.segmentLines {
            closeSegment(complete: true)
        }
        let lineHash = record.pointee.lineHash
        if !isOpen {
            let start = Int(record.pointee.lineStart)
            let line = UnsafeRawBufferPointer(rebasing: chunk[start..<(start + Int(record.pointee.lineCount))])
            openSegment(line, time: lineTime ?? lastTime, epoch: epoch)
        }
        lines += 1
        contentHash = StatsHash.combine(contentHash, lineHash)
        previousLineHash = lineHash
        let replayed = lines <= coveredLines
        if lines == coveredLines { verifyCoveredLines() }
        if let minute { segmentSpan.add(minute: minute, day: localDay) }
        guard !isDead else { return }
        if let time = lineTime {
            if firstTime == nil { firstTime = time }
            segmentLastTime = max(segmentLastTime ?? time, time)
        }

        guard flags.contains(.recognized) else { return }
        recognized += 1
        guard lineTime != nil else { return }
        guard flags.contains(.hasEvent) else {
            report.linesInShreddedEpochs += 1
            return
        }
        // A constant, built in place: the detectors and the aggregates borrow it. (A reused
        // stored event was copied, 424 bytes, for each of them.)
        let event = StatsEvent(record, from: buffer)
        let template = buffer.bytes(record.pointee.template)
        if event.kind == .http { evidence.remember(event.templateKey, template) }
        detectors.suppressesAlerts = replayed
        detectors.process(event)
        guard !replayed else { return }
        segmentEvents += 1
        switch event.kind {
        case .http:
            aggregates.addRequest(event, template: template)
        case .chat:
            let facts = detectors.chatMessageFacts
            aggregates.addChat(event, isFirstMessage: facts.isFirst, firstMessageDelay: facts.delay, isDuplicate: facts.isDuplicate)
        }
    }

    // MARK: - Segments

    private func openSegment(_ line: UnsafeRawBufferPointer, time: Int64?, epoch: Int64) {
        let windowStart = time.map { StatsTime.floorDivide($0, configuration.segmentSeconds) * configuration.segmentSeconds } ?? 0
        // The held rows go when the hour changes, from a live stream at every segment, and when
        // the aggregates could not take one more segment.
        if !pending.isEmpty,
            isLive || !aggregates.hasRoom(minutes: SegmentSpan.maximumMinutes, days: SegmentSpan.maximumDays)
                || StatsTime.floorDivide(windowStart, 3600) * 3600 != pendingHour
        {
            commitPending()
        }
        segmentSpan = SegmentSpan()
        isOpen = true
        lines = 0
        contentHash = 0
        coveredLines = 0
        coveredDigest = []
        firstTime = nil
        segmentLastTime = nil
        recognized = 0
        segmentEvents = 0
        window = time.map { StatsTime.floorDivide($0, configuration.segmentSeconds) } ?? .min
        if pending.isEmpty {
            aggregates.begin(windowStart: windowStart)
            pendingHour = StatsTime.floorDivide(windowStart, 3600) * 3600
        }
        // A segment that starts in a shredded epoch cannot be keyed: it is not recorded.
        guard let keys = keyring.keys(forEpoch: epoch) else {
            isDead = true
            identityKeys = nil
            return
        }
        isDead = false
        identityKeys = keys
        var digest = [UInt8](repeating: 0, count: HMACSHA256.byteCount)
        var message = [UInt8]()
        message.reserveCapacity(line.count + 16)
        message.append(contentsOf: "segment/".utf8)
        withUnsafeBytes(of: previousLineHash.littleEndian) { message.append(contentsOf: $0) }
        message.append(contentsOf: line)
        message.withUnsafeBytes { bytes in digest.withUnsafeMutableBytes { keys.ingestion.authenticate(bytes, into: $0) } }
        identity = Array(digest[0..<16])
        // The same lines may have been read a moment ago in this very run (a stream that
        // repeats itself) and be waiting for their commit.
        if let earlier = pending.last(where: { $0.entry.segment == identity }) ?? committer?.heldUpdate(for: identity) {
            coveredLines = earlier.entry.lines
            coveredDigest = earlier.entry.digest
            return
        }
        do throws(AnonLogError) {
            // With a committer the store is its thread's: the ledger is read through a second
            // connection, which sees every commit that has ended.
            let entry = if let committer { try committer.ledger.ledgerEntry(for: identity) } else { try store.ledgerEntry(for: identity) }
            if let entry {
                coveredLines = entry.lines
                coveredDigest = entry.digest
            }
        } catch {
            fail(error)
        }
    }

    /// The keyed digest of the segment's lines so far.
    private func digestOfLines() -> [UInt8] {
        guard let keys = identityKeys else { return [] }
        var digest = [UInt8](repeating: 0, count: HMACSHA256.byteCount)
        var message = [UInt8]("digest/".utf8)
        withUnsafeBytes(of: contentHash.littleEndian) { message.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(lines).littleEndian) { message.append(contentsOf: $0) }
        message.withUnsafeBytes { bytes in digest.withUnsafeMutableBytes { keys.ingestion.authenticate(bytes, into: $0) } }
        return Array(digest[0..<16])
    }

    /// At the last line the ledger covers: were they the same lines?
    private func verifyCoveredLines() {
        if digestOfLines() != coveredDigest {
            // Same first line, other lines: those lines were not counted now, and cannot be.
            report.linesNotVerified += coveredLines
        }
    }

    private func closeSegment(complete: Bool) {
        isOpen = false
        guard !isDead, failure == nil else {
            if failure == nil { report.linesInShreddedEpochs += lines }
            _ = detectors.takeAlerts()
            return
        }
        report.linesAlreadyIngested += min(lines, coveredLines)
        guard lines > coveredLines else {
            _ = detectors.takeAlerts()
            return
        }
        let alerts = detectors.takeAlerts()
        pendingAlerts += alerts
        pending.append(LedgerUpdate(
            entry: LedgerEntry(
                segment: identity, lines: lines, digest: digestOfLines(), isComplete: complete, source: source, firstTime: firstTime,
                lastTime: segmentLastTime, recognizedLines: recognized, events: segmentEvents, alerts: alerts.count, ingestedAt: clock()),
            coveredBefore: coveredLines))
        pendingEvents += segmentEvents
        pendingLines += lines - coveredLines
        if isLive { commitPending() }
    }

    /// Writes the closed segments held in memory, with their ledger entries, in one transaction.
    private func commitPending() {
        defer {
            pending.removeAll(keepingCapacity: true)
            pendingAlerts.removeAll(keepingCapacity: true)
            pendingEvents = 0
            pendingLines = 0
            aggregates.reset()
        }
        guard !pending.isEmpty, failure == nil else { return }
        let batch = aggregates.flush(alerts: pendingAlerts, organizations: organizations)
        if let committer {
            committer.submit(StatsCommitter.Job(batch: batch, updates: pending, lines: pendingLines, events: pendingEvents, alerts: pendingAlerts.count))
            return
        }
        do throws(AnonLogError) {
            if try store.commit(batch, updates: pending) {
                report.segmentsWritten += pending.count
                report.linesCounted += pendingLines
                report.events += pendingEvents
                report.alerts += pendingAlerts.count
            } else {
                report.linesIngestedConcurrently += pendingLines
            }
        } catch {
            fail(error)
        }
    }

    private func fail(_ error: AnonLogError) {
        if failure == nil { failure = error }
        isDead = true
    }
}

/// What statistics recording did.
public struct StatsIngestionReport: Sendable, Equatable {
    /// Segments written to the store.
    public var segmentsWritten = 0
    /// Lines counted into the store now.
    public var linesCounted = 0
    /// Lines skipped because the store had counted them before (a replay).
    public var linesAlreadyIngested = 0
    /// Lines not counted because another process counted the same segment at the same time.
    public var linesIngestedConcurrently = 0
    /// Lines the ledger claimed but whose digest did not match (not counted: see the warning).
    public var linesNotVerified = 0
    /// Lines of shredded key epochs (nothing about them can be pseudonymized any more).
    public var linesInShreddedEpochs = 0
    /// Events counted and alerts written.
    public var events = 0
    public var alerts = 0

    public init() {}
}

/// The minutes and local days one segment's lines fall in: a segment ends before a line that
/// would make it span more (a log whose times jump back and forth), so that its rows always fit
/// the aggregates and the flush points depend on the lines alone.
struct SegmentSpan {
    static let maximumMinutes = 12
    static let maximumDays = 2
    private var minutes = (Int64.min, Int64.min, Int64.min, Int64.min, Int64.min, Int64.min, Int64.min, Int64.min, Int64.min,
                           Int64.min, Int64.min, Int64.min)
    private var minuteCount = 0
    private var days = (Int64.min, Int64.min)
    private var dayCount = 0

    /// Whether a line of `minute` and local `day` keeps the segment within bounds.
    @inline(__always)
    func admits(minute: Int64, day: Int64) -> Bool {
        (minuteCount < Self.maximumMinutes || holds(minute: minute)) && (dayCount < Self.maximumDays || holds(day: day))
    }

    @inline(__always)
    mutating func add(minute: Int64, day: Int64) {
        if !holds(minute: minute), minuteCount < Self.maximumMinutes {
            withUnsafeMutableBytes(of: &minutes) { $0.storeBytes(of: minute, toByteOffset: minuteCount * 8, as: Int64.self) }
            minuteCount += 1
        }
        if !holds(day: day), dayCount < Self.maximumDays {
            if dayCount == 0 { days.0 = day } else { days.1 = day }
            dayCount += 1
        }
    }

    @inline(__always)
    private func holds(minute: Int64) -> Bool {
        withUnsafeBytes(of: minutes) { bytes in
            // The latest minute first: lines mostly arrive in order.
            var index = minuteCount - 1
            while index >= 0 {
                if bytes.load(fromByteOffset: index * 8, as: Int64.self) == minute { return true }
                index -= 1
            }
            return false
        }
    }

    @inline(__always)
    private func holds(day: Int64) -> Bool { (dayCount > 0 && days.0 == day) || (dayCount > 1 && days.1 == day) }
}
