/// The chat rules (survey §7a, C1–C8): session bombing by client and by network, conversation
/// bombing, message floods, duplicate messages, spam campaigns across sessions, fast first
/// messages, links in first messages, link spam and site-wide session waves.
///
/// Operator messages never count: canned replies repeat by design.
final class ChatDetectors {
    /// The owner, which collects the alerts; set by ``attach(to:)`` once the owner exists.
    private unowned var detectors: Detectors!
    private let parameters: [DetectionRule: DetectionRule.Parameters]
    private let disabled: Set<DetectionRule>
    private let sessions: BoundedSlots
    private var sessionStarts: [Int64]
    private var visitorMessages: [Int32]
    private var duplicateSilence: [Int64]
    private var linkSpamSilence: [Int64]
    private let flood: LeakyBucketTable
    private let wave: LeakyBucketTable
    private let startsByClient: RecentEventTable
    private let conversationsByClient: RecentEventTable
    private let startsByNetwork: RecentEventTable
    private let recentFingerprints: RecentEventTable
    private let linkHosts: RecentEventTable
    private let campaigns: RecentEventTable
    /// About the last event processed, for the aggregates: whether it was a session's first
    /// visitor message, the time since the session started (when seen), whether its text
    /// repeats a recent one.
    private(set) var lastWasFirstMessage = false
    private(set) var lastFirstMessageDelay: Int64?
    private(set) var lastWasDuplicate = false

    init(configuration: StatsConfiguration) {
        var parameters: [DetectionRule: DetectionRule.Parameters] = [:]
        for rule in DetectionRule.allCases { parameters[rule] = configuration.parameters(of: rule) }
        self.parameters = parameters
        disabled = configuration.disabledRules
        sessions = BoundedSlots(capacity: configuration.sessionCapacity)
        let count = sessions.capacity
        sessionStarts = [Int64](repeating: .min, count: count)
        visitorMessages = [Int32](repeating: 0, count: count)
        duplicateSilence = [Int64](repeating: .min, count: count)
        linkSpamSilence = [Int64](repeating: .min, count: count)
        flood = LeakyBucketTable(rule: DetectionRule.chatMessageFlood.bucket(parameters[.chatMessageFlood]!), capacity: configuration.sessionCapacity)
        wave = LeakyBucketTable(rule: DetectionRule.chatSessionWave.bucket(parameters[.chatSessionWave]!), capacity: 256)
        func depth(_ rule: DetectionRule, minimum: Int = 1) -> Int { max(minimum, min(parameters[rule]!.capacity, 64)) }
        startsByClient = RecentEventTable(depth: depth(.chatSessionBombing), capacity: configuration.probeCapacity)
        conversationsByClient = RecentEventTable(depth: depth(.chatConversationBombing), capacity: configuration.probeCapacity)
        startsByNetwork = RecentEventTable(depth: depth(.chatNetworkSessions, minimum: 16), capacity: configuration.probeCapacity)
        recentFingerprints = RecentEventTable(depth: 4, capacity: configuration.sessionCapacity)
        linkHosts = RecentEventTable(depth: 8, capacity: configuration.probeCapacity)
        campaigns = RecentEventTable(depth: depth(.chatSpamCampaign, minimum: 8), capacity: configuration.fingerprintCapacity)
    }

    func attach(to detectors: Detectors) {
        self.detectors = detectors
    }

    var evictions: Int { sessions.evictions + flood.evictions }

    func process(_ event: StatsEvent) {
        lastWasFirstMessage = false
        lastFirstMessageDelay = nil
        lastWasDuplicate = false
        guard event.sessionKey != 0 else { return }
        let time = event.milliseconds
        switch event.chatEvent {
        case .sessionStart:
            let (slot, _) = sessions.slot(for: event.sessionKey, time: time)
            sessionStarts[slot] = time
            visitorMessages[slot] = 0
            duplicateSilence[slot] = .min
            linkSpamSilence[slot] = .min
            sessionStarted(event, time: time)
        case .message:
            guard event.fromVisitor else { return }
            let (slot, isNew) = sessions.slot(for: event.sessionKey, time: time)
            if isNew {
                sessionStarts[slot] = .min  // started before what we saw
                visitorMessages[slot] = 0
                duplicateSilence[slot] = .min
                linkSpamSilence[slot] = .min
            }
            visitorMessages[slot] += 1
            message(event, slot: slot, time: time, isFirst: visitorMessages[slot] == 1)
        case .pageView, .sessionEnd, .other:
            break
        }
    }

    private func enabled(_ rule: DetectionRule) -> Bool { !disabled.contains(rule) }

