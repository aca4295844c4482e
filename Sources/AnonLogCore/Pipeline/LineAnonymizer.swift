/// One worker's ``LineRewriter``, shared by reference with the pipeline that drives it, and the
/// statistics its lines are recorded into.
///
/// The rewriter is reached through one access per chunk (see ``LineRewriter`` for why it is a
/// value).
final class LineAnonymizer<Pseudonymizer: AddressPseudonymizer> {
    private var rewriter: LineRewriter<Pseudonymizer>

    /// What has been done so far.
    var counts: AnonymizationCounts {
        get { rewriter.counts }
        set { rewriter.counts = newValue }
    }

    /// Statistics recorded in memory (``LogAnonymizer``): each call's lines are extracted into
    /// ``ownEvents`` and then counted. A pipeline's workers have an ``eventExtractor`` only: the
    /// pipeline counts their chunks' records in order.
    var statistics: StatsRecorder? {
        didSet {
            eventExtractor = statistics?.makeEventExtractor()
            ownEvents = statistics == nil ? nil : StatsEventBuffer()
        }
    }
    /// Builds the statistics records of lines, before their addresses are replaced.
    var eventExtractor: EventExtractor?
    private var ownEvents: StatsEventBuffer?

    /// Hands the session stage what the last chunk left: its chat lines, swapped into `marks`
    /// (whose old contents are dropped; both arrays keep their memory), and its latest record
    /// time, which is returned.
    func takeSessionMarks(into marks: inout [SessionLineMark]) -> Int64? {
        swap(&marks, &rewriter.sessionMarks)
        rewriter.sessionMarks.removeAll(keepingCapacity: true)
        defer { rewriter.latestTime = nil }
        return rewriter.latestTime
    }

    /// - Parameters:
    ///   - windows: The stream windows: the age cut-off is applied here, and with a chat window
    ///     chat lines are marked for ``takeSessionMarks(into:)`` (only a pipeline, which has the
    ///     ordered stage, should ask for that).
    init(
        epochs: EpochPseudonyms<Pseudonymizer>, recognizer: FormatRecognizer, policy: LineRewritePolicy, now: Int64,
        windows: StreamWindows? = nil, marksSessions: Bool = false
    ) {
        rewriter = LineRewriter(
            epochs: epochs, recognizer: recognizer, policy: policy, now: now, windows: windows, marksSessions: marksSessions)
    }

    /// The first error met while keying an epoch, if any (its lines were redacted).
    var keyingError: AnonLogError? { rewriter.keyingError }

    /// Anonymizes every line in `chunk` into `output`, and counts their statistics when
    /// ``statistics`` is set.
    ///
    /// - Parameters:
    ///   - chunk: Whole lines, each ending in a line feed, except that the last may lack one
    ///     (the end of the input).
    ///   - output: Receives the rewritten lines.
    func anonymize(lines chunk: UnsafeRawBufferPointer, into output: OutputBuffer) {
        guard let statistics, let ownEvents else {
            anonymize(lines: chunk, into: output, events: nil)
            return
        }
        ownEvents.removeAll()
        anonymize(lines: chunk, into: output, events: ownEvents)
        statistics.consume(ownEvents, lines: chunk)
    }

    /// Anonymizes every line in `chunk` into `output`.
    ///
    /// - Parameters:
    ///   - chunk: Whole lines, each ending in a line feed, except that the last may lack one
    ///     (the end of the input).
    ///   - output: Receives the rewritten lines.
    ///   - events: Receives a statistics record per line (from ``eventExtractor``), or `nil`.
    func anonymize(lines chunk: UnsafeRawBufferPointer, into output: OutputBuffer, events: StatsEventBuffer?) {
        rewriter.anonymize(lines: chunk, into: output, events: events, extractor: eventExtractor)
    }

    /// Anonymizes a piece of a line too long to hold, without recognising its format.
    ///
    /// - Parameters:
    ///   - piece: Bytes that end where no address can be cut in two.
    ///   - endsLine: Whether the piece ends the line (its line is then counted).
    func anonymize(oversizedPiece piece: UnsafeRawBufferPointer, endsLine: Bool, into output: OutputBuffer) {
        rewriter.anonymize(oversizedPiece: piece, endsLine: endsLine, into: output)
    }

    /// Drops part of a run of address characters too long to be read whole, writing the
    /// redaction marker in its place once per run (see ``LineRewriter``).
    func redact(oversizedRun run: UnsafeRawBufferPointer, writingMarker: Bool, endsLine: Bool, into output: OutputBuffer) {
        rewriter.redact(oversizedRun: run, writingMarker: writingMarker, endsLine: endsLine, into: output)
    }
}
