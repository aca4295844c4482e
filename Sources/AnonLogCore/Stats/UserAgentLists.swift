#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The shipped user-agent lists, decoded once from the generated tables.
///
/// Crawler patterns come from monperrus/crawler-user-agents (MIT) as literal alternatives (see
/// `Scripts/generate-stats-lists.py`); the bad-bot names from CrowdSec's sec-lists (MIT, after
/// Mitchell Krog's bad bot blocker), matched as whole words like CrowdSec's `\bName\b`.
enum UserAgentLists {
    /// One way a pattern matches: literal parts in order, perhaps anchored, perhaps ignoring
    /// ASCII case (the parts are then lower case).
    struct Alternative: Sendable {
        var anchoredStart: Bool
        var anchoredEnd: Bool
        var ignoresCase: Bool
        var parts: [[UInt8]]

        /// The number of literal bytes: longer alternatives are more specific.
        var weight: Int { parts.reduce(0) { $0 + $1.count } }

        /// Whether the user agent matches; `lowered` is it in ASCII lower case.
        func matches(_ text: UnsafeRawBufferPointer, lowered: UnsafeRawBufferPointer) -> Bool {
            let subject = ignoresCase ? lowered : text
            var position = 0
            for (index, part) in parts.enumerated() {
                let isFirst = index == 0
                let isLast = index == parts.count - 1
                if isLast && anchoredEnd {
                    // The last part must end the user agent, after everything matched so far.
                    guard UserAgentLists.hasSuffix(subject, part), subject.count - part.count >= position else { return false }
                    return !(isFirst && anchoredStart) || subject.count == part.count
                }
                if isFirst && anchoredStart {
                    guard UserAgentLists.hasPrefix(subject, part) else { return false }
                    position = part.count
                    continue
                }
                guard let found = UserAgentLists.find(part, in: subject, from: position) else { return false }
                position = found + part.count
            }
            return true
        }
    }

    /// A crawler pattern of the list.
    struct Crawler: Sendable {
        var name: String
        var userAgentClass: UserAgentClass
        var category: String
        var alternatives: [Alternative]
    }

    /// Every crawler pattern, in list order.
    static let crawlers: [Crawler] = crawlerTable.split(separator: "\n").map { line in
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        let alternatives = fields[3].split(separator: "\u{A6}").map { encoded -> Alternative in
            let flags = Int(String(encoded.first!))!
            let parts = encoded.dropFirst().split(separator: "\u{A4}").map { Array($0.utf8) }
            return Alternative(anchoredStart: flags & 1 != 0, anchoredEnd: flags & 2 != 0, ignoresCase: flags & 4 != 0, parts: parts)
        }
        let userAgentClass: UserAgentClass
        switch fields[1] {
        case "aiCrawler": userAgentClass = .aiCrawler
        case "scanner": userAgentClass = .scanner
        case "library": userAgentClass = .library
        default: userAgentClass = .crawler
        }
        return Crawler(name: String(fields[0]), userAgentClass: userAgentClass, category: String(fields[2]), alternatives: alternatives)
    }

    /// CrowdSec's bad user agents, as bytes.
    static let badUserAgents: [[UInt8]] = ProbeLists.badUserAgentTable.split(separator: "\n").map { Array($0.utf8) }

    /// Attack and reconnaissance tools by name (lower case, whole words), added to CrowdSec's
    /// list: some it lacks (sqlmap, l9scan) are the tools probes are made with.
    static let attackTools: [[UInt8]] = [
        "sqlmap", "nikto", "nmap", "masscan", "zgrab", "nuclei", "wpscan", "acunetix", "nessus", "openvas", "dirbuster",
        "zmeu", "jorgee", "havij", "l9scan", "l9explore", "censysinspect", "gobuster", "feroxbuster", "ffuf", "wfuzz",
        "dirb", "whatweb", "commix", "xsstrike", "arachni", "w3af", "skipfish", "wapiti", "netsparker", "hydra",
        "fuzz faster u fool", "ut-dorkbot",
    ].map { Array($0.utf8) }

    /// The name of bot number `index`: crawler patterns first, then bad-bot names.
    static func botName(_ index: Int) -> String {
        if index < crawlers.count { return crawlers[index].name }
        return String(decoding: badUserAgents[index - crawlers.count], as: UTF8.self)
    }

    /// The category of bot number `index` (`bad-bot` for names only on CrowdSec's list).
    static func botCategory(_ index: Int) -> String {
        index < crawlers.count ? crawlers[index].category : "bad-bot"
    }

    // MARK: - Byte search

    /// The offset of the first occurrence of `needle` at or after `start` (memchr for the first
    /// byte, memcmp for the rest; glibc's memmem is not visible without _GNU_SOURCE).
    static func find(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard !needle.isEmpty else { return start <= haystack.count ? start : nil }
        guard let base = haystack.baseAddress, start + needle.count <= haystack.count else { return nil }
        return needle.withUnsafeBytes { needleBytes -> Int? in
            let first = Int32(needleBytes[0])
            var position = start
            let last = haystack.count - needle.count
            while position <= last {
                guard let hit = memchr(base + position, first, last - position + 1) else { return nil }
                let offset = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + offset, needleBytes.baseAddress!, needle.count) == 0 { return offset }
                position = offset + 1
            }
            return nil
        }
    }

    static func hasPrefix(_ text: UnsafeRawBufferPointer, _ prefix: [UInt8]) -> Bool {
        guard text.count >= prefix.count else { return false }
        for index in prefix.indices where text[index] != prefix[index] { return false }
        return true
    }

    static func hasSuffix(_ text: UnsafeRawBufferPointer, _ suffix: [UInt8]) -> Bool {
        guard text.count >= suffix.count else { return false }
        let offset = text.count - suffix.count
        for index in suffix.indices where text[offset + index] != suffix[index] { return false }
        return true
    }

    /// Whether `name` occurs in `text` as a whole word (CrowdSec's `\bName\b`).
    static func containsWord(_ name: [UInt8], in text: UnsafeRawBufferPointer) -> Bool {
        var start = 0
        while let found = find(name, in: text, from: start) {
            let end = found + name.count
            let boundaryBefore = found == 0 || isWordByte(text[found - 1]) != isWordByte(name[0])
            let boundaryAfter = end == text.count || isWordByte(text[end]) != isWordByte(name[name.count - 1])
            if boundaryBefore && boundaryAfter { return true }
            start = found + 1
        }
        return false
    }

    @inline(__always)
    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: "_")
    }
}

/// The shipped CrowdSec web lists (generated in `Lists/CrowdSecWebLists.swift`).
enum ProbeLists {}
