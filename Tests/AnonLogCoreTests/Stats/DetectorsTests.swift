import Testing

@testable import AnonLogCore

/// Every detection fires on a crafted trace and stays quiet on the benign trace next to it.
struct DetectorsTests {
    /// One rule's pair of traces.
    struct Case: CustomTestStringConvertible, Sendable {
        var rule: DetectionRule
        var attack: [String]
        var benign: [String]
        var testDescription: String { rule.rawValue }
    }

    // MARK: - Builders

    static let attacker = "203.0.113.9"
    static let visitor = "198.51.100.20"

    /// `count` requests from `client`, `gap` seconds apart, path from `path(i)`.
    static func series(
        _ client: String, _ count: Int, every gap: Double, from start: Double = 0, method: String = "GET", status: Int = 200,
        userAgent: String = Trace.browser, _ path: (Int) -> String
    ) -> [String] {
        (0..<count).map { Trace.request(client, start + Double($0) * gap, method, path($0), status: status, userAgent: userAgent) }
    }

    static func probes(_ client: String, _ paths: [String], every gap: Double, from start: Double = 0, status: Int = 404) -> [String] {
        paths.enumerated().map { Trace.request(client, start + Double($0.offset) * gap, "GET", $0.element, status: status) }
    }

    static func session(_ id: String, client: String, at start: Double, messages: [(Double, String)] = []) -> [String] {
        [Trace.chat("session_start", session: id, client: client, start)]
            + messages.map { Trace.chat("message", session: id, client: client, start + $0.0, text: $0.1) }
    }

    static let sensitive = ["/.env", "/.git/config", "/backup.sql", "/.htpasswd", "/.aws/credentials", "/db.sql.gz"]
    static let traversal = ["/static/../../../../etc/hosts", "/download?file=../../../../windows/win.ini", "/..%2f..%2fetc%2fpasswd",
                            "/?file=/proc/self/environ"]
    static let sqli = (0..<12).map { "/products/?page=\($0)%20union%20select%20null--" }
    static let xss = (0..<7).map { "/search?q=%3Cscript%3Ealert(\($0))%3C/script%3E" }

    // MARK: - Cases

