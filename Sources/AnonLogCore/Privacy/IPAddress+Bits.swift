extension IPAddress {
    /// The 128 bits as one number, the first bit of the address the most significant.
    var bits: UInt128 {
        UInt128(high) << 64 | UInt128(low)
    }

    /// The IPv6 address with the given 128 bits.
    init(ipv6Bits bits: UInt128) {
        self.init(ipv6High: UInt64(truncatingIfNeeded: bits >> 64), low: UInt64(truncatingIfNeeded: bits))
    }

    /// The same bits, read as IPv4 when they lie in `::ffff:0:0/96` and as IPv6 otherwise.
    ///
    /// The ipcrypt draft turns its 16-byte results into text this way.
    init(mappedOrIPv6Bits bits: UInt128) {
        self.init(ipv6Bits: bits)
        if isIPv4Mapped { family = .v4 }
    }
}
