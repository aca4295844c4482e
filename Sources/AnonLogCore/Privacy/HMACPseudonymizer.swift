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

    private let mac: HMACSHA256
    public let shape: Shape

    /// - Parameters:
    ///   - key: The subkey for addresses (``KeyPurpose/address``).
    ///   - shape: How pseudonyms are written.
    public init(key: SecretKey, shape: Shape = .address) {
        self.mac = HMACSHA256(key: key)
        self.shape = shape
    }

    public var maximumLength: Int { IPAddress.maximumTextLength }

    public func writePseudonym(for address: IPAddress, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var digest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &digest) { digestBytes in
            address.withBytes { mac.authenticate($0, into: digestBytes) }
        }
        switch shape {
        case .address:
            // fd + the first 120 bits of the MAC.
            let high = UInt64(bigEndian: digest.0) >> 8 | 0xFD00_0000_0000_0000
            let low = UInt64(bigEndian: digest.0) << 56 | UInt64(bigEndian: digest.1) >> 8
            return IPAddress(ipv6High: high, low: low).formatUncompressed(into: buffer)
        case .token:
            let bits = UInt64(bigEndian: digest.0)
            for index in 0..<16 {
                buffer[index] = HexDigit.character(UInt8(truncatingIfNeeded: bits >> UInt64(60 - index * 4)) & 0xF)
            }
            return 16
        }
    }
}
