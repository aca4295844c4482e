/// Runs every detection over the events of a stream and collects the alerts.
///
/// Client rules (HTTP and chat) fire alerts; each client alert also feeds the network
/// campaign bucket of the client's network (CrowdSec's `ban-defcon-drop_range`) and the
/// recidive windows of the client and its network (fail2ban's `recidive`). While lines of a
/// segment that was already ingested are replayed, the detectors still see them (so their state
/// is what an uninterrupted run would have) but their alerts are not kept: they are in the
/// store already.
final class Detectors {
    let configuration: StatsConfiguration
    /// Alerts fired since the last ``takeAlerts()``.
    private(set) var alerts: [StatsAlert] = []
    /// Alerts fired while ``suppressesAlerts`` was set (counted, not kept).
    private(set) var suppressedAlerts = 0
    /// Whether fired alerts are dropped (replayed lines).
    var suppressesAlerts = false
    private let evidence: TemplateDictionary
    // Constants, made before the owner and attached to it: read on every event, a variable
    // would cost a retain and a release each time.
    private let http: HTTPDetectors
    private let chat: ChatDetectors
    private let campaign: LeakyBucketTable?
    private let asnCampaign: LeakyBucketTable?
    private let recidive: RecentEventTable?
    private let recidiveParameters: DetectionRule.Parameters
    /// Alerts per rule, in ``DetectionRule/allCases`` order, fired or suppressed.
    private(set) var firedByRule = [Int](repeating: 0, count: DetectionRule.allCases.count)

    init(configuration: StatsConfiguration, evidence: TemplateDictionary) {
        self.configuration = configuration
        http = HTTPDetectors(configuration: configuration)
        chat = ChatDetectors(configuration: configuration)
        self.evidence = evidence
        func enabled(_ rule: DetectionRule) -> Bool { !configuration.disabledRules.contains(rule) }
        let campaignParameters = configuration.parameters(of: .networkCampaign)
        campaign = enabled(.networkCampaign)
            ? LeakyBucketTable(
                rule: LeakyBucketRule(
                    capacity: campaignParameters.capacity, leakMilliseconds: campaignParameters.interval,
                    blackholeMilliseconds: campaignParameters.blackhole, distinct: true),
                capacity: configuration.probeCapacity)
            : nil
        asnCampaign = enabled(.asnCampaign)
            ? LeakyBucketTable(rule: DetectionRule.asnCampaign.bucket(configuration.parameters(of: .asnCampaign)), capacity: configuration.probeCapacity)
            : nil
        recidiveParameters = configuration.parameters(of: .recidive)
        recidive = enabled(.recidive)
            ? RecentEventTable(depth: max(1, min(recidiveParameters.capacity, 64)), capacity: configuration.probeCapacity) : nil
        http.attach(to: self)
        chat.attach(to: self)
    }

    /// Feeds one event to the rules of its kind.
    @inline(__always)
    func process(_ event: StatsEvent) {
        switch event.kind {
        case .http: http.process(event)
        case .chat: chat.process(event)
        }
    }

    /// What the chat rules learned about the last chat event (for the aggregates).
    var chatMessageFacts: (isFirst: Bool, delay: Int64?, isDuplicate: Bool) {
        (chat.lastWasFirstMessage, chat.lastFirstMessageDelay, chat.lastWasDuplicate)
    }

    /// Hands over the alerts collected so far.
    func takeAlerts() -> [StatsAlert] {
        defer { alerts.removeAll(keepingCapacity: true) }
        return alerts
    }

    /// Subjects forgotten to make room, over all tables.
    var evictions: Int { http.evictions + chat.evictions + (campaign?.evictions ?? 0) }

    // MARK: - Firing

