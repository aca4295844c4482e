import Testing

@testable import AnonLogCore

/// The table of recent request targets: an answer is the one stored for exactly that target
/// and status kind, or none.
struct RequestCacheTests {
    static func entry(_ target: String, notFound: Bool) -> RequestCache.Entry {
        var entry = RequestCache.Entry()
        entry.templateKey = Array(target.utf8).withUnsafeBytes { StatsHash.hash($0) } ^ (notFound ? 1 : 0)
        return entry
    }

    static func lookup(_ cache: RequestCache, _ target: String, notFound: Bool) -> (entry: RequestCache.Entry, template: String)? {
        Array(target.utf8).withUnsafeBytes { bytes in
            cache.slot(of: bytes, tag: RequestCache.tag(bytes, notFound: notFound)).map {
                (cache.entry($0), String(decoding: cache.template($0), as: UTF8.self))
            }
        }
    }

    static func remember(_ cache: RequestCache, _ target: String, notFound: Bool) {
        Array(target.utf8).withUnsafeBytes { bytes in
            Array("template of \(target)".utf8).withUnsafeBytes { template in
                cache.remember(bytes, tag: RequestCache.tag(bytes, notFound: notFound), entry: Self.entry(target, notFound: notFound), template: template)
            }
        }
    }

    @Test func aTargetIsAnsweredWithItsOwnEntryOrNotAtAllWhenSlotsAreShared() {
        let cache = RequestCache(capacity: 16)
        let targets = (0..<300).map { "/products/\($0)?page=\($0 % 7)" }
        for (index, target) in targets.enumerated() { Self.remember(cache, target, notFound: index % 3 == 0) }
        var answered = 0
        for (index, target) in targets.enumerated() {
            guard let found = Self.lookup(cache, target, notFound: index % 3 == 0) else { continue }
            answered += 1
            #expect(found.entry.templateKey == Self.entry(target, notFound: index % 3 == 0).templateKey)
            #expect(found.template == "template of \(target)")
        }
        #expect(answered > 0 && answered <= 16)
    }

    @Test func theStatusKindIsPartOfTheKey() {
        let cache = RequestCache()
        Self.remember(cache, "/wp-login.php", notFound: true)
        #expect(Self.lookup(cache, "/wp-login.php", notFound: true) != nil)
        #expect(Self.lookup(cache, "/wp-login.php", notFound: false) == nil)
        #expect(Self.lookup(cache, "/wp-login.ph", notFound: true) == nil)
    }

    @Test func longTargetsAreNotHeld() {
        let cache = RequestCache()
        let long = "/" + String(repeating: "a", count: RequestCache.maximumTargetLength)
        Self.remember(cache, long, notFound: false)
        #expect(Self.lookup(cache, long, notFound: false) == nil)
    }
}
