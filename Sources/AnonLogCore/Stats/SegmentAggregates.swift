/// The aggregates of one ingestion segment, in memory fixed by configuration.
///
/// Minute buckets hold counts and sketches by time; top tables (paths, networks, clients, bots,
/// message fingerprints) are Space-Saving summaries with per-row sketches. At a flush point
/// everything becomes a ``StatsBatch`` and the memory is reused for the next segment.
final class SegmentAggregates {
    /// Minute buckets held at once: an hour of segments plus stragglers from just before.
    static let maximumMinutes = 72
    /// Local days held at once.
    static let maximumDays = 4
    /// Statuses per minute that get a client sketch.
    static let sketchedStatuses = 16
    static let bucketPrecision = 12
    static let rowPrecision = 10
    static let visitorPrecision = 14

    /// Counts and sketches of one minute.
    final class MinuteBucket {
        var minute: Int64 = 0
        /// [class][status class][static], see ``trafficIndex``.
        let hits = UnsafeMutablePointer<Int64>.filled(96, with: 0)
        let bytes = UnsafeMutablePointer<Int64>.filled(96, with: 0)
        let statusHits = UnsafeMutablePointer<Int64>.filled(600, with: 0)
        let statusSketch = UnsafeMutablePointer<Int8>.filled(600, with: -1)
        var statusesSeen: [Int16] = []
        let statusSketches = SketchPool(count: SegmentAggregates.sketchedStatuses, precision: SegmentAggregates.rowPrecision)
        var sketchedStatuses = 0
        let sketches = SketchPool(count: 3, precision: SegmentAggregates.bucketPrecision)  // clients, networks, chat clients
        let classClients = SketchPool(count: UserAgentClass.allCases.count, precision: SegmentAggregates.rowPrecision)
        var requests: Int64 = 0
        var chat = StatsBatch.Chat(minute: 0, clients: [])
        var chatEvents: Int64 = 0

        init() {
            statusesSeen.reserveCapacity(32)
        }

        deinit {
            hits.deallocate()
            bytes.deallocate()
            statusHits.deallocate()
            statusSketch.deallocate()
        }

        func reset(minute: Int64) {
            self.minute = minute
            if requests > 0 {
                for index in 0..<96 {
                    hits[index] = 0
                    bytes[index] = 0
                }
                for status in statusesSeen {
                    statusHits[Int(status)] = 0
                    statusSketch[Int(status)] = -1
                }
            }
            statusesSeen.removeAll(keepingCapacity: true)
            statusSketches.clearAll()
            sketchedStatuses = 0
            sketches.clearAll()
            classClients.clearAll()
            requests = 0
            chat = StatsBatch.Chat(minute: minute, clients: [])
            chatEvents = 0
        }

        @inline(__always)
        static func trafficIndex(_ userAgentClass: UserAgentClass, _ statusClass: Int, _ isStatic: Bool) -> Int {
            (userAgentClass.index * 6 + statusClass) * 2 + (isStatic ? 1 : 0)
        }
    }

    private let configuration: StatsConfiguration
    /// Fixed tables behind constant pointers, so the per-event path costs no exclusivity check:
    /// buckets are made on first use and reused after a reset.
    /// The buckets are retained by hand (released in deinit), so that every event can use its
    /// bucket without a retain and a release.
    private let buckets = UnsafeMutablePointer<Unmanaged<MinuteBucket>?>.filled(SegmentAggregates.maximumMinutes, with: nil)
    private var activeBuckets = 0
    private let visitorDays = UnsafeMutablePointer<Int64>.filled(SegmentAggregates.maximumDays, with: 0)
    private var visitorDayCount = 0
    private let visitorSketches = SketchPool(count: SegmentAggregates.maximumDays, precision: SegmentAggregates.visitorPrecision)
    /// The segment's window start, which dates its hourly and daily rows.
    private(set) var windowStart: Int64 = 0

