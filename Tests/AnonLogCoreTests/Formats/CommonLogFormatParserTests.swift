import Foundation
import Testing
@testable import AnonLogCore

struct CommonLogFormatParserTests {
    // MARK: - Combined

    @Test func readsEveryFieldOfACombinedLine() throws {
        let line = try RealWorldCorpus.line("crowdsec-hub-tests/apache2-logs__apache2-logs.log", containing: "masscan")
        let parsed = try #require(CommonLogFormatParser.parse(line))
        #expect(parsed.format == .combined)
        #expect(parsed.text(\.client) == "164.68.112.178")
        #expect(parsed.text(\.time) == "08/Jun/2020:07:01:28 +0000")
        #expect(parsed.text(\.request) == "GET / HTTP/1.0")
        #expect(parsed.text(\.status) == "500")
        #expect(parsed.text(\.bytesSent) == "799")
        #expect(parsed.text(\.referer) == "-")
        #expect(parsed.text(\.userAgent) == "masscan/1.0 (https://github.com/robertdavidgraham/masscan)")
        #expect(parsed.fields.sessionID == nil && parsed.fields.forwardedFor == nil)
    }

    /// A combined line as a regular expression: quoted fields with `\"` escapes, anything after.
    static let combinedPattern = #"^\S+ \S+ \S+ \[[^\]]+\] "(?:[^"\\]|\\.)*" \d{3} (?:\d+|-) "(?:[^"\\]|\\.)*" "(?:[^"\\]|\\.)*"(?: .*)?$"#
    static let commonPattern = #"^\S+ \S+ \S+ \[[^\]]+\] "[^"]*" \d{3} (?:\d+|-)$"#

    @Test(arguments: [
        ("elastic-examples-apache/apache_logs.gz", LogFormat.combined, combinedPattern),
        ("nielsbasjes-logparser/hackers-access.log", .combined, combinedPattern),
        ("lnav-test-logs/logfile_shop_access_log.0", .combined, combinedPattern),
        ("nasa-http-1995/NASA_access_log_Aug95", .common, commonPattern),
    ])
    func readsEveryLineOfARealLogThatARegularExpressionReads(relativePath: String, format: LogFormat, pattern: String) throws {
        let expression = try NSRegularExpression(pattern: pattern)
        let lines = try RealWorldCorpus.lines(relativePath)
        var matching = 0
        for (number, line) in lines.enumerated() {
            let text = try #require(String(bytes: line, encoding: .isoLatin1))
            let matches = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            if matches { matching += 1 }
            let parsed = CommonLogFormatParser.parse(line)
            #expect(parsed?.format == (matches ? format : nil), "\(relativePath):\(number + 1)")
        }
        #expect(matching > lines.count * 9 / 10)
    }

    @Test func readsFieldsThatNginxLogsAfterTheUserAgent() throws {
        // log_format with "$http_x_forwarded_for" after the user agent.
        let line = try RealWorldCorpus.line("lnav-test-logs/logfile_shop_access_log.0", containing: "31.56.96.51")
        let parsed = try #require(CommonLogFormatParser.parse(line))
        #expect(parsed.format == .combined)
        #expect(parsed.text(\.client) == "31.56.96.51")
        #expect(parsed.text(\.referer) == "https://www.zanbil.ir/m/filter/b113")
        #expect(parsed.text(\.userAgent)?.hasPrefix("Mozilla/5.0 (Linux; Android 6.0;") == true)
        #expect(parsed.text(\.userAgent)?.hasSuffix("Mobile Safari/537.36") == true)

        let traefik = try RealWorldCorpus.line("crowdsec-hub-tests/traefik_clf__traefik_clf.log", containing: "cpshost.dll")
        let fields = try #require(CommonLogFormatParser.parse(traefik))
        #expect(fields.format == .combined)
        #expect(fields.text(\.userAgent) == "-")
        #expect(fields.text(\.status) == "200")
    }

