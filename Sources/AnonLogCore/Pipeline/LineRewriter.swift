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
/// One value belongs to one worker: it owns the scanner scratch space and counts what it did.
/// It is a value, not a class, for speed: the per-line scratch and counters are then reached
/// through one `inout` access per chunk, which the compiler checks statically, instead of a
/// run-time exclusivity check (and a retain) at every touch of a class's stored property.
/// ``LineAnonymizer`` holds it for the pipeline.
struct LineRewriter<Pseudonymizer: AddressPseudonymizer> {
    /// Scans a whole chunk at once (no run of address characters crosses a line feed); each
    /// line then takes its matches from ``matchCursor`` on.
    private var scanner = AddressScanner()
    /// The first of the chunk's matches not yet handed to a line.
    private var matchCursor = 0
    /// The first of the chunk's matches whose pseudonym slot has not been prefetched.
    private var prefetchCursor = 0
    private let epochs: EpochPseudonyms<Pseudonymizer>
    private let rotation: KeyRotation
    private let recognizer: FormatRecognizer
    private let policy: LineRewritePolicy
    /// Whether the keep-list is empty (read once: the list itself is an array).
    private let keepsNothing: Bool
    /// Whether a line can have anything but addresses replaced (identifiers, scrubbed text,
    /// tokens to decrypt); when not, planning a line's replacements is skipped.
    private let plansReplacements: Bool
    private let scrubber = TextScrubber()
    /// Scratch space, reused for every line.
    private var replacements: [LineReplacement] = []
    private var identifierRanges: [Range<Int>] = []
    private var scrubbed: [(Range<Int>, TextScrubber.Kind)] = []
    /// The epoch of the last line that carried a time.
    private var lastEpoch: Int64?
    /// Where lines before the first timestamp go: the epoch of the moment the run started.
    private let fallbackEpoch: Int64
    /// What has been done so far.
    var counts = AnonymizationCounts()

    // MARK: Stream windows (see StreamWindows); all unused when no window applies.

    /// Records before this time are dropped here, in parallel; `nil` keeps them all.
    private let recordCutoff: Int64?
    /// Whether chat lines are marked for the ordered session stage.
    private let marksSessions: Bool
    /// Whether each line's time is read (for epochs or windows).
    private let readsTime: Bool
    /// The chat lines of the last chunk, for the session stage; the pipeline takes them.
    var sessionMarks: [SessionLineMark] = []
    /// The latest record time of the last chunk; the pipeline takes it.
    var latestTime: Int64?

    /// - Parameters:
    ///   - windows: The stream windows: the age cut-off is applied here, and with a chat window
    ///     chat lines are marked in ``sessionMarks`` (only a pipeline, which has the ordered
    ///     stage, should ask for that).
    init(
        epochs: EpochPseudonyms<Pseudonymizer>, recognizer: FormatRecognizer, policy: LineRewritePolicy, now: Int64,
        windows: StreamWindows? = nil, marksSessions: Bool = false
    ) {
        self.epochs = epochs
        self.rotation = epochs.record.rotation
        self.recognizer = recognizer
        self.policy = policy
        self.keepsNothing = policy.keep.isEmpty
        self.plansReplacements = !policy.identifiers.isEmpty || policy.scrubChatText || policy.scrubURLs || policy.findsHexTokens
        self.fallbackEpoch = epochs.record.rotation.epoch(at: now)
        self.recordCutoff = windows?.recordCutoff
        self.marksSessions = marksSessions && windows?.chatIdleSeconds != nil
        self.readsTime = epochs.record.rotation != .none || recordCutoff != nil || self.marksSessions
    }

    /// The first error met while keying an epoch, if any (its lines were redacted).
    var keyingError: AnonLogError? { epochs.keyingError }