    // Top paths: key = template ⊕ status class.
    private let paths: SpaceSaving
    private let pathTexts: UnsafeMutablePointer<UInt8>
    private let pathLengths: UnsafeMutablePointer<UInt8>
    private let pathStatusClasses: UnsafeMutablePointer<UInt8>
    private let pathClients: SketchPool

    private let networks: SpaceSaving
    private let networkValues: UnsafeMutablePointer<UInt64>
    private let networkBytes: UnsafeMutablePointer<Int64>
    private let networkClientErrors: UnsafeMutablePointer<Int64>
    private let networkServerErrors: UnsafeMutablePointer<Int64>
    private let networkClients: SketchPool

    private let actors: SpaceSaving
    private let actorTexts: UnsafeMutablePointer<ShortText>
    private let actorNetworks: UnsafeMutablePointer<UInt64>
    private let actorRequests: UnsafeMutablePointer<Int64>
    private let actorBytes: UnsafeMutablePointer<Int64>
    private let actorClientErrors: UnsafeMutablePointer<Int64>
    private let actorServerErrors: UnsafeMutablePointer<Int64>
    private let actorClasses: UnsafeMutablePointer<Int64>
    private let actorSessions: UnsafeMutablePointer<Int64>
    private let actorMessages: UnsafeMutablePointer<Int64>
    private let actorFirst: UnsafeMutablePointer<Int64>
    private let actorLast: UnsafeMutablePointer<Int64>

    private let bots: SpaceSaving
    private let botClasses: UnsafeMutablePointer<UInt8>
    private let botIndexes: UnsafeMutablePointer<Int32>
    private let botBytes: UnsafeMutablePointer<Int64>
    private let botClients: SketchPool

    private let autonomousSystems: SpaceSaving
    private let asnValues: UnsafeMutablePointer<UInt32>
    private let asnCountries: UnsafeMutablePointer<UInt16>
    private let asnClientErrors: UnsafeMutablePointer<Int64>
    private let asnClients: SketchPool

    private let fingerprints: SpaceSaving
    private let fingerprintValues: UnsafeMutablePointer<UInt64>
    private let fingerprintHosts: UnsafeMutablePointer<ShortText>
    private let fingerprintLinks: UnsafeMutablePointer<Int64>
    private let fingerprintFirst: UnsafeMutablePointer<Int64>
    private let fingerprintLast: UnsafeMutablePointer<Int64>
    private let fingerprintSessions: SketchPool
    private let fingerprintClients: SketchPool
    private let fingerprintNetworks: SketchPool

    /// Events added since the last flush.
    private(set) var events = 0

