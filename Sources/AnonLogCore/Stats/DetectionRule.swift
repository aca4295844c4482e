/// The detections anonlog runs on pseudonyms, after CrowdSec's HTTP scenarios, fail2ban's
/// recidive and the chat anti-spam defaults of Chatwoot, Discourse, Mjolnir and Synapse (see the
/// survey behind issue 4, §7a).
///
/// Every rule has three parameters (``DetectionSettings``): a ``Parameters/capacity`` (the
/// bucket capacity, or the count a window rule needs), an ``Parameters/interval`` (the leak
/// interval of a bucket, or the window) and a ``Parameters/blackhole`` (how long the subject
/// stays silent after an alert). Their meaning per rule is in ``summary``.
public enum DetectionRule: String, CaseIterable, Sendable, Hashable {
    // MARK: HTTP, per client (CrowdSec base-http-scenarios and http-dos)
    case httpProbing = "http-probing"
    case httpCrawl = "http-crawl"
    case httpBadUserAgent = "http-bad-user-agent"
    case httpSensitiveFiles = "http-sensitive-files"
    case httpPathTraversal = "http-path-traversal"
    case httpSQLInjection = "http-sqli-probing"
    case httpCrossSiteScripting = "http-xss-probing"
    case httpBackdoor = "http-backdoor-probe"
    case httpAdminProbe = "http-admin-probe"
    case httpCMSScan = "http-cms-scan"
    case httpCVEProbe = "http-cve-probe"
    case httpBruteforce = "http-bruteforce"
    case httpWordPressBruteforce = "http-wordpress-bruteforce"
    case httpXMLRPCBruteforce = "http-xmlrpc-bruteforce"
    case httpWordPressUserEnumeration = "http-wordpress-user-enum"
    case httpSwitchingUserAgent = "http-dos-switching-ua"
    case httpRandomURI = "http-dos-random-uri"
    case httpBypassCache = "http-dos-bypass-cache"
    case httpInvalidVersion = "http-invalid-version"
    case httpOpenProxy = "http-open-proxy"
    case httpFakeCrawler = "http-fake-crawler"
    case httpRateLimited = "http-rate-limited"
    case httpRequestBurst = "http-request-burst"
    // MARK: Networks and repeat offenders
    case networkCampaign = "net-campaign"
    case asnCampaign = "asn-campaign"
    case recidive = "recidive"
    // MARK: Chat
    case chatSessionBombing = "chat-session-bombing"
    case chatConversationBombing = "chat-conversation-bombing"
    case chatNetworkSessions = "chat-network-sessions"
    case chatMessageFlood = "chat-message-flood"
    case chatDuplicateMessage = "chat-duplicate-message"
    case chatSpamCampaign = "chat-spam-campaign"
    case chatFastFirstMessage = "chat-fast-first-message"
    case chatFirstMessageLink = "chat-first-message-link"
    case chatLinkSpam = "chat-link-spam"
    case chatSessionWave = "chat-session-wave"

    /// A rule's three numbers.
    public struct Parameters: Sendable, Equatable {
        /// The bucket capacity (overflow above it; 0 fires on the first event), or the count a
        /// window rule needs.
        public var capacity: Int
        /// The leak interval of a bucket, or the window of a counting rule, in milliseconds.
        public var interval: Int64
        /// How long a subject stays silent after an alert, in milliseconds.
        public var blackhole: Int64

        public init(capacity: Int, interval: Int64, blackhole: Int64) {
            self.capacity = capacity
            self.interval = interval
            self.blackhole = blackhole
        }
    }

    /// What the rule groups by and names as the alert's subject.
    public var scope: AlertScope {
        switch self {
        case .networkCampaign, .chatNetworkSessions: .network
        case .asnCampaign: .asn
        case .chatMessageFlood, .chatDuplicateMessage, .chatFastFirstMessage, .chatFirstMessageLink, .chatLinkSpam: .session
        case .chatSpamCampaign: .message
        case .chatSessionWave: .site
        default: .client
        }
    }

