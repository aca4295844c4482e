#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Recognises the request shapes that CrowdSec's HTTP scenarios look for, with the shipped
/// sec-lists (sensitive files, admin interfaces, web shells, traversal, SQL injection and XSS
/// probe patterns) and the known-exploit paths.
///
/// Runs once per request line. Most checks first ask for a byte that every entry of a list
/// needs (a `.` for file suffixes, a `%`, `.` or `=` for traversal, a query for injections), so
/// an ordinary request costs a few byte scans.
final class ProbeMatcher {
    /// What a request looks like.
    struct Findings: OptionSet {
        let rawValue: UInt32
        static let sensitiveFile = Findings(rawValue: 1 << 0)
        static let adminInterface = Findings(rawValue: 1 << 1)
        static let backdoor = Findings(rawValue: 1 << 2)
        static let pathTraversal = Findings(rawValue: 1 << 3)
        static let sqlInjection = Findings(rawValue: 1 << 4)
        static let crossSiteScripting = Findings(rawValue: 1 << 5)
        static let wordpress = Findings(rawValue: 1 << 6)
        static let knownExploit = Findings(rawValue: 1 << 7)
        static let staticResource = Findings(rawValue: 1 << 8)
        static let randomUpperCaseName = Findings(rawValue: 1 << 9)
        static let numericCacheBuster = Findings(rawValue: 1 << 10)
        static let absoluteTarget = Findings(rawValue: 1 << 11)
        static let wordpressLogin = Findings(rawValue: 1 << 12)
        static let xmlrpc = Findings(rawValue: 1 << 13)
        static let wordpressUserEnumeration = Findings(rawValue: 1 << 14)
    }

    private let storage: BytePatterns.Storage
    /// The lower-case sensitive-file suffixes.
    private let sensitiveFiles: BytePatterns
    private let adminInterfaces: BytePatterns
    private let backdoors: Set<UInt64>
    private let traversal: BytePatterns
    private let sqlInjection: BytePatterns
    private let crossSiteScripting: BytePatterns
    private let exploits: BytePatterns
    private let lower = ByteScratch()
    private let upper = ByteScratch()
    /// The tag of the known exploit of the last ``inspect(_:request:status:)``, if any.
    private(set) var exploitTag: Int = -1

    /// CrowdSec's static resource extensions (`http-logs.yaml`), upper case.
    private static let staticExtensions: Set<String> = [
        "JPG", "CSS", "JS", "JPEG", "PNG", "SVG", "MAP", "ICO", "OTF", "GIF", "MP3", "MP4", "WOFF", "WOFF2", "TTF",
        "EOT", "WEBP", "WAV", "GZ", "BROTLI", "BVR", "TS", "BMP", "AVIF", "MJS",
    ]
    /// The extensions packed in 64 bits (up to six upper-case bytes), for a lookup without hashing.
    private static let staticExtensionWords: [UInt64] = staticExtensions.map { name in
        name.utf8.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }.sorted()

    init() {
        func lines(_ table: String) -> [[UInt8]] { table.split(separator: "\n").map { Array($0.utf8) } }
        let storage = BytePatterns.Storage()
        self.storage = storage
        sensitiveFiles = storage.patterns(lines(ProbeLists.sensitiveFileTable).map { $0.map(Self.lowercase) })
        adminInterfaces = storage.patterns(lines(ProbeLists.adminInterfaceTable).map { $0.map(Self.lowercase) })
        backdoors = Set(lines(ProbeLists.backdoorTable).map { entry in entry.map(Self.lowercase).withUnsafeBytes { StatsHash.hash($0) } })
        traversal = storage.patterns(lines(ProbeLists.pathTraversalTable))
        sqlInjection = storage.patterns(lines(ProbeLists.sqlInjectionTable).map { $0.map(Self.uppercase) })
        crossSiteScripting = storage.patterns(lines(ProbeLists.crossSiteScriptingTable).map { $0.map(Self.uppercase) })
        exploits = storage.patterns(KnownExploits.entries.map(\.pattern))
    }

