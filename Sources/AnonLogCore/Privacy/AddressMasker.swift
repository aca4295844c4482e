/// Replaces an address by its network: the low bits are zeroed, as anonip does (the `mask` mode).
///
/// ``ipv4Mask`` and ``ipv6Mask`` count the bits zeroed from the right, with anonip's defaults of
/// 12 and 84 (an IPv4 address keeps its /20, an IPv6 address its /44). IPv6 is written in the
/// RFC 5952 form (`2001:db8:85a0::`), IPv4 in dotted decimal. An IPv4-mapped address
/// (`::ffff:192.168.100.200`) is masked as the IPv4 address it is and written back mapped
/// (`::ffff:192.168.96.0`); anonip masks its 128 bits with the IPv6 mask and writes `::`.
///
/// Masking is not keyed and not reversible; it keeps no secret and needs no key.
public struct AddressMasker: AddressPseudonymizer, Sendable {
    /// The IPv4 bits zeroed by default, as in anonip.
    public static let defaultIPv4Mask = 12
    /// The IPv6 bits zeroed by default, as in anonip.
    public static let defaultIPv6Mask = 84

    /// How many low bits of an IPv4 address are zeroed (0 through 32).
    public let ipv4Mask: Int
    /// How many low bits of an IPv6 address are zeroed (0 through 128).
    public let ipv6Mask: Int
    private let ipv4Kept: UInt32
    private let ipv6Kept: UInt128

    /// Makes a masker.
    ///
    /// - Parameters:
    ///   - ipv4Mask: Low bits of IPv4 addresses to zero, 0 through 32 (0 leaves them unchanged).
    ///   - ipv6Mask: Low bits of IPv6 addresses to zero, 0 through 128.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/usage`` when a mask is out of range.
    public init(ipv4Mask: Int = defaultIPv4Mask, ipv6Mask: Int = defaultIPv6Mask) throws(AnonLogError) {
        guard (0...32).contains(ipv4Mask) else {
            throw AnonLogError(.usage, "the ipv4 mask counts the bits zeroed, 0 through 32, not \(ipv4Mask)")
        }
        guard (0...128).contains(ipv6Mask) else {
            throw AnonLogError(.usage, "the ipv6 mask counts the bits zeroed, 0 through 128, not \(ipv6Mask)")
        }
        self.ipv4Mask = ipv4Mask
        self.ipv6Mask = ipv6Mask
        // A shift by the whole width gives 0: everything is zeroed.
        self.ipv4Kept = UInt32.max << ipv4Mask
        self.ipv6Kept = UInt128.max << ipv6Mask
    }

    /// The address with its low bits zeroed, in the family it was written in.
    ///
    /// - Parameter address: Any address; IPv4-mapped addresses are masked as IPv4.
    /// - Returns: The masked address.
    public func mask(_ address: IPAddress) -> IPAddress {
        var masked = address
        if let bits = address.ipv4Bits {
            masked.low = 0x0000_FFFF_0000_0000 | UInt64(bits & ipv4Kept)
        } else {
            masked.high &= UInt64(truncatingIfNeeded: ipv6Kept >> 64)
            masked.low &= UInt64(truncatingIfNeeded: ipv6Kept)
        }
        return masked
    }

    public var maximumLength: Int { IPAddress.maximumTextLength }

    /// Writes the masked address: dotted decimal, RFC 5952, or `::ffff:a.b.c.d` as it was written.
    public func writePseudonym(for address: IPAddress, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        mask(address).format(into: buffer)
    }
}
