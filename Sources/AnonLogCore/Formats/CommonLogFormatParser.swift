#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Reads lines of the NCSA family: common, combined and vhost_combined (and combined with extra
/// fields after the user agent, as nginx setups often log).
///
/// The client part may be an X-Forwarded-For list with spaces (`203.0.113.7, 10.0.0.1`), so the
/// parser anchors on the `[dd/Mon/yyyy:` timestamp and reads ident and user to its left.
enum CommonLogFormatParser {
    static func parse(_ line: UnsafeRawBufferPointer) -> LineFields? {
        var end = line.count
        while end > 0, line[end - 1] == UInt8(ascii: "\r") || line[end - 1] == UInt8(ascii: " ") { end -= 1 }
        guard let open = timestampStart(line, end: end) else { return nil }

        // Left of the timestamp: [vhost:port] host... ident user
        guard let userStart = lastSpace(line, before: open - 1).map({ $0 + 1 }),
            let identStart = lastSpace(line, before: userStart - 1).map({ $0 + 1 }),
            identStart >= 2
        else { return nil }
        let hostEnd = identStart - 1
        var fields = LineFields(format: .combined)
        if let firstSpace = firstSpace(line, from: 0, to: hostEnd),
            line[firstSpace - 1] != UInt8(ascii: ","),
            isHostAndPort(line, from: 0, to: firstSpace)
        {
            fields.format = .vhostCombined
            fields.client = (firstSpace + 1)..<hostEnd
        } else {
            fields.client = 0..<hostEnd
        }
        guard let client = fields.client, !client.isEmpty else { return nil }

        guard let close = index(of: UInt8(ascii: "]"), in: line, from: open + 1, to: end) else { return nil }
        fields.time = (open + 1)..<close
        var position = close + 1
        guard position + 1 < end, line[position] == UInt8(ascii: " "), line[position + 1] == UInt8(ascii: "\"") else {
            return nil
        }
        // The request ends at the quote that is followed by " ddd " (a status code): request
        // lines of attack traffic contain stray quotes and binary junk. A quote Apache escaped
        // as \" is inside the request, unless no other quote can end it (old servers did not
        // escape, so a request may end in a raw backslash).
        let requestStart = position + 2
        var search = requestStart
        var requestEnd: Int?
        var escapedCandidate: Int?
        while let quote = index(of: UInt8(ascii: "\""), in: line, from: search, to: end) {
            if quote + 5 <= end, line[quote + 1] == UInt8(ascii: " "),
                isDigit(line[quote + 2]), isDigit(line[quote + 3]), isDigit(line[quote + 4]),
                quote + 5 == end || line[quote + 5] == UInt8(ascii: " ")
            {
                if !isEscaped(line, quote: quote, after: requestStart) {
                    requestEnd = quote
                    break
                }
                if escapedCandidate == nil { escapedCandidate = quote }
            }
            search = quote + 1
        }
        guard let requestEnd = requestEnd ?? escapedCandidate else { return nil }
        fields.request = requestStart..<requestEnd
        fields.status = (requestEnd + 2)..<(requestEnd + 5)
        position = requestEnd + 5
        guard position < end else { return nil }
        position += 1
        let bytesStart = position
        while position < end, line[position] != UInt8(ascii: " ") { position += 1 }
        guard position > bytesStart, isByteCount(line, from: bytesStart, to: position) else { return nil }
        fields.bytesSent = bytesStart..<position
        if position == end {
            guard fields.format != .vhostCombined else { return nil }
            fields.format = .common
            return fields
        }
        guard let referer = quoted(line, at: position, end: end) else { return nil }
        fields.referer = referer
        guard let userAgent = quoted(line, at: referer.upperBound + 1, end: end) else { return nil }
        fields.userAgent = userAgent
        return fields
    }

    // MARK: - Pieces

    /// The `[` of a `[dd/Mon/yyyy:` timestamp that follows a space.
    private static func timestampStart(_ line: UnsafeRawBufferPointer, end: Int) -> Int? {
        var position = 1
        while let open = index(of: UInt8(ascii: "["), in: line, from: position, to: end) {
            if open + 13 < end, line[open - 1] == UInt8(ascii: " "),
                line[open + 3] == UInt8(ascii: "/"), line[open + 7] == UInt8(ascii: "/"),
                line[open + 12] == UInt8(ascii: ":"), isDigit(line[open + 1]), isDigit(line[open + 8])
            {
                return open
            }
            position = open + 1
        }
        return nil
    }

    /// ` "..."` at `position`: the range inside the quotes; `\"` does not end it.
    private static func quoted(_ line: UnsafeRawBufferPointer, at position: Int, end: Int) -> Range<Int>? {
        guard position + 2 <= end, line[position] == UInt8(ascii: " "), line[position + 1] == UInt8(ascii: "\"") else {
            return nil
        }
        var search = position + 2
        while let quote = index(of: UInt8(ascii: "\""), in: line, from: search, to: end) {
            if !isEscaped(line, quote: quote, after: position + 2) { return (position + 2)..<quote }
            search = quote + 1
        }
        return nil
    }

    /// Whether an odd number of backslashes (after `start`) stands right before `quote`.
    private static func isEscaped(_ line: UnsafeRawBufferPointer, quote: Int, after start: Int) -> Bool {
        var index = quote - 1
        while index >= start, line[index] == UInt8(ascii: "\\") { index -= 1 }
        return (quote - 1 - index) % 2 == 1
    }

    private static func isHostAndPort(_ line: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Bool {
        var index = end - 1
        while index > start, isDigit(line[index]) { index -= 1 }
        return index > start && index < end - 1 && line[index] == UInt8(ascii: ":")
            && line[index - 1] != UInt8(ascii: ":")
    }

    private static func isByteCount(_ line: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Bool {
        if end - start == 1, line[start] == UInt8(ascii: "-") { return true }
        for index in start..<end where !isDigit(line[index]) { return false }
        return true
    }

    @inline(__always) private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private static func index(of byte: UInt8, in line: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        guard start < end, let base = line.baseAddress else { return nil }
        guard let found = memchr(base + start, Int32(byte), end - start) else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }

    private static func lastSpace(_ line: UnsafeRawBufferPointer, before end: Int) -> Int? {
        var index = end - 1
        while index >= 0 {
            if line[index] == UInt8(ascii: " ") { return index }
            index -= 1
        }
        return nil
    }

    private static func firstSpace(_ line: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        index(of: UInt8(ascii: " "), in: line, from: start, to: end)
    }
}