    init(configuration: StatsConfiguration) {
        self.configuration = configuration
        let top = max(16, configuration.topCapacity)
        paths = SpaceSaving(capacity: top * 2)
        pathTexts = .filled(top * 2 * 128, with: 0)
        pathLengths = .filled(top * 2, with: 0)
        pathStatusClasses = .filled(top * 2, with: 0)
        pathClients = SketchPool(count: top * 2, precision: Self.rowPrecision)

        networks = SpaceSaving(capacity: top)
        networkValues = .filled(top, with: 0)
        networkBytes = .filled(top, with: 0)
        networkClientErrors = .filled(top, with: 0)
        networkServerErrors = .filled(top, with: 0)
        networkClients = SketchPool(count: top, precision: Self.rowPrecision)

        let actorCapacity = top * 4
        actors = SpaceSaving(capacity: actorCapacity)
        actorTexts = .filled(actorCapacity, with: ShortText())
        actorNetworks = .filled(actorCapacity, with: 0)
        actorRequests = .filled(actorCapacity, with: 0)
        actorBytes = .filled(actorCapacity, with: 0)
        actorClientErrors = .filled(actorCapacity, with: 0)
        actorServerErrors = .filled(actorCapacity, with: 0)
        actorClasses = .filled(actorCapacity, with: 0)
        actorSessions = .filled(actorCapacity, with: 0)
        actorMessages = .filled(actorCapacity, with: 0)
        actorFirst = .filled(actorCapacity, with: 0)
        actorLast = .filled(actorCapacity, with: 0)

        let botCapacity = 256
        bots = SpaceSaving(capacity: botCapacity)
        botClasses = .filled(botCapacity, with: 0)
        botIndexes = .filled(botCapacity, with: -1)
        botBytes = .filled(botCapacity, with: 0)
        botClients = SketchPool(count: botCapacity, precision: Self.rowPrecision)

        autonomousSystems = SpaceSaving(capacity: top)
        asnValues = .filled(top, with: 0)
        asnCountries = .filled(top, with: 0)
        asnClientErrors = .filled(top, with: 0)
        asnClients = SketchPool(count: configuration.geoDatabases.isEmpty ? 1 : top, precision: Self.rowPrecision)

        let fingerprintCapacity = max(16, min(configuration.fingerprintCapacity, 1024) / 4)
        fingerprints = SpaceSaving(capacity: fingerprintCapacity)
        fingerprintValues = .filled(fingerprintCapacity, with: 0)
        fingerprintHosts = .filled(fingerprintCapacity, with: ShortText())
        fingerprintLinks = .filled(fingerprintCapacity, with: 0)
        fingerprintFirst = .filled(fingerprintCapacity, with: 0)
        fingerprintLast = .filled(fingerprintCapacity, with: 0)
        fingerprintSessions = SketchPool(count: fingerprintCapacity, precision: Self.rowPrecision)
        fingerprintClients = SketchPool(count: fingerprintCapacity, precision: Self.rowPrecision)
        fingerprintNetworks = SketchPool(count: fingerprintCapacity, precision: Self.rowPrecision)
    }

    deinit {
        for index in 0..<Self.maximumMinutes { buckets[index]?.release() }
        buckets.deallocate()
        visitorDays.deallocate()
        asnValues.deallocate()
        asnCountries.deallocate()
        asnClientErrors.deallocate()
        pathTexts.deallocate()
        pathLengths.deallocate()
        pathStatusClasses.deallocate()
        networkValues.deallocate()
        networkBytes.deallocate()
        networkClientErrors.deallocate()
        networkServerErrors.deallocate()
        actorTexts.deallocate()
        actorNetworks.deallocate()
        actorRequests.deallocate()
        actorBytes.deallocate()
        actorClientErrors.deallocate()
        actorServerErrors.deallocate()
        actorClasses.deallocate()
        actorSessions.deallocate()
        actorMessages.deallocate()
        actorFirst.deallocate()
        actorLast.deallocate()
        botClasses.deallocate()
        botIndexes.deallocate()
        botBytes.deallocate()
        fingerprintValues.deallocate()
        fingerprintHosts.deallocate()
        fingerprintLinks.deallocate()
        fingerprintFirst.deallocate()
        fingerprintLast.deallocate()
    }

    /// Starts a segment whose window begins at `start` (Unix seconds).
    func begin(windowStart start: Int64) {
        windowStart = start
    }

    /// Whether `minutes` more minute buckets and `days` more visitor days can still be made.
    func hasRoom(minutes: Int, days: Int) -> Bool {
        activeBuckets + minutes <= Self.maximumMinutes && visitorDayCount + days <= Self.maximumDays
    }

    @inline(__always)
    private func bucketIndex(_ minute: Int64) -> Int? {
        var index = activeBuckets - 1
        while index >= 0 {
            if buckets[index].unsafelyUnwrapped._withUnsafeGuaranteedRef({ $0.minute }) == minute { return index }
            index -= 1
        }
        return nil
    }

