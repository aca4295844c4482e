import Testing

@testable import AnonLogCore

/// The indexed pattern searches against trying every pattern in order.
struct BytePatternsTests {
    /// The first pattern (by index) that occurs in `text`, the slow way.
    static func firstContained(_ patterns: [[UInt8]], _ text: [UInt8]) -> Int {
        patterns.firstIndex { pattern in
            pattern.isEmpty || (pattern.count <= text.count && (0...(text.count - pattern.count)).contains { Array(text[$0..<($0 + pattern.count)]) == pattern })
        } ?? -1
    }

    /// The first pattern (by index) that `text` ends with, the slow way.
    static func firstSuffix(_ patterns: [[UInt8]], _ text: [UInt8]) -> Int {
        patterns.firstIndex { $0.count <= text.count && Array(text.suffix($0.count)) == $0 } ?? -1
    }

    /// Random bytes from a small alphabet, so that patterns occur, overlap and share prefixes.
    static func bytes(_ generator: inout SeededGenerator, count: Int) -> [UInt8] {
        (0..<count).map { _ in Array("/.ab%=".utf8)[Int.random(in: 0..<6, using: &generator)] }
    }

    // MARK: - Properties

    @Test func searchesAnswerWhatTryingEveryPatternInOrderAnswers() {
        var generator = SeededGenerator(seed: 0x6279_7465)
        var found = 0
        for _ in 0..<300 {
            let patterns = (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                Self.bytes(&generator, count: Int.random(in: 0...5, using: &generator))
            }.filter { !$0.isEmpty || Bool.random(using: &generator) }
            let storage = BytePatterns.Storage()
            let made = storage.patterns(patterns)
            for _ in 0..<20 {
                let text = Self.bytes(&generator, count: Int.random(in: 0...24, using: &generator))
                let (contained, suffix) = text.withUnsafeBufferPointer { buffer in
                    let pointer = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
                    return (made.firstContained(in: pointer, count: text.count), made.firstSuffix(of: pointer, count: text.count))
                }
                #expect(contained == Self.firstContained(patterns, text), "\(patterns) in \(text)")
                #expect(suffix == Self.firstSuffix(patterns, text), "\(patterns) ending \(text)")
                if contained > 0 { found += 1 }
            }
        }
        #expect(found > 100)
    }

    // MARK: - Examples

    @Test func theFirstListedPatternWinsNotTheFirstInTheText() {
        let storage = BytePatterns.Storage()
        let made = storage.patterns([Array("/admin".utf8), Array("/wp-".utf8), Array("x".utf8)])
        let text = Array("/wp-login/admin".utf8)
        #expect(text.withUnsafeBufferPointer { made.firstContained(in: $0.baseAddress!, count: $0.count) } == 0)
        let other = Array("/wp-login.php".utf8)
        #expect(other.withUnsafeBufferPointer { made.firstContained(in: $0.baseAddress!, count: $0.count) } == 1)
        #expect(other.withUnsafeBufferPointer { made.firstSuffix(of: $0.baseAddress!, count: $0.count) } == -1)
    }
}
