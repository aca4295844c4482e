#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Rewrites lines: every address becomes its pseudonym, every uncertain token the redaction
/// marker, every chat session id a keyed token; all other bytes are copied unchanged.
///
/// With key rotation, each line is pseudonymized under the key of the epoch its own timestamp
/// falls in (a line without one takes the last time seen). A line from a shredded epoch has
/// its addresses and session ids redacted: its pseudonyms can no longer be made, and the raw
/// values must not pass.
///
/// One instance belongs to one worker: it owns the scanner scratch space and the pseudonym
/// caches, and counts what it did.
final class LineAnonymizer<Pseudonymizer: AddressPseudonymizer> {
    private var scanner = AddressScanner()
    private let epochs: EpochPseudonyms<Pseudonymizer>
    private let rotation: KeyRotation
    private let recognizer: FormatRecognizer
    private let redactionMarker: [UInt8]
    /// The epoch of the last line that carried a time.
    private var lastEpoch: Int64?
    /// Where lines before the first timestamp go: the epoch of the moment the run started.
    private let fallbackEpoch: Int64
    /// What has been done so far.
    var counts = AnonymizationCounts()
    /// Statistics: sees each line, its fields and its epoch before the addresses are replaced.
    var statistics: StatsRecorder?

    init(epochs: EpochPseudonyms<Pseudonymizer>, recognizer: FormatRecognizer, redactionMarker: [UInt8], now: Int64) {
        self.epochs = epochs
        self.rotation = epochs.record.rotation
        self.recognizer = recognizer
        self.redactionMarker = redactionMarker
        self.fallbackEpoch = epochs.record.rotation.epoch(at: now)
    }

    /// The first error met while keying an epoch, if any (its lines were redacted).
    var keyingError: AnonLogError? { epochs.keyingError }

    /// Anonymizes every line in `chunk` into `output`.
    ///
    /// - Parameters:
    ///   - chunk: Whole lines, each ending in a line feed, except that the last may lack one
    ///     (the end of the input).
    ///   - output: Receives the rewritten lines.
    func anonymize(lines chunk: UnsafeRawBufferPointer, into output: OutputBuffer) {
        guard let base = chunk.baseAddress else { return }
        let outputStart = output.count
        var lineStart = 0
        while lineStart < chunk.count {
            let remaining = chunk.count - lineStart
            let lineEnd: Int
            if let newline = memchr(base + lineStart, 0x0A, remaining) {
                lineEnd = base.distance(to: UnsafeRawPointer(newline))
            } else {
                lineEnd = chunk.count
            }
            let line = UnsafeRawBufferPointer(rebasing: chunk[lineStart..<lineEnd])
            let fields = recognizer.recognize(line)
            counts.countLine(format: fields?.format)
            let epoch = epochs.epoch(epochIndex(of: line, fields: fields))
            statistics?.record(line: line, fields: fields, epoch: epoch.index, addresses: epoch.addresses)
            anonymize(line: line, epoch: epoch, identifier: fields?.sessionID, into: output)
            if lineEnd < chunk.count { output.append(UInt8(ascii: "\n")) }
            lineStart = lineEnd + 1
        }
        counts.bytesIn += chunk.count
        counts.bytesOut += output.count - outputStart
    }

    /// The key epoch of a line: from its own time, else the last time seen.
    @inline(__always)
    private func epochIndex(of line: UnsafeRawBufferPointer, fields: LineFields?) -> Int64 {
        guard rotation != .none else { return 0 }
        if let fields, let range = fields.time {
            let text = UnsafeRawBufferPointer(rebasing: line[range])
            let seconds: Int64?
            switch fields.format {
            case .common, .combined, .vhostCombined: seconds = LogTimestamp.parseCommonLog(text)
            case .nginxJSON, .chatJSON: seconds = LogTimestamp.parseISO8601(text)
            }
            if let seconds {
                let epoch = rotation.epoch(at: seconds)
                lastEpoch = epoch
                return epoch
            }
        }
        counts.linesWithoutTime += 1
        return lastEpoch ?? fallbackEpoch
    }

