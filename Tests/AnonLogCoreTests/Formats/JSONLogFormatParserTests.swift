import Foundation
import Testing
@testable import AnonLogCore

struct JSONLogFormatParserTests {
    static let samples = SampleLogsTests.samples

    static func sampleLines(_ name: String) throws -> [[UInt8]] {
        splitLines(Array(try Data(contentsOf: samples.appendingPathComponent(name))))
    }

    // MARK: - nginx JSON

    @Test func readsTheFieldsOfAnNginxJSONLine() throws {
        let line = try Self.sampleLines("nginx-json.log")[0]
        let parsed = try #require(JSONLogFormatParser.parse(line))
        #expect(parsed.format == .nginxJSON)
        #expect(parsed.text(\.time) == "2026-11-20T00:25:44+00:00")
        #expect(parsed.text(\.client) == "10.0.1.6")
        #expect(parsed.text(\.request) == "GET / HTTP/2.0")
        #expect(parsed.text(\.status) == "200")
        #expect(parsed.text(\.bytesSent) == "27830")
        #expect(parsed.text(\.referer) == "")
        #expect(parsed.text(\.userAgent)?.hasPrefix("Mozilla/5.0 (iPhone;") == true)
        #expect(parsed.text(\.forwardedFor) == "46.231.125.96")
        #expect(parsed.fields.sessionID == nil && parsed.fields.event == nil)
    }

    @Test func everyLineOfTheNginxSampleIsNginxJSON() throws {
        let lines = try Self.sampleLines("nginx-json.log")
        #expect(lines.count == 460)
        #expect(lines.allSatisfy { JSONLogFormatParser.parse($0)?.format == .nginxJSON })
    }

    @Test func aRequestAndAStatusWithoutRemoteAddressAreEnough() throws {
        let parsed = try #require(JSONLogFormatParser.parse(#"{"time_local":"20/Nov/2026:10:00:00 +0000","request":"GET / HTTP/1.1","status":"404"}"#))
        #expect(parsed.format == .nginxJSON)
        #expect(parsed.text(\.time) == "20/Nov/2026:10:00:00 +0000")
        #expect(parsed.fields.client == nil)
        #expect(JSONLogFormatParser.parse(#"{"request":"GET / HTTP/1.1"}"#) == nil)
        #expect(JSONLogFormatParser.parse(#"{"status":200}"#) == nil)
    }

    @Test func aRemoteAddressAloneIsEnough() throws {
        let parsed = try #require(JSONLogFormatParser.parse(#"{"remote_addr":"2001:db8::1"}"#))
        #expect(parsed.format == .nginxJSON)
        #expect(parsed.text(\.client) == "2001:db8::1")
    }

    // MARK: - Chat JSON

    @Test func readsTheFieldsOfAChatEvent() throws {
        let lines = try Self.sampleLines("chat.jsonl")
        let start = try #require(JSONLogFormatParser.parse(lines[0]))
        #expect(start.format == .chatJSON)
        #expect(start.text(\.time) == "2026-11-20T00:25:56.767Z")
        #expect(start.text(\.event) == "session_start")
        #expect(start.text(\.sessionID) == "cs_u0CMundjCxTZY3rO77Du")
        #expect(start.text(\.client) == "::ffff:74.5.56.18")
        #expect(start.text(\.userAgent)?.hasPrefix("Mozilla/5.0 (iPhone;") == true)
        #expect(start.fields.request == nil && start.fields.status == nil)

        let messageLine = try #require(lines.first { String(decoding: $0, as: UTF8.self).contains(#""event":"message""#) })
        let message = try #require(JSONLogFormatParser.parse(messageLine))
        #expect(message.format == .chatJSON)
        #expect(message.text(\.event) == "message")
        #expect(message.fields.text != nil)
    }

    @Test func everyLineOfTheChatSampleIsChatJSON() throws {
        let lines = try Self.sampleLines("chat.jsonl")
        #expect(lines.count > 1_000)
        #expect(lines.allSatisfy { JSONLogFormatParser.parse($0)?.format == .chatJSON })
    }

    @Test func aSessionIdentifierAndAnEventOrTypeMakeAChatEvent() throws {
        #expect(JSONLogFormatParser.parse(#"{"type":"message","session_id":"s1","text":"hi"}"#)?.format == .chatJSON)
        #expect(JSONLogFormatParser.parse(#"{"session_id":"s1","event":"message","remote_addr":"192.0.2.1"}"#)?.format == .chatJSON)
        #expect(JSONLogFormatParser.parse(#"{"session_id":"s1","text":"hi"}"#) == nil)
        #expect(JSONLogFormatParser.parse(#"{"event":"message","text":"hi"}"#) == nil)
    }

    @Test func aSessionIdentifierThatIsNoStringIsNotReplaceable() throws {
        #expect(JSONLogFormatParser.parse(#"{"session_id":12345,"event":"message"}"#) == nil)
        let nested = try #require(JSONLogFormatParser.parse(#"{"session_id":{"id":"s1"},"event":"x","remote_addr":"192.0.2.1"}"#))
        #expect(nested.format == .nginxJSON)
        #expect(nested.fields.sessionID == nil)
    }

    // MARK: - Other JSON

    @Test(arguments: [
        "matomo-log-analytics-tests/caddy_json.log",
        "crowdsec-hub-tests/caddy-logs__caddy-logs.log",
        "lnav-test-logs/logfile_caddy_log.1",
        "matomo-log-analytics-tests/traefik_json.log",
        "crowdsec-hub-tests/traefik_json__traefik_json.log",
    ])
    func caddyAndTraefikJSONIsNotRecognised(relativePath: String) throws {
        let objects = try RealWorldCorpus.lines(relativePath).filter { $0.first == UInt8(ascii: "{") }
        #expect(!objects.isEmpty)
        for line in objects {
            #expect(JSONLogFormatParser.parse(line) == nil, "\(String(decoding: line.prefix(120), as: UTF8.self))")
        }
    }

    @Test(arguments: ["", "[]", "{\"remote_addr\":\"192.0.2.1\"", "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5"])
    func whatIsNoJSONObjectIsNotRecognised(line: String) {
        #expect(JSONLogFormatParser.parse(line) == nil)
    }
}
