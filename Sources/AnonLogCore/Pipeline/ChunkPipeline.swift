/// A failure while anonymizing one stream, on the side it happened.
enum StreamFailure: Error {
    /// Reading or decoding the input failed; everything before it was written.
    case input(AnonLogError)
    /// Writing the output failed.
    case output(AnonLogError)
}

/// Anonymizes a source into a sink on every core, keeping the output in input order.
///
/// The calling thread reads (and inflates) into fixed-size chunks cut at line ends; worker
/// threads, each with its own ``LineAnonymizer`` (scanner, caches, counters), rewrite chunks and,
/// for gzip output, compress each into its own gzip member; a writer thread hands the results
/// to the sink strictly in sequence. A fixed set of chunks circulates, so a slow sink stops the
/// reader (back-pressure) instead of letting memory grow.
///
/// With statistics, the workers also compute each line's statistics record (time, hash, event:
/// all that depends on the line alone) into their chunk's ``StatsEventBuffer``, and the writer
/// hands the chunks' records to the ``StatsRecorder`` in input order (segments, ledger,
/// detectors, aggregates, commits).
///
/// From a live source (pipe, terminal) a chunk is dispatched as soon as a read returns with a
/// complete line, and the sink is flushed after it: no line waits for the next.
final class ChunkPipeline<Pseudonymizer: AddressPseudonymizer> {
    /// The workers' line rewriters, one per worker thread.
    let workers: [LineAnonymizer<Pseudonymizer>]
    private let encoders: [(any GzipMemberEncoding)?]
    private let chunkSize: Int
    private let maximumLineLength: Int
    private let chunks: [PipelineChunk]
    /// Counts the workers' statistics records, in order, on the writer thread.
    private let statistics: StatsRecorder?
    /// The writer's in-order work (chat session window, tally), when asked for.
    private let ordered: OrderedOutputStage?

    /// - Parameters:
    ///   - workers: One line rewriter per worker thread (at least one).
    ///   - gzipLevel: Compress the output into gzip members at this level, or `nil` for plain.
    ///   - chunkSize: The size of a chunk; lines longer than it grow their chunk.
    ///   - maximumLineLength: The longest line held whole; longer ones go in pieces.
    ///   - statistics: Records statistics of the lines (each worker gets an extractor).
    ///   - windows: Stream windows; a chat window runs in order on the writer thread.
    ///   - tallying: Whether to tally the bytes written (see ``tally``).
    init(
        workers: [LineAnonymizer<Pseudonymizer>], gzipLevel: Int?, chunkSize: Int = 1 << 20,
        maximumLineLength: Int = 64 << 20, statistics: StatsRecorder? = nil,
        windows: StreamWindows? = nil, tallying: Bool = false
    ) throws(AnonLogError) {
        precondition(!workers.isEmpty, "a pipeline needs a worker")
        self.workers = workers
        var encoders: [(any GzipMemberEncoding)?] = []
        for _ in workers { encoders.append(try gzipLevel.map { (level) throws(AnonLogError) in try GzipMemberEncoders.make(level: level) }) }
        self.encoders = encoders
        self.chunkSize = chunkSize
        self.maximumLineLength = max(maximumLineLength, chunkSize)
        self.statistics = statistics
        if let statistics {
            for worker in workers { worker.eventExtractor = statistics.makeEventExtractor() }
        }
        // Enough chunks for every worker to hold one while the reader fills one and the writer
        // drains one or two.
        self.chunks = (0..<(workers.count * 2 + 2)).map { _ in
            PipelineChunk(capacity: chunkSize, events: statistics == nil ? nil : StatsEventBuffer())
        }
        ordered = OrderedOutputStage.isNeeded(windows: windows, tallying: tallying)
            ? try OrderedOutputStage(windows: windows, gzipLevel: gzipLevel, tallying: tallying) : nil
    }

    /// The counts of all workers (and of the session window) together.
    var counts: AnonymizationCounts {
        var total = workers.reduce(into: AnonymizationCounts()) { $0.add($1.counts) }
        if let ordered { total.add(ordered.counts) }
        return total
    }

    /// The uncompressed bytes written so far, when the pipeline was made with `tallying`.
    var tally: ContentTally? { ordered?.tally }

    /// Anonymizes `source` into `sink` until the input ends or a shutdown is requested.
    ///
    /// The sink is flushed at the end but not finished: several inputs may share one output.
    ///
    /// - Throws: ``StreamFailure/input(_:)`` after writing everything read before the damage
    ///   (a partial last line gets a line feed), ``StreamFailure/output(_:)`` when the sink fails.
    func run(_ source: any ByteSource, into sink: any ByteSink) throws(StreamFailure) {
        let state = PipelineState(chunks: chunks)
        let live = source.isLive
        let sinkBox = UncheckedBox(sink)
        let statisticsBox = UncheckedBox(statistics)
        let orderedBox = UncheckedBox(ordered)
        let writer = WorkerThread { [state] in
            WorkerThread.blockStopSignals()
            Self.write(state: state, sink: sinkBox.value, live: live, statistics: statisticsBox.value, ordered: orderedBox.value)
        }
        let threads = workers.indices.map { index in
            let worker = UncheckedBox(workers[index])
            let encoder = UncheckedBox(encoders[index])
            return WorkerThread { [state] in
                WorkerThread.blockStopSignals()
                Self.work(state: state, lines: worker.value, encoder: encoder.value)
            }
        }
        let inputError = read(source, into: state)
        state.finishDispatching()
        for thread in threads { thread.join() }
        writer.join()
        ordered?.endInput()

        if let failure = state.outputFailure { throw .output(failure) }
        do {
            try sink.flush()
        } catch {
            throw .output(error)
        }
        if let inputError { throw .input(inputError) }
    }