    /// Anonymizes a piece of a line too long to hold, without recognising its format.
    ///
    /// - Parameters:
    ///   - piece: Bytes that end where no address can be cut in two.
    ///   - endsLine: Whether the piece ends the line (its line is then counted).
    func anonymize(oversizedPiece piece: UnsafeRawBufferPointer, endsLine: Bool, into output: OutputBuffer) {
        let outputStart = output.count
        anonymize(line: piece, epoch: epochs.epoch(lastEpoch ?? fallbackEpoch), identifier: nil, into: output)
        counts.bytesIn += piece.count
        counts.bytesOut += output.count - outputStart
        if endsLine {
            counts.countLine(format: nil)
            counts.oversizedLines += 1
        }
    }

    /// Copies `line` with its addresses, uncertain tokens and identifier value replaced.
    private func anonymize(
        line: UnsafeRawBufferPointer, epoch: EpochPseudonyms<Pseudonymizer>.Epoch, identifier: Range<Int>?, into output: OutputBuffer
    ) {
        scanner.scan(line)
        var position = 0
        let addresses = epoch.addresses
        let identifiers = epoch.identifiers
        if addresses == nil { counts.linesInShreddedEpochs += 1 }
        var pendingIdentifier = epochs.pseudonymizesIdentifiers ? identifier.flatMap { $0.isEmpty ? nil : $0 } : nil
        for match in scanner.matches {
            if let identifierRange = pendingIdentifier {
                if match.start >= identifierRange.upperBound {
                    position = replaceIdentifier(identifierRange, in: line, from: position, with: identifiers, into: output)
                    pendingIdentifier = nil
                } else if match.end > identifierRange.lowerBound {
                    continue  // inside the identifier value, which is replaced whole
                }
            }
            output.append(UnsafeRawBufferPointer(rebasing: line[position..<match.start]))
            if case .address(let address) = match.kind, let addresses {
                write(addresses.pseudonym(for: address), spelling: match.spelling, into: output)
                counts.addressesReplaced += 1
            } else {
                redactionMarker.withUnsafeBytes { output.append($0) }
                counts.redactions += 1
            }
            position = match.end
        }
        if let identifierRange = pendingIdentifier {
            position = replaceIdentifier(identifierRange, in: line, from: position, with: identifiers, into: output)
        }
        output.append(UnsafeRawBufferPointer(rebasing: line[position...]))
    }

    /// Copies up to the identifier value, writes its token (or the redaction marker when the
    /// epoch is shredded), and returns the offset after it.
    private func replaceIdentifier(
        _ range: Range<Int>, in line: UnsafeRawBufferPointer, from position: Int,
        with identifiers: IdentifierPseudonymizer?, into output: OutputBuffer
    ) -> Int {
        output.append(UnsafeRawBufferPointer(rebasing: line[position..<range.lowerBound]))
        if let identifiers {
            let value = UnsafeRawBufferPointer(rebasing: line[range])
            output.appendWithin(IdentifierPseudonymizer.tokenLength) { buffer in
                identifiers.writeToken(for: value, into: buffer)
                return IdentifierPseudonymizer.tokenLength
            }
            counts.identifiersReplaced += 1
        } else {
            redactionMarker.withUnsafeBytes { output.append($0) }
            counts.redactions += 1
        }
        return range.upperBound
    }

    /// Writes a pseudonym, percent-encoding its separators when the address was encoded so.
    @inline(__always)
    private func write(_ text: UnsafeRawBufferPointer, spelling: AddressMatch.Spelling, into output: OutputBuffer) {
        guard spelling != .plain else {
            output.append(text)
            return
        }
        let upper = spelling == .percentEncodedUpper
        for byte in text {
            switch byte {
            case UInt8(ascii: ":"):
                output.append(UInt8(ascii: "%"))
                output.append(UInt8(ascii: "3"))
                output.append(upper ? UInt8(ascii: "A") : UInt8(ascii: "a"))
            case UInt8(ascii: "."):
                output.append(UInt8(ascii: "%"))
                output.append(UInt8(ascii: "2"))
                output.append(upper ? UInt8(ascii: "E") : UInt8(ascii: "e"))
            default:
                output.append(byte)
            }
        }
    }
}
