/// Turns request paths into templates: `/orders/10482/items` → `/orders/{n}/items`.
///
/// Templates group requests that differ only by an id, so top-path tables stay small and never
/// hold personal values. Collapsed into placeholders: all-digit segments (`{n}`), UUIDs
/// (`{uuid}`), long hex runs (`{hex}`, also inside `app.4f1c9e2a.js`), long tokens mixing
/// letters and digits (`{id}`), anything with an `@` (`{email}`), over-long segments
/// (`{long}`), and every address the scanner finds (`{ip}`): a raw address never reaches the
/// store. The query string is dropped. Templates are cut at ``maximumLength`` bytes.
final class PathTemplate {
    /// The longest template kept, in bytes.
    static let maximumLength = 120
    private var scratch: [UInt8] = []
    private var scrubbed: [UInt8] = []
    private var scanner = AddressScanner()
    /// The template of the last ``build(_:path:)``.
    private(set) var key: UInt64 = 0

    init() {
        scratch.reserveCapacity(512)
        scrubbed.reserveCapacity(512)
    }

    /// The text of the last template; valid until the next build.
    var bytes: UnsafeRawBufferPointer { scrubbed.withUnsafeBytes { $0 } }

    /// Calls `body` with the last template's text.
    func withText<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        scrubbed.withUnsafeBytes(body)
    }

    /// Builds the template of `bytes[path]` and returns its key (a hash of the text).
    @discardableResult
    func build(_ bytes: UnsafeRawBufferPointer, path: Range<Int>) -> UInt64 {
        scratch.removeAll(keepingCapacity: true)
        var position = path.lowerBound
        let end = path.upperBound
        if position == end { scratch.append(UInt8(ascii: "/")) }
        while position < end {
            if bytes[position] == UInt8(ascii: "/") {
                scratch.append(UInt8(ascii: "/"))
                position += 1
                continue
            }
            var segmentEnd = position
            while segmentEnd < end, bytes[segmentEnd] != UInt8(ascii: "/") { segmentEnd += 1 }
            appendSegment(bytes, position, segmentEnd)
            position = segmentEnd
            if scratch.count > Self.maximumLength { break }
        }
        scrub()
        key = scrubbed.withUnsafeBytes { StatsHash.hash($0, seed: 0x7061_7468) }
        return key
    }

    // MARK: - Segments

    private func appendSegment(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) {
        let count = end - start
        var digits = 0
        var hex = 0
        var letters = 0
        var hasAt = false
        var dashes = 0
        for index in start..<end {
            let byte = bytes[index]
            if byte &- UInt8(ascii: "0") < 10 {
                digits += 1
                hex += 1
            } else if (byte | 0x20) &- UInt8(ascii: "a") < 6 {
                hex += 1
                letters += 1
            } else if (byte | 0x20) &- UInt8(ascii: "a") < 26 {
                letters += 1
            } else if byte == UInt8(ascii: "@") {
                hasAt = true
            } else if byte == UInt8(ascii: "-") {
                dashes += 1
            }
        }
        if digits == count { return append("{n}") }
        if hasAt { return append("{email}") }
        if count == 36, dashes == 4, hex == 32 { return append("{uuid}") }
        if count > 64 { return append("{long}") }
        if hex == count, count >= 12, digits > 0 { return append("{hex}") }
        if digits + letters == count, count >= 20, digits >= 3, letters >= 3 { return append("{id}") }
        // Within the segment, dot-separated hex runs of 8 or more with a digit (cache busters).
        var partStart = start
        while partStart <= end {
            var partEnd = partStart
            while partEnd < end, bytes[partEnd] != UInt8(ascii: ".") { partEnd += 1 }
            if isCacheBuster(bytes, partStart, partEnd) {
                append("{hex}")
            } else {
                for index in partStart..<partEnd { scratch.append(bytes[index]) }
            }
            if partEnd < end { scratch.append(UInt8(ascii: ".")) }
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

    private func append(_ placeholder: StaticString) {
        let pointer = placeholder.utf8Start
        for offset in 0..<placeholder.utf8CodeUnitCount { scratch.append(pointer[offset]) }
    }

    /// Copies the scratch template to the result with every address (and every token that
    /// might be one) replaced by `{ip}`, then cuts it to the maximum length.
    private func scrub() {
        scrubbed.removeAll(keepingCapacity: true)
        scratch.withUnsafeBytes { template in
            scanner.scan(template)
            var position = 0
            for match in scanner.matches {
                scrubbed.append(contentsOf: template[position..<match.start])
                for byte in "{ip}".utf8 { scrubbed.append(byte) }
                position = match.end
            }
            scrubbed.append(contentsOf: template[position...])
        }
        if scrubbed.count > Self.maximumLength {
            scrubbed.removeSubrange(Self.maximumLength...)
            // Do not leave half a UTF-8 sequence, then mark the cut.
            while let last = scrubbed.last, last & 0xC0 == 0x80 { scrubbed.removeLast() }
            if let last = scrubbed.last, last >= 0xC0 { scrubbed.removeLast() }
            scrubbed.append(contentsOf: [0xE2, 0x80, 0xA6])
        }
    }
}
