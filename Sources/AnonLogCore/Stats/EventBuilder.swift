/// Builds the ``StatsEvent`` of a recognised line while its raw address is still in hand:
/// client and network pseudonyms, user-agent class (with the crawler-range check), request
/// pieces, path template and probe findings; for chat, the session token, message fingerprint
/// and links.
final class EventBuilder {
    /// The event of the last line built.
    var event = StatsEvent()
    let templates = PathTemplate()
    let evidence = TemplateDictionary()
    let classifier = UserAgentClassifier()
    private let probes = ProbeMatcher()
    private let networks = NetworkPseudonyms()
    private var message = MessageText()
    /// ASN and country of recent networks, when GeoIP databases are given.
    let geo: GeoCache?

    init(geoDatabases: [GeoDatabase] = []) {
        geo = geoDatabases.isEmpty ? nil : GeoCache(databases: geoDatabases)
    }

    /// Fills ``event`` for `line`.
    ///
    /// - Parameters:
    ///   - line: The raw line.
    ///   - fields: Its recognised fields.
    ///   - keys: The statistics keys of the line's epoch.
    ///   - addresses: The anonymizer's pseudonym cache of the line's epoch, so the client
    ///     pseudonym is exactly the text the anonymized log gets.
    func build<Pseudonymizer: AddressPseudonymizer>(
        _ line: UnsafeRawBufferPointer, fields: LineFields, keys: StatsEpochKeys, addresses: PseudonymCache<Pseudonymizer>
    ) {
        event.client.clear()
        event.clientKey = 0
        event.networkKey = 0
        event.asn = 0
        event.country = 0
        let address = ClientAddress.find(in: line, fields: fields)
        if let address {
            let text = addresses.pseudonym(for: address)
            event.client.set(text)
            event.clientKey = BoundedSlots.storedKey(StatsHash.hash(text, seed: 0x636C))
            event.networkKey = networks.value(for: address, keys: keys)
            if let geo { (event.asn, event.country) = geo.lookup(address) }
        }
        if fields.format == .chatJSON {
            buildChat(line, fields: fields, keys: keys)
        } else {
            buildHTTP(line, fields: fields, address: address)
        }
    }

    // MARK: - HTTP

    private func buildHTTP(_ line: UnsafeRawBufferPointer, fields: LineFields, address: IPAddress?) {
        event.kind = .http
        let request = RequestLine(line, fields.request ?? 0..<0)
        event.method = request.method
        event.version = request.version
        event.emptyRequest = request.isEmpty
        event.status = fields.status.map { Self.number(line, $0) } ?? 0
        event.bytes = fields.bytesSent.map { Int64(Self.number(line, $0)) } ?? 0

        let userAgent = fields.userAgent.map { UnsafeRawBufferPointer(rebasing: line[$0]) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        let verdict = classifier.classify(userAgent)
        event.userAgentClass = verdict.userAgentClass
        event.bot = verdict.bot
        event.badListed = verdict.badListed
        if verdict.checkedOperator >= 0, let address,
            let checked = CrawlerNetworks.Operator(rawValue: Int(verdict.checkedOperator)),
            !CrawlerNetworks.contains(address, for: checked)
        {
            event.userAgentClass = .fakeCrawler
        }
        let userAgentHash = verdict.hash
        event.userAgentKey = UInt32(truncatingIfNeeded: userAgentHash)
        event.visitorKey = event.clientKey == 0 ? 0 : StatsHash.combine(event.clientKey, StatsHash.combine(UInt64(bitPattern: event.localDay), userAgentHash))

        if request.isEmpty || request.target.isEmpty {
            event.templateKey = templates.build(line, path: 0..<0)
            event.findings = []
            event.exploitTag = -1
            event.pathKey = 0
            event.targetKey = 0
            event.fileNameKey = 0
            event.argumentsKey = 0
        } else {
            event.templateKey = templates.build(line, path: request.path)
            event.findings = probes.inspect(line, request: request, status: event.status)
            event.exploitTag = probes.exploitTag
            event.pathKey = Self.key(line, request.path)
            event.targetKey = Self.key(line, request.target)
            var nameStart = request.path.upperBound
            while nameStart > request.path.lowerBound, line[nameStart - 1] != UInt8(ascii: "/") { nameStart -= 1 }
            event.fileNameKey = Self.key(line, nameStart..<request.path.upperBound)
            event.argumentsKey = request.query.map { Self.key(line, $0) } ?? 0
        }
        templates.withText { evidence.remember(event.templateKey, $0) }
    }

    // MARK: - Chat

    private func buildChat(_ line: UnsafeRawBufferPointer, fields: LineFields, keys: StatsEpochKeys) {
        event.kind = .chat
        event.chatEvent = fields.event.map { Self.chatEvent(line, $0) } ?? .other
        event.session.clear()
        event.sessionKey = 0
        if let sessionID = fields.sessionID, !sessionID.isEmpty {
            var token = (UInt64(0), UInt64(0), UInt64(0))
            withUnsafeMutableBytes(of: &token) { buffer in
                keys.sessions.writeToken(for: UnsafeRawBufferPointer(rebasing: line[sessionID]), into: buffer)
                event.session.set(UnsafeRawBufferPointer(rebasing: buffer[0..<IdentifierPseudonymizer.tokenLength]))
            }
            event.sessionKey = BoundedSlots.storedKey(event.session.hash)
        }
        // The sender and the site are not among the recognised fields: one more walk of the
        // object, for chat lines only.
        var fromOperator = false
        event.site.clear()
        _ = JSONObjectScanner.scan(line) { member in
            if JSONObjectScanner.equals(line, member.key, "sender") || JSONObjectScanner.equals(line, member.key, "author") {
                fromOperator = JSONObjectScanner.equals(line, member.value, "operator") || JSONObjectScanner.equals(line, member.value, "agent")
                    || JSONObjectScanner.equals(line, member.value, "bot") || JSONObjectScanner.equals(line, member.value, "system")
            } else if JSONObjectScanner.equals(line, member.key, "site_id") || JSONObjectScanner.equals(line, member.key, "widget_id") {
                event.site.set(UnsafeRawBufferPointer(rebasing: line[member.value]))
            }
        }
        event.siteKey = event.site.isEmpty ? 0 : BoundedSlots.storedKey(event.site.hash)
        event.fromVisitor = !fromOperator
        event.fingerprint = 0
        event.textLength = 0
        event.linkCount = 0
        event.linkHost.clear()
        event.linkHostKey = 0
        if event.chatEvent == .message, let text = fields.text {
            let bytes = UnsafeRawBufferPointer(rebasing: line[text])
            let fingerprint = message.fingerprint(bytes, mac: keys.fingerprint)
            event.fingerprint = fingerprint.value
            event.textLength = fingerprint.length
            event.linkCount = MessageText.links(bytes, firstHost: &event.linkHost)
            event.linkHostKey = event.linkHost.isEmpty ? 0 : BoundedSlots.storedKey(event.linkHost.hash)
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