    static let cases: [Case] = [
        Case(rule: .httpProbing,
             attack: probes(attacker, (0..<12).map { "/missing-\($0)" }, every: 0.5),
             benign: probes(visitor, (0..<12).map { "/missing-\($0)" }, every: 20)),
        Case(rule: .httpCrawl,
             attack: series(attacker, 120, every: 0.2) { "/products/item-\($0)" },
             benign: series(visitor, 60, every: 2) { "/products/item-\($0)" }),
        Case(rule: .httpBadUserAgent,
             attack: series(attacker, 3, every: 5, userAgent: "sqlmap/1.8.11#stable (https://sqlmap.org)") { "/products/?page=\($0)" },
             benign: series(visitor, 3, every: 5, userAgent: "curl/8.5.0") { "/api/v1/stock?sku=\($0)" }),
        Case(rule: .httpSensitiveFiles,
             attack: probes(attacker, sensitive, every: 0.5),
             benign: probes(visitor, Array(sensitive.prefix(3)), every: 60) + series(visitor, 5, every: 1, from: 200) { "/page-\($0)" }),
        Case(rule: .httpPathTraversal,
             attack: probes(attacker, traversal, every: 1),
             benign: series(visitor, 8, every: 1) { ["/static/app.4f1c9e2a.js", "/docs/v1.2/guide", "/a.b.c/d", "/x?y=z"][$0 % 4] }),
        Case(rule: .httpSQLInjection,
             attack: probes(attacker, sqli, every: 0.05, status: 200),
             benign: series(visitor, 12, every: 0.05) { "/search?q=select+a+router+\($0)" }),
        Case(rule: .httpCrossSiteScripting,
             attack: probes(attacker, xss, every: 0.05, status: 200),
             benign: series(visitor, 7, every: 0.05) { "/search?q=tables+and+lamps+\($0)" }),
        Case(rule: .httpBackdoor,
             attack: probes(attacker, ["/c99.php", "/r57.php"], every: 1),
             benign: probes(visitor, ["/index.php", "/contact.php", "/about.php"], every: 1, status: 200)),
        Case(rule: .httpAdminProbe,
             attack: probes(attacker, ["/phpmyadmin/", "/pma/", "/manager/html"], every: 1),
             benign: probes(visitor, ["/admin/", "/admin/orders", "/admin/stock"], every: 1, status: 200)),
        Case(rule: .httpCMSScan,
             attack: probes(attacker, ["/wp/wp-login.php", "/old/wp-admin/install.php", "/wp-includes/x.php", "/wordpress/wp-login.php"], every: 1),
             benign: probes(visitor, ["/wp-login.php", "/wp-admin/index.php", "/wp-cron.php", "/wp-login.php"], every: 1, status: 200)),
        Case(rule: .httpCVEProbe,
             attack: probes(attacker, ["/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php"], every: 1),
             benign: probes(visitor, ["/server-status"], every: 1, status: 200)),
        Case(rule: .httpBruteforce,
             attack: series(attacker, 7, every: 1, method: "POST", status: 401) { _ in "/api/v1/auth/login" },
             benign: series(visitor, 3, every: 5, method: "POST", status: 401) { _ in "/api/v1/auth/login" }
                + [Trace.request(visitor, 20, "POST", "/api/v1/auth/login", status: 200)]),
        Case(rule: .httpWordPressBruteforce,
             attack: series(attacker, 7, every: 1, method: "POST") { _ in "/blog/wp-login.php" },
             benign: series(visitor, 2, every: 30, method: "POST") { _ in "/blog/wp-login.php" }),
        Case(rule: .httpXMLRPCBruteforce,
             attack: series(attacker, 7, every: 5, method: "POST") { _ in "/blog/xmlrpc.php" },
             benign: series(visitor, 3, every: 3600, method: "POST") { _ in "/blog/xmlrpc.php" }),
        Case(rule: .httpWordPressUserEnumeration,
             attack: series(attacker, 7, every: 1) { "/blog/?author=\($0 + 1)" },
             benign: series(visitor, 1, every: 1) { _ in "/blog/?author=1" }),
        Case(rule: .httpSwitchingUserAgent,
             attack: (0..<12).map { Trace.request(attacker, Double($0) * 0.5, "GET", "/", userAgent: "Mozilla/5.0 Chrome/\(100 + $0).0") },
             benign: (0..<12).map { Trace.request(visitor, Double($0) * 0.5, "GET", "/", userAgent: "Mozilla/5.0 Chrome/\(100 + $0 % 2).0") }),
        Case(rule: .httpRandomURI,
             attack: series(attacker, 32, every: 0.02) { index in
                 "/" + String((0..<6).map { Character(Unicode.Scalar(UInt8(65 + (index * 7 + $0 * 3) % 26))) })
             },
             benign: series(visitor, 3, every: 1) { _ in "/ABOUTS" }),
        Case(rule: .httpBypassCache,
             attack: series(attacker, 32, every: 0.02) { "/products?\(1_000_000 + $0 * 7919)" },
             benign: series(visitor, 32, every: 0.02) { "/products?page=\($0)" }),
        Case(rule: .httpInvalidVersion,
             attack: [Trace.request(attacker, 0, "GET", "/", status: 400, version: "HTTP/9.9")],
             benign: [Trace.request(visitor, 0, "GET", "/"), Trace.request(visitor, 1, "", "-", status: 408)]),
        Case(rule: .httpOpenProxy,
             attack: [Trace.request(attacker, 0, "CONNECT", "www.example.org:443", status: 405)],
             benign: [Trace.request(visitor, 0, "GET", "http://shop.example.com/", status: 200)]),
        Case(rule: .httpFakeCrawler,
             attack: series(attacker, 2, every: 5, userAgent: Trace.googlebot) { _ in "/robots.txt" },
             benign: series("66.249.66.1", 2, every: 5, userAgent: Trace.googlebot) { _ in "/robots.txt" }),
        Case(rule: .httpRateLimited,
             attack: series(attacker, 6, every: 20, status: 429) { _ in "/api/v1/products" },
             benign: series(visitor, 2, every: 20, status: 429) { _ in "/api/v1/products" }),
        Case(rule: .httpRequestBurst,
             attack: series(attacker, 260, every: 0.1) { _ in "/api/v1/products?page=1" },
             benign: series(visitor, 260, every: 2.5) { _ in "/api/v1/products?page=1" }),
        Case(rule: .networkCampaign,
             attack: (0..<7).flatMap { host in probes("192.0.2.\(10 + host)", (0..<12).map { "/probe-\($0)" }, every: 0.5, from: Double(host) * 5) },
             benign: (0..<7).flatMap { host in probes("192.0.\(10 + host).9", (0..<12).map { "/probe-\($0)" }, every: 0.5, from: Double(host) * 5) }),
        // Three rules per burst, two bursts two hours apart: a repeat offender. One burst that
        // trips five rules at once is one episode, not a repeat.
        Case(rule: .recidive,
             attack: probes(attacker, sensitive + ["/phpmyadmin/", "/pma/", "/manager/html"] + (0..<4).map { "/x\($0)" }, every: 0.5)
                + probes(attacker, sensitive + ["/phpmyadmin/", "/pma/", "/manager/html"] + (0..<4).map { "/x\($0)" }, every: 0.5, from: 7200),
             benign: probes(visitor, sensitive + ["/phpmyadmin/", "/pma/", "/manager/html", "/c99.php", "/r57.php", "/HNAP1/"], every: 0.5)),
        Case(rule: .chatSessionBombing,
             attack: (0..<7).flatMap { session("bomb\($0)", client: attacker, at: Double($0) * 60) },
             benign: (0..<7).flatMap { session("real\($0)", client: visitor, at: Double($0) * 60, messages: [(20, "Question \($0)")]) }),
        Case(rule: .chatConversationBombing,
             attack: (0..<8).flatMap { session("conv\($0)", client: attacker, at: Double($0) * 120, messages: [(30, "Order \($0)?")]) },
             benign: (0..<3).flatMap { session("conv\($0)", client: visitor, at: Double($0) * 120, messages: [(30, "Order \($0)?")]) }),
        Case(rule: .chatNetworkSessions,
             attack: (0..<12).flatMap { session("net\($0)", client: "192.0.2.\(20 + $0 % 4)", at: Double($0) * 60) },
             benign: (0..<12).flatMap { session("net\($0)", client: "192.0.\(20 + $0 % 4).7", at: Double($0) * 60) }),
        Case(rule: .chatMessageFlood,
             attack: session("flood", client: attacker, at: 0, messages: (0..<15).map { (10 + Double($0) * 0.5, "hello \($0)") }),
             benign: session("calm", client: visitor, at: 0, messages: (0..<15).map { (Double(10 + $0 * 60), "hello \($0)") })),
        Case(rule: .chatDuplicateMessage,
             attack: session("dup", client: attacker, at: 0, messages: [(10, "Is anyone there?"), (40, "Is anyone  there?")]),
             benign: session("dup", client: visitor, at: 0, messages: [(10, "Is anyone there?"), (40, "Thanks, found it.")])),
        Case(rule: .chatSpamCampaign,
             attack: (0..<3).flatMap { session("spam\($0)", client: "192.0.2.\(30 + $0)", at: Double($0) * 30,
                                               messages: [(10, "Boost your ranking in 7 days, guaranteed top 3 results")]) },
             benign: (0..<3).flatMap { session("hi\($0)", client: "192.0.2.\(30 + $0)", at: Double($0) * 30, messages: [(10, "hello")]) }),
        Case(rule: .chatFastFirstMessage,
             attack: session("fast", client: attacker, at: 0, messages: [(0.8, "Buy now")]),
             benign: session("slow", client: visitor, at: 0, messages: [(20, "Hi, a question about my order")])),
        Case(rule: .chatFirstMessageLink,
             attack: session("link", client: attacker, at: 0, messages: [(15, "see https://spam.example/offer")]),
             benign: session("link", client: visitor, at: 0, messages: [(15, "my order is late"), (60, "tracking says https://carrier.example/x")])),
        Case(rule: .chatLinkSpam,
             attack: session("links", client: attacker, at: 0, messages: [(15, "hi"), (20, "https://a.example https://b.example https://c.example")]),
             benign: session("links", client: visitor, at: 0, messages: [(15, "hi"), (20, "the manual at https://docs.example says so")])),
        Case(rule: .chatSessionWave,
             attack: (0..<60).flatMap { session("wave\($0)", client: "10.\($0 / 250).\($0 % 250).1", at: Double($0) * 5) },
             benign: (0..<30).flatMap { session("wave\($0)", client: "10.\($0 / 250).\($0 % 250).1", at: Double($0) * 20) }),
    ]