    @inline(__always)
    private func bucket(_ minute: Int64) -> Unmanaged<MinuteBucket> {
        if activeBuckets > 0 {
            let last = buckets[activeBuckets - 1].unsafelyUnwrapped
            if last._withUnsafeGuaranteedRef({ $0.minute }) == minute { return last }
        }
        if let index = bucketIndex(minute) { return buckets[index].unsafelyUnwrapped }
        precondition(activeBuckets < Self.maximumMinutes, "the caller checks hasRoom before adding")
        if buckets[activeBuckets] == nil { buckets[activeBuckets] = Unmanaged.passRetained(MinuteBucket()) }
        let made = buckets[activeBuckets].unsafelyUnwrapped
        made._withUnsafeGuaranteedRef { $0.reset(minute: minute) }
        activeBuckets += 1
        return made
    }

    // MARK: - Adding

    /// Counts an HTTP event in its minute's bucket.
    @inline(__always)
    private func count(_ event: StatsEvent, statusClass: Int, in bucket: MinuteBucket) {
        let index = MinuteBucket.trafficIndex(event.userAgentClass, statusClass, event.isStatic)
        bucket.hits[index] += 1
        bucket.bytes[index] = bucket.bytes[index].addingSaturated(event.bytes)
        bucket.requests += 1
        let status = event.status >= 0 && event.status < 600 ? event.status : 0
        if bucket.statusHits[status] == 0 { bucket.statusesSeen.append(Int16(status)) }
        bucket.statusHits[status] += 1
        let hasClient = event.clientKey != 0
        if hasClient {
            var sketch = Int(bucket.statusSketch[status])
            if sketch < 0, bucket.sketchedStatuses < Self.sketchedStatuses, bucket.statusHits[status] == 1 {
                sketch = bucket.sketchedStatuses
                bucket.statusSketch[status] = Int8(sketch)
                bucket.sketchedStatuses += 1
            }
            if sketch >= 0 { bucket.statusSketches.insert(event.clientKey, into: sketch) }
            bucket.sketches.insert(event.clientKey, into: 0)
            bucket.sketches.insert(event.networkKey, into: 1)
            bucket.classClients.insert(event.clientKey, into: event.userAgentClass.index)
            if !event.isClientError, event.visitorKey != 0 { visitor(event) }
        }
    }

    /// Counts an HTTP event.
    func addRequest(_ event: StatsEvent, template text: UnsafeRawBufferPointer) {
        events += 1
        let minute = StatsTime.floorDivide(event.time, 60) * 60
        let statusClass = event.statusClass
        bucket(minute)._withUnsafeGuaranteedRef { bucket in count(event, statusClass: statusClass, in: bucket) }
        let hasClient = event.clientKey != 0

        // Top paths.
        let pathKey = StatsHash.combine(event.templateKey, UInt64(statusClass))
        let (pathSlot, newPath) = paths.add(pathKey)
        if newPath {
            let count = min(text.count, 128)
            pathLengths[pathSlot] = UInt8(count)
            if count > 0 {
                UnsafeMutableRawPointer(pathTexts + pathSlot * 128).copyMemory(from: text.baseAddress!, byteCount: count)
            }
            pathStatusClasses[pathSlot] = UInt8(statusClass)
            pathClients.clear(pathSlot)
        }
        if hasClient { pathClients.insert(event.clientKey, into: pathSlot) }

        if hasClient {
            let (networkSlot, newNetwork) = networks.add(event.networkKey)
            if newNetwork {
                networkValues[networkSlot] = event.networkKey
                networkBytes[networkSlot] = 0
                networkClientErrors[networkSlot] = 0
                networkServerErrors[networkSlot] = 0
                networkClients.clear(networkSlot)
            }
            networkBytes[networkSlot] = networkBytes[networkSlot].addingSaturated(event.bytes)
            if statusClass == 4 { networkClientErrors[networkSlot] += 1 }
            if statusClass == 5 { networkServerErrors[networkSlot] += 1 }
            networkClients.insert(event.clientKey, into: networkSlot)

            let actorSlot = actor(event)
            actorRequests[actorSlot] += 1
            actorBytes[actorSlot] = actorBytes[actorSlot].addingSaturated(event.bytes)
            if statusClass == 4 { actorClientErrors[actorSlot] += 1 }
            if statusClass == 5 { actorServerErrors[actorSlot] += 1 }
            actorClasses[actorSlot] |= 1 << Int64(event.userAgentClass.index)

            if event.asn != 0 || event.country != 0 {
                let (asnSlot, newASN) = autonomousSystems.add(UInt64(event.asn) << 16 | UInt64(event.country))
                if newASN {
                    asnValues[asnSlot] = event.asn
                    asnCountries[asnSlot] = event.country
                    asnClientErrors[asnSlot] = 0
                    asnClients.clear(asnSlot)
                }
                if statusClass == 4 { asnClientErrors[asnSlot] += 1 }
                asnClients.insert(event.clientKey, into: asnSlot)
            }
        }

        if event.userAgentClass != .browser && event.userAgentClass != .unknown {
            let botKey = StatsHash.combine(UInt64(event.userAgentClass.index), UInt64(bitPattern: Int64(event.bot) &+ 1))
            let (botSlot, newBot) = bots.add(botKey)
            if newBot {
                botClasses[botSlot] = UInt8(event.userAgentClass.index)
                botIndexes[botSlot] = event.bot
                botBytes[botSlot] = 0
                botClients.clear(botSlot)
            }
            botBytes[botSlot] = botBytes[botSlot].addingSaturated(event.bytes)
            if hasClient { botClients.insert(event.clientKey, into: botSlot) }
        }
    }