    /// Anonymizes every line in `chunk` into `output`.
    ///
    /// - Parameters:
    ///   - chunk: Whole lines, each ending in a line feed, except that the last may lack one
    ///     (the end of the input).
    ///   - output: Receives the rewritten lines.
    ///   - events: Receives a statistics record per line from `extractor`, or `nil`.
    ///   - extractor: Builds the statistics records of lines, before their addresses are
    ///     replaced; needed when `events` is given.
    // The pipeline reaches this through a mode chosen at run time; these make the optimizer
    // emit (and dispatch to) a version specialized for each mode's pseudonymizer.
    @_specialize(where Pseudonymizer == HMACPseudonymizer)
    @_specialize(where Pseudonymizer == AddressMasker)
    @_specialize(where Pseudonymizer == CryptoPAn)
    @_specialize(where Pseudonymizer == IPCryptPFX)
    @_specialize(where Pseudonymizer == IPCryptDeterministic)
    @_specialize(where Pseudonymizer == IPCryptNDXPseudonymizer)
    @_specialize(where Pseudonymizer == AddressDecryptor)
    mutating func anonymize(
        lines chunk: UnsafeRawBufferPointer, into output: OutputBuffer, events: StatsEventBuffer?, extractor: EventExtractor?
    ) {
        guard let base = chunk.baseAddress else { return }
        let extractor = events == nil ? nil : extractor
        precondition(events == nil || extractor != nil, "statistics records need an extractor")
        defer { if let events { extractor?.finish(events) } }
        let outputStart = output.count
        defer {
            counts.bytesIn += chunk.count
            counts.bytesOut += output.count - outputStart
        }
        scanner.scan(chunk)
        matchCursor = 0
        prefetchCursor = 0
        if !readsTime && extractor == nil {
            // No rotation, no window, no statistics: the hot path, without reading the time.
            let epoch = epochs.epoch(0)
            let addresses = epoch.addresses
            var lineStart = 0
            while lineStart < chunk.count {
                let lineEnd = Self.lineEnd(in: chunk, base: base, from: lineStart)
                let line = UnsafeRawBufferPointer(rebasing: chunk[lineStart..<lineEnd])
                let matches = takeMatches(from: lineStart, to: lineEnd, prefetchingWith: addresses, statistics: nil, keys: nil)
                let fields = recognizer.recognize(line)
                counts.countLine(format: fields?.format)
                rewrite(line, at: lineStart, matches: matches, fields: fields, epoch: epoch, addresses: addresses, into: output)
                if lineEnd < chunk.count { output.append(UInt8(ascii: "\n")) }
                lineStart = lineEnd + 1
            }
            return
        }
        // Lines mostly share an epoch: each run of them is handled under one epoch, its cache and
        // its statistics keys, looked up (and retained) once per run rather than per line.
        var lineStart = 0
        var index = rotation == .none ? 0 : lastEpoch ?? fallbackEpoch
        while lineStart < chunk.count {
            let epoch = epochs.epoch(index)
            let run = anonymize(
                lines: chunk, from: lineStart, epoch: epoch, index: index, addresses: epoch.addresses,
                keys: extractor?.keys(forEpoch: index), extractor: extractor, events: events, into: output)
            lineStart = run.end
            index = run.nextEpoch
        }
    }

    /// Anonymizes the lines of `chunk` from `start` on while their epoch is `index`.
    ///
    /// - Returns: Where it stopped: the chunk's end, or the start of a line of another epoch
    ///   (not yet counted; it is read again under its own epoch), and that epoch.
    private mutating func anonymize(
        lines chunk: UnsafeRawBufferPointer, from start: Int, epoch: EpochPseudonyms<Pseudonymizer>.Epoch, index: Int64,
        addresses: PseudonymCache<Pseudonymizer>?, keys: StatsEpochKeys?, extractor: EventExtractor?, events: StatsEventBuffer?,
        into output: OutputBuffer
    ) -> (end: Int, nextEpoch: Int64) {
        let base = chunk.baseAddress.unsafelyUnwrapped
        var lineStart = start
        while lineStart < chunk.count {
            let lineEnd = Self.lineEnd(in: chunk, base: base, from: lineStart)
            let line = UnsafeRawBufferPointer(rebasing: chunk[lineStart..<lineEnd])
            let fields = recognizer.recognize(line)
            let time = recordTime(of: line, fields: fields)
            // A line without a time takes the last epoch seen, which is this run's: only a line
            // with a time can end the run, so nothing is counted twice when it is read again.
            let lineEpoch = epochIndex(time: time)
            if lineEpoch != index { return (lineStart, lineEpoch) }
            let matches = takeMatches(from: lineStart, to: lineEnd, prefetchingWith: addresses, statistics: extractor, keys: keys)
            counts.countLine(format: fields?.format)
            // Statistics see every record, also those the window drops (only counts remain).
            if extractor != nil, events != nil {
                extractor.unsafelyUnwrapped.add(
                    line: line, at: lineStart, fields: fields, time: time, epoch: index, addresses: addresses, keys: keys,
                    to: events.unsafelyUnwrapped)
            }
            if let recordCutoff, let time, time < recordCutoff {
                counts.recordsDroppedByAge += 1
                lineStart = lineEnd + 1
                continue
            }
            let lineOutputStart = output.count
            rewrite(line, at: lineStart, matches: matches, fields: fields, epoch: epoch, addresses: addresses, into: output)
            if lineEnd < chunk.count { output.append(UInt8(ascii: "\n")) }
            if marksSessions { mark(line, fields: fields, time: time, output: lineOutputStart..<output.count) }
            lineStart = lineEnd + 1
        }
        return (chunk.count, index)
    }