    // MARK: - Tests

    @Test(arguments: cases)
    func ruleFiresOnItsAttackTrace(_ test: Case) throws {
        let fired = try StatsHarness.alerts(test.attack).map(\.rule)
        #expect(fired.contains(test.rule), "\(test.rule.rawValue) did not fire; fired: \(Set(fired.map(\.rawValue)).sorted())")
    }

    @Test(arguments: cases)
    func ruleStaysQuietOnTheBenignTraceNextToIt(_ test: Case) throws {
        let fired = try StatsHarness.alerts(test.benign).map(\.rule)
        #expect(!fired.contains(test.rule), "\(test.rule.rawValue) fired on the benign trace")
    }

    @Test func everyRuleKnowsItsPositionAmongAllCases() {
        #expect(MemoryLayout<DetectionRule>.size == 1)
        for (position, rule) in DetectionRule.allCases.enumerated() {
            #expect(DetectionRule.ordinal(rule) == position, "\(rule.rawValue)")
        }
    }

    @Test func everyRuleHasACase() {
        // asn-campaign needs a GeoIP database: GeoDatabaseTests has its two traces.
        let covered = Set(Self.cases.map(\.rule.rawValue) + [DetectionRule.asnCampaign.rawValue])
        let missing = DetectionRule.allCases.map(\.rawValue).filter { !covered.contains($0) }
        #expect(missing.isEmpty, "rules without a trace: \(missing)")
    }

