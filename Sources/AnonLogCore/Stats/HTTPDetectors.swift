/// The HTTP rules, per client pseudonym: CrowdSec's base-http-scenarios and http-dos collection
/// (survey §2.2 and §7a, H1–H13), each a leaky bucket with the survey's defaults.
final class HTTPDetectors {
    /// The owner, which collects the alerts; set by ``attach(to:)`` once the owner exists.
    private unowned var detectors: Detectors!
    private let probing, crawl, badUserAgent, sensitiveFiles, pathTraversal, sqlInjection, crossSiteScripting: LeakyBucketTable?
    private let backdoor, adminProbe, cmsScan, cveProbe, bruteforce, wordpressBruteforce, xmlrpcBruteforce: LeakyBucketTable?
    private let userEnumeration, switchingUserAgent, randomURI, bypassCache, invalidVersion, openProxy: LeakyBucketTable?
    private let fakeCrawler, rateLimited, requestBurst: LeakyBucketTable?
    private let tables: [LeakyBucketTable]
    /// The slots of the rules that see (nearly) every request, shared: one lookup per event
    /// instead of one per rule (the lookups are cache misses when clients churn).
    private let clientSlots: BoundedSlots
    private let hasClientTables: Bool

    init(configuration: StatsConfiguration) {
        var made: [LeakyBucketTable] = []
        let clientSlots = BoundedSlots(capacity: configuration.clientCapacity)
        func table(_ rule: DetectionRule, everyRequest: Bool = false) -> LeakyBucketTable? {
            guard !configuration.disabledRules.contains(rule) else { return nil }
            let table = LeakyBucketTable(
                rule: rule.bucket(configuration.parameters(of: rule)),
                capacity: everyRequest ? configuration.clientCapacity : configuration.probeCapacity,
                sharedSlots: everyRequest ? clientSlots : nil)
            made.append(table)
            return table
        }
        self.clientSlots = clientSlots
        probing = table(.httpProbing)
        crawl = table(.httpCrawl, everyRequest: true)
        badUserAgent = table(.httpBadUserAgent)
        sensitiveFiles = table(.httpSensitiveFiles)
        pathTraversal = table(.httpPathTraversal)
        sqlInjection = table(.httpSQLInjection)
        crossSiteScripting = table(.httpCrossSiteScripting)
        backdoor = table(.httpBackdoor)
        adminProbe = table(.httpAdminProbe)
        cmsScan = table(.httpCMSScan)
        cveProbe = table(.httpCVEProbe)
        bruteforce = table(.httpBruteforce)
        wordpressBruteforce = table(.httpWordPressBruteforce)
        xmlrpcBruteforce = table(.httpXMLRPCBruteforce)
        userEnumeration = table(.httpWordPressUserEnumeration)
        switchingUserAgent = table(.httpSwitchingUserAgent, everyRequest: true)
        randomURI = table(.httpRandomURI)
        bypassCache = table(.httpBypassCache)
        invalidVersion = table(.httpInvalidVersion)
        openProxy = table(.httpOpenProxy)
        fakeCrawler = table(.httpFakeCrawler)
        rateLimited = table(.httpRateLimited)
        requestBurst = table(.httpRequestBurst, everyRequest: true)
        tables = made
        hasClientTables = made.contains { $0.sharesSlots }
    }

    func attach(to detectors: Detectors) {
        self.detectors = detectors
    }

    /// Subjects forgotten to make room (once per lookup, shared slots included once).
    var evictions: Int { tables.reduce(0) { $0 + ($1.sharesSlots ? 0 : $1.evictions) } + clientSlots.evictions }

