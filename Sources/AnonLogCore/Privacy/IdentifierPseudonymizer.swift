/// Keyed tokens for identifiers other than addresses, such as chat session ids.
///
/// HMAC-SHA256 under the identifier subkey (``KeyPurpose/sessionIdentifier``) over the value's
/// bytes as written, shown as 24 lower-case hex digits (96 bits): the same id always gets the
/// same token under a key, so sessions can still be followed, and the id itself is gone.
public struct IdentifierPseudonymizer: Sendable {
    /// The length of a token.
    public static let tokenLength = 24

    private let mac: HMACSHA256

    /// - Parameter key: The subkey for identifiers.
    public init(key: SecretKey) {
        self.mac = HMACSHA256(key: key)
    }

    /// Writes the token for `value` into `buffer` (at least ``tokenLength`` bytes).
    public func writeToken(for value: UnsafeRawBufferPointer, into buffer: UnsafeMutableRawBufferPointer) {
        var digest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &digest) { digestBytes in
            mac.authenticate(value, into: digestBytes)
            for index in 0..<(Self.tokenLength / 2) {
                let byte = digestBytes[index]
                buffer[index * 2] = HexDigit.character(byte >> 4)
                buffer[index * 2 + 1] = HexDigit.character(byte & 0xF)
            }
        }
    }
}