    // MARK: - Alert contents

    @Test func probingAlertNamesTheClientPseudonymItsNetworkAndUpToFiveEvidenceTemplates() throws {
        let alerts = try StatsHarness.alerts(Self.probes(Self.attacker, (0..<12).map { "/missing/\($0 + 100)/page" }, every: 0.5))
        let alert = try #require(alerts.first { $0.rule == .httpProbing })
        let pseudonym = try pseudonymOf(Self.attacker)
        #expect(alert.subject == pseudonym)
        #expect(alert.scope == .client)
        #expect(alert.network?.hasPrefix("net-") == true)
        #expect(alert.events == 11 && alert.distinctValues == 11)
        #expect(alert.evidence == ["/missing/{n}/page"])
        #expect(!alert.evidence.joined().contains(Self.attacker))
    }

    @Test func changedThresholdsChangeWhenARuleFires() throws {
        var configuration = StatsConfiguration()
        try configuration.apply("http-probing.capacity=20")
        let trace = Self.probes(Self.attacker, (0..<12).map { "/missing-\($0)" }, every: 0.5)
        #expect(try !StatsHarness.alerts(trace, configuration: configuration).contains { $0.rule == .httpProbing })
        configuration.disabledRules = [.httpProbing]
        try configuration.apply("http-probing.capacity=5")
        #expect(try !StatsHarness.alerts(trace, configuration: configuration).contains { $0.rule == .httpProbing })
    }

    @Test func badThresholdTextIsRefusedWithTheReason() {
        var configuration = StatsConfiguration()
        #expect(throws: AnonLogError.self) { try configuration.apply("http-probing.speed=3") }
        #expect(throws: AnonLogError.self) { try configuration.apply("no-such-rule.capacity=3") }
        #expect(throws: AnonLogError.self) { try configuration.apply("http-probing.interval=soon") }
    }

    /// The pseudonym the anonymized log writes for `address` under the harness key.
    private func pseudonymOf(_ address: String) throws -> String {
        try PseudonymLookup.pseudonym(of: try #require(IPAddress(address)), at: Trace.start, keys: StatsHarness.keys, options: AnonymizationOptions())
    }
}