    private func hasVisitorMessages(_ session: UInt64) -> Bool {
        guard let slot = sessions.existingSlot(for: session) else { return false }
        return visitorMessages[slot] > 0
    }

    private func overflow(_ events: Int, _ distinct: Int, first: Int64) -> BucketOverflow {
        BucketOverflow(events: events, distinctValues: distinct, evidence: EvidenceKeys(), firstTime: first)
    }

    private func sessionAlert(_ rule: DetectionRule, _ event: StatsEvent, events: Int, distinct: Int, detail: String? = nil) -> StatsAlert {
        StatsAlert(
            time: event.time, rule: rule, subject: event.session.string,
            network: event.networkKey == 0 ? nil : StatsEvent.networkText(event.networkKey), events: events, distinctValues: distinct,
            detail: detail)
    }

    // MARK: - Sessions

    private func sessionStarted(_ event: StatsEvent, time: Int64) {
        if event.clientKey != 0, enabled(.chatSessionBombing) {
            let rule = parameters[.chatSessionBombing]!
            let slot = startsByClient.slot(for: event.clientKey, time: time)
            startsByClient.append(.init(time: time, first: event.sessionKey, second: 0), to: slot)
            if !startsByClient.isSilenced(slot, at: time) {
                var silent = 0
                var first = time
                startsByClient.forEach(in: slot) { entry in
                    if entry.time >= time - rule.interval, !hasVisitorMessages(entry.first) {
                        silent += 1
                        first = min(first, entry.time)
                    }
                }
                if silent >= rule.capacity {
                    startsByClient.silence(slot, until: time + rule.blackhole)
                    startsByClient.clear(slot)
                    detectors.fireOnClient(.chatSessionBombing, event: event, overflow: overflow(silent, silent, first: first))
                }
            }
        }
        if event.networkKey != 0, enabled(.chatNetworkSessions) {
            let rule = parameters[.chatNetworkSessions]!
            let slot = startsByNetwork.slot(for: event.networkKey, time: time)
            startsByNetwork.append(.init(time: time, first: event.sessionKey, second: event.clientKey), to: slot)
            if !startsByNetwork.isSilenced(slot, at: time) {
                var silent = 0
                var clients: [UInt64] = []
                var first = time
                startsByNetwork.forEach(in: slot) { entry in
                    if entry.time >= time - rule.interval, !hasVisitorMessages(entry.first) {
                        silent += 1
                        first = min(first, entry.time)
                        if !clients.contains(entry.second) { clients.append(entry.second) }
                    }
                }
                if silent >= rule.capacity, clients.count >= 3 {
                    startsByNetwork.silence(slot, until: time + rule.blackhole)
                    startsByNetwork.clear(slot)
                    detectors.fire(StatsAlert(
                        time: event.time, rule: .chatNetworkSessions, subject: StatsEvent.networkText(event.networkKey),
                        events: silent, distinctValues: clients.count, firstSeen: StatsTime.floorDivide(first, 1000)))
                }
            }
        }
        if event.siteKey != 0, enabled(.chatSessionWave),
            let burst = wave.pour(subject: event.siteKey, time: time)
        {
            detectors.fire(StatsAlert(
                time: event.time, rule: .chatSessionWave, subject: event.site.string, events: burst.events,
                distinctValues: burst.events, firstSeen: StatsTime.floorDivide(burst.firstTime, 1000)))
        }
    }

    // MARK: - Messages

    private func message(_ event: StatsEvent, slot: Int, time: Int64, isFirst: Bool) {
        if isFirst {
            let start = sessionStarts[slot]
            lastWasFirstMessage = true
            lastFirstMessageDelay = start == .min ? nil : time - start
            let fast = parameters[.chatFastFirstMessage]!
            if enabled(.chatFastFirstMessage), start != .min, time - start < fast.interval {
                detectors.fire(sessionAlert(.chatFastFirstMessage, event, events: 1, distinct: 1, detail: "\(time - start) ms after start"))
            }
            if enabled(.chatFirstMessageLink), event.linkCount > 0 {
                detectors.fire(sessionAlert(.chatFirstMessageLink, event, events: 1, distinct: event.linkCount, detail: event.linkHost.string))
            }
            if enabled(.chatConversationBombing), event.clientKey != 0 {
                let rule = parameters[.chatConversationBombing]!
                let clientSlot = conversationsByClient.slot(for: event.clientKey, time: time)
                conversationsByClient.append(.init(time: time, first: event.sessionKey, second: 0), to: clientSlot)
                var recent = 0
                var first = time
                conversationsByClient.forEach(in: clientSlot) { entry in
                    if entry.time >= time - rule.interval {
                        recent += 1
                        first = min(first, entry.time)
                    }
                }
                if recent >= rule.capacity, !conversationsByClient.isSilenced(clientSlot, at: time) {
                    conversationsByClient.silence(clientSlot, until: time + rule.blackhole)
                    conversationsByClient.clear(clientSlot)
                    detectors.fireOnClient(.chatConversationBombing, event: event, overflow: overflow(recent, recent, first: first))
                }
            }
        }
        if enabled(.chatMessageFlood), let burst = flood.pour(subject: event.sessionKey, time: time) {
            detectors.fire(sessionAlert(.chatMessageFlood, event, events: burst.events, distinct: burst.events))
        }
        if event.fingerprint != 0 {
            duplicates(event, slot: slot, time: time)
            campaign(event, time: time)
        }
        if event.linkCount > 0, enabled(.chatLinkSpam) { linkSpam(event, slot: slot, time: time) }
    }