    private func visitor(_ event: StatsEvent) {
        var slot = -1
        for index in 0..<visitorDayCount where visitorDays[index] == event.localDay { slot = index }
        if slot < 0 {
            guard visitorDayCount < Self.maximumDays else { return }
            slot = visitorDayCount
            visitorDays[slot] = event.localDay
            visitorDayCount += 1
            visitorSketches.clear(slot)
        }
        visitorSketches.insert(event.visitorKey, into: slot)
    }

    @inline(__always)
    private func actor(_ event: StatsEvent) -> Int {
        let (slot, isNew) = actors.add(event.clientKey)
        if isNew {
            actorTexts[slot] = event.client
            actorNetworks[slot] = event.networkKey
            actorRequests[slot] = 0
            actorBytes[slot] = 0
            actorClientErrors[slot] = 0
            actorServerErrors[slot] = 0
            actorClasses[slot] = 0
            actorSessions[slot] = 0
            actorMessages[slot] = 0
            actorFirst[slot] = event.time
        }
        actorLast[slot] = event.time
        return slot
    }

    /// Counts a chat event; `firstMessageDelay` is the time from the session's start to this
    /// first visitor message in milliseconds (nil when it is not a first message or the start
    /// was not seen), `isDuplicate` whether its text was seen recently.
    func addChat(_ event: StatsEvent, isFirstMessage: Bool, firstMessageDelay: Int64?, isDuplicate: Bool) {
        events += 1
        let minute = StatsTime.floorDivide(event.time, 60) * 60
        let bucket = bucket(minute).takeUnretainedValue()
        bucket.chatEvents += 1
        let isVisitorMessage = event.chatEvent == .message && event.fromVisitor
        switch event.chatEvent {
        case .sessionStart:
            bucket.chat.sessions += 1
        case .message:
            if event.fromVisitor {
                bucket.chat.messages += 1
                if isFirstMessage { bucket.chat.sessionsWithMessages += 1 }
                if isDuplicate { bucket.chat.duplicates += 1 }
                if event.linkCount > 0 { bucket.chat.messagesWithLinks += 1 }
                if let delay = firstMessageDelay { bucket.chat.firstMessageDelays[Self.delayBin(delay)] += 1 }
            } else {
                bucket.chat.operatorMessages += 1
            }
        case .pageView, .sessionEnd, .other:
            break
        }
        if event.clientKey != 0 {
            bucket.sketches.insert(event.clientKey, into: 2)
            let slot = actor(event)
            if event.chatEvent == .sessionStart { actorSessions[slot] += 1 }
            if isVisitorMessage { actorMessages[slot] += 1 }
        }
        if isVisitorMessage, event.fingerprint != 0 {
            let (slot, isNew) = fingerprints.add(event.fingerprint)
            if isNew {
                fingerprintValues[slot] = event.fingerprint
                fingerprintHosts[slot].clear()
                fingerprintLinks[slot] = 0
                fingerprintFirst[slot] = event.time
                fingerprintSessions.clear(slot)
                fingerprintClients.clear(slot)
                fingerprintNetworks.clear(slot)
            }
            fingerprintLast[slot] = event.time
            if event.linkCount > 0 {
                fingerprintLinks[slot] += 1
                if fingerprintHosts[slot].isEmpty { fingerprintHosts[slot] = event.linkHost }
            }
            fingerprintSessions.insert(event.sessionKey, into: slot)
            if event.clientKey != 0 {
                fingerprintClients.insert(event.clientKey, into: slot)
                fingerprintNetworks.insert(event.networkKey, into: slot)
            }
        }
    }

