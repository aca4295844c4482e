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
/// One instance belongs to one worker: it owns the scanner scratch space and the pseudonym
/// cache, and counts what it did.
final class LineAnonymizer<Pseudonymizer: AddressPseudonymizer> {
    private var scanner = AddressScanner()
    private let pseudonyms: PseudonymCache<Pseudonymizer>
    private let identifiers: IdentifierPseudonymizer?
    private let recognizer: FormatRecognizer
    private let redactionMarker: [UInt8]
    /// What has been done so far.
    var counts = AnonymizationCounts()

    init(
        pseudonymizer: Pseudonymizer,
        identifiers: IdentifierPseudonymizer?,
        recognizer: FormatRecognizer,
        redactionMarker: [UInt8]
    ) {
        self.pseudonyms = PseudonymCache(pseudonymizer)
        self.identifiers = identifiers
        self.recognizer = recognizer
        self.redactionMarker = redactionMarker
    }

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
            anonymize(line: line, identifier: identifiers == nil ? nil : fields?.sessionID, into: output)
            if lineEnd < chunk.count { output.append(UInt8(ascii: "\n")) }
            lineStart = lineEnd + 1
        }
        counts.bytesIn += chunk.count
        counts.bytesOut += output.count - outputStart
    }

    /// Anonymizes a piece of a line too long to hold, without recognising its format.
    ///
    /// - Parameters:
    ///   - piece: Bytes that end where no address can be cut in two.
    ///   - endsLine: Whether the piece ends the line (its line is then counted).
    func anonymize(oversizedPiece piece: UnsafeRawBufferPointer, endsLine: Bool, into output: OutputBuffer) {
        let outputStart = output.count
        anonymize(line: piece, identifier: nil, into: output)
        counts.bytesIn += piece.count
        counts.bytesOut += output.count - outputStart
        if endsLine {
            counts.countLine(format: nil)
            counts.oversizedLines += 1
        }
    }

    /// Drops part of a run of address characters too long to be read whole, writing the
    /// redaction marker in its place once per run.
    ///
    /// - Parameters:
    ///   - run: Bytes of the run (hex digits, dots, colons, percent signs).
    ///   - writingMarker: Whether this is the start of the run, which the marker replaces.
    func redact(oversizedRun run: UnsafeRawBufferPointer, writingMarker: Bool, into output: OutputBuffer) {
        counts.bytesIn += run.count
        guard writingMarker else { return }
        redactionMarker.withUnsafeBytes { output.append($0) }
        counts.redactions += 1
        counts.bytesOut += redactionMarker.count
    }

    /// Copies `line` with its addresses, uncertain tokens and identifier value replaced.
    private func anonymize(line: UnsafeRawBufferPointer, identifier: Range<Int>?, into output: OutputBuffer) {
        scanner.scan(line)
        var position = 0
        var pendingIdentifier = identifier.flatMap { $0.isEmpty ? nil : $0 }
        for match in scanner.matches {
            if let identifierRange = pendingIdentifier {
                if match.start >= identifierRange.upperBound {
                    position = replaceIdentifier(identifierRange, in: line, from: position, into: output)
                    pendingIdentifier = nil
                } else if match.end > identifierRange.lowerBound {
                    continue  // inside the identifier value, which is replaced whole
                }
            }
            output.append(UnsafeRawBufferPointer(rebasing: line[position..<match.start]))
            switch match.kind {
            case .address(let address):
                write(pseudonyms.pseudonym(for: address), spelling: match.spelling, into: output)
                counts.addressesReplaced += 1
            case .uncertain:
                redactionMarker.withUnsafeBytes { output.append($0) }
                counts.redactions += 1
            }
            position = match.end
        }
        if let identifierRange = pendingIdentifier {
            position = replaceIdentifier(identifierRange, in: line, from: position, into: output)
        }
        output.append(UnsafeRawBufferPointer(rebasing: line[position...]))
    }

    /// Copies up to the identifier value, writes its token, and returns the offset after it.
    private func replaceIdentifier(
        _ range: Range<Int>, in line: UnsafeRawBufferPointer, from position: Int, into output: OutputBuffer
    ) -> Int {
        output.append(UnsafeRawBufferPointer(rebasing: line[position..<range.lowerBound]))
        if let identifiers {
            let value = UnsafeRawBufferPointer(rebasing: line[range])
            output.appendWithin(IdentifierPseudonymizer.tokenLength) { buffer in
                identifiers.writeToken(for: value, into: buffer)
                return IdentifierPseudonymizer.tokenLength
            }
            counts.identifiersReplaced += 1
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
