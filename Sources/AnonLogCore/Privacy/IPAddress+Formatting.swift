extension IPAddress: CustomStringConvertible {
    /// The longest text ``format(into:)`` writes: eight groups of four hex digits and seven colons.
    public static let maximumTextLength = 39

    /// The address as text: IPv4 dotted decimal, IPv6 in the RFC 5952 canonical form.
    public var description: String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: IPAddress.maximumTextLength) { buffer in
            let length = format(into: UnsafeMutableRawBufferPointer(buffer))
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<length]), as: UTF8.self)
        }
    }

    /// Writes the address as text and returns the number of bytes written (at most 39).
    ///
    /// IPv4 is dotted decimal. IPv6 follows RFC 5952: lower case, no leading zeros, the longest
    /// run of two or more zero groups (the first of equals) as `::`, and the IPv4-mapped range
    /// written as `::ffff:a.b.c.d`.
    ///
    /// - Parameter buffer: At least ``maximumTextLength`` bytes.
    /// - Returns: The number of bytes written.
    @inlinable
    public func format(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        if family == .v4, let bits = ipv4Bits {
            return IPAddress.formatDottedQuad(bits, into: buffer, at: 0)
        }
        if isIPv4Mapped, let bits = ipv4Bits {
            let prefix: StaticString = "::ffff:"
            for index in 0..<prefix.utf8CodeUnitCount { buffer[index] = prefix.utf8Start[index] }
            return IPAddress.formatDottedQuad(bits, into: buffer, at: prefix.utf8CodeUnitCount)
        }
        return formatGroups(into: buffer, compressing: true)
    }

    /// Writes all eight IPv6 groups without `::` compression (leading zeros still dropped).
    ///
    /// Pseudonyms use this form: it is valid RFC 4291 text, and because it always has eight
    /// groups, a port written after it (`fd3a:…:91c2:8080`) stays unambiguous.
    @inlinable
    public func formatUncompressed(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        formatGroups(into: buffer, compressing: false)
    }

    @inlinable
    func formatGroups(into buffer: UnsafeMutableRawBufferPointer, compressing: Bool) -> Int {
        @inline(__always) func group(_ index: Int) -> UInt16 {
            let word = index < 4 ? high : low
            return UInt16(truncatingIfNeeded: word >> (UInt64(3 - (index & 3)) * 16))
        }
        var gapStart = -1
        var gapLength = 0
        if compressing {
            var runStart = -1
            for index in 0..<8 {
                if group(index) == 0 {
                    if runStart < 0 { runStart = index }
                    let length = index - runStart + 1
                    if length > gapLength {
                        gapLength = length
                        gapStart = runStart
                    }
                } else {
                    runStart = -1
                }
            }
            if gapLength < 2 { gapStart = -1 }
        }
        var position = 0
        var index = 0
        while index < 8 {
            if index == gapStart {
                buffer[position] = UInt8(ascii: ":")
                position += 1
                if index == 0 {
                    buffer[position] = UInt8(ascii: ":")
                    position += 1
                }
                index += gapLength
                continue
            }
            position += IPAddress.formatHexGroup(group(index), into: buffer, at: position)
            if index < 7 {
                buffer[position] = UInt8(ascii: ":")
                position += 1
            }
            index += 1
        }
        return position
    }

    @inlinable
    static func formatHexGroup(_ value: UInt16, into buffer: UnsafeMutableRawBufferPointer, at start: Int) -> Int {
        var position = start
        var started = false
        var shift = 12
        while shift >= 0 {
            let nibble = UInt8(truncatingIfNeeded: value >> UInt16(shift)) & 0xF
            if nibble != 0 || started || shift == 0 {
                buffer[position] = HexDigit.character(nibble)
                position += 1
                started = true
            }
            shift -= 4
        }
        return position - start
    }

    @inlinable
    static func formatDottedQuad(_ bits: UInt32, into buffer: UnsafeMutableRawBufferPointer, at start: Int) -> Int {
        var position = start
        for octetIndex in 0..<4 {
            if octetIndex > 0 {
                buffer[position] = UInt8(ascii: ".")
                position += 1
            }
            let octet = UInt8(truncatingIfNeeded: bits >> UInt32((3 - octetIndex) * 8))
            if octet >= 100 {
                buffer[position] = UInt8(ascii: "0") + octet / 100
                position += 1
            }
            if octet >= 10 {
                buffer[position] = UInt8(ascii: "0") + octet / 10 % 10
                position += 1
            }
            buffer[position] = UInt8(ascii: "0") + octet % 10
            position += 1
        }
        return position
    }
}