    /// The bin of a first-message delay: < 3 s, < 10 s, < 30 s, < 1 min, < 5 min, < 30 min, more.
    static func delayBin(_ milliseconds: Int64) -> Int {
        let bounds: [Int64] = [3_000, 10_000, 30_000, 60_000, 300_000, 1_800_000]
        return bounds.firstIndex { milliseconds < $0 } ?? 6
    }

    // MARK: - Flushing

    /// Everything added since the last flush, as rows; the memory is then reused.
    func flush(alerts: [StatsAlert], organizations: [UInt32: String] = [:]) -> StatsBatch {
        var batch = StatsBatch()
        batch.alerts = alerts
        let hour = StatsTime.floorDivide(windowStart, 3600) * 3600
        let day = StatsTime.floorDivide(windowStart, 86_400) * 86_400
        for index in 0..<activeBuckets {
            let bucket = buckets[index].unsafelyUnwrapped.takeUnretainedValue()
            if bucket.requests > 0 {
                for userAgentClass in UserAgentClass.allCases {
                    for statusClass in 0..<6 {
                        for isStatic in [false, true] {
                            let cell = MinuteBucket.trafficIndex(userAgentClass, statusClass, isStatic)
                            guard bucket.hits[cell] > 0 else { continue }
                            batch.traffic.append(.init(
                                minute: bucket.minute, userAgentClass: userAgentClass, statusClass: statusClass, isStatic: isStatic,
                                hits: bucket.hits[cell], bytes: bucket.bytes[cell]))
                        }
                    }
                    if !bucket.classClients.isEmpty(userAgentClass.index) {
                        batch.classClients.append(.init(
                            minute: bucket.minute, userAgentClass: userAgentClass, clients: bucket.classClients.serialized(userAgentClass.index)))
                    }
                }
                for status in bucket.statusesSeen.sorted() {
                    let sketch = Int(bucket.statusSketch[Int(status)])
                    batch.statuses.append(.init(
                        minute: bucket.minute, status: Int(status), hits: bucket.statusHits[Int(status)],
                        clients: sketch >= 0 ? bucket.statusSketches.serialized(sketch) : nil))
                }
            }
            if bucket.requests > 0 || bucket.chatEvents > 0 {
                batch.uniques.append(.init(minute: bucket.minute, clients: bucket.sketches.serialized(0), networks: bucket.sketches.serialized(1)))
            }
            if bucket.chatEvents > 0 {
                var chat = bucket.chat
                chat.minute = bucket.minute
                chat.clients = bucket.sketches.serialized(2)
                batch.chat.append(chat)
            }
        }
        for slot in 0..<visitorDayCount {
            batch.visitors.append(.init(day: visitorDays[slot], sketch: visitorSketches.serialized(slot)))
        }
        for slot in 0..<paths.count {
            let start = slot * 128
            batch.paths.append(.init(
                hour: hour, statusClass: Int(pathStatusClasses[slot]),
                template: String(decoding: UnsafeBufferPointer(start: pathTexts + start, count: Int(pathLengths[slot])), as: UTF8.self),
                hits: paths.count(at: slot), error: paths.error(at: slot), clients: pathClients.serialized(slot)))
        }
        for slot in 0..<networks.count {
            batch.networks.append(.init(
                day: day, network: StatsEvent.networkText(networkValues[slot]), hits: networks.count(at: slot),
                bytes: networkBytes[slot], clientErrors: networkClientErrors[slot], serverErrors: networkServerErrors[slot],
                clients: networkClients.serialized(slot)))
        }
        for slot in 0..<actors.count {
            batch.actors.append(.init(
                day: day, client: actorTexts[slot].string,
                network: actorNetworks[slot] == 0 ? nil : StatsEvent.networkText(actorNetworks[slot]),
                hits: actorRequests[slot], bytes: actorBytes[slot],
                clientErrors: actorClientErrors[slot], serverErrors: actorServerErrors[slot], classes: actorClasses[slot],
                chatSessions: actorSessions[slot], chatMessages: actorMessages[slot], firstSeen: actorFirst[slot], lastSeen: actorLast[slot]))
        }
        for slot in 0..<bots.count {
            let bot = Int(botIndexes[slot])
            batch.bots.append(.init(
                day: day, userAgentClass: UserAgentClass.at(Int(botClasses[slot])),
                bot: bot >= 0 ? UserAgentLists.botName(bot) : (botClasses[slot] == UInt8(UserAgentClass.empty.index) ? "(none)" : "(unnamed)"), category: bot >= 0 ? UserAgentLists.botCategory(bot) : "-",
                hits: bots.count(at: slot), bytes: botBytes[slot], clients: botClients.serialized(slot)))
        }
        for slot in 0..<autonomousSystems.count {
            batch.autonomousSystems.append(.init(
                day: day, asn: asnValues[slot], country: GeoCache.countryText(asnCountries[slot]), organization: organizations[asnValues[slot]],
                hits: autonomousSystems.count(at: slot), clientErrors: asnClientErrors[slot], clients: asnClients.serialized(slot)))
        }
        for slot in 0..<fingerprints.count {
            let host = fingerprintHosts[slot]
            batch.fingerprints.append(.init(
                hour: hour, fingerprint: StatsEvent.fingerprintText(fingerprintValues[slot]), messages: fingerprints.count(at: slot),
                sessions: fingerprintSessions.serialized(slot), clients: fingerprintClients.serialized(slot),
                networks: fingerprintNetworks.serialized(slot), linkHost: host.isEmpty ? nil : host.string,
                messagesWithLinks: fingerprintLinks[slot], firstSeen: fingerprintFirst[slot], lastSeen: fingerprintLast[slot]))
        }
        reset()
        return batch
    }

    /// Forgets everything added (after a flush, or for lines that were already ingested).
    func reset() {
        activeBuckets = 0
        visitorDayCount = 0
        paths.removeAll()
        networks.removeAll()
        actors.removeAll()
        bots.removeAll()
        autonomousSystems.removeAll()
        fingerprints.removeAll()
        events = 0
    }
}

extension UnsafeMutablePointer {
    /// `count` new elements, each `value`.
    static func filled(_ count: Int, with value: Pointee) -> UnsafeMutablePointer<Pointee> {
        let pointer = UnsafeMutablePointer<Pointee>.allocate(capacity: count)
        pointer.initialize(repeating: value, count: count)
        return pointer
    }
}
