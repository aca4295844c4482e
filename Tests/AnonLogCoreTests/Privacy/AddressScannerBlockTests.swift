import CAnonLogIntrinsics
import Testing
@testable import AnonLogCore

/// The scanner classifies 64 bytes at a time and passes over runs that cannot hold an address
/// by bit arithmetic. Its matches must be exactly those of the plain byte loop it replaced,
/// which looked at every run with a dot, a colon or a `%` in it: that loop is kept here as the
/// reference (`byteLoopMatches`), and fed real logs and bytes made to land on block edges.
@Suite struct AddressScannerBlockTests {
    /// The earlier scan: next `.`, `:` or `%` byte by byte, back to its run's start (not before
    /// what was looked at), then the scanner's own byte walk of the run.
    static func byteLoopMatches(_ bytes: [UInt8]) -> [AddressMatch] {
        var scanner = AddressScanner()
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let count = buffer.count
            var index = 0
            while index < count {
                var trigger = index
                while trigger < count, ![UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "%")].contains(base[trigger]) { trigger += 1 }
                if trigger == count { break }
                var start = trigger
                while start > index, ByteClass.table[Int(base[start - 1])] & ByteClass.runMember != 0 { start -= 1 }
                index = scanner.walkRun(from: start, in: base, count: count)
            }
        }
        return scanner.matches
    }

    static func blockMatches(_ bytes: [UInt8]) -> [AddressMatch] {
        var scanner = AddressScanner()
        bytes.withUnsafeBytes { scanner.scan($0) }
        return scanner.matches
    }

    @Test(arguments: [
        "nielsbasjes-logparser/hackers-access.log", "honeynet-chuvakin-httpd/access_log", "elastic-examples-apache/apache_logs.gz",
        "elastic-beats-fixtures/iis_access_test-ipv6zone.log", "lnav-test-logs/logfile_w3c.1", "matomo-log-analytics-tests/nginx_json.log",
        "crowdsec-hub-tests/apache2-malformed__apache2-logs.log", "ubuntu-irc-disentanglement/train/2018-02-27.train-c.raw.txt",
        "nasa-http-1995/NASA_access_log_Aug95",
    ])
    func findsWhatTheByteLoopFindsInRealLogs(relativePath: String) throws {
        let bytes = try RealWorldCorpus.bytes(relativePath)
        // Every alignment of the log against the blocks: each shift moves the block edges.
        for shift in [0, 1, 31, 63] {
            let shifted = Array(repeating: UInt8(ascii: " "), count: shift) + bytes
            let blocks = Self.blockMatches(shifted)
            let reference = Self.byteLoopMatches(shifted)
            // Compared into a Bool first: a failing `#expect` on large arrays diffs them for ages.
            let same = blocks == reference
            #expect(same, "\(relativePath) shifted by \(shift): \(blocks.count) matches, the byte loop \(reference.count)")
        }
    }

    /// Runs of every length around block edges: long hex runs, percent escapes split by an
    /// edge, addresses starting and ending at byte 63 or 64, separators the bit arithmetic
    /// chains ("1.2.3", "a::b", "%3A" after hex digits).
    @Test func findsWhatTheByteLoopFindsInBytesMadeForBlockEdges() {
        var generator = SeededGenerator(seed: 64)
        let pieces = [
            "1.2.3.4", "10.0.0.1", "::1", "2001:db8::7", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8", "::ffff:1.2.3.4",
            "%3A", "%3a", "%2E", "%2e", "%41", "%", "%2", ".", ":", "::", "..", "\n", " ", "x", "_", "g",
            "in-addr.arpa", "4.3.2.1.", "ab", "0", "255", "256", "010", "deadbeef", "12:30:45", "5.0", "1.1",
            String(repeating: "a", count: 61), String(repeating: "0", count: 70), "/", "\"", "-",
        ]
        var failures = 0
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 1..<60, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let bytes = Array(text.utf8)
            if Self.blockMatches(bytes) != Self.byteLoopMatches(bytes) {
                failures += 1
                if failures <= 5 { Issue.record("differs from the byte loop: \(text.debugDescription)") }
            }
        }
        #expect(failures == 0)
    }

    /// Arbitrary bytes, NUL and high bytes included.
    @Test func findsWhatTheByteLoopFindsInArbitraryBytes() {
        var generator = SeededGenerator(seed: 65)
        let alphabet = Array("0123456789abcdefABCDEF.:%3aAeE xg\n".utf8) + [0, 0x80, 0xFF]
        var failures = 0
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0..<300, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            if Self.blockMatches(bytes) != Self.byteLoopMatches(bytes) {
                failures += 1
                if failures <= 5 { Issue.record("differs from the byte loop: \(bytes)") }
            }
        }
        #expect(failures == 0)
    }

    /// The SIMD classifier and the byte loop that machines without SSE2 get must agree on every
    /// byte value at every position of a block (so the byte loop is tested on x86 too).
    @Test func simdClassesEqualTheByteLoopsForEveryByteValue() {
        var generator = SeededGenerator(seed: 66)
        var failures = 0
        var block = [UInt8](repeating: 0, count: 64)
        for round in 0..<4_096 {
            for index in 0..<64 {
                // The first 256 rounds put each byte value at every position; the rest are random.
                block[index] = round < 256 ? UInt8((round + index) & 0xFF) : UInt8.random(in: 0...255, using: &generator)
            }
            let (simd, portable) = block.withUnsafeBufferPointer { buffer in
                (anonlog_classify_full_block(buffer.baseAddress!), anonlog_classify_full_block_portable(buffer.baseAddress!))
            }
            let same = simd.members == portable.members && simd.dots == portable.dots
                && simd.colons == portable.colons && simd.percents == portable.percents
            if !same {
                failures += 1
                if failures <= 5 { Issue.record("classes differ for \(block)") }
            }
        }
        #expect(failures == 0)
    }
}
