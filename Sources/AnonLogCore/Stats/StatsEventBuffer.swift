/// The statistics of one chunk of lines as the workers compute them, in parallel: one
/// fixed-size record per line (its time, hash and event) and a byte arena for the texts
/// (client pseudonyms, path templates, session tokens, link hosts, sites).
///
/// What depends only on the line is computed here, by ``EventExtractor``; what depends on the
/// order of the lines (segments, the ledger, detectors, aggregates) is done by
/// ``StatsRecorder/consume(_:lines:)`` on one thread, in input order. The buffer belongs to a
/// chunk and is reused for every chunk: it grows to its working size and then never allocates.
@_spi(Benchmarks)
public final class StatsEventBuffer {
    /// What is known about one line.
    struct Record {
        struct Flags: OptionSet {
            let rawValue: UInt8
            /// A format recognised the line.
            static let recognized = Flags(rawValue: 1 << 0)
            /// The line carries a time that parses.
            static let hasTime = Flags(rawValue: 1 << 1)
            /// The event was built (recognised, timed, and its epoch has keys).
            static let hasEvent = Flags(rawValue: 1 << 2)
        }

        /// A text in the arena.
        struct Text {
            var offset: UInt32 = 0
            var count: UInt8 = 0
        }

        /// The line's place in the chunk (without its line feed).
        var lineStart: UInt32 = 0
        var lineCount: UInt32 = 0
        /// ``StatsHash`` of the line: segment identities and digests.
        var lineHash: UInt64 = 0
        /// The epoch the worker pseudonymized the line under.
        var epoch: Int64 = 0
        /// Record time, Unix seconds (when ``Flags/hasTime``), milliseconds and local day.
        var time: Int64 = 0
        var milliseconds: Int64 = 0
        var localDay: Int64 = 0
        var flags: Flags = []

        // The event (when ``Flags/hasEvent``): the scalars of ``StatsEvent`` and its texts.
        var kind: StatsEvent.Kind = .http
        var client = Text()
        var clientKey: UInt64 = 0
        var networkKey: UInt64 = 0
        var asn: UInt32 = 0
        var country: UInt16 = 0

        var method: RequestLine.Method = .none
        var version: RequestLine.Version = .missing
        var emptyRequest = true
        var userAgentClass: UserAgentClass = .empty
        var badListed = false
        var status: Int64 = 0
        var bytes: Int64 = 0
        var template = Text()
        var templateKey: UInt64 = 0
        var findings: ProbeMatcher.Findings = []
        var exploitTag: Int32 = -1
        var bot: Int32 = -1
        var userAgentKey: UInt32 = 0
        var pathKey: UInt32 = 0
        var targetKey: UInt32 = 0
        var fileNameKey: UInt32 = 0
        var argumentsKey: UInt32 = 0
        var visitorKey: UInt64 = 0

        var chatEvent: StatsEvent.ChatEvent = .other
        var fromVisitor = false
        var session = Text()
        var sessionKey: UInt64 = 0
        var fingerprint: UInt64 = 0
        var textLength: Int32 = 0
        var linkCount: Int32 = 0
        var linkHost = Text()
        var linkHostKey: UInt64 = 0
        var site = Text()
        var siteKey: UInt64 = 0
    }

    private(set) var records: UnsafeMutablePointer<Record>
    private var recordCapacity: Int
    // Internal, so exclusivity is checked at compile time (see OutputBuffer).
    private var recordCount = 0
    /// Records held.
    public var count: Int { recordCount }
    private var arena: UnsafeMutableRawPointer
    private var arenaCapacity: Int
    private var arenaCount = 0
    /// Organizations of autonomous systems the worker's GeoIP cache met for the first time
    /// while filling this buffer.
    var organizations: [(asn: UInt32, name: String)] = []

    /// An empty buffer with room for `recordCapacity` lines and `arenaCapacity` bytes of
    /// texts; both grow when needed.
    public init(recordCapacity: Int = 4096, arenaCapacity: Int = 1 << 16) {
        self.recordCapacity = max(recordCapacity, 16)
        self.arenaCapacity = max(arenaCapacity, 256)
        records = .allocate(capacity: self.recordCapacity)
        arena = .allocate(byteCount: self.arenaCapacity, alignment: 8)
    }

