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

    /// The lower-case sensitive-file suffixes, bucketed by their last byte.
    private let sensitiveByLastByte: [[[UInt8]]]
    private let adminInterfaces: [[UInt8]]
    private let backdoors: Set<UInt64>
    private let traversal: [[UInt8]]
    private let sqlInjection: [[UInt8]]
    private let crossSiteScripting: [[UInt8]]
    private var lower: [UInt8] = []
    private var upper: [UInt8] = []
    /// The tag of the known exploit of the last ``inspect(_:request:)``, if any.
    private(set) var exploitTag: Int = -1

    /// CrowdSec's static resource extensions (`http-logs.yaml`), upper case.
    private static let staticExtensions: Set<String> = [
        "JPG", "CSS", "JS", "JPEG", "PNG", "SVG", "MAP", "ICO", "OTF", "GIF", "MP3", "MP4", "WOFF", "WOFF2", "TTF",
        "EOT", "WEBP", "WAV", "GZ", "BROTLI", "BVR", "TS", "BMP", "AVIF", "MJS",
    ]
    private static let staticExtensionHashes: Set<UInt64> = Set(staticExtensions.map { name in
        Array(name.utf8).withUnsafeBytes { StatsHash.hash($0) }
    })

    init() {
        func lines(_ table: String) -> [[UInt8]] { table.split(separator: "\n").map { Array($0.utf8) } }
        var buckets = [[[UInt8]]](repeating: [], count: 256)
        for entry in lines(ProbeLists.sensitiveFileTable) {
            let lowered = entry.map(Self.lowercase)
            buckets[Int(lowered.last!)].append(lowered)
        }
        sensitiveByLastByte = buckets
        adminInterfaces = lines(ProbeLists.adminInterfaceTable).map { $0.map(Self.lowercase) }
        backdoors = Set(lines(ProbeLists.backdoorTable).map { entry in entry.map(Self.lowercase).withUnsafeBytes { StatsHash.hash($0) } })
        traversal = lines(ProbeLists.pathTraversalTable)
        sqlInjection = lines(ProbeLists.sqlInjectionTable).map { $0.map(Self.uppercase) }
        crossSiteScripting = lines(ProbeLists.crossSiteScriptingTable).map { $0.map(Self.uppercase) }
        lower.reserveCapacity(512)
        upper.reserveCapacity(512)
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
        if dot > nameStart, path.upperBound - dot <= 6, isStaticExtension(bytes, dot, path.upperBound) {
            findings.insert(.staticResource)
        }
        if bytes[path.lowerBound] != UInt8(ascii: "/") { findings.insert(.absoluteTarget) }

        lower.removeAll(keepingCapacity: true)
        for index in path { lower.append(Self.lowercase(bytes[index])) }
        let notFound = status == 404 || status == 403
        lower.withUnsafeBytes { lowerPath in
            if let last = lowerPath.last {
                for suffix in sensitiveByLastByte[Int(last)] where UserAgentLists.hasSuffix(lowerPath, suffix) {
                    findings.insert(.sensitiveFile)
                    break
                }
            }
            if notFound {
                for entry in adminInterfaces where UserAgentLists.find(entry, in: lowerPath, from: 0) != nil {
                    findings.insert(.adminInterface)
                    break
                }
                if isWordPressScan(lowerPath) { findings.insert(.wordpress) }
            }
            let nameOffset = nameStart - path.lowerBound
            if nameOffset < lowerPath.count,
                backdoors.contains(StatsHash.hash(UnsafeRawBufferPointer(rebasing: lowerPath[nameOffset...])))
            {
                findings.insert(.backdoor)
            }
            if UserAgentLists.hasSuffix(lowerPath, Self.wpLogin) { findings.insert(.wordpressLogin) }
            if UserAgentLists.hasSuffix(lowerPath, Self.xmlrpcPHP) { findings.insert(.xmlrpc) }
            if isRandomUpperCaseName(bytes, nameStart, path.upperBound), request.query == nil { findings.insert(.randomUpperCaseName) }
        }

        let target = UnsafeRawBufferPointer(rebasing: bytes[request.target])
        if Self.mayHoldTraversal(target) {
            for entry in traversal where UserAgentLists.find(entry, in: target, from: 0) != nil {
                findings.insert(.pathTraversal)
                break
            }
        }
        if notFound {
            lower.removeAll(keepingCapacity: true)
            for byte in target { lower.append(Self.lowercase(byte)) }
            lower.withUnsafeBytes { lowerTarget in
                for (index, entry) in KnownExploits.entries.enumerated() where UserAgentLists.find(entry.pattern, in: lowerTarget, from: 0) != nil {
                    findings.insert(.knownExploit)
                    exploitTag = index
                    break
                }
            }
        }
        if let query = request.query, !query.isEmpty {
            upper.removeAll(keepingCapacity: true)
            for index in query { upper.append(Self.uppercase(bytes[index])) }
            upper.withUnsafeBytes { arguments in
                for entry in sqlInjection where UserAgentLists.find(entry, in: arguments, from: 0) != nil {
                    findings.insert(.sqlInjection)
                    break
                }
                for entry in crossSiteScripting where UserAgentLists.find(entry, in: arguments, from: 0) != nil {
                    findings.insert(.crossSiteScripting)
                    break
                }
                if UserAgentLists.find(Self.author, in: arguments, from: 0) != nil { findings.insert(.wordpressUserEnumeration) }
            }
            if Self.isNumericCacheBuster(bytes, query), !findings.contains(.staticResource) { findings.insert(.numericCacheBuster) }
        }
        return findings
    }

    // MARK: - Pieces

    private static let wpLogin = Array("wp-login.php".utf8)
    private static let xmlrpcPHP = Array("xmlrpc.php".utf8)
    private static let author = Array("AUTHOR=".utf8)
    private static let wpDash = Array("/wp-".utf8)
    private static let wpPlugins = Array("/wp-content/plugins/".utf8)
    private static let php = Array(".php".utf8)
    private static let txt = Array(".txt".utf8)
    private static let markdown = Array(".md".utf8)

    @inline(__always) static func lowercase(_ byte: UInt8) -> UInt8 { byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte }
    @inline(__always) static func uppercase(_ byte: UInt8) -> UInt8 { byte &- UInt8(ascii: "a") < 26 ? byte & 0xDF : byte }

    private func isStaticExtension(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        var buffer: (UInt64, UInt64) = (0, 0)
        let count = end - start
        guard count > 0, count <= 6 else { return false }
        return withUnsafeMutableBytes(of: &buffer) { scratch in
            for offset in 0..<count { scratch[offset] = Self.uppercase(bytes[start + offset]) }
            return Self.staticExtensionHashes.contains(StatsHash.hash(UnsafeRawBufferPointer(rebasing: scratch[0..<count])))
        }
    }

    /// CrowdSec's `(?i)(/wp-.*\.php|/wp-content/plugins/.*\.(txt|md))$` on the path.
    private func isWordPressScan(_ lowerPath: UnsafeRawBufferPointer) -> Bool {
        if UserAgentLists.hasSuffix(lowerPath, Self.php), let found = UserAgentLists.find(Self.wpDash, in: lowerPath, from: 0),
            found + Self.wpDash.count <= lowerPath.count - Self.php.count
        {
            return true
        }
        if UserAgentLists.hasSuffix(lowerPath, Self.txt) || UserAgentLists.hasSuffix(lowerPath, Self.markdown) {
            return UserAgentLists.find(Self.wpPlugins, in: lowerPath, from: 0) != nil
        }
        return false
    }

    /// A target that contains none of `.`, `%`, `=`, `\` and `/etc/` cannot match a traversal entry.
    private static func mayHoldTraversal(_ target: UnsafeRawBufferPointer) -> Bool {
        for byte in target {
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: "%"), UInt8(ascii: "="), UInt8(ascii: "\\"): return true
            default: continue
            }
        }
        return UserAgentLists.find(etc, in: target, from: 0) != nil || UserAgentLists.find(proc, in: target, from: 0) != nil
    }
    private static let etc = Array("/etc/".utf8)
    private static let proc = Array("/proc/".utf8)

    /// CrowdSec's `http-dos-random-uri`: a file name of exactly six upper-case letters.
    private func isRandomUpperCaseName(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
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
