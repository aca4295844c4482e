/// What kind of client a user agent says it is, decided once per distinct user agent.
///
/// The raw user agent is never stored: only this class and, for bots, the name from the shipped
/// lists. Crawler claims that can be checked against the operator's published address ranges
/// are checked while the address is still in hand; a claim from outside them is a fake crawler.
public enum UserAgentClass: String, CaseIterable, Sendable, Hashable {
    /// A web browser (Mozilla-style user agent with a browser engine, no bot token).
    case browser
    /// A declared crawler: search engines, SEO tools, feed readers, monitors, link previews.
    case crawler
    /// A crawler that collects content for AI models or answers AI assistants.
    case aiCrawler = "ai-crawler"
    /// A user agent that claims a crawler whose operator publishes its addresses, sent from an
    /// address outside them (Googlebot from a home connection).
    case fakeCrawler = "fake-crawler"
    /// A security scanner or attack tool by name (Nikto, sqlmap, zgrab, Nuclei, ...), or a user
    /// agent on CrowdSec's bad-bot list that is not a declared crawler.
    case scanner
    /// An HTTP library or browser automation (curl, python-requests, Go-http-client, headless
    /// browsers).
    case library
    /// No user agent at all (`-` or empty).
    case empty
    /// Anything else (neither a browser nor a known or declared bot).
    case unknown

    /// A stable small number for tables and bit masks.
    var index: Int {
        switch self {
        case .browser: 0
        case .crawler: 1
        case .aiCrawler: 2
        case .fakeCrawler: 3
        case .scanner: 4
        case .library: 5
        case .empty: 6
        case .unknown: 7
        }
    }

    /// The class with ``index``.
    static func at(_ index: Int) -> UserAgentClass { allCases[index] }

    /// Whether the client is a program rather than a person at a browser.
    public var isAutomated: Bool { self != .browser && self != .unknown }
}
