/// Classifies user agents with the shipped lists, behind a cache of recent user agents.
///
/// Logs have few distinct user agents next to their number of lines, so a direct-mapped table
/// of recent results answers almost every line with one hash and one probe (GoAccess's
/// profile shows user-agent classification as its hot path); only a new user agent runs the
/// lists, about two thousand substring searches.
final class UserAgentClassifier {
    /// What is known about one user agent.
    struct Verdict: Equatable {
        /// The class, before any address check.
        var userAgentClass: UserAgentClass
        /// The bot's number in the lists (see ``UserAgentLists/botName(_:)``), or -1.
        var bot: Int32
        /// Whether the user agent is on CrowdSec's bad-bot list.
        var badListed: Bool
        /// The operator whose published ranges decide whether the claim is true, or -1.
        var checkedOperator: Int8
        /// A hash of the user agent (for the rules that count distinct user agents).
        var hash: UInt64 = 0

        static let empty = Verdict(userAgentClass: .empty, bot: -1, badListed: false, checkedOperator: -1)
    }

    private let slotMask: Int
    /// Fixed tables behind constant pointers: a lookup costs no exclusivity check or retain.
    private let hashes: UnsafeMutablePointer<UInt64>
    private let verdicts: UnsafeMutablePointer<Verdict>
    private var lowered: [UInt8] = []
    /// Lookups that ran the lists.
    private(set) var misses = 0

    /// The checked operator of each crawler pattern, computed once.
    private static let operators: [Int8] = UserAgentLists.crawlers.map {
        Int8(CrawlerNetworks.checkedOperator(forCrawlerNamed: $0.name)?.rawValue ?? -1)
    }

    /// - Parameter cacheCapacity: User agents remembered (rounded up to a power of two).
    init(cacheCapacity: Int = 4096) {
        var size = 16
        while size < cacheCapacity { size <<= 1 }
        slotMask = size - 1
        hashes = .filled(size, with: 0)
        verdicts = .filled(size, with: .empty)
        lowered.reserveCapacity(1024)
    }

    deinit {
        hashes.deallocate()
        verdicts.deallocate()
    }

    /// The verdict for a user agent (the raw field bytes, JSON escapes and all).
    @inline(__always)
    func classify(_ userAgent: UnsafeRawBufferPointer) -> Verdict {
        if userAgent.isEmpty || (userAgent.count == 1 && userAgent[0] == UInt8(ascii: "-")) { return .empty }
        // Cached verdicts carry their user agent's hash (the slot check compares it).
        let hash = StatsHash.hash(userAgent, seed: 0x5541) | 1
        let slot = Int(truncatingIfNeeded: hash >> 17) & slotMask
        if hashes[slot] == hash { return verdicts[slot] }
        var verdict = Self.run(userAgent, lowered: &lowered)
        verdict.hash = hash
        misses += 1
        hashes[slot] = hash
        verdicts[slot] = verdict
        return verdict
    }

    /// Runs the lists over one user agent.
    static func run(_ userAgent: UnsafeRawBufferPointer, lowered: inout [UInt8]) -> Verdict {
        lowered.removeAll(keepingCapacity: true)
        for byte in userAgent { lowered.append(byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte) }
        return lowered.withUnsafeBytes { lower in
            var best = -1
            var bestWeight = 0
            for (index, crawler) in UserAgentLists.crawlers.enumerated() {
                for alternative in crawler.alternatives where alternative.weight > bestWeight {
                    if alternative.matches(userAgent, lowered: lower) {
                        best = index
                        bestWeight = alternative.weight
                    }
                }
            }
            var badBot = -1
            for (index, name) in UserAgentLists.badUserAgents.enumerated() where UserAgentLists.containsWord(name, in: userAgent) {
                badBot = index
                break
            }
            let attackTool = UserAgentLists.attackTools.contains { UserAgentLists.containsWord($0, in: lower) }
            if best >= 0 {
                let crawler = UserAgentLists.crawlers[best]
                let userAgentClass = attackTool ? .scanner : crawler.userAgentClass
                return Verdict(
                    userAgentClass: userAgentClass, bot: Int32(best), badListed: badBot >= 0 || attackTool, checkedOperator: operators[best])
            }
            if badBot >= 0 {
                return Verdict(userAgentClass: .scanner, bot: Int32(UserAgentLists.crawlers.count + badBot), badListed: true, checkedOperator: -1)
            }
            if attackTool {
                return Verdict(userAgentClass: .scanner, bot: -1, badListed: true, checkedOperator: -1)
            }
            // Bot words first: undeclared crawlers often borrow a browser's engine tokens.
            if looksLikeBot(lower) {
                return Verdict(userAgentClass: .crawler, bot: -1, badListed: false, checkedOperator: -1)
            }
            if looksLikeBrowser(userAgent) {
                return Verdict(userAgentClass: .browser, bot: -1, badListed: false, checkedOperator: -1)
            }
            return Verdict(userAgentClass: .unknown, bot: -1, badListed: false, checkedOperator: -1)
        }
    }

    private static let mozilla = Array("Mozilla/".utf8)
    private static let opera = Array("Opera/".utf8)
    private static let engines = ["AppleWebKit/", "Gecko/", "Gecko)", "Trident/", "Presto/"].map { Array($0.utf8) }
    private static let botWords = ["bot", "crawl", "spider", "+http", "; http", "(http"].map { Array($0.utf8) }

    /// A Mozilla- or Opera-style user agent with a browser engine token.
    private static func looksLikeBrowser(_ userAgent: UnsafeRawBufferPointer) -> Bool {
        guard UserAgentLists.hasPrefix(userAgent, mozilla) || UserAgentLists.hasPrefix(userAgent, opera) else { return false }
        return engines.contains { UserAgentLists.find($0, in: userAgent, from: 0) != nil }
    }

    /// GoAccess's crawler heuristic and Discourse's crawler words: an undeclared bot.
    private static func looksLikeBot(_ lowered: UnsafeRawBufferPointer) -> Bool {
        botWords.contains { UserAgentLists.find($0, in: lowered, from: 0) != nil }
    }
}
