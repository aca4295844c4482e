/// What anonymizing some input did, for the summary and for tests.
public struct AnonymizationCounts: Sendable, Equatable {
    /// Lines read, a final line without a line feed included.
    public var lines = 0
    /// Addresses replaced by a pseudonym.
    public var addressesReplaced = 0
    /// Tokens that might have been addresses and were replaced by the redaction marker.
    public var redactions = 0
    /// Identifier values (chat session ids, configured fields and parameters) replaced by a
    /// keyed token.
    public var identifiersReplaced = 0
    /// Addresses left unchanged because they lie in a `--keep` network.
    public var addressesKept = 0
    /// E-mail addresses, phone and card numbers replaced by typed markers in free text.
    public var textScrubbed = 0
    /// Lines in no known format (still scanned and anonymized).
    public var unknownFormatLines = 0
    /// Lines longer than the line limit, anonymized in pieces.
    public var oversizedLines = 0
    /// Lines without a timestamp while keys rotate (they took the epoch of the last time seen).
    public var linesWithoutTime = 0
    /// Lines whose epoch key was shredded: their addresses and session ids were redacted.
    public var linesInShreddedEpochs = 0
    /// Records dropped because their own time is older than the stream window.
    public var recordsDroppedByAge = 0
    /// Chat lines of sessions without a message, dropped when the session went idle, the input
    /// ended or the session was evicted at the cap.
    public var chatLinesDropped = 0
    /// Chat sessions without a message dropped when idle for the window or at the input's end.
    public var chatSessionsDropped = 0
    /// Chat sessions evicted because the cap on open sessions or held bytes was reached.
    public var chatSessionsEvicted = 0
    /// Bytes read, after decompression.
    public var bytesIn = 0
    /// Bytes written, before compression.
    public var bytesOut = 0
    /// Lines per recognised format, in ``LogFormat/allCases`` order.
    var formatLineCounts = [Int](repeating: 0, count: LogFormat.allCases.count)

    public init() {}

    /// The number of lines recognised as each format (formats without lines left out).
    public var linesByFormat: [LogFormat: Int] {
        var result: [LogFormat: Int] = [:]
        for (index, format) in LogFormat.allCases.enumerated() where formatLineCounts[index] > 0 {
            result[format] = formatLineCounts[index]
        }
        return result
    }

    mutating func countLine(format: LogFormat?) {
        lines += 1
        if let format {
            formatLineCounts[format.countIndex] += 1
        } else {
            unknownFormatLines += 1
        }
    }

    /// Takes another set of counts (an earlier snapshot of these) away from this one.
    mutating func subtract(_ other: AnonymizationCounts) {
        var negated = other
        negated.negate()
        add(negated)
    }

    private mutating func negate() {
        lines = -lines
        addressesReplaced = -addressesReplaced
        redactions = -redactions
        identifiersReplaced = -identifiersReplaced
        addressesKept = -addressesKept
        textScrubbed = -textScrubbed
        unknownFormatLines = -unknownFormatLines
        oversizedLines = -oversizedLines
        linesWithoutTime = -linesWithoutTime
        linesInShreddedEpochs = -linesInShreddedEpochs
        recordsDroppedByAge = -recordsDroppedByAge
        chatLinesDropped = -chatLinesDropped
        chatSessionsDropped = -chatSessionsDropped
        chatSessionsEvicted = -chatSessionsEvicted
        bytesIn = -bytesIn
        bytesOut = -bytesOut
        for index in formatLineCounts.indices { formatLineCounts[index] = -formatLineCounts[index] }
    }

    /// Adds another set of counts to this one.
    public mutating func add(_ other: AnonymizationCounts) {
        lines += other.lines
        addressesReplaced += other.addressesReplaced
        redactions += other.redactions
        identifiersReplaced += other.identifiersReplaced
        addressesKept += other.addressesKept
        textScrubbed += other.textScrubbed
        unknownFormatLines += other.unknownFormatLines
        oversizedLines += other.oversizedLines
        linesWithoutTime += other.linesWithoutTime
        linesInShreddedEpochs += other.linesInShreddedEpochs
        recordsDroppedByAge += other.recordsDroppedByAge
        chatLinesDropped += other.chatLinesDropped
        chatSessionsDropped += other.chatSessionsDropped
        chatSessionsEvicted += other.chatSessionsEvicted
        bytesIn += other.bytesIn
        bytesOut += other.bytesOut
        for index in formatLineCounts.indices { formatLineCounts[index] += other.formatLineCounts[index] }
    }
}

extension LogFormat {
    fileprivate var countIndex: Int {
        switch self {
        case .common: 0
        case .combined: 1
        case .vhostCombined: 2
        case .nginxJSON: 3
        case .chatJSON: 4
        }
    }
}