    /// CrowdSec's confidence label: 1 a weak signal (flag), 3 unmistakable.
    public var confidence: Int {
        switch self {
        case .httpProbing, .httpCrawl, .httpRequestBurst, .httpSwitchingUserAgent, .chatFastFirstMessage, .chatSessionWave,
            .httpRateLimited, .httpInvalidVersion, .asnCampaign:
            1
        case .httpBruteforce, .httpWordPressBruteforce, .httpXMLRPCBruteforce, .httpAdminProbe, .httpCMSScan, .networkCampaign,
            .recidive, .chatSessionBombing, .chatConversationBombing, .chatNetworkSessions, .chatMessageFlood, .chatDuplicateMessage,
            .chatFirstMessageLink, .chatLinkSpam, .httpRandomURI, .httpBypassCache, .httpOpenProxy, .httpWordPressUserEnumeration:
            2
        default:
            3
        }
    }

    /// CrowdSec's behaviour label.
    public var behavior: String {
        switch self {
        case .httpCrawl, .httpFakeCrawler: "http:crawl"
        case .httpBruteforce, .httpWordPressBruteforce, .httpXMLRPCBruteforce: "http:bruteforce"
        case .httpSwitchingUserAgent, .httpRandomURI, .httpBypassCache, .httpInvalidVersion, .httpRequestBurst, .httpRateLimited: "http:dos"
        case .httpSQLInjection, .httpCrossSiteScripting, .httpPathTraversal, .httpBackdoor, .httpCVEProbe: "http:exploit"
        case .networkCampaign, .asnCampaign, .recidive: "generic:campaign"
        case .chatSessionBombing, .chatConversationBombing, .chatNetworkSessions, .chatSessionWave, .chatMessageFlood: "chat:flood"
        case .chatDuplicateMessage, .chatSpamCampaign, .chatFirstMessageLink, .chatLinkSpam, .chatFastFirstMessage: "chat:spam"
        default: "http:scan"
        }
    }

    /// The default parameters, from the survey's table (§7a) and the defaults it cites.
    public var defaultParameters: Parameters {
        let second: Int64 = 1000
        let minute = 60 * second
        let hour = 60 * minute
        func p(_ capacity: Int, _ interval: Int64, _ blackhole: Int64) -> Parameters {
            Parameters(capacity: capacity, interval: interval, blackhole: blackhole)
        }
        switch self {
        case .httpProbing: return p(10, 10 * second, 5 * minute)
        case .httpCrawl: return p(40, second / 2, minute)
        case .httpBadUserAgent: return p(1, minute, 2 * minute)
        case .httpSensitiveFiles: return p(4, 5 * second, 5 * minute)
        case .httpPathTraversal: return p(3, 10 * second, 2 * minute)
        case .httpSQLInjection: return p(10, second, 5 * minute)
        case .httpCrossSiteScripting: return p(5, second, 5 * minute)
        case .httpBackdoor: return p(1, 5 * second, 5 * minute)
        case .httpAdminProbe: return p(2, 10 * second, minute)
        case .httpCMSScan: return p(3, 10 * second, 5 * minute)
        case .httpCVEProbe: return p(0, 0, minute)
        case .httpBruteforce: return p(5, 10 * second, minute)
        case .httpWordPressBruteforce: return p(5, 10 * second, 5 * minute)
        case .httpXMLRPCBruteforce: return p(5, 2 * minute, 5 * minute)
        case .httpWordPressUserEnumeration: return p(5, 10 * second, 5 * minute)
        case .httpSwitchingUserAgent: return p(10, 8 * second, 2 * minute)
        case .httpRandomURI: return p(30, second, 2 * minute)
        case .httpBypassCache: return p(30, second, minute)
        case .httpInvalidVersion: return p(0, 0, 2 * minute)
        case .httpOpenProxy: return p(0, 0, 2 * minute)
        case .httpFakeCrawler: return p(0, 0, 10 * minute)
        case .httpRateLimited: return p(4, 2 * minute, 10 * minute)
        case .httpRequestBurst: return p(200, second / 2, 5 * minute)
        case .networkCampaign: return p(5, minute, 5 * minute)
        case .asnCampaign: return p(10, 30 * second, 5 * minute)
        case .recidive: return p(5, 24 * hour, 24 * hour)
        case .chatSessionBombing: return p(6, hour, hour)
        case .chatConversationBombing: return p(7, 12 * hour, 12 * hour)
        case .chatNetworkSessions: return p(10, hour, hour)
        case .chatMessageFlood: return p(10, 5 * second, 2 * minute)
        case .chatDuplicateMessage: return p(2, 5 * minute, 5 * minute)
        case .chatSpamCampaign: return p(3, 10 * minute, hour)
        case .chatFastFirstMessage: return p(0, 3 * second, 0)
        case .chatFirstMessageLink: return p(0, 0, 0)
        case .chatLinkSpam: return p(3, 0, 10 * minute)
        case .chatSessionWave: return p(49, 72 * second, hour)
        }
    }

