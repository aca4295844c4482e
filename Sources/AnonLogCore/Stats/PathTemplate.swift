/// Turns request paths into templates: `/orders/10482/items` → `/orders/{n}/items`.
///
/// Templates group requests that differ only by an id, so top-path tables stay small and never
/// hold personal values. Collapsed into placeholders: all-digit segments (`{n}`), UUIDs
/// (`{uuid}`), long hex runs (`{hex}`, also inside `app.4f1c9e2a.js`), long tokens mixing
/// letters and digits or both cases (`{id}`), anything with an `@` (`{email}`), over-long segments
/// (`{long}`), and every address the scanner finds (`{ip}`): a raw address never reaches the
/// store. The query string is dropped. Templates are cut at ``maximumLength`` bytes.
final class PathTemplate {
    /// The longest template kept, in bytes.
    static let maximumLength = 120
    private static let scratchSize = 256
    private let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: PathTemplate.scratchSize)
    private var scratchCount = 0
    private let result = UnsafeMutablePointer<UInt8>.allocate(capacity: PathTemplate.scratchSize * 2)
    private var resultCount = 0
    private var scanner = AddressScanner()
    /// The template of the last ``build(_:path:)``.
    private(set) var key: UInt64 = 0

    init() {}

    deinit {
        scratch.deallocate()
        result.deallocate()
    }

    /// Calls `body` with the last template's text.
    @inline(__always)
    func withText<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        body(UnsafeRawBufferPointer(start: result, count: resultCount))
    }

    /// The last template as a string (tests and cold paths).
    var text: String { withText { String(decoding: $0, as: UTF8.self) } }

    /// Builds the template of `bytes[path]` and returns its key (a hash of the text).
    @discardableResult
    func build(_ bytes: UnsafeRawBufferPointer, path: Range<Int>) -> UInt64 {
        scratchCount = 0
        var position = path.lowerBound
        let end = path.upperBound
        if position == end { append(UInt8(ascii: "/")) }
        while position < end, scratchCount <= Self.maximumLength {
            if bytes[position] == UInt8(ascii: "/") {
                append(UInt8(ascii: "/"))
                position += 1
                continue
            }
            var segmentEnd = position
            while segmentEnd < end, bytes[segmentEnd] != UInt8(ascii: "/") { segmentEnd += 1 }
            appendSegment(bytes, position, segmentEnd)
            position = segmentEnd
        }
        scrub()
        key = StatsHash.hash(UnsafeRawBufferPointer(start: result, count: resultCount), seed: 0x7061_7468)
        return key
    }

    // MARK: - Segments

    @inline(__always)
    private func append(_ byte: UInt8) {
        guard scratchCount < Self.scratchSize else { return }
        scratch[scratchCount] = byte
        scratchCount += 1
    }

    private func append(_ placeholder: StaticString) {
        let pointer = placeholder.utf8Start
        for offset in 0..<placeholder.utf8CodeUnitCount { append(pointer[offset]) }
    }

    private func appendSegment(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) {
        let count = end - start
        var digits = 0
        var hex = 0
        var letters = 0
        var hasAt = false
        var dashes = 0
        var underscores = 0
        var upper = 0
        for index in start..<end {
            let byte = bytes[index]
            if byte &- UInt8(ascii: "0") < 10 {
                digits += 1
                hex += 1
            } else if (byte | 0x20) &- UInt8(ascii: "a") < 6 {
                hex += 1
                letters += 1
                if byte < UInt8(ascii: "a") { upper += 1 }
            } else if (byte | 0x20) &- UInt8(ascii: "a") < 26 {
                letters += 1
                if byte < UInt8(ascii: "a") { upper += 1 }
            } else if byte == UInt8(ascii: "@") {
                hasAt = true
            } else if byte == UInt8(ascii: "-") {
                dashes += 1
            } else if byte == UInt8(ascii: "_") {
                underscores += 1
            }
        }
        if digits == count { return append("{n}") }
        if hasAt { return append("{email}") }
        if count == 36, dashes == 4, hex == 32 { return append("{uuid}") }
        if count > 64 { return append("{long}") }
        if hex == count, count >= 12, digits > 0 { return append("{hex}") }
        if digits + letters == count, count >= 20, digits >= 3, letters >= 3 { return append("{id}") }
        // Random tokens mix cases (session ids, API keys); slugs do not.
        if digits + letters + underscores == count, count >= 16, digits >= 2, upper >= 2, letters - upper >= 2 { return append("{id}") }
        // Within the segment, dot-separated hex runs of 8 or more with a digit (cache busters).
        var partStart = start
        while partStart <= end {
            var partEnd = partStart
            while partEnd < end, bytes[partEnd] != UInt8(ascii: ".") { partEnd += 1 }
            if isCacheBuster(bytes, partStart, partEnd) {
                append("{hex}")
            } else {
                for index in partStart..<partEnd { append(bytes[index]) }
            }
            if partEnd < end { append(UInt8(ascii: ".")) }
            partStart = partEnd + 1
        }
    }

    private func isCacheBuster(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        guard end - start >= 8 else { return false }
        var digits = 0
        for index in start..<end {
            let byte = bytes[index]
            if byte &- UInt8(ascii: "0") < 10 {
                digits += 1
            } else if (byte | 0x20) &- UInt8(ascii: "a") >= 6 {
                return false
            }
        }
        return digits > 0 && digits < end - start
    }

    // MARK: - Addresses

    /// Whether the scanner could find anything: an address needs a `:` or a digit next to a
    /// `.` (or their percent-encoded forms).
    private func mayHoldAddress() -> Bool {
        var previousDigit = false
        for index in 0..<scratchCount {
            let byte = scratch[index]
            switch byte {
            case UInt8(ascii: ":"), UInt8(ascii: "%"): return true
            case UInt8(ascii: "."):
                if previousDigit || (index + 1 < scratchCount && scratch[index + 1] &- UInt8(ascii: "0") < 10) { return true }
                previousDigit = false
            default:
                previousDigit = byte &- UInt8(ascii: "0") < 10
            }
        }
        return false
    }

    /// Copies the template to the result with every address (and every token that might be one)
    /// replaced by `{ip}`, then cuts it to the maximum length.
    private func scrub() {
        resultCount = 0
        if mayHoldAddress() {
            let template = UnsafeRawBufferPointer(start: scratch, count: scratchCount)
            scanner.scan(template)
            var position = 0
            for match in scanner.matches {
                copy(from: position, to: match.start)
                for byte in "{ip}".utf8 { result[resultCount] = byte; resultCount += 1 }
                position = match.end
            }
            copy(from: position, to: scratchCount)
        } else {
            copy(from: 0, to: scratchCount)
        }
        if resultCount > Self.maximumLength {
            resultCount = Self.maximumLength
            // Do not leave half a UTF-8 sequence, then mark the cut.
            while resultCount > 0, result[resultCount - 1] & 0xC0 == 0x80 { resultCount -= 1 }
            if resultCount > 0, result[resultCount - 1] >= 0xC0 { resultCount -= 1 }
            for byte: UInt8 in [0xE2, 0x80, 0xA6] {
                result[resultCount] = byte
                resultCount += 1
            }
        }
    }

    @inline(__always)
    private func copy(from start: Int, to end: Int) {
        guard end > start else { return }
        (result + resultCount).update(from: scratch + start, count: end - start)
        resultCount += end - start
    }
}
