/// What the statistics keep of one log line, built while its real address is still in hand.
///
/// The recorder builds one per line from the line's record (see ``StatsEventBuffer``), as a
/// constant on the stack that the detectors and aggregates borrow: no allocation per line. No
/// raw address, user agent, query string or message text is in it: pseudonym texts, keyed
/// hashes, classes and hashes of templates.
struct StatsEvent {
    enum Kind: UInt8 { case http, chat }

    /// What a chat line reports.
    enum ChatEvent: UInt8 { case sessionStart, message, pageView, sessionEnd, other }

    var kind: Kind = .http
    /// Record time, Unix seconds and milliseconds.
    var time: Int64 = 0
    var milliseconds: Int64 = 0
    /// The day of the record in its own time zone (GoAccess's visitor date).
    var localDay: Int64 = 0

    /// The client's pseudonym, exactly as the anonymized log writes it; empty when the line
    /// names no client address.
    var client = ShortText()
    var clientKey: UInt64 = 0
    /// The network pseudonym value (keyed MAC of the /24 or /48); 0 without a client.
    var networkKey: UInt64 = 0
    /// The client's autonomous system (0 unknown) and country (two ASCII bytes, 0 unknown),
    /// from the GeoIP databases given.
    var asn: UInt32 = 0
    var country: UInt16 = 0

    // MARK: HTTP
    var method: RequestLine.Method = .none
    var status = 0
    var bytes: Int64 = 0
    /// The path template's key (its text is in the builder's ``PathTemplate``).
    var templateKey: UInt64 = 0
    var findings: ProbeMatcher.Findings = []
    var exploitTag = -1
    var version: RequestLine.Version = .missing
    var emptyRequest = true
    var userAgentClass: UserAgentClass = .empty
    var bot: Int32 = -1
    var badListed = false
    /// Hashes for the rules that count distinct values.
    var userAgentKey: UInt32 = 0
    var pathKey: UInt32 = 0
    var targetKey: UInt32 = 0
    var fileNameKey: UInt32 = 0
    var argumentsKey: UInt32 = 0
    /// A hash of client, local day and user agent: GoAccess's unique visitor.
    var visitorKey: UInt64 = 0

    // MARK: Chat
    var chatEvent: ChatEvent = .other
    /// The session token (as the anonymized log writes `session_id`).
    var session = ShortText()
    var sessionKey: UInt64 = 0
    /// Whether a message comes from the visitor (not an operator or a bot).
    var fromVisitor = false
    /// The message fingerprint (keyed MAC of the normalized text); 0 without a text.
    var fingerprint: UInt64 = 0
    var textLength = 0
    var linkCount = 0
    /// The host of the first link, lower case, `{ip}` for an address.
    var linkHost = ShortText()
    var linkHostKey: UInt64 = 0
    /// The chat site (widget) id.
    var site = ShortText()
    var siteKey: UInt64 = 0

    /// Whether the response is a client error.
    var isClientError: Bool { status >= 400 && status < 500 }
    var isStatic: Bool { findings.contains(.staticResource) }
    /// 1 to 5 for 1xx to 5xx, 0 otherwise.
    var statusClass: Int { (100..<600).contains(status) ? status / 100 : 0 }
}

extension StatsEvent {
    /// The text of a network pseudonym value: `net-` and 16 hex digits.
    static func networkText(_ value: UInt64) -> String { prefixedHex("net-", value) }
    /// The text of a message fingerprint value: `msg-` and 16 hex digits.
    static func fingerprintText(_ value: UInt64) -> String { prefixedHex("msg-", value) }

    static func hex(_ value: UInt64) -> String { prefixedHex("", value) }

    /// `prefix` and the 16 hex digits of `value`, made in one go (a flush names every network
    /// and actor row: appending scalar by scalar cost more than the rows' upserts).
    private static func prefixedHex(_ prefix: StaticString, _ value: UInt64) -> String {
        let prefixCount = prefix.utf8CodeUnitCount
        return String(unsafeUninitializedCapacity: prefixCount + 16) { buffer in
            for index in 0..<prefixCount { buffer[index] = prefix.utf8Start[index] }
            for digit in 0..<16 {
                buffer[prefixCount + digit] = HexDigit.character(UInt8(truncatingIfNeeded: value >> UInt64(60 - digit * 4)) & 0xF)
            }
            return prefixCount + 16
        }
    }

    /// The value of `net-…` or `msg-…` text.
    static func value(ofPrefixed text: String, prefix: String) -> UInt64? {
        guard text.hasPrefix(prefix) else { return nil }
        let digits = text.dropFirst(prefix.count)
        guard digits.count == 16 else { return nil }
        return UInt64(digits, radix: 16)
    }
}