    /// Records an alert on the event's client and feeds the network and recidive rules.
    func fireOnClient(_ rule: DetectionRule, event: StatsEvent, overflow: BucketOverflow, detail: String? = nil) {
        var texts: [String] = []
        for index in 0..<overflow.evidence.count {
            if let text = evidence.text(overflow.evidence[index]) { texts.append(text) }
        }
        let network = event.networkKey == 0 ? nil : StatsEvent.networkText(event.networkKey)
        let client = event.client.string
        let country = GeoCache.countryText(event.country)
        var alert = StatsAlert(
            time: event.time, rule: rule, subject: client, network: network, events: overflow.events,
            distinctValues: overflow.distinctValues, evidence: texts, detail: detail,
            firstSeen: StatsTime.floorDivide(overflow.firstTime, 1000))
        alert.asn = event.asn == 0 ? nil : event.asn
        alert.country = country
        emit(alert)
        let milliseconds = event.milliseconds
        // CrowdSec's by-AS scenarios: many alerted clients of one autonomous system.
        if let asnCampaign, event.asn != 0,
            let wave = asnCampaign.pour(
                subject: UInt64(event.asn) | 0xA5A5_0000_0000_0000, value: UInt32(truncatingIfNeeded: event.clientKey | 1), time: milliseconds,
                evidence: overflow.evidence.count > 0 ? overflow.evidence[overflow.evidence.count - 1] : 0)
        {
            var asnAlert = StatsAlert(
                time: event.time, rule: .asnCampaign, subject: "AS\(event.asn)", events: wave.events, distinctValues: wave.distinctValues,
                detail: "last: \(rule.rawValue)", firstSeen: StatsTime.floorDivide(wave.firstTime, 1000))
            asnAlert.asn = event.asn
            asnAlert.country = country
            emit(asnAlert)
        }
        if let campaign, event.networkKey != 0,
            let flood = campaign.pour(
                subject: event.networkKey, value: UInt32(truncatingIfNeeded: event.clientKey | 1), time: milliseconds,
                evidence: overflow.evidence.count > 0 ? overflow.evidence[overflow.evidence.count - 1] : 0)
        {
            var campaignTexts: [String] = []
            for index in 0..<flood.evidence.count {
                if let text = evidence.text(flood.evidence[index]) { campaignTexts.append(text) }
            }
            let networkAlert = StatsAlert(
                time: event.time, rule: .networkCampaign, subject: network!, events: flood.events,
                distinctValues: flood.distinctValues, evidence: campaignTexts, detail: "last: \(rule.rawValue)",
                firstSeen: StatsTime.floorDivide(flood.firstTime, 1000))
            emit(networkAlert)
            countRecidive(subject: event.networkKey, scope: .network, text: network!, network: nil, time: milliseconds, evidence: campaignTexts)
        }
        countRecidive(subject: event.clientKey, scope: .client, text: client, network: network, time: milliseconds, evidence: texts)
        if event.networkKey != 0, let network {
            countRecidive(subject: event.networkKey, scope: .network, text: network, network: nil, time: milliseconds, evidence: texts)
        }
    }

    /// Records an alert whose subject is not the event's client (a session, a message, a site,
    /// a network).
    func fire(_ alert: StatsAlert) {
        emit(alert)
    }

    private func emit(_ alert: consuming StatsAlert) {
        firedByRule[DetectionRule.ordinal(alert.rule)] += 1
        if suppressesAlerts {
            suppressedAlerts += 1
        } else {
            alerts.append(alert)
        }
    }

    /// fail2ban's recidive on pseudonyms: `capacity` alerts within `interval`, spread over at
    /// least an hour (two episodes), so that one burst that trips several rules at once is not a
    /// repeat offence.
    private func countRecidive(subject: UInt64, scope: AlertScope, text: String, network: String?, time: Int64, evidence: [String]) {
        guard let recidive else { return }
        let slot = recidive.slot(for: subject ^ 0x7265_6369, time: time)
        recidive.append(RecentEventTable.Entry(time: time, first: 0, second: 0), to: slot)
        guard !recidive.isSilenced(slot, at: time) else { return }
        let windowStart = time - recidiveParameters.interval
        var count = 0
        var oldest = Int64.max
        recidive.forEach(in: slot) { entry in
            if entry.time >= windowStart {
                count += 1
                oldest = min(oldest, entry.time)
            }
        }
        guard count >= recidiveParameters.capacity, time - oldest >= 3_600_000 else { return }
        recidive.silence(slot, until: time + recidiveParameters.blackhole)
        recidive.clear(slot)
        emit(StatsAlert(
            time: StatsTime.floorDivide(time, 1000), rule: .recidive, scope: scope, subject: text, network: network, events: count,
            distinctValues: count, evidence: evidence, detail: nil, firstSeen: StatsTime.floorDivide(oldest, 1000)))
    }
}

extension DetectionRule {
    /// The rule's position in ``allCases``: its case's position in the declaration, which is
    /// how a payload-free enum is stored (a test checks it against ``allCases``). Looking it up
    /// by raw value hashed a string for every alert.
    @inline(__always)
    static func ordinal(_ rule: DetectionRule) -> Int {
        Int(unsafeBitCast(rule, to: UInt8.self))
    }

    /// Whether the rule's bucket counts distinct values.
    var countsDistinctValues: Bool {
        switch self {
        case .httpProbing, .httpCrawl, .httpSensitiveFiles, .httpPathTraversal, .httpSQLInjection, .httpCrossSiteScripting,
            .httpBackdoor, .httpAdminProbe, .httpCMSScan, .httpWordPressUserEnumeration, .httpSwitchingUserAgent, .httpBypassCache,
            .networkCampaign:
            true
        default:
            false
        }
    }

    /// The rule as a leaky bucket with the given parameters.
    func bucket(_ parameters: Parameters) -> LeakyBucketRule {
        LeakyBucketRule(
            capacity: parameters.capacity, leakMilliseconds: parameters.interval, blackholeMilliseconds: parameters.blackhole,
            distinct: countsDistinctValues)
    }
}
