/// Writes a replacement address the way a reverse-DNS name spells one: IPv4 octets backwards
/// (`4.3.2.1` before `.in-addr.arpa`), IPv6 as 32 nibbles backwards (before `.ip6.arpa`).
///
/// So a name whose address was replaced stays a valid name, of the replacement, and decrypting
/// a reversible mode gives back the original name. A replacement of the other family (an IPv6
/// pseudonym in an `in-addr.arpa` name) is written forwards: the name is no longer valid, but
/// the address in it is unambiguous.
enum ReverseDNSName {
    /// - Parameters:
    ///   - text: The replacement.
    ///   - zone: The family of the name's zone: IPv4 for `in-addr.arpa`, IPv6 for `ip6.arpa`.
    ///   - output: Receives the bytes.
    static func write(_ text: UnsafeRawBufferPointer, zone: IPAddress.Family, into output: OutputBuffer) {
        guard let address = IPAddress.parse(text), address.family == zone else {
            output.append(text)
            return
        }
        if address.family == .v4, let bits = address.ipv4Bits {
            withUnsafeTemporaryAllocation(byteCount: 15, alignment: 1) { buffer in
                let reversed = (bits & 0xFF) << 24 | (bits >> 8 & 0xFF) << 16 | (bits >> 16 & 0xFF) << 8 | bits >> 24
                let length = IPAddress.formatDottedQuad(reversed, into: buffer, at: 0)
                output.append(UnsafeRawBufferPointer(rebasing: buffer[..<length]))
            }
            return
        }
        for index in (0..<32).reversed() {
            let word = index < 16 ? address.high : address.low
            let nibble = UInt8(truncatingIfNeeded: word >> UInt64((15 - index % 16) * 4)) & 0xF
            output.append(HexDigit.character(nibble))
            if index > 0 { output.append(UInt8(ascii: ".")) }
        }
    }
}