    /// The offset of the line feed that ends the line starting at `start`, or the chunk's end.
    @inline(__always)
    private static func lineEnd(in chunk: UnsafeRawBufferPointer, base: UnsafeRawPointer, from start: Int) -> Int {
        guard let newline = memchr(base + start, 0x0A, chunk.count - start) else { return chunk.count }
        return base.distance(to: UnsafeRawPointer(newline))
    }

    /// The matches of the chunk's line `lineStart..<lineEnd`, as indices into the scanner's
    /// list; prefetches the pseudonym slots of the next few addresses (and with `statistics`,
    /// their networks' slots).
    ///
    /// Lines may be skipped (an epoch's run ends, a window drops a record): their matches are
    /// passed over.
    @inline(__always)
    private mutating func takeMatches(
        from lineStart: Int, to lineEnd: Int, prefetchingWith addresses: PseudonymCache<Pseudonymizer>?,
        statistics: EventExtractor?, keys: StatsEpochKeys?
    ) -> Range<Int> {
        let count = scanner.matches.count
        var first = matchCursor
        while first < count, scanner.matches[first].start < lineStart { first += 1 }
        var end = first
        while end < count, scanner.matches[end].start < lineEnd { end += 1 }
        matchCursor = end
        if let addresses {
            // Far enough ahead for memory to answer before the lookup, a handful of lines.
            let limit = min(count, end + 8)
            var next = max(prefetchCursor, end)
            while next < limit {
                if case .address(let address) = scanner.matches[next].kind {
                    addresses.prefetch(address)
                    if statistics != nil, keys != nil { statistics.unsafelyUnwrapped.prefetch(address, keys: keys.unsafelyUnwrapped) }
                }
                next += 1
            }
            prefetchCursor = next
        }
        return first..<end
    }

    /// Rewrites one line (without its line feed) under `epoch`'s keys.
    ///
    /// - Parameters:
    ///   - lineStart: The line's offset in the scanned buffer, where its `matches` are.
    ///   - addresses: `epoch`'s pseudonym cache, handed in by the caller, which holds it for many
    ///     lines (read here from the epoch, it would be retained and released per line).
    @inline(__always)
    private mutating func rewrite(
        _ line: UnsafeRawBufferPointer, at lineStart: Int, matches: Range<Int>, fields: LineFields?,
        epoch: EpochPseudonyms<Pseudonymizer>.Epoch, addresses: PseudonymCache<Pseudonymizer>?, into output: OutputBuffer
    ) {
        if plansReplacements {
            planReplacements(in: line, fields: fields)
        }
        anonymize(line: line, at: lineStart, matches: matches, epoch: epoch, addresses: addresses, into: output)
    }

