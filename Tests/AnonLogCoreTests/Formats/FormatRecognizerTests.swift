import Testing
@testable import AnonLogCore

struct FormatRecognizerTests {
    static let combined = "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8.0\""
    static let common = "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5"
    static let vhost = "www.example.com:443 192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8.0\""
    static let nginx = #"{"remote_addr":"192.0.2.1","request":"GET / HTTP/1.1","status":200}"#
    static let chat = #"{"ts":"2026-11-20T00:25:56Z","event":"message","session_id":"s1","visitor_ip":"192.0.2.1","text":"hi"}"#

    // MARK: - Automatic

    @Test(arguments: [
        (combined, LogFormat.combined), (common, .common), (vhost, .vhostCombined), (nginx, .nginxJSON), (chat, .chatJSON),
    ])
    func recognisesEachFormatOnItsOwn(line: String, format: LogFormat) {
        #expect(FormatRecognizer().recognize(line)?.format == format)
    }

    @Test func leadingBlanksBeforeAJSONObjectAreSkipped() {
        #expect(FormatRecognizer().recognize(" \t" + Self.nginx)?.format == .nginxJSON)
    }

    @Test(arguments: ["", "   ", "\t", "\r", "hello world", "{not json}", "[1,2]"])
    func aLineInNoKnownFormatIsNotRecognised(line: String) {
        #expect(FormatRecognizer().recognize(line) == nil)
    }

    @Test func fieldRangesPointIntoTheLineAsGiven() throws {
        let parsed = try #require(FormatRecognizer().recognize("  " + Self.nginx))
        #expect(parsed.text(\.client) == "192.0.2.1")
    }

    // MARK: - Forced

    @Test(arguments: LogFormat.allCases)
    func aForcedFormatAcceptsOnlyItsOwnLines(forced: LogFormat) {
        let recognizer = FormatRecognizer(forcedFormat: forced)
        let lines: [(String, LogFormat)] = [
            (Self.combined, .combined), (Self.vhost, .vhostCombined), (Self.nginx, .nginxJSON), (Self.chat, .chatJSON),
        ]
        for (line, format) in lines {
            let recognized = recognizer.recognize(line)
            if format == forced || (forced == .common && format == .combined) {
                #expect(recognized?.format == forced, "\(line) forced \(forced)")
            } else {
                #expect(recognized == nil, "\(line) forced \(forced)")
            }
        }
    }

    @Test func aForcedCommonFormatAcceptsCombinedLinesAsCommon() throws {
        let parsed = try #require(FormatRecognizer(forcedFormat: .common).recognize(Self.combined))
        #expect(parsed.format == .common)
        #expect(parsed.text(\.client) == "192.0.2.1")
        #expect(parsed.text(\.bytesSent) == "5")
        #expect(FormatRecognizer(forcedFormat: .common).recognize(Self.common)?.format == .common)
    }

    @Test func aForcedCombinedFormatRejectsCommonLines() {
        #expect(FormatRecognizer(forcedFormat: .combined).recognize(Self.common) == nil)
    }

    @Test func theForcedFormatIsKept() {
        #expect(FormatRecognizer(forcedFormat: .chatJSON).forcedFormat == .chatJSON)
        #expect(FormatRecognizer().forcedFormat == nil)
    }
}
