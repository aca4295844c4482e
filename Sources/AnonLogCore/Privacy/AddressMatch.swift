/// Something the ``AddressScanner`` found in a buffer: an address to replace, or a token that
/// looks like an address but cannot be read as one with certainty and must be redacted.
public struct AddressMatch: Sendable, Equatable {
    /// What was found.
    public enum Kind: Sendable, Equatable {
        /// An address; its text spans `start..<end`.
        case address(IPAddress)
        /// A token that might be an address (an ambiguous leading-zero octet, a malformed IPv6
        /// group list): it is redacted, never passed through.
        case uncertain
    }

    /// How the separators of the token were spelled in the source.
    public enum Spelling: Sendable, Equatable {
        /// Literal `.` and `:`.
        case plain
        /// Percent-encoded (`%3A`, `%2E`) with upper-case hex digits, as in a URL query string.
        case percentEncodedUpper
        /// Percent-encoded with lower-case hex digits (`%3a`).
        case percentEncodedLower
        /// Part of an `in-addr.arpa` name: an IPv4 replacement is written backwards, so the
        /// name stays a valid name of the replacement.
        case reverseIPv4Name
        /// Part of an `ip6.arpa` name: an IPv6 replacement is written as backwards nibbles.
        case reverseIPv6Name
    }

    public var kind: Kind
    /// The offset of the first byte of the token in the scanned buffer.
    public var start: Int
    /// The offset just past the token.
    public var end: Int
    public var spelling: Spelling

    public init(kind: Kind, start: Int, end: Int, spelling: Spelling = .plain) {
        self.kind = kind
        self.start = start
        self.end = end
        self.spelling = spelling
    }

    /// The same match with its offsets moved by `distance` (from a chunk's offsets to a line's).
    @inline(__always)
    func movedBy(_ distance: Int) -> AddressMatch {
        AddressMatch(kind: kind, start: start &+ distance, end: end &+ distance, spelling: spelling)
    }
}