    // MARK: - Reader (the calling thread)

    /// Fills chunks from the source and dispatches them; returns the input error, if any.
    private func read(_ source: any ByteSource, into state: PipelineState) -> AnonLogError? {
        var framing = LineFraming()
        var ended = false
        var failure: AnonLogError?
        while !state.isCancelled {
            guard let chunk = state.takeFreeChunk() else { return nil }
            chunk.reset()
            chunk.append(framing.carry)
            framing.carry.removeAll(keepingCapacity: true)
            var searchFrom = 0
            while !ended {
                if chunk.count == chunk.capacity {
                    guard chunk.capacity < maximumLineLength, !framing.inRedactedRun else { break }
                    chunk.grow(to: min(chunk.capacity * 2, maximumLineLength))
                }
                let read: Int
                do {
                    read = try source.read(into: chunk.freeSpace)
                } catch {
                    failure = error
                    ended = true
                    break
                }
                if read == 0 {
                    ended = true
                    break
                }
                chunk.count += read
                if framing.inRedactedRun {
                    if chunk.runEnd() < chunk.count { break }
                    continue
                }
                if chunk.lastNewline(from: searchFrom) != nil, source.isLive || chunk.count >= chunkSize { break }
                searchFrom = chunk.count
                if ShutdownRequest.isRequested && !source.isLive { ended = true }
            }
            let cut = framing.cut(chunk, ended: ended)
            framing.carry.append(contentsOf: chunk.bytes(from: cut))
            chunk.count = cut
            // The damage follows the last bytes read, so it goes with the last chunk.
            let last = ended && framing.carry.isEmpty
            chunk.damaged = last && failure != nil
            // An empty piece still ends its oversized line: the line is counted, and after
            // damage it gets its line feed.
            if chunk.count > 0 || chunk.damaged || chunk.endsOversizedLine {
                state.dispatch(chunk)
            } else {
                state.release(chunk)
            }
            if last { return failure }
        }
        return nil
    }

    // MARK: - Workers

    private static func work(state: PipelineState, lines: LineAnonymizer<Pseudonymizer>, encoder: (any GzipMemberEncoding)?) {
        while let chunk = state.takeReadyChunk() {
            chunk.output.removeAll()
            let input = chunk.inputBytes
            switch chunk.kind {
            case .lines:
                chunk.events?.removeAll()
                lines.anonymize(lines: input, into: chunk.output, events: chunk.events)
            case .oversizedPiece(let endsLine):
                lines.anonymize(oversizedPiece: input, endsLine: endsLine, into: chunk.output)
            case .redactedRun(let writesMarker, let endsLine):
                lines.redact(oversizedRun: input, writingMarker: writesMarker, endsLine: endsLine, into: chunk.output)
            }
            let unterminated = input.count > 0 ? input[input.count - 1] != 0x0A : chunk.endsOversizedLine
            // Hand the chat lines and the clock to the ordered stage (both empty without one).
            chunk.latestTime = lines.takeSessionMarks(into: &chunk.sessionMarks)
            if chunk.damaged, unterminated {
                // After damage the next input follows; do not glue its first line to this one.
                chunk.output.append(UInt8(ascii: "\n"))
                lines.counts.bytesOut += 1
                if let last = chunk.sessionMarks.indices.last, chunk.sessionMarks[last].end == chunk.output.count - 1 {
                    chunk.sessionMarks[last].end += 1
                }
            }
            chunk.encoded.removeAll()
            // A chunk with chat lines is filtered in order first; the writer compresses it.
            if let encoder, chunk.sessionMarks.isEmpty {
                if chunk.output.count > 0 { encoder.encode(chunk.output.bytes, member: chunk.sequence, into: chunk.encoded) }
            }
            state.complete(chunk)
        }
    }

    // MARK: - Writer

    private static func write(
        state: PipelineState, sink: any ByteSink, live: Bool, statistics: StatsRecorder?, ordered: OrderedOutputStage?
    ) {
        while let chunk = state.takeNextCompletedChunk() {
            if let statistics, let events = chunk.events, case .lines = chunk.kind { statistics.consume(events, lines: chunk.inputBytes) }
            if state.outputFailure == nil {
                let bytes = ordered?.bytes(for: chunk) ?? (chunk.encoded.count > 0 ? chunk.encoded.bytes : chunk.output.bytes)
                do {
                    if bytes.count > 0 { try sink.write(bytes) }
                    if live { try sink.flush() }
                } catch {
                    state.fail(error)
                }
            }
            state.release(chunk)
        }
    }
}

/// A value handed to another thread that the pipeline's protocol keeps from being shared:
/// each worker's rewriter and encoder is used by that worker alone, the sink by the writer.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
