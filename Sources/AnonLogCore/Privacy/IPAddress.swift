/// An IPv4 or IPv6 address as 128 bits.
///
/// IPv4 addresses are held in their IPv4-mapped form (`::ffff:a.b.c.d`), so an address and its
/// mapped spelling have the same bits and therefore the same pseudonym; ``family`` remembers how
/// the address was written.
public struct IPAddress: Hashable, Sendable {
    /// How the address was written.
    public enum Family: Hashable, Sendable {
        case v4
        case v6
    }

    /// The first 64 bits, most significant byte first.
    public var high: UInt64
    /// The last 64 bits, most significant byte first.
    public var low: UInt64
    /// How the address was written.
    public var family: Family

    /// The IPv4 address with the given 32 bits (most significant octet first).
    public init(ipv4 bits: UInt32) {
        self.high = 0
        self.low = 0x0000_FFFF_0000_0000 | UInt64(bits)
        self.family = .v4
    }

    /// The IPv6 address with the given 128 bits.
    public init(ipv6High high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
        self.family = .v6
    }

    /// Whether the 128 bits lie in `::ffff:0:0/96`, the IPv4-mapped range.
    @inlinable
    public var isIPv4Mapped: Bool {
        high == 0 && (low >> 32) == 0xFFFF
    }

    /// The 32 IPv4 bits of an IPv4 or IPv4-mapped address.
    public var ipv4Bits: UInt32? {
        isIPv4Mapped ? UInt32(truncatingIfNeeded: low) : nil
    }

    /// Whether this is `0.0.0.0` or `::`, which name no host.
    public var isUnspecified: Bool {
        switch family {
        case .v4: low == 0x0000_FFFF_0000_0000
        case .v6: high == 0 && low == 0
        }
    }

    /// Calls `body` with the 16 bytes of the 128-bit form, most significant first.
    @inlinable
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        var words = (high.bigEndian, low.bigEndian)
        return try withUnsafeBytes(of: &words) { try body($0) }
    }
}
