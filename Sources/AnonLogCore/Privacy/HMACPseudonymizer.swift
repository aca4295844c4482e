/// Pseudonyms from HMAC-SHA256 of the address under a secret key (the default mode).
///
/// The MAC is taken over the 16-byte form of the address, IPv4 as `::ffff:a.b.c.d`, so an IPv4
/// address and its mapped spelling get the same pseudonym. Without the key nothing can be
/// reversed or enumerated; with the same key every host computes the same pseudonym.
public struct HMACPseudonymizer: AddressPseudonymizer, Sendable {
    /// How a pseudonym is written.
    public enum Shape: String, Sendable, CaseIterable {
        /// An IPv6 unique-local address, `fd00::/8` followed by 120 bits of the MAC, written with
        /// all eight groups: the log stays valid for every tool that reads addresses.
        case address
        /// Sixteen lower-case hex digits (64 bits of the MAC).
        case token
    }

    /// Which network an address belongs to, for network-linked pseudonyms.
    public struct NetworkLinking: Sendable {
        /// The network MAC's key (``KeyPurpose/network``).
        public var key: SecretKey
        /// The IPv4 network prefix length (24 by default).
        public var ipv4PrefixLength: Int
        /// The IPv6 network prefix length (48 by default).
        public var ipv6PrefixLength: Int

        public init(key: SecretKey, ipv4PrefixLength: Int = 24, ipv6PrefixLength: Int = 48) {
            self.key = key
            self.ipv4PrefixLength = ipv4PrefixLength
            self.ipv6PrefixLength = ipv6PrefixLength
        }
    }

    private let mac: HMACSHA256
    /// The network MAC, keyed with an empty key when ``linksNetworks`` is false: an optional
    /// was copied whole (two SHA-256 states) just to be tested, once per pseudonym made.
    private let networkMAC: HMACSHA256
    private let linksNetworks: Bool
    private let networkMasks: (ipv4: (UInt64, UInt64), ipv6: (UInt64, UInt64))
    public let shape: Shape

    /// - Parameters:
    ///   - key: The subkey for addresses (``KeyPurpose/address``).
    ///   - shape: How pseudonyms are written.
    ///   - linking: When given, the pseudonym's leading bits (40 of the address shape, 24 of
    ///     the token) come from a MAC of the address's network, so that analysts can group by
    ///     network without seeing one; the rest still comes from the whole address.
    public init(key: SecretKey, shape: Shape = .address, linking: NetworkLinking? = nil) {
        self.mac = HMACSHA256(key: key)
        self.shape = shape
        self.networkMAC = linking.map { HMACSHA256(key: $0.key) } ?? HMACSHA256(key: [UInt8]())
        self.linksNetworks = linking != nil
        let ipv4 = Self.mask(96 + (linking?.ipv4PrefixLength ?? 24))
        let ipv6 = Self.mask(linking?.ipv6PrefixLength ?? 48)
        self.networkMasks = (ipv4, ipv6)
    }

    private static func mask(_ length: Int) -> (UInt64, UInt64) {
        let high: UInt64 = length >= 64 ? .max : (length == 0 ? 0 : ~(UInt64.max >> UInt64(length)))
        let low: UInt64 = length <= 64 ? 0 : (length >= 128 ? .max : ~(UInt64.max >> UInt64(length - 64)))
        return (high, low)
    }

    public var maximumLength: Int { IPAddress.maximumTextLength }

    public func writePseudonym(for address: IPAddress, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var digest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &digest) { digestBytes in
            address.withBytes { mac.authenticate($0, into: digestBytes) }
        }
        var first = UInt64(bigEndian: digest.0)
        var second = UInt64(bigEndian: digest.1)
        if linksNetworks {
            // The network's MAC supplies the leading bits; the address's MAC the rest.
            let (maskHigh, maskLow) = address.isIPv4Mapped ? networkMasks.ipv4 : networkMasks.ipv6
            var network = (address.high & maskHigh, address.low & maskLow, maskHigh, maskLow)
            var networkDigest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            withUnsafeMutableBytes(of: &networkDigest) { digestBytes in
                withUnsafeBytes(of: &network) { networkMAC.authenticate($0, into: digestBytes) }
            }
            let networkBits = UInt64(bigEndian: networkDigest.0)
            switch shape {
            case .address:  // 40 network bits, then 80 address bits
                second = first << 24 | second >> 40
                first = networkBits & 0xFFFF_FFFF_FF00_0000 | first >> 40
            case .token:  // 24 network bits, then 40 address bits
                first = networkBits & 0xFFFF_FF00_0000_0000 | first >> 24
            }
        }
        switch shape {
        case .address:
            // fd + the first 120 bits.
            let high = first >> 8 | 0xFD00_0000_0000_0000
            let low = first << 56 | second >> 8
            return IPAddress(ipv6High: high, low: low).formatUncompressed(into: buffer)
        case .token:
            for index in 0..<16 {
                buffer[index] = HexDigit.character(UInt8(truncatingIfNeeded: first >> UInt64(60 - index * 4)) & 0xF)
            }
            return 16
        }
    }
}

extension HMACPseudonymizer {
    /// The pseudonymizer of one key epoch, as the options ask for it.
    ///
    /// - Parameters:
    ///   - epochKey: The epoch's key; the address and network subkeys are derived from it.
    ///   - options: Shape and network linking.
    /// - Throws: ``AnonLogError`` when a subkey cannot be derived.
    public init(epochKey: SecretKey, options: AnonymizationOptions) throws(AnonLogError) {
        let linking = options.linkNetworks
            ? NetworkLinking(
                key: try epochKey.subkey(purpose: .network),
                ipv4PrefixLength: options.networkPrefixLengths.ipv4, ipv6PrefixLength: options.networkPrefixLengths.ipv6)
            : nil
        self.init(key: try epochKey.subkey(purpose: .address), shape: options.pseudonymShape, linking: linking)
    }
}
