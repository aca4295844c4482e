import Foundation
import Testing
@testable import AnonLogCore

struct LineAnonymizerTests {
    let oracle: AnonymizationOracle

    init() throws {
        oracle = try AnonymizationOracle()
    }

    func p(_ address: String) -> String { oracle.pseudonym(address) }

    // MARK: - Bytes around addresses

    @Test func replacesEveryAddressAndCopiesEverythingElse() {
        let lines = oracle.lineAnonymizer()
        let input = "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET /?ip=198.51.100.2 HTTP/1.1\" 200 5 "
            + "\"http://[2001:db8::5]:8080/x\" \"Mozilla/5.0 Chrome/120.0.6099.129\" \"203.0.113.7, 10.0.0.1\"\n"
        let expected = "\(p("192.0.2.1")) - - [20/Nov/2026:10:00:00 +0000] \"GET /?ip=\(p("198.51.100.2")) HTTP/1.1\" 200 5 "
            + "\"http://[\(p("2001:db8::5"))]:8080/x\" \"Mozilla/5.0 Chrome/120.0.6099.129\" \"\(p("203.0.113.7")), \(p("10.0.0.1"))\"\n"
        #expect(lines.anonymize(input) == expected)
        #expect(lines.counts.addressesReplaced == 5)
    }