    deinit {
        records.deinitialize(count: recordCount)
        records.deallocate()
        arena.deallocate()
    }

    /// Forgets every record, keeping the memory.
    func removeAll() {
        records.deinitialize(count: recordCount)
        recordCount = 0
        arenaCount = 0
        organizations.removeAll(keepingCapacity: true)
    }

    /// A new record at the end with every field at its default, for the caller to fill.
    @inline(__always)
    func appendEmpty() -> UnsafeMutablePointer<Record> {
        if recordCount == recordCapacity { growRecords() }
        let slot = records + recordCount
        slot.initialize(to: Record())
        recordCount += 1
        return slot
    }

    /// Copies `bytes` into the arena.
    @inline(__always)
    func store(_ bytes: UnsafeRawBufferPointer) -> Record.Text {
        let length = min(bytes.count, Int(UInt8.max))
        if arenaCount + length > arenaCapacity { growArena(to: arenaCount + length) }
        if length > 0 { (arena + arenaCount).copyMemory(from: bytes.baseAddress!, byteCount: length) }
        let text = Record.Text(offset: UInt32(truncatingIfNeeded: arenaCount), count: UInt8(length))
        arenaCount += length
        return text
    }

    /// The bytes of an arena text.
    @inline(__always)
    func bytes(_ text: Record.Text) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: arena + Int(text.offset), count: Int(text.count))
    }

    private func growRecords() {
        let newCapacity = recordCapacity * 2
        let grown = UnsafeMutablePointer<Record>.allocate(capacity: newCapacity)
        grown.moveInitialize(from: records, count: recordCount)
        records.deallocate()
        records = grown
        recordCapacity = newCapacity
    }

    private func growArena(to minimum: Int) {
        var newCapacity = arenaCapacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 8)
        grown.copyMemory(from: arena, byteCount: arenaCount)
        arena.deallocate()
        arena = grown
        arenaCapacity = newCapacity
    }
}

extension StatsEvent {
    /// The event of `record` (the fields of its kind; the others keep their defaults).
    @inline(__always)
    init(_ record: UnsafePointer<StatsEventBuffer.Record>, from buffer: StatsEventBuffer) {
        self.init()
        // Field by field through the pointer: a copy of the whole record would cost a memmove.
        kind = record.pointee.kind
        time = record.pointee.time
        milliseconds = record.pointee.milliseconds
        localDay = record.pointee.localDay
        client.set(buffer.bytes(record.pointee.client))
        clientKey = record.pointee.clientKey
        networkKey = record.pointee.networkKey
        asn = record.pointee.asn
        country = record.pointee.country
        switch record.pointee.kind {
        case .http:
            method = record.pointee.method
            version = record.pointee.version
            emptyRequest = record.pointee.emptyRequest
            status = Int(record.pointee.status)
            bytes = record.pointee.bytes
            userAgentClass = record.pointee.userAgentClass
            bot = record.pointee.bot
            badListed = record.pointee.badListed
            userAgentKey = record.pointee.userAgentKey
            visitorKey = record.pointee.visitorKey
            templateKey = record.pointee.templateKey
            findings = record.pointee.findings
            exploitTag = Int(record.pointee.exploitTag)
            pathKey = record.pointee.pathKey
            targetKey = record.pointee.targetKey
            fileNameKey = record.pointee.fileNameKey
            argumentsKey = record.pointee.argumentsKey
        case .chat:
            chatEvent = record.pointee.chatEvent
            session.set(buffer.bytes(record.pointee.session))
            sessionKey = record.pointee.sessionKey
            site.set(buffer.bytes(record.pointee.site))
            siteKey = record.pointee.siteKey
            fromVisitor = record.pointee.fromVisitor
            fingerprint = record.pointee.fingerprint
            textLength = Int(record.pointee.textLength)
            linkCount = Int(record.pointee.linkCount)
            linkHost.set(buffer.bytes(record.pointee.linkHost))
            linkHostKey = record.pointee.linkHostKey
        }
    }
}