    /// The tag of known exploit number `index`.
    static func exploitTag(_ index: Int) -> String { KnownExploits.entries[index].tag }

    /// Inspects one request.
    ///
    /// - Parameters:
    ///   - bytes: The line.
    ///   - request: Its parsed request line.
    ///   - status: The response status, for the checks that need a 403 or 404.
    /// - Returns: What the request looks like; ``exploitTag`` names a known exploit.
    func inspect(_ bytes: UnsafeRawBufferPointer, request: RequestLine, status: Int) -> Findings {
        var findings: Findings = []
        exploitTag = -1
        let path = request.path
        guard !path.isEmpty else { return findings }
        // The file name: the last path segment.
        var nameStart = path.upperBound
        while nameStart > path.lowerBound, bytes[nameStart - 1] != UInt8(ascii: "/") { nameStart -= 1 }
        var dot = path.upperBound
        while dot > nameStart, bytes[dot - 1] != UInt8(ascii: ".") { dot -= 1 }
        if dot > nameStart, path.upperBound - dot <= 6, Self.isStaticExtension(bytes, dot, path.upperBound) {
            findings.insert(.staticResource)
        }
        if bytes[path.lowerBound] != UInt8(ascii: "/") { findings.insert(.absoluteTarget) }

        lower.set(bytes, path, Self.lowercase)
        let lowerPath = lower.pointer
        let count = lower.count
        let notFound = status == 404 || status == 403
        if count > 0, sensitiveFiles.firstSuffix(of: lowerPath, count: count) >= 0 {
            findings.insert(.sensitiveFile)
        }
        if notFound {
            if adminInterfaces.firstContained(in: lowerPath, count: count) >= 0 { findings.insert(.adminInterface) }
            if Self.isWordPressScan(lowerPath, count) { findings.insert(.wordpress) }
        }
        let nameOffset = nameStart - path.lowerBound
        if nameOffset < count, backdoors.contains(StatsHash.hash(UnsafeRawBufferPointer(start: lowerPath + nameOffset, count: count - nameOffset))) {
            findings.insert(.backdoor)
        }
        if Self.hasSuffix(lowerPath, count, "wp-login.php") { findings.insert(.wordpressLogin) }
        if Self.hasSuffix(lowerPath, count, "xmlrpc.php") { findings.insert(.xmlrpc) }
        if request.query == nil, Self.isRandomUpperCaseName(bytes, nameStart, path.upperBound) { findings.insert(.randomUpperCaseName) }

        let target = request.target
        if Self.mayHoldTraversal(bytes, target) {
            let pointer = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + target.lowerBound
            if traversal.firstContained(in: pointer, count: target.count) >= 0 { findings.insert(.pathTraversal) }
        }
        if notFound {
            lower.set(bytes, target, Self.lowercase)
            let index = exploits.firstContained(in: lower.pointer, count: lower.count)
            if index >= 0 {
                findings.insert(.knownExploit)
                exploitTag = index
            }
        }
        if let query = request.query, !query.isEmpty {
            upper.set(bytes, query, Self.uppercase)
            if sqlInjection.firstContained(in: upper.pointer, count: upper.count) >= 0 { findings.insert(.sqlInjection) }
            if crossSiteScripting.firstContained(in: upper.pointer, count: upper.count) >= 0 { findings.insert(.crossSiteScripting) }
            if Self.contains(upper.pointer, upper.count, "AUTHOR=") { findings.insert(.wordpressUserEnumeration) }
            if Self.isNumericCacheBuster(bytes, query), !findings.contains(.staticResource) { findings.insert(.numericCacheBuster) }
        }
        return findings
    }

    // MARK: - Pieces

    @inline(__always) static func lowercase(_ byte: UInt8) -> UInt8 { byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte }
    @inline(__always) static func uppercase(_ byte: UInt8) -> UInt8 { byte &- UInt8(ascii: "a") < 26 ? byte & 0xDF : byte }