    /// Pours the event into every rule whose filter it passes.
    func process(_ event: StatsEvent) {
        guard event.clientKey != 0 else { return }
        let status = event.status
        let findings = event.findings
        let nonStatic = !findings.contains(.staticResource)
        let method = event.method

        if (status == 400 || status == 403 || status == 404) && nonStatic && !event.emptyRequest {
            pour(probing, .httpProbing, event, value: event.pathKey)
        }
        let clientSlot = hasClientTables ? clientSlots.slot(for: event.clientKey, time: event.milliseconds).slot : 0
        if (method == .get || method == .head) && nonStatic {
            pour(crawl, .httpCrawl, event, slot: clientSlot, value: event.fileNameKey)
        }
        if event.badListed && event.userAgentClass == .scanner {
            pour(badUserAgent, .httpBadUserAgent, event)
        }
        if !findings.isEmpty {
            if findings.contains(.sensitiveFile) { pour(sensitiveFiles, .httpSensitiveFiles, event, value: event.targetKey) }
            if findings.contains(.pathTraversal) { pour(pathTraversal, .httpPathTraversal, event, value: event.targetKey) }
            if findings.contains(.sqlInjection) { pour(sqlInjection, .httpSQLInjection, event, value: event.argumentsKey) }
            if findings.contains(.crossSiteScripting) { pour(crossSiteScripting, .httpCrossSiteScripting, event, value: event.argumentsKey) }
            if findings.contains(.backdoor) { pour(backdoor, .httpBackdoor, event, value: event.fileNameKey) }
            if findings.contains(.adminInterface) { pour(adminProbe, .httpAdminProbe, event, value: event.pathKey) }
            if findings.contains(.wordpress) { pour(cmsScan, .httpCMSScan, event, value: event.targetKey) }
            if findings.contains(.knownExploit) { pour(cveProbe, .httpCVEProbe, event) }
            if findings.contains(.wordpressLogin) && method == .post && status == 200 {
                pour(wordpressBruteforce, .httpWordPressBruteforce, event)
            }
            if findings.contains(.xmlrpc) && method == .post { pour(xmlrpcBruteforce, .httpXMLRPCBruteforce, event) }
            if findings.contains(.wordpressUserEnumeration) { pour(userEnumeration, .httpWordPressUserEnumeration, event, value: event.argumentsKey) }
            if findings.contains(.randomUpperCaseName) && method == .get && nonStatic { pour(randomURI, .httpRandomURI, event) }
            if findings.contains(.numericCacheBuster) { pour(bypassCache, .httpBypassCache, event, value: event.argumentsKey) }
        }
        if method == .post && (status == 401 || status == 403) { pour(bruteforce, .httpBruteforce, event) }
        pour(switchingUserAgent, .httpSwitchingUserAgent, event, slot: clientSlot, value: event.userAgentKey)
        if event.version == .invalid && !event.emptyRequest { pour(invalidVersion, .httpInvalidVersion, event) }
        if (status == 400 || status == 405) && (method == .connect || findings.contains(.absoluteTarget)) {
            pour(openProxy, .httpOpenProxy, event)
        }
        if event.userAgentClass == .fakeCrawler { pour(fakeCrawler, .httpFakeCrawler, event) }
        if status == 429 || status == 444 || status == 503 { pour(rateLimited, .httpRateLimited, event) }
        pour(requestBurst, .httpRequestBurst, event, slot: clientSlot)
    }

    /// Pours the event into `table`; `slot` is the client's slot when the table shares
    /// ``clientSlots`` (looked up once per event), else the table finds it.
    @inline(__always)
    private func pour(_ table: LeakyBucketTable?, _ rule: DetectionRule, _ event: StatsEvent, slot: Int? = nil, value: UInt32 = 0) {
        guard let table else { return }
        let subject = event.clientKey
        let time = event.milliseconds
        let overflow: BucketOverflow?
        if let slot {
            overflow = table.pour(slot: slot, subject: subject, value: value, time: time, evidence: event.templateKey)
        } else {
            overflow = table.pour(subject: subject, value: value, time: time, evidence: event.templateKey)
        }
        guard let overflow else { return }
        detectors.fireOnClient(rule, event: event, overflow: overflow, detail: detail(rule, event))
    }

    private func detail(_ rule: DetectionRule, _ event: StatsEvent) -> String? {
        switch rule {
        case .httpCVEProbe: event.exploitTag >= 0 ? ProbeMatcher.exploitTag(event.exploitTag) : nil
        case .httpBadUserAgent, .httpFakeCrawler: event.bot >= 0 ? UserAgentLists.botName(Int(event.bot)) : nil
        default: nil
        }
    }
}
