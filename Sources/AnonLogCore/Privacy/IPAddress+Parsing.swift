extension IPAddress {
    /// Parses an address written as IPv4 dotted decimal or as IPv6 text (RFC 4291 section 2.2).
    ///
    /// This is the strict form `inet_pton` accepts: no zone identifier, no brackets, no port and
    /// no leading zeros in IPv4 octets. The scanner that finds addresses inside log lines is more
    /// lenient and lives in ``AddressScanner``.
    ///
    /// - Parameter text: The address, nothing else.
    public init?(_ text: String) {
        var text = text
        let parsed = text.withUTF8 { utf8 in
            IPAddress.parse(UnsafeRawBufferPointer(utf8))
        }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Parses IPv4 or IPv6 text from raw bytes; `nil` when the bytes are not exactly an address.
    @inlinable
    public static func parse(_ text: UnsafeRawBufferPointer) -> IPAddress? {
        for byte in text where byte == UInt8(ascii: ":") {
            return parseIPv6(text)
        }
        return parseIPv4(text)
    }

    /// Parses exactly four decimal octets without leading zeros.
    @inlinable
    public static func parseIPv4(_ text: UnsafeRawBufferPointer) -> IPAddress? {
        guard let bits = parseDottedQuad(text, from: 0, to: text.count) else { return nil }
        return IPAddress(ipv4: bits)
    }

    /// Parses IPv6 text: one to eight groups of up to four hex digits, at most one `::`, and an
    /// optional trailing dotted-quad IPv4 part that stands for the last two groups.
    public static func parseIPv6(_ text: UnsafeRawBufferPointer) -> IPAddress? {
        let count = text.count
        // 45 = eight-group text with an embedded IPv4 part: "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"
        guard count >= 2, count <= 45 else { return nil }
        var groups = InlineArray<8, UInt16>(repeating: 0)
        var groupCount = 0
        var gapAt = -1
        var index = 0
        let colon = UInt8(ascii: ":")

        if text[0] == colon {
            guard text[1] == colon else { return nil }
            gapAt = 0
            index = 2
            if index == count { return IPAddress(ipv6High: 0, low: 0) }
        }
        while true {
            let tokenStart = index
            var value: UInt32 = 0
            var digits = 0
            while index < count, digits <= 4, let nibble = HexDigit.value(of: text[index]) {
                value = value << 4 | UInt32(nibble)
                digits += 1
                index += 1
            }
            if index < count, text[index] == UInt8(ascii: ".") {
                // An embedded IPv4 part ends the address and takes the last two groups.
                guard groupCount <= 6, let bits = parseDottedQuad(text, from: tokenStart, to: count) else { return nil }
                groups[groupCount] = UInt16(truncatingIfNeeded: bits >> 16)
                groups[groupCount + 1] = UInt16(truncatingIfNeeded: bits)
                groupCount += 2
                break
            }
            guard digits >= 1, digits <= 4, groupCount < 8 else { return nil }
            groups[groupCount] = UInt16(value)
            groupCount += 1
            if index == count { break }
            guard text[index] == colon else { return nil }
            index += 1
            if index < count, text[index] == colon {
                guard gapAt < 0 else { return nil }
                gapAt = groupCount
                index += 1
                if index == count { break }
            } else if index == count {
                return nil  // a single trailing colon
            }
        }
        if gapAt < 0 {
            guard groupCount == 8 else { return nil }
        } else {
            // "::" stands for at least one zero group.
            guard groupCount <= 7 else { return nil }
            let tail = groupCount - gapAt
            var source = groupCount - 1
            var target = 7
            for _ in 0..<tail {
                groups[target] = groups[source]
                target -= 1
                source -= 1
            }
            for zeroed in gapAt..<(8 - tail) { groups[zeroed] = 0 }
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for position in 0..<4 { high = high << 16 | UInt64(groups[position]) }
        for position in 4..<8 { low = low << 16 | UInt64(groups[position]) }
        return IPAddress(ipv6High: high, low: low)
    }

    /// Parses `a.b.c.d` in `text[from..<to]`: four decimal octets of one to three digits, no
    /// leading zeros, each at most 255.
    @usableFromInline
    static func parseDottedQuad(_ text: UnsafeRawBufferPointer, from start: Int, to end: Int) -> UInt32? {
        var bits: UInt32 = 0
        var index = start
        for octetIndex in 0..<4 {
            if octetIndex > 0 {
                guard index < end, text[index] == UInt8(ascii: ".") else { return nil }
                index += 1
            }
            let octetStart = index
            var value: UInt32 = 0
            while index < end, index - octetStart < 3 {
                let digit = text[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                value = value * 10 + UInt32(digit)
                index += 1
            }
            let length = index - octetStart
            guard length > 0, value <= 255, !(length > 1 && text[octetStart] == UInt8(ascii: "0")) else {
                return nil
            }
            bits = bits << 8 | value
        }
        return index == end ? bits : nil
    }
}

/// Hex digit classification shared by the parsers and the scanner.
@usableFromInline
enum HexDigit {
    /// The value of an ASCII hex digit, or `nil`.
    @inlinable
    static func value(of byte: UInt8) -> UInt8? {
        let digit = byte &- UInt8(ascii: "0")
        if digit < 10 { return digit }
        let letter = (byte | 0x20) &- UInt8(ascii: "a")
        if letter < 6 { return letter + 10 }
        return nil
    }

    /// The lower-case ASCII hex digit for a value below 16.
    @inlinable
    static func character(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