    @inline(__always)
    private static func hasSuffix(_ text: UnsafePointer<UInt8>, _ count: Int, _ suffix: StaticString) -> Bool {
        let length = suffix.utf8CodeUnitCount
        return length <= count && memcmp(text + count - length, suffix.utf8Start, length) == 0
    }

    @inline(__always)
    private static func contains(_ text: UnsafePointer<UInt8>, _ count: Int, _ word: StaticString) -> Bool {
        BytePatterns.find(word.utf8Start, word.utf8CodeUnitCount, in: text, count) >= 0
    }

    private static func isStaticExtension(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        let count = end - start
        guard count > 0, count <= 6 else { return false }
        var word: UInt64 = 0
        var index = end - 1
        while index >= start {
            word = word << 8 | UInt64(uppercase(bytes[index]))
            index -= 1
        }
        for candidate in staticExtensionWords where candidate == word { return true }
        return false
    }

    /// CrowdSec's `(?i)(/wp-.*\.php|/wp-content/plugins/.*\.(txt|md))$` on the path.
    private static func isWordPressScan(_ lowerPath: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        if hasSuffix(lowerPath, count, ".php") {
            let found = BytePatterns.find(("/wp-" as StaticString).utf8Start, 4, in: lowerPath, count)
            return found >= 0 && found + 4 <= count - 4
        }
        if hasSuffix(lowerPath, count, ".txt") || hasSuffix(lowerPath, count, ".md") {
            return contains(lowerPath, count, "/wp-content/plugins/")
        }
        return false
    }

    /// A target that contains none of `%`, `=`, `\\`, `..`, `/etc/`, `/proc/`, `/var/log/`,
    /// `win.ini`, `boot.ini` and `global.asa` cannot match a traversal entry. One pass: each
    /// word is tried only where its first byte is.
    @inline(__always)
    private static func mayHoldTraversal(_ bytes: UnsafeRawBufferPointer, _ target: Range<Int>) -> Bool {
        guard !target.isEmpty else { return false }
        let pointer = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + target.lowerBound
        let count = target.count
        for index in 0..<count {
            switch pointer[index] {
            case UInt8(ascii: "%"), UInt8(ascii: "="), UInt8(ascii: "\\"): return true
            case UInt8(ascii: "."):
                // "../" or "..\\", or a dot-dot after a slash; a dot in a file name is not.
                if index + 1 < count, pointer[index + 1] == UInt8(ascii: ".") { return true }
            case UInt8(ascii: "/"):
                if startsWith(pointer, count, at: index, "/etc/") || startsWith(pointer, count, at: index, "/proc/")
                    || startsWith(pointer, count, at: index, "/var/log/")
                {
                    return true
                }
            case UInt8(ascii: "w"):
                if startsWith(pointer, count, at: index, "win.ini") { return true }
            case UInt8(ascii: "b"):
                if startsWith(pointer, count, at: index, "boot.ini") { return true }
            case UInt8(ascii: "g"):
                if startsWith(pointer, count, at: index, "global.asa") { return true }
            default: continue
            }
        }
        return false
    }

    /// Whether `word` is at `index` of `text`.
    @inline(__always)
    private static func startsWith(_ text: UnsafePointer<UInt8>, _ count: Int, at index: Int, _ word: StaticString) -> Bool {
        let length = word.utf8CodeUnitCount
        guard length <= count - index else { return false }
        let bytes = word.utf8Start
        for offset in 0..<length where text[index + offset] != bytes[offset] { return false }
        return true
    }

    /// CrowdSec's `http-dos-random-uri`: a file name of exactly six upper-case letters.
    private static func isRandomUpperCaseName(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        guard end - start == 6 else { return false }
        for index in start..<end where bytes[index] &- UInt8(ascii: "A") >= 26 { return false }
        return true
    }

    /// CrowdSec's `http-dos-bypass-cache`: a query of 7 to 12 digits only.
    private static func isNumericCacheBuster(_ bytes: UnsafeRawBufferPointer, _ query: Range<Int>) -> Bool {
        guard (7...12).contains(query.count) else { return false }
        for index in query where bytes[index] &- UInt8(ascii: "0") >= 10 { return false }
        return true
    }
}