    @Test func portsBracketsAndZoneIdentifiersAreKept() {
        let lines = oracle.lineAnonymizer()
        #expect(lines.anonymize("[client 1.2.3.4:5678] x [2001:db8::1]:443 fe80::1%eth0\n")
            == "[client \(p("1.2.3.4")):5678] x [\(p("2001:db8::1"))]:443 \(p("fe80::1"))%eth0\n")
    }

    @Test func anIPv4AddressAndItsMappedSpellingGetTheSamePseudonym() {
        let lines = oracle.lineAnonymizer()
        #expect(lines.anonymize("192.0.2.1 ::ffff:192.0.2.1\n") == "\(p("192.0.2.1")) \(p("192.0.2.1"))\n")
    }

    @Test func invalidUTF8NULAndControlBytesAreCopied() {
        let lines = oracle.lineAnonymizer()
        let input: [UInt8] = [0xFF, 0xFE, 0x00, 0x1B, 0x20] + Array("192.0.2.1".utf8) + [0x00, 0xC3, 0x28, 0x90, 0x0A]
        let expected: [UInt8] = [0xFF, 0xFE, 0x00, 0x1B, 0x20] + Array(p("192.0.2.1").utf8) + [0x00, 0xC3, 0x28, 0x90, 0x0A]
        #expect(lines.anonymize(input) == expected)
    }

    @Test func carriageReturnsAreCopied() {
        let lines = oracle.lineAnonymizer()
        #expect(lines.anonymize("a 192.0.2.1\r\n\r\nb 192.0.2.2\r\n") == "a \(p("192.0.2.1"))\r\n\r\nb \(p("192.0.2.2"))\r\n")
        #expect(lines.counts.lines == 3)
    }

    @Test func aLastLineWithoutLineFeedGetsNone() {
        let lines = oracle.lineAnonymizer()
        #expect(lines.anonymize("x 192.0.2.1\ny 192.0.2.2") == "x \(p("192.0.2.1"))\ny \(p("192.0.2.2"))")
        #expect(lines.counts.lines == 2)
    }

    @Test func emptyInputAndEmptyLines() {
        let lines = oracle.lineAnonymizer()
        #expect(lines.anonymize("").isEmpty)
        #expect(lines.counts.lines == 0)
        #expect(lines.anonymize("\n\n") == "\n\n")
        #expect(lines.counts.lines == 2 && lines.counts.unknownFormatLines == 2)
    }

    @Test func lookAlikesAreLeftAlone() {
        let lines = oracle.lineAnonymizer()
        let input = "Chrome/120.0.6099.129 oid 1.3.6.1.4.1.2021.10.1.3.1 999.1.1.1 time=12:30:45 00:1A:2B:3C:4D:5E std::vector 0.0.0.0 ::\n"
        #expect(lines.anonymize(input) == input)
        #expect(lines.counts.addressesReplaced == 0 && lines.counts.redactions == 0)
    }

    // MARK: - Percent-encoded addresses

    @Test func aPercentEncodedAddressIsReplacedWithTheSameEncoding() {
        let lines = oracle.lineAnonymizer()
        let upper = p("2001:db8::1").replacingOccurrences(of: ":", with: "%3A")
        let lower = p("2001:db8::1").replacingOccurrences(of: ":", with: "%3a")
        #expect(lines.anonymize("GET /?ip=2001%3Adb8%3A%3A1&x=1\n") == "GET /?ip=\(upper)&x=1\n")
        #expect(lines.anonymize("GET /?ip=2001%3adb8%3a%3a1&x=1\n") == "GET /?ip=\(lower)&x=1\n")
        let ipv4 = p("1.2.3.4").replacingOccurrences(of: ":", with: "%3A")
        #expect(lines.anonymize("a=1%2E2%2E3%2E4&b\n") == "a=\(ipv4)&b\n")
        #expect(!upper.contains(":") && !lower.contains(":"))
    }

    @Test func aPercentEncodedAddressGetsAPlainToken() throws {
        let tokens = try AnonymizationOracle(shape: .token)
        let lines = tokens.lineAnonymizer()
        #expect(lines.anonymize("u=%5B2001%3adb8%3a%3a9%5D\n") == "u=%5B\(tokens.pseudonym("2001:db8::9"))%5D\n")
    }

    // MARK: - Session identifiers

    @Test func aChatSessionIdentifierIsReplacedByItsToken() {
        let lines = oracle.lineAnonymizer()
        let input = #"{"ts":"2026-11-20T00:25:56.767Z","event":"session_start","session_id":"cs_u0CMundjCxTZY3rO77Du","visitor_ip":"::ffff:74.5.56.18"}"#
        let token = oracle.sessionToken("cs_u0CMundjCxTZY3rO77Du")
        #expect(token.count == 24 && token.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(lines.anonymize(input + "\n")
            == #"{"ts":"2026-11-20T00:25:56.767Z","event":"session_start","session_id":"\#(token)","visitor_ip":"\#(p("74.5.56.18"))"}"# + "\n")
        #expect(lines.counts.identifiersReplaced == 1 && lines.counts.addressesReplaced == 1)
    }

    @Test func anAddressInsideASessionIdentifierIsReplacedOnlyWithTheIdentifier() {
        let lines = oracle.lineAnonymizer()
        let input = #"{"visitor_ip":"192.0.2.1","event":"message","session_id":"s-192.0.2.1-2001:db8::7","text":"from 198.51.100.9"}"#
        let expected = #"{"visitor_ip":"\#(p("192.0.2.1"))","event":"message","session_id":"\#(oracle.sessionToken("s-192.0.2.1-2001:db8::7"))","text":"from \#(p("198.51.100.9"))"}"#
        #expect(lines.anonymize(input) == expected)
        #expect(lines.counts.identifiersReplaced == 1)
        #expect(lines.counts.addressesReplaced == 2)

        let whole = #"{"session_id":"2001:db8::1","type":"x"}"#
        #expect(lines.anonymize(whole) == #"{"session_id":"\#(oracle.sessionToken("2001:db8::1"))","type":"x"}"#)
        #expect(lines.counts.addressesReplaced == 2)
    }

    @Test func anEscapedSessionIdentifierIsReplacedWhole() {
        let lines = oracle.lineAnonymizer()
        let input = #"{"event":"message","session_id":"a\"b\\","text":"x"}"#
        #expect(lines.anonymize(input) == #"{"event":"message","session_id":"\#(oracle.sessionToken(#"a\"b\\"#))","text":"x"}"#)
    }

    @Test func keptSessionIdentifiersStillLoseTheirAddresses() {
        let lines = oracle.lineAnonymizer(keepSessionIDs: true)
        let input = #"{"event":"message","session_id":"cs_1-192.0.2.1","visitor_ip":"192.0.2.1"}"#
        #expect(lines.anonymize(input) == #"{"event":"message","session_id":"cs_1-\#(p("192.0.2.1"))","visitor_ip":"\#(p("192.0.2.1"))"}"#)
        #expect(lines.counts.identifiersReplaced == 0 && lines.counts.addressesReplaced == 2)
    }

    @Test func anEmptySessionIdentifierStaysEmpty() {
        let lines = oracle.lineAnonymizer()
        #expect(lines.anonymize(#"{"event":"message","session_id":""}"#) == #"{"event":"message","session_id":""}"#)
        #expect(lines.counts.identifiersReplaced == 0)
    }

    // MARK: - Redaction

    @Test func uncertainTokensAreReplacedByTheMarker() {
        let lines = oracle.lineAnonymizer()
        #expect(lines.anonymize("x 010.1.1.1 y 2001:db8::1::2 z\n") == "x REDACTED y REDACTED z\n")
        #expect(lines.counts.redactions == 2 && lines.counts.addressesReplaced == 0)

        let custom = oracle.lineAnonymizer(redactionMarker: "[ip?]")
        #expect(custom.anonymize("x 010.1.1.1 192.0.2.1\n") == "x [ip?] \(p("192.0.2.1"))\n")
        #expect(custom.counts.redactions == 1 && custom.counts.addressesReplaced == 1)
    }

    // MARK: - Counts

    @Test func countsLinesPerFormatAndUnknownLines() {
        let lines = oracle.lineAnonymizer()
        let input = [
            "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8.0\"",
            "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8.0\" \"-\"",
            "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5",
            "example.com:80 192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
            #"{"remote_addr":"192.0.2.1","request":"GET / HTTP/1.1","status":200}"#,
            #"{"event":"message","session_id":"s1","visitor_ip":"192.0.2.1"}"#,
            #"{"event":"message","session_id":"s2"}"#,
            "[error] client: 192.0.2.1, server: x",
            "",
            "garbage \u{0}\u{7F}",
        ].joined(separator: "\n") + "\n"
        let output = lines.anonymize(Array(input.utf8))
        let counts = lines.counts
        #expect(counts.lines == 10)
        #expect(counts.linesByFormat == [.combined: 2, .common: 1, .vhostCombined: 1, .nginxJSON: 1, .chatJSON: 2])
        #expect(counts.unknownFormatLines == 3)
        #expect(counts.addressesReplaced == 7)
        #expect(counts.identifiersReplaced == 2)
        #expect(counts.redactions == 0 && counts.oversizedLines == 0)
        #expect(counts.bytesIn == input.utf8.count)
        #expect(counts.bytesOut == output.count)
    }

    @Test func countsAddUpOverCalls() {
        let lines = oracle.lineAnonymizer()
        _ = lines.anonymize("192.0.2.1\n")
        _ = lines.anonymize("192.0.2.2 192.0.2.3\nx")
        #expect(lines.counts.lines == 3)
        #expect(lines.counts.addressesReplaced == 3)
        #expect(lines.counts.bytesIn == 10 + 21)
    }

    // MARK: - Oversized pieces

    @Test func piecesOfAnOversizedLineAreAnonymizedAndTheLineCountedOnce() {
        let lines = oracle.lineAnonymizer()
        let output = OutputBuffer()
        Array("192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET /".utf8).withUnsafeBytes {
            lines.anonymize(oversizedPiece: $0, endsLine: false, into: output)
        }
        #expect(lines.counts.lines == 0)
        Array("?a=198.51.100.2 HTTP/1.1\" 200 5 \"-\" \"-\"\n".utf8).withUnsafeBytes {
            lines.anonymize(oversizedPiece: $0, endsLine: true, into: output)
        }
        #expect(String(decoding: output.bytes, as: UTF8.self)
            == "\(p("192.0.2.1")) - - [20/Nov/2026:10:00:00 +0000] \"GET /?a=\(p("198.51.100.2")) HTTP/1.1\" 200 5 \"-\" \"-\"\n")
        #expect(lines.counts.lines == 1 && lines.counts.oversizedLines == 1 && lines.counts.unknownFormatLines == 1)
        #expect(lines.counts.addressesReplaced == 2)
        #expect(lines.counts.bytesOut == output.count)
    }
}
