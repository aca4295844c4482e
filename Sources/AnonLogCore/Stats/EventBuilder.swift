/// Builds the event of a recognised line while its raw address is still in hand: client and
/// network pseudonyms, user-agent class (with the crawler-range check), request pieces, path
/// template and probe findings; for chat, the session token, message fingerprint and links.
///
/// It writes the event straight into the line's ``StatsEventBuffer/Record``, its texts into the
/// buffer's arena. Its caches (user agents, networks, GeoIP answers) only save work: the event
/// of a line is the same whichever builder builds it, so each worker has its own.
final class EventBuilder {
    let templates = PathTemplate()
    let classifier = UserAgentClassifier()
    private let probes = ProbeMatcher()
    private let requests = RequestCache()
    private let networks = NetworkPseudonyms()
    private var message = MessageText()
    private var linkHost = ShortText()
    /// ASN and country of recent networks, when GeoIP databases are given.
    let geo: GeoCache?

    init(geoDatabases: [GeoDatabase] = []) {
        geo = geoDatabases.isEmpty ? nil : GeoCache(databases: geoDatabases)
    }

    /// Starts loading what a line with client `address` will look up (its network's slot).
    @inline(__always)
    func prefetch(_ address: IPAddress, keys: StatsEpochKeys) {
        networks.prefetch(address, keys: keys)
    }

    /// Fills the event of `record` (its ``StatsEventBuffer/Record/localDay`` already set).
    ///
    /// - Parameters:
    ///   - line: The raw line.
    ///   - fields: Its recognised fields.
    ///   - keys: The statistics keys of the line's epoch.
    ///   - addresses: The anonymizer's pseudonym cache of the line's epoch, so the client
    ///     pseudonym is exactly the text the anonymized log gets.
    ///   - record: The line's record.
    ///   - buffer: Whose arena takes the texts.
    @inline(__always)
    func build<Pseudonymizer: AddressPseudonymizer>(
        _ line: UnsafeRawBufferPointer, fields: LineFields, keys: StatsEpochKeys, addresses: PseudonymCache<Pseudonymizer>,
        into record: inout StatsEventBuffer.Record, buffer: StatsEventBuffer
    ) {
        record.client = StatsEventBuffer.Record.Text()
        record.clientKey = 0
        record.networkKey = 0
        record.asn = 0
        record.country = 0
        let address = ClientAddress.find(in: line, fields: fields)
        if let address {
            let text = addresses.pseudonym(for: address)
            record.client = buffer.store(UnsafeRawBufferPointer(rebasing: text.prefix(ShortText.capacity)))
            record.clientKey = BoundedSlots.storedKey(StatsHash.hash(text, seed: 0x636C))
            record.networkKey = networks.value(for: address, keys: keys)
            if let geo { (record.asn, record.country) = geo.lookup(address) }
        }
        if fields.format == .chatJSON {
            buildChat(line, fields: fields, keys: keys, into: &record, buffer: buffer)
        } else {
            buildHTTP(line, fields: fields, address: address, into: &record, buffer: buffer)
        }
    }

    // MARK: - HTTP