    /// The record's own time (Unix seconds), if it has one.
    @inline(__always)
    private func recordTime(of line: UnsafeRawBufferPointer, fields: LineFields?) -> Int64? {
        guard let fields, let range = fields.time else { return nil }
        let text = UnsafeRawBufferPointer(rebasing: line[range])
        switch fields.format {
        case .common, .combined, .vhostCombined: return LogTimestamp.parseCommonLog(text)
        case .nginxJSON, .chatJSON: return LogTimestamp.parseISO8601(text)
        }
    }

    /// The key epoch of a line: from its own time, else the last time seen.
    @inline(__always)
    private mutating func epochIndex(time: Int64?) -> Int64 {
        guard rotation != .none else { return 0 }
        if let time {
            let epoch = rotation.epoch(at: time)
            lastEpoch = epoch
            return epoch
        }
        counts.linesWithoutTime += 1
        return lastEpoch ?? fallbackEpoch
    }

    /// Tells the session stage about a chat line with a session id; notes the latest time.
    private mutating func mark(_ line: UnsafeRawBufferPointer, fields: LineFields?, time: Int64?, output: Range<Int>) {
        if let time, time > latestTime ?? .min { latestTime = time }
        guard let fields, fields.format == .chatJSON, let session = fields.sessionID else { return }
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: line[session]))
        var isMessage = false
        if let event = fields.event {
            let name = UnsafeRawBufferPointer(rebasing: line[event])
            isMessage = name.count >= 7 && (0...(name.count - 7)).contains { start in
                name[start] | 0x20 == UInt8(ascii: "m") && "message".utf8.enumerated().allSatisfy { name[start + $0.offset] | 0x20 == $0.element }
            }
        }
        sessionMarks.append(SessionLineMark(start: output.lowerBound, end: output.upperBound, time: time, session: hasher.finalize(), isMessage: isMessage))
    }

    /// Anonymizes a piece of a line too long to hold, without recognising its format.
    ///
    /// - Parameters:
    ///   - piece: Bytes that end where no address can be cut in two.
    ///   - endsLine: Whether the piece ends the line (its line is then counted).
    mutating func anonymize(oversizedPiece piece: UnsafeRawBufferPointer, endsLine: Bool, into output: OutputBuffer) {
        let outputStart = output.count
        replacements.removeAll(keepingCapacity: true)
        let epoch = epochs.epoch(lastEpoch ?? fallbackEpoch)
        scanner.scan(piece)
        anonymize(line: piece, at: 0, matches: 0..<scanner.matches.count, epoch: epoch, addresses: epoch.addresses, into: output)
        counts.bytesIn += piece.count
        counts.bytesOut += output.count - outputStart
        if endsLine {
            counts.countLine(format: nil)
            counts.oversizedLines += 1
        }
    }

    /// Drops part of a run of address characters too long to be read whole, writing the
    /// redaction marker in its place once per run (fail closed: an address cut in two would be
    /// found in neither half).
    ///
    /// - Parameters:
    ///   - run: Bytes of the run (hex digits, dots, colons, percent signs).
    ///   - writingMarker: Whether this is the start of the run, which the marker replaces.
    ///   - endsLine: Whether the input ended inside the run (its line is then counted).
    mutating func redact(oversizedRun run: UnsafeRawBufferPointer, writingMarker: Bool, endsLine: Bool, into output: OutputBuffer) {
        counts.bytesIn += run.count
        if writingMarker {
            policy.redactionMarker.withUnsafeBytes { output.append($0) }
            counts.redactions += 1
            counts.bytesOut += policy.redactionMarker.count
        }
        if endsLine {
            counts.countLine(format: nil)
            counts.oversizedLines += 1
        }
    }

    /// Finds the identifier values and free-text pieces of `line` that get replaced, in order.
    private mutating func planReplacements(in line: UnsafeRawBufferPointer, fields: LineFields?) {
        // Emptying an array that is already empty still costs a call and a release.
        if !replacements.isEmpty { replacements.removeAll(keepingCapacity: true) }
        if !policy.identifiers.isEmpty {
            if !identifierRanges.isEmpty { identifierRanges.removeAll(keepingCapacity: true) }
            policy.identifiers.locate(in: line, into: &identifierRanges)
            for range in identifierRanges { replacements.append(LineReplacement(range: range, kind: .identifier)) }
        }
        if let fields {
            if !scrubbed.isEmpty { scrubbed.removeAll(keepingCapacity: true) }
            if policy.scrubChatText, fields.format == .chatJSON, let text = fields.text {
                scrubber.scrub(line, in: text, into: &scrubbed)
            }
            if policy.scrubURLs {
                if let request = fields.request { scrubber.scrub(line, in: request, into: &scrubbed) }
                if let referer = fields.referer { scrubber.scrub(line, in: referer, into: &scrubbed) }
            }
            for (range, kind) in scrubbed { replacements.append(LineReplacement(range: range, kind: .text(kind))) }
        }
        if policy.findsHexTokens { locateHexTokens(in: line) }
        guard replacements.count > 1 else { return }
        replacements.sort { $0.range.lowerBound < $1.range.lowerBound }
        // Overlapping pieces become one, replaced as the first of them.
        var kept = 0
        for index in 1..<replacements.count {
            if replacements[index].range.lowerBound < replacements[kept].range.upperBound {
                let upper = max(replacements[kept].range.upperBound, replacements[index].range.upperBound)
                replacements[kept].range = replacements[kept].range.lowerBound..<upper
            } else {
                kept += 1
                replacements[kept] = replacements[index]
            }
        }
        replacements.removeLast(replacements.count - kept - 1)
    }

    /// Copies `line` with its addresses, uncertain tokens and planned replacements rewritten.
    ///
    /// An address inside a planned replacement (an e-mail's domain literal, a session id that
    /// happens to be an address) goes with it; one that straddles its edge widens it.
    private mutating func anonymize(
        line: UnsafeRawBufferPointer, at lineStart: Int, matches: Range<Int>, epoch: EpochPseudonyms<Pseudonymizer>.Epoch,
        addresses: PseudonymCache<Pseudonymizer>?, into output: OutputBuffer
    ) {
        if addresses == nil { counts.linesInShreddedEpochs += 1 }
        // Matches are read by index, in place: a copy of the array would cost a retain.
        if replacements.isEmpty, keepsNothing, addresses != nil {
            replaceAddresses(in: line, at: lineStart, matches: matches, using: addresses.unsafelyUnwrapped, into: output)
            return
        }
        var position = 0
        var next = 0
        for index in matches {
            let match = scanner.matches[index].movedBy(-lineStart)
            while next < replacements.count, replacements[next].range.upperBound <= match.start {
                position = replace(replacements[next], in: line, from: position, epoch: epoch, into: output)
                next += 1
            }
            if next < replacements.count, replacements[next].range.lowerBound < match.end {
                let range = replacements[next].range
                replacements[next].range = min(range.lowerBound, match.start)..<max(range.upperBound, match.end)
                continue
            }
            output.append(UnsafeRawBufferPointer(rebasing: line[position..<match.start]))
            if case .address(let address) = match.kind, let addresses {
                if keepsNothing || !policy.keep.contains(address) {
                    write(addresses.pseudonym(for: address), spelling: match.spelling, into: output)
                    counts.addressesReplaced += 1
                } else {
                    output.append(UnsafeRawBufferPointer(rebasing: line[match.start..<match.end]))
                    counts.addressesKept += 1
                }
            } else {
                policy.redactionMarker.withUnsafeBytes { output.append($0) }
                counts.redactions += 1
            }
            position = match.end
        }
        while next < replacements.count {
            position = replace(replacements[next], in: line, from: position, epoch: epoch, into: output)
            next += 1
        }
        output.append(UnsafeRawBufferPointer(rebasing: line[position...]))
    }

    /// The common line: addresses only, all replaced.
    private mutating func replaceAddresses(
        in line: UnsafeRawBufferPointer, at lineStart: Int, matches: Range<Int>, using addresses: borrowing PseudonymCache<Pseudonymizer>,
        into output: OutputBuffer
    ) {
        var position = 0
        for index in matches {
            let match = scanner.matches[index].movedBy(-lineStart)
            output.append(UnsafeRawBufferPointer(rebasing: line[position..<match.start]))
            if case .address(let address) = match.kind {
                write(addresses.pseudonym(for: address), spelling: match.spelling, into: output)
                counts.addressesReplaced += 1
            } else {
                policy.redactionMarker.withUnsafeBytes { output.append($0) }
                counts.redactions += 1
            }
            position = match.end
        }
        output.append(UnsafeRawBufferPointer(rebasing: line[position...]))
    }

    /// Copies up to a planned replacement, writes it, and returns the offset after it.
    ///
    /// An identifier gets its keyed token, or the redaction marker when its epoch is shredded.
    private mutating func replace(
        _ replacement: LineReplacement, in line: UnsafeRawBufferPointer, from position: Int,
        epoch: EpochPseudonyms<Pseudonymizer>.Epoch, into output: OutputBuffer
    ) -> Int {
        let range = replacement.range
        output.append(UnsafeRawBufferPointer(rebasing: line[position..<range.lowerBound]))
        switch replacement.kind {
        case .identifier:
            if let identifiers = epoch.identifiers {
                let value = UnsafeRawBufferPointer(rebasing: line[range])
                output.appendWithin(IdentifierPseudonymizer.tokenLength) { buffer in
                    identifiers.writeToken(for: value, into: buffer)
                    return IdentifierPseudonymizer.tokenLength
                }
                counts.identifiersReplaced += 1
            } else {
                policy.redactionMarker.withUnsafeBytes { output.append($0) }
                counts.redactions += 1
            }
        case .text(let kind):
            let marker = kind.marker
            output.append(UnsafeRawBufferPointer(start: marker.utf8Start, count: marker.utf8CodeUnitCount))
            counts.textScrubbed += 1
        case .hexToken(let reverseZone):
            let token = UnsafeRawBufferPointer(rebasing: line[range])
            var decrypted = false
            if let decryptor = epoch.addresses?.pseudonymizer as? AddressDecryptor {
                withUnsafeTemporaryAllocation(byteCount: IPAddress.maximumTextLength, alignment: 1) { buffer in
                    guard let length = decryptor.writeDecryptedToken(token, into: buffer) else { return }
                    let text = UnsafeRawBufferPointer(rebasing: buffer[..<length])
                    if let reverseZone {
                        ReverseDNSName.write(text, zone: reverseZone, into: output)
                    } else {
                        output.append(text)
                    }
                    decrypted = true
                }
            }
            if decrypted {
                counts.addressesReplaced += 1
            } else {
                output.append(token)
            }
        }
        return range.upperBound
    }

    /// Runs of exactly 64 hex digits: the `ipcrypt-ndx` tokens to decrypt.
    private mutating func locateHexTokens(in line: UnsafeRawBufferPointer) {
        var index = 0
        while index < line.count {
            guard HexDigit.value(of: line[index]) != nil else {
                index += 1
                continue
            }
            let start = index
            while index < line.count, HexDigit.value(of: line[index]) != nil { index += 1 }
            // Any run of exactly 64 hex digits: anonymization may have glued a token to a word
            // (an address inside "…1.2.3.4gJe…"), so neighbours are not checked.
            if index - start == IPCryptNDX.Ciphertext.hexLength {
                var zone: IPAddress.Family?
                if index < line.count, line[index] == UInt8(ascii: "."), let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) {
                    switch AddressScanner.ReverseZone.after(base, at: index + 1, count: line.count) {
                    case .ipv4: zone = .v4
                    case .ipv6: zone = .v6
                    case nil: zone = nil
                    }
                }
                replacements.append(LineReplacement(range: start..<index, kind: .hexToken(reverseZone: zone)))
            }
        }
    }

    /// Writes a pseudonym, percent-encoding its separators when the address was encoded so.
    @inline(__always)
    private func write(_ text: UnsafeRawBufferPointer, spelling: AddressMatch.Spelling, into output: OutputBuffer) {
        switch spelling {
        case .plain:
            output.append(text)
            return
        case .reverseIPv4Name:
            ReverseDNSName.write(text, zone: .v4, into: output)
            return
        case .reverseIPv6Name:
            ReverseDNSName.write(text, zone: .v6, into: output)
            return
        case .percentEncodedUpper, .percentEncodedLower:
            break
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
