/// One detection: a rule fired on a subject.
///
/// Subjects are pseudonyms (the client pseudonym the anonymized log shows, `net-…` for a
/// network, the session token, `msg-…` for a message fingerprint) or a chat site id; evidence
/// is path templates, never query strings.
public struct StatsAlert: Sendable, Equatable {
    /// When the rule fired (the record time of the event that made it fire), Unix seconds.
    public var time: Int64
    public var rule: DetectionRule
    public var scope: AlertScope
    /// The subject's pseudonym or id.
    public var subject: String
    /// The subject's network pseudonym, when it has one (clients and sessions).
    public var network: String?
    /// Events counted toward the alert.
    public var events: Int
    /// Distinct values among them (paths, clients, sessions), where the rule counts them.
    public var distinctValues: Int
    /// Up to five path templates of the requests behind the alert.
    public var evidence: [String]
    /// More about it: a CVE tag, the claimed crawler, a link host.
    public var detail: String?
    /// The subject's autonomous system and country, when GeoIP databases were given.
    public var asn: UInt32?
    public var country: String?
    /// When the first event counted happened, Unix seconds.
    public var firstSeen: Int64

    /// The rule's confidence, 1 to 3.
    public var confidence: Int { rule.confidence }

    public init(
        time: Int64, rule: DetectionRule, scope: AlertScope? = nil, subject: String, network: String? = nil, events: Int,
        distinctValues: Int, evidence: [String] = [], detail: String? = nil, firstSeen: Int64? = nil
    ) {
        self.time = time
        self.rule = rule
        self.scope = scope ?? rule.scope
        self.subject = subject
        self.network = network
        self.events = events
        self.distinctValues = distinctValues
        self.evidence = evidence
        self.detail = detail
        self.firstSeen = firstSeen ?? time
    }
}