    private func buildHTTP(
        _ line: UnsafeRawBufferPointer, fields: LineFields, address: IPAddress?, into record: inout StatsEventBuffer.Record,
        buffer: StatsEventBuffer
    ) {
        record.kind = .http
        let request = RequestLine(line, fields.request ?? 0..<0)
        record.method = request.method
        record.version = request.version
        record.emptyRequest = request.isEmpty
        record.status = fields.status.map { Int64(Self.number(line, $0)) } ?? 0
        record.bytes = fields.bytesSent.map { Int64(Self.number(line, $0)) } ?? 0

        let userAgent = fields.userAgent.map { UnsafeRawBufferPointer(rebasing: line[$0]) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        let verdict = classifier.classify(userAgent)
        record.userAgentClass = verdict.userAgentClass
        record.bot = verdict.bot
        record.badListed = verdict.badListed
        if verdict.checkedOperator >= 0, let address,
            let checked = CrawlerNetworks.Operator(rawValue: Int(verdict.checkedOperator)),
            !CrawlerNetworks.contains(address, for: checked)
        {
            record.userAgentClass = .fakeCrawler
        }
        let userAgentHash = verdict.hash
        record.userAgentKey = UInt32(truncatingIfNeeded: userAgentHash)
        record.visitorKey = record.clientKey == 0
            ? 0 : StatsHash.combine(record.clientKey, StatsHash.combine(UInt64(bitPattern: record.localDay), userAgentHash))

        if request.isEmpty || request.target.isEmpty {
            record.templateKey = templates.build(line, path: 0..<0)
            record.findings = []
            record.exploitTag = -1
            record.pathKey = 0
            record.targetKey = 0
            record.fileNameKey = 0
            record.argumentsKey = 0
        } else {
            // Everything below depends on the target and on whether the status was 403 or 404.
            let target = UnsafeRawBufferPointer(rebasing: line[request.target])
            let tag = RequestCache.tag(target, notFound: record.status == 404 || record.status == 403)
            if let slot = requests.slot(of: target, tag: tag) {
                let entry = requests.entry(slot)
                record.templateKey = entry.templateKey
                record.findings = entry.findings
                record.exploitTag = entry.exploitTag
                record.pathKey = entry.pathKey
                record.targetKey = entry.targetKey
                record.fileNameKey = entry.fileNameKey
                record.argumentsKey = entry.argumentsKey
                record.template = buffer.store(requests.template(slot))
                return
            }
            record.templateKey = templates.build(line, path: request.path)
            record.findings = probes.inspect(line, request: request, status: Int(record.status))
            record.exploitTag = Int32(probes.exploitTag)
            record.pathKey = Self.key(line, request.path)
            record.targetKey = Self.key(line, request.target)
            var nameStart = request.path.upperBound
            while nameStart > request.path.lowerBound, line[nameStart - 1] != UInt8(ascii: "/") { nameStart -= 1 }
            record.fileNameKey = Self.key(line, nameStart..<request.path.upperBound)
            record.argumentsKey = request.query.map { Self.key(line, $0) } ?? 0
            let entry = RequestCache.Entry(
                templateKey: record.templateKey, findings: record.findings, exploitTag: record.exploitTag, pathKey: record.pathKey,
                targetKey: record.targetKey, fileNameKey: record.fileNameKey, argumentsKey: record.argumentsKey)
            templates.withText { requests.remember(target, tag: tag, entry: entry, template: $0) }
        }
        record.template = templates.withText { buffer.store($0) }
    }

    // MARK: - Chat

    private func buildChat(
        _ line: UnsafeRawBufferPointer, fields: LineFields, keys: StatsEpochKeys, into record: inout StatsEventBuffer.Record,
        buffer: StatsEventBuffer
    ) {
        record.kind = .chat
        record.chatEvent = fields.event.map { Self.chatEvent(line, $0) } ?? .other
        record.session = StatsEventBuffer.Record.Text()
        record.sessionKey = 0
        if let sessionID = fields.sessionID, !sessionID.isEmpty {
            var token = (UInt64(0), UInt64(0), UInt64(0))
            withUnsafeMutableBytes(of: &token) { bytes in
                keys.sessions.writeToken(for: UnsafeRawBufferPointer(rebasing: line[sessionID]), into: bytes)
                let text = UnsafeRawBufferPointer(rebasing: bytes[0..<min(IdentifierPseudonymizer.tokenLength, ShortText.capacity)])
                record.session = buffer.store(text)
                record.sessionKey = BoundedSlots.storedKey(StatsHash.hash(text))
            }
        }
        // The sender and the site are not among the recognised fields: one more walk of the
        // object, for chat lines only.
        var fromOperator = false
        var site = 0..<0
        _ = JSONObjectScanner.scan(line) { member in
            if JSONObjectScanner.equals(line, member.key, "sender") || JSONObjectScanner.equals(line, member.key, "author") {
                fromOperator = JSONObjectScanner.equals(line, member.value, "operator") || JSONObjectScanner.equals(line, member.value, "agent")
                    || JSONObjectScanner.equals(line, member.value, "bot") || JSONObjectScanner.equals(line, member.value, "system")
            } else if JSONObjectScanner.equals(line, member.key, "site_id") || JSONObjectScanner.equals(line, member.key, "widget_id") {
                site = member.value
            }
        }
        let siteText = UnsafeRawBufferPointer(rebasing: line[site.lowerBound..<min(site.upperBound, site.lowerBound + ShortText.capacity)])
        record.site = buffer.store(siteText)
        record.siteKey = siteText.isEmpty ? 0 : BoundedSlots.storedKey(StatsHash.hash(siteText))
        record.fromVisitor = !fromOperator
        record.fingerprint = 0
        record.textLength = 0
        record.linkCount = 0
        record.linkHost = StatsEventBuffer.Record.Text()
        record.linkHostKey = 0
        if record.chatEvent == .message, let text = fields.text {
            let bytes = UnsafeRawBufferPointer(rebasing: line[text])
            let fingerprint = message.fingerprint(bytes, mac: keys.fingerprint)
            record.fingerprint = fingerprint.value
            record.textLength = Int32(truncatingIfNeeded: fingerprint.length)
            record.linkCount = Int32(truncatingIfNeeded: MessageText.links(bytes, firstHost: &linkHost))
            linkHost.withBytes { host in
                record.linkHost = buffer.store(host)
                record.linkHostKey = host.isEmpty ? 0 : BoundedSlots.storedKey(StatsHash.hash(host))
            }
        }
    }

    private static func chatEvent(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> StatsEvent.ChatEvent {
        if JSONObjectScanner.equals(line, range, "message") { return .message }
        if JSONObjectScanner.equals(line, range, "session_start") || JSONObjectScanner.equals(line, range, "conversation_start") { return .sessionStart }
        if JSONObjectScanner.equals(line, range, "page_view") { return .pageView }
        if JSONObjectScanner.equals(line, range, "session_end") || JSONObjectScanner.equals(line, range, "conversation_end") { return .sessionEnd }
        return .other
    }

    // MARK: - Pieces

    /// The decimal number at the start of `line[range]` (0 for `-` or none).
    @inline(__always)
    static func number(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int {
        var value = 0
        var index = range.lowerBound
        while index < range.upperBound, index - range.lowerBound < 18 {
            let digit = line[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            value = value * 10 + Int(digit)
            index += 1
        }
        return value
    }

    @inline(__always)
    private static func key(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt32 {
        UInt32(truncatingIfNeeded: StatsHash.hash(UnsafeRawBufferPointer(rebasing: line[range]), seed: 0x6B) | 1)
    }
}