    // MARK: - Client lists

    @Test func takesAForwardedForListInTheClientSlotAsTheClient() throws {
        let parsed = try #require(CommonLogFormatParser.parse(
            "203.0.113.7, 10.0.0.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8.0\""))
        #expect(parsed.format == .combined)
        #expect(parsed.text(\.client) == "203.0.113.7, 10.0.0.1")
        #expect(parsed.text(\.request) == "GET / HTTP/1.1")
    }

    @Test func readsTheClientListsOfTheBeatsNginxFixtures() throws {
        let path = "elastic-beats-fixtures/nginx_access_test.log"
        let three = try #require(CommonLogFormatParser.parse(try RealWorldCorpus.line(path, containing: "10.0.0.2, 10.0.0.1, 85.181.35.98")))
        #expect(three.format == .combined)
        #expect(three.text(\.client) == "10.0.0.2, 10.0.0.1, 85.181.35.98")

        let quoted = try #require(CommonLogFormatParser.parse(try RealWorldCorpus.line(path, containing: "\"10.5.102.222")))
        #expect(quoted.format == .combined)
        #expect(quoted.text(\.client) == "\"10.5.102.222, 199.96.1.1, 204.246.1.1\" 10.2.1.185")
        #expect(quoted.text(\.userAgent) == "Amazon CloudFront")

        let ipv6 = try #require(CommonLogFormatParser.parse(try RealWorldCorpus.line(path, containing: "2a03:0000:10ff")))
        #expect(ipv6.format == .combined)
        #expect(ipv6.text(\.client) == "2a03:0000:10ff:f00f:0000:0000:0:8000, 10.225.192.17 10.2.2.121")
    }

    @Test func anIPv6ClientIsNoVirtualHost() throws {
        let parsed = try #require(CommonLogFormatParser.parse(
            "2001:db8::a:1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\""))
        #expect(parsed.format == .combined)
        #expect(parsed.text(\.client) == "2001:db8::a:1")
    }

    // MARK: - Common

    @Test func readsACommonLine() throws {
        let line = try RealWorldCorpus.lines("matomo-log-analytics-tests/common.log")[0]
        let parsed = try #require(CommonLogFormatParser.parse(line))
        #expect(parsed.format == .common)
        #expect(parsed.text(\.client) == "1.2.3.4")
        #expect(parsed.text(\.request) == "GET / HTTP/1.0")
        #expect(parsed.text(\.status) == "301")
        #expect(parsed.text(\.bytesSent) == "368")
        #expect(parsed.fields.referer == nil && parsed.fields.userAgent == nil)
    }

    @Test func aDashForTheByteCountIsAccepted() throws {
        let parsed = try #require(CommonLogFormatParser.parse(
            try RealWorldCorpus.line("honeynet-chuvakin-httpd/access_log", containing: "OPTIONS / HTTP/1.1")))
        #expect(parsed.format == .combined)
        #expect(parsed.text(\.bytesSent) == "-")
        #expect(parsed.text(\.userAgent) == "Microsoft-WebDAV-MiniRedir/5.1.2600")
    }

    // MARK: - vhost_combined

    @Test func readsTheVirtualHostAndPortBeforeTheClient() throws {
        let line = try RealWorldCorpus.line("elastic-beats-fixtures/nginx_access_test-with-host.log", containing: "example.com:80 81.2.69.143")
        let parsed = try #require(CommonLogFormatParser.parse(line))
        #expect(parsed.format == .vhostCombined)
        #expect(parsed.text(\.client) == "81.2.69.143")
        #expect(parsed.text(\.request) == "GET /ocelot HTTP/1.1")

        let numeric = try #require(CommonLogFormatParser.parse(
            try RealWorldCorpus.line("elastic-beats-fixtures/nginx_access_test-with-host.log", containing: "1.128.3.4:80 127.0.0.1")))
        #expect(numeric.format == .vhostCombined)
        #expect(numeric.text(\.client) == "127.0.0.1")
        #expect(numeric.text(\.request) == "")
    }

    @Test func aVirtualHostWithoutRefererAndUserAgentIsNotRead() {
        #expect(CommonLogFormatParser.parse(
            "www.example.com:443 203.0.113.9 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5") == nil)
    }

    // MARK: - Request lines

    @Test func theRequestMayHoldRawBinaryBytes() throws {
        let lines = try RealWorldCorpus.lines("honeynet-chuvakin-httpd/access_log.1")
        let junk = lines.filter { $0.contains(0x90) }
        #expect(junk.count >= 3)
        for line in junk {
            let parsed = try #require(CommonLogFormatParser.parse(line))
            #expect(parsed.format == .combined)
            let request = try #require(parsed.raw(\.request))
            #expect(request.starts(with: Array("SEARCH /".utf8)) && request.last == 0x90)
            #expect(request.count > 8_000)
            #expect(parsed.text(\.status) == "414")
        }
    }

    @Test func everyLineOfTheHoneypotLogsIsRead() throws {
        for path in ["honeynet-chuvakin-httpd/access_log", "honeynet-chuvakin-httpd/access_log.1", "honeynet-chuvakin-httpd/access_log.15.gz"] {
            let lines = try RealWorldCorpus.lines(path)
            let unread = lines.indices.filter { CommonLogFormatParser.parse(lines[$0]) == nil }
            #expect(unread.isEmpty, "\(path): lines \(unread.prefix(5).map { $0 + 1 }) not read")
        }
    }

    @Test func requestsWithoutAVersionAndEscapedHandshakesAreRead() throws {
        let noVersion = try #require(CommonLogFormatParser.parse(
            try RealWorldCorpus.line("honeynet-chuvakin-httpd/access_log.1", containing: "nsiislog.dll\"")))
        #expect(noVersion.text(\.request) == "GET /scripts/nsiislog.dll")
        #expect(noVersion.text(\.status) == "404")

        let handshake = try #require(CommonLogFormatParser.parse(
            try RealWorldCorpus.line("crowdsec-hub-tests/apache2-malformed__apache2-logs.log", containing: "x01 \\x02")))
        #expect(handshake.text(\.request) == "\\x16\\x03\\x01\\x01 \\x02")
        #expect(handshake.text(\.status) == "400")

        let botnet = try #require(CommonLogFormatParser.parse(
            try RealWorldCorpus.line("crowdsec-hub-tests/nginx-http-malformed__nginx_http-logs.log", containing: "lv|'|'|")))
        #expect(botnet.text(\.request)?.hasSuffix("|'|'|[endof]") == true)
        #expect(botnet.text(\.bytesSent) == "157")
    }

    @Test func aStrayQuoteInsideTheRequestDoesNotEndIt() throws {
        let parsed = try #require(CommonLogFormatParser.parse(
            "198.51.100.4 - - [20/Nov/2026:10:00:00 +0000] \"GET /a\"b\" HTTP/1.0\" 404 12 \"-\" \"x\"y\""))
        #expect(parsed.text(\.request) == "GET /a\"b\" HTTP/1.0")
        #expect(parsed.text(\.status) == "404")
        #expect(parsed.text(\.bytesSent) == "12")
    }

    @Test func escapedQuotesStayInsideTheirFields() throws {
        // Apache writes a quote inside a field as \" (and a backslash as \\).
        let parsed = try #require(CommonLogFormatParser.parse(
            #"198.51.100.4 - - [20/Nov/2026:10:00:00 +0000] "GET /q?a=\"b\"&c=\\ HTTP/1.1" 200 5 "http://x/\"r\"" "Agent \"quoted\" \\""#))
        #expect(parsed.format == .combined)
        #expect(parsed.text(\.request) == #"GET /q?a=\"b\"&c=\\ HTTP/1.1"#)
        #expect(parsed.text(\.referer) == #"http://x/\"r\""#)
        #expect(parsed.text(\.userAgent) == #"Agent \"quoted\" \\"#)
    }

    @Test func anEscapedQuoteFollowedByAStatusLikeNumberDoesNotEndTheRequest() throws {
        // What Apache writes for the request line `GET /x" 200 1 HTTP/1.1`.
        let parsed = try #require(CommonLogFormatParser.parse(
            #"198.51.100.4 - - [20/Nov/2026:10:00:00 +0000] "GET /x\" 200 1 HTTP/1.1" 404 5 "-" "curl/8.0""#))
        #expect(parsed.format == .combined)
        #expect(parsed.text(\.request) == #"GET /x\" 200 1 HTTP/1.1"#)
        #expect(parsed.text(\.status) == "404")
        #expect(parsed.text(\.userAgent) == "curl/8.0")
    }

    @Test func aRawBackslashBeforeTheClosingQuoteStillEndsTheRequest() throws {
        // Servers that did not escape write the request `GET /dir\` as it came.
        let parsed = try #require(CommonLogFormatParser.parse(
            #"198.51.100.4 - - [20/Nov/2026:10:00:00 +0000] "GET /dir\" 404 5 "-" "-""#))
        #expect(parsed.text(\.request) == #"GET /dir\"#)
        #expect(parsed.text(\.status) == "404")
        #expect(parsed.text(\.userAgent) == "-")
    }

    // MARK: - Line ends

    @Test func aCarriageReturnBeforeTheLineFeedIsNoPartOfAField() throws {
        let combined = try #require(CommonLogFormatParser.parse(
            "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8.0\"\r"))
        #expect(combined.format == .combined)
        #expect(combined.text(\.userAgent) == "curl/8.0")

        let common = try #require(CommonLogFormatParser.parse("192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5\r"))
        #expect(common.format == .common)
        #expect(common.text(\.bytesSent) == "5")
    }

    // MARK: - Malformed lines

    @Test(arguments: [
        "",
        "xxxxxxxxxxxx",
        "192.0.2.1",
        "[20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5",
        "192.0.2.1 - - \"GET / HTTP/1.1\" 200 5",
        "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] GET / HTTP/1.1 200 5",
        "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1 200 5",
        "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\"",
        "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200",
        "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5k",
        "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\"",
        "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"unterminated",
        "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 - -",
        "192.0.2.1 - - [20/Nov/2026:10:00:00",
        "192.0.2.1 [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5",
        "{\"remote_addr\":\"192.0.2.1\",\"time_local\":\"[20/Nov/2026:10:00:00 +0000]\"}",
    ])
    func aMalformedLineIsNotRead(line: String) {
        #expect(CommonLogFormatParser.parse(line) == nil)
    }

    @Test func theBrokenLinesOfRealLogsAreNotRead() throws {
        let bad = try RealWorldCorpus.lines("lnav-test-logs/logfile_bad_access_log.0")
        #expect(CommonLogFormatParser.parse(bad[1]) == nil)  // ident and user missing
        #expect(CommonLogFormatParser.parse(bad[0])?.format == .combined)
        let niels = try RealWorldCorpus.lines("nielsbasjes-logparser/access_log.gz")
        #expect(CommonLogFormatParser.parse(niels[1]) == nil)  // xxxxxxxxxxxx
    }

    @Test func everyPrefixOfALineIsReadOrRejectedWithoutCrashing() throws {
        let line = try RealWorldCorpus.line("lnav-test-logs/logfile_shop_access_log.0", containing: "31.56.96.51")
        for length in 0...line.count {
            let parsed = CommonLogFormatParser.parse(Array(line[..<length]))
            if let fields = parsed?.fields {
                for range in [fields.client, fields.time, fields.request, fields.status, fields.bytesSent, fields.referer, fields.userAgent] {
                    if let range { #expect(range.lowerBound >= 0 && range.upperBound <= length) }
                }
            }
        }
    }
}