    /// One line on what the rule fires on, with its parameters' meaning.
    public var summary: String {
        switch self {
        case .httpProbing: "400/403/404 on distinct non-static paths: bucket(capacity, leak interval)"
        case .httpCrawl: "GET/HEAD of distinct non-static file names: bucket(capacity, leak interval)"
        case .httpBadUserAgent: "a scanner or attack tool by name (CrowdSec's bad-bot list, attack tools): bucket"
        case .httpSensitiveFiles: "requests for distinct sensitive files (.env, .git/config, dumps): bucket"
        case .httpPathTraversal: "distinct requests with traversal patterns (../, /etc/passwd): bucket"
        case .httpSQLInjection: "distinct query strings with SQL injection probes: bucket"
        case .httpCrossSiteScripting: "distinct query strings with XSS probes: bucket"
        case .httpBackdoor: "requests for distinct web-shell file names: bucket"
        case .httpAdminProbe: "403/404 on distinct admin interfaces (/phpmyadmin, /wp-admin): bucket"
        case .httpCMSScan: "403/404 on distinct WordPress paths: bucket"
        case .httpCVEProbe: "403/404 on a known exploit path (tagged with its CVE): trigger"
        case .httpBruteforce: "POST answered 401 or 403: bucket"
        case .httpWordPressBruteforce: "POST wp-login.php answered 200 (a failed login): bucket"
        case .httpXMLRPCBruteforce: "POST xmlrpc.php: bucket"
        case .httpWordPressUserEnumeration: "distinct ?author= queries: bucket"
        case .httpSwitchingUserAgent: "distinct user agents from one client: bucket"
        case .httpRandomURI: "GET of six-upper-case-letter file names: bucket"
        case .httpBypassCache: "distinct numeric cache-busting query strings: bucket"
        case .httpInvalidVersion: "a request line that is not METHOD TARGET HTTP/x.y: trigger"
        case .httpOpenProxy: "CONNECT or an absolute URI answered 400/405: trigger"
        case .httpFakeCrawler: "a checked crawler's user agent from outside its operator's ranges: trigger"
        case .httpRateLimited: "responses 429/444/503 (the server's own limiter): bucket"
        case .httpRequestBurst: "all requests of a client: bucket"
        case .networkCampaign: "distinct alerted clients of one /24 or /48: bucket"
        case .asnCampaign: "distinct alerted clients of one autonomous system (needs --geoip-db): bucket"
        case .recidive: "capacity alerts on a client or network within interval, two episodes an hour apart"
        case .chatSessionBombing: "capacity sessions without a visitor message from one client within interval"
        case .chatConversationBombing: "capacity sessions with messages from one client within interval"
        case .chatNetworkSessions: "capacity sessions without messages from at least 3 clients of one network within interval"
        case .chatMessageFlood: "visitor messages of one session: bucket"
        case .chatDuplicateMessage: "the same message capacity times in one session within interval"
        case .chatSpamCampaign: "one message fingerprint from capacity sessions within interval (20+ bytes or a link)"
        case .chatFastFirstMessage: "the first visitor message less than interval after the session started"
        case .chatFirstMessageLink: "a link in the first visitor message of a session"
        case .chatLinkSpam: "more than 2 links in one message, or one link host capacity times in a session"
        case .chatSessionWave: "new sessions of one site: bucket"
        }
    }
}

/// What an alert's subject is.
public enum AlertScope: String, CaseIterable, Sendable, Hashable {
    /// A client pseudonym (the one the anonymized log shows).
    case client
    /// A network pseudonym (`net-…`, an IPv4 /24 or IPv6 /48).
    case network
    /// A chat session token (the one the anonymized log shows).
    case session
    /// A chat message fingerprint (`msg-…`).
    case message
    /// A chat site (widget) id.
    case site
    /// An autonomous system (`AS64500`), when GeoIP databases are given.
    case asn
}