    private func duplicates(_ event: StatsEvent, slot: Int, time: Int64) {
        let rule = parameters[.chatDuplicateMessage]!
        let recentSlot = recentFingerprints.slot(for: event.sessionKey, time: time)
        var same = 1
        recentFingerprints.forEach(in: recentSlot) { entry in
            if entry.first == event.fingerprint, entry.time >= time - rule.interval { same += 1 }
        }
        recentFingerprints.append(.init(time: time, first: event.fingerprint, second: 0), to: recentSlot)
        if same > 1 { lastWasDuplicate = true }
        guard enabled(.chatDuplicateMessage), same >= rule.capacity, time >= duplicateSilence[slot] else { return }
        duplicateSilence[slot] = time + rule.blackhole
        detectors.fire(sessionAlert(.chatDuplicateMessage, event, events: same, distinct: 1, detail: StatsEvent.fingerprintText(event.fingerprint)))
    }

    private func campaign(_ event: StatsEvent, time: Int64) {
        guard event.textLength >= 20 || event.linkCount > 0 else { return }
        let rule = parameters[.chatSpamCampaign]!
        let slot = campaigns.slot(for: event.fingerprint, time: time)
        var seenElsewhere = false
        campaigns.forEach(in: slot) { if $0.first != event.sessionKey && $0.time >= time - rule.interval { seenElsewhere = true } }
        if seenElsewhere { lastWasDuplicate = true }
        if !campaigns.contains(event.sessionKey, in: slot) {
            campaigns.append(.init(time: time, first: event.sessionKey, second: event.clientKey), to: slot)
        }
        if event.linkCount > 0, campaigns.text(of: slot).isEmpty { campaigns.setText(event.linkHost, of: slot) }
        guard enabled(.chatSpamCampaign), !campaigns.isSilenced(slot, at: time) else { return }
        var sessionsInWindow = 0
        var clients: [UInt64] = []
        var first = time
        campaigns.forEach(in: slot) { entry in
            if entry.time >= time - rule.interval {
                sessionsInWindow += 1
                first = min(first, entry.time)
                if entry.second != 0, !clients.contains(entry.second) { clients.append(entry.second) }
            }
        }
        guard sessionsInWindow >= rule.capacity else { return }
        campaigns.silence(slot, until: time + rule.blackhole)
        let host = campaigns.text(of: slot)
        detectors.fire(StatsAlert(
            time: event.time, rule: .chatSpamCampaign, subject: StatsEvent.fingerprintText(event.fingerprint), events: sessionsInWindow,
            distinctValues: clients.count, detail: host.isEmpty ? nil : "link host \(host.string)",
            firstSeen: StatsTime.floorDivide(first, 1000)))
    }

    private func linkSpam(_ event: StatsEvent, slot: Int, time: Int64) {
        let rule = parameters[.chatLinkSpam]!
        let hostSlot = linkHosts.slot(for: event.sessionKey, time: time)
        var sameHost = 1
        linkHosts.forEach(in: hostSlot) { if $0.first == event.linkHostKey { sameHost += 1 } }
        linkHosts.append(.init(time: time, first: event.linkHostKey, second: 0), to: hostSlot)
        guard time >= linkSpamSilence[slot], event.linkCount > 2 || sameHost >= rule.capacity else { return }
        linkSpamSilence[slot] = time + rule.blackhole
        detectors.fire(sessionAlert(
            .chatLinkSpam, event, events: event.linkCount > 2 ? event.linkCount : sameHost, distinct: event.linkCount,
            detail: "link host \(event.linkHost.string)"))
    }
}
