import Testing

@testable import AnonLogCore

/// What events take from a line before its address is replaced: user-agent classes, path
/// templates, request pieces, client addresses and message fingerprints.
struct EnrichmentTests {
    // MARK: - User agents

    @Test(arguments: [
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", UserAgentClass.crawler, "Googlebot"),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)", .aiCrawler, "GPTBot"),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)", .aiCrawler, "ClaudeBot"),
        ("curl/8.5.0", .library, "curl"),
        ("python-requests/2.32.3", .library, "python-requests"),
        ("sqlmap/1.8.11#stable (https://sqlmap.org)", .scanner, "sqlmap"),
        ("Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000001)", .scanner, "Nikto"),
        ("Nuclei - Open-source project (github.com/projectdiscovery/nuclei)", .scanner, "Nuclei"),
        ("Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)", .crawler, "MJ12bot"),
    ])
    func namedBotsAreClassifiedFromTheShippedLists(userAgent: String, expected: UserAgentClass, name: String) {
        let verdict = Array(userAgent.utf8).withUnsafeBytes { UserAgentClassifier().classify($0) }
        #expect(verdict.userAgentClass == expected)
        #expect(verdict.bot >= 0 && UserAgentLists.botName(Int(verdict.bot)) == name)
    }

    @Test func browsersEmptyAndUndeclaredBotsAreTold() {
        let classifier = UserAgentClassifier()
        func classify(_ text: String) -> UserAgentClass { Array(text.utf8).withUnsafeBytes { classifier.classify($0).userAgentClass } }
        #expect(classify(Trace.browser) == .browser)
        #expect(classify("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1") == .browser)
        #expect(classify("-") == .empty)
        #expect(classify("") == .empty)
        #expect(classify("MyOwnCrawler/1.0 (+https://crawler.example)") == .crawler)
        #expect(classify("Hello, world") == .unknown)
    }

    @Test func badListMembershipIsKeptApartFromTheClass() {
        // MJ12bot is on CrowdSec's list (a blocking policy) yet a declared SEO crawler.
        let verdict = Array("Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)".utf8).withUnsafeBytes { UserAgentClassifier().classify($0) }
        #expect(verdict.badListed && verdict.userAgentClass == .crawler)
    }

    @Test func googlebotFromOutsideGoogleIsAFakeCrawler() throws {
        let (store, _) = try StatsHarness.record([[
            Trace.request("66.249.66.1", 0, "GET", "/", userAgent: Trace.googlebot),
            Trace.request("203.0.113.9", 1, "GET", "/", userAgent: Trace.googlebot),
        ]])
        let classes = (store as! MemoryStatsStore).batches.flatMap(\.traffic).map(\.userAgentClass)
        #expect(classes.sorted { $0.rawValue < $1.rawValue } == [.crawler, .fakeCrawler])
    }

    // MARK: - Paths

    @Test(arguments: [
        ("/orders/10482/items", "/orders/{n}/items"),
        ("/static/js/app.8b3d7f10.js", "/static/js/app.{hex}.js"),
        ("/u/550e8400-e29b-41d4-a716-446655440000", "/u/{uuid}"),
        ("/reset/jane.doe@example.com", "/reset/{email}"),
        ("/session/cs_u0CMundjCxTZY3rO77Du4", "/session/{id}"),
        ("/products/router-ax3000", "/products/router-ax3000"),
        ("/lookup/198.51.100.23/details", "/lookup/{ip}/details"),
        ("/v6/2001:db8::1", "/v6/{ip}"),
        ("/enc/2001%3Adb8%3A%3A1", "/enc/{ip}"),
        ("", "/"),
    ])
    func templatesCollapseIdsAndNeverHoldAnAddress(path: String, expected: String) {
        let template = PathTemplate()
        _ = Array(path.utf8).withUnsafeBytes { template.build($0, path: 0..<path.utf8.count) }
        #expect(template.text == expected)
    }

    @Test func longPathsAreCutWithoutSplittingACharacter() {
        let path = String(repeating: "/éé", count: 40)
        let template = PathTemplate()
        _ = Array(path.utf8).withUnsafeBytes { template.build($0, path: 0..<path.utf8.count) }
        #expect(template.text.utf8.count <= PathTemplate.maximumLength + 3)
        #expect(template.text.hasSuffix("…") && !template.text.contains("\u{FFFD}"))
    }

    // MARK: - Request lines and clients

    @Test func requestLinesAreSplitAndJunkIsMarked() {
        func parse(_ text: String) -> RequestLine { Array(text.utf8).withUnsafeBytes { RequestLine($0, 0..<$0.count) } }
        let line = parse("POST /login?next=%2F HTTP/1.1")
        #expect(line.method == .post && line.version == .valid && line.query != nil)
        #expect(parse("GET / HTTP/9.9").version == .invalid)
        #expect(parse("\\x16\\x03\\x01").version == .invalid)
        #expect(parse("-").isEmpty)
    }

    @Test(arguments: [
        ("203.0.113.7, 10.0.0.1", "203.0.113.7"),
        ("2001:db8::5", "2001:db8::5"),
        ("fe80::1ff:fe23:4567:890a%eth0", "fe80::1ff:fe23:4567:890a"),
        ("::ffff:198.51.100.4", "198.51.100.4"),
    ])
    func theClientIsTheFirstAddressOfTheClientField(field: String, expected: String) {
        let line = Trace.request(field, 0, "GET", "/")
        let address = Array(line.utf8).withUnsafeBytes { bytes in
            FormatRecognizer().recognize(bytes).flatMap { ClientAddress.find(in: bytes, fields: $0) }
        }
        // The same 128 bits: an IPv4 address and its mapped spelling are one client.
        #expect(address?.high == IPAddress(expected)?.high && address?.low == IPAddress(expected)?.low)
    }

    @Test func portsAndBracketsAroundAnAddressAreRemoved() {
        #expect(Array("[2001:db8::5]:51234".utf8).withUnsafeBytes { ClientAddress.parse($0, 0, $0.count) } == IPAddress("2001:db8::5"))
        #expect(Array("198.51.100.4:8080".utf8).withUnsafeBytes { ClientAddress.parse($0, 0, $0.count) } == IPAddress("198.51.100.4"))
    }

    @Test func behindALoadBalancerTheClientIsTheLeftmostPublicForwardedAddress() {
        let line = #"{"time_iso8601":"2026-11-20T10:00:00+00:00","remote_addr":"10.0.1.6","request":"GET / HTTP/1.1","status":200,"http_x_forwarded_for":"10.9.8.7, 46.231.125.96, 10.0.0.1"}"#
        let address = Array(line.utf8).withUnsafeBytes { bytes in
            FormatRecognizer().recognize(bytes).flatMap { ClientAddress.find(in: bytes, fields: $0) }
        }
        #expect(address == IPAddress("46.231.125.96"))
    }

    // MARK: - Messages

    @Test func trivialVariantsOfAMessageShareAFingerprintAndTheTextIsNotKept() {
        let mac = HMACSHA256(key: StatsHarness.key)
        var text = MessageText()
        func fingerprint(_ message: String) -> UInt64 { Array(message.utf8).withUnsafeBytes { text.fingerprint($0, mac: mac).value } }
        let original = fingerprint("Boost your store's ranking in 7 days!")
        #expect(fingerprint("BOOST YOUR STORE'S RANKING IN 7 DAYS!") == original)
        #expect(fingerprint("  Boost your store's  ranking\\nin 7 days! ") == original)
        #expect(fingerprint("Boost your store's ranking in 8 days!") != original)
    }

    @Test func linksAreCountedAndAnAddressAsHostIsNotWritten() {
        var host = ShortText()
        #expect(Array("see https://Spam.Example:8443/x and www.other.example".utf8).withUnsafeBytes { MessageText.links($0, firstHost: &host) } == 2)
        #expect(host.string == "spam.example")
        _ = Array("http://192.0.2.44/payload".utf8).withUnsafeBytes { MessageText.links($0, firstHost: &host) }
        #expect(host.string == "{ip}")
    }
}
