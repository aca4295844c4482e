internal import CAnonLogIntrinsics

/// Finds every IPv4 and IPv6 address in a buffer of log bytes, wherever it stands in a line.
///
/// The scanner does not need to know the log format: it looks at every maximal run of hex
/// digits, dots and colons (percent-encoded `%3A`/`%2E` count as colons and dots), and decides
/// what the run holds:
///
/// - IPv6 in any RFC 4291 form, with `::ffff:a.b.c.d`, with a `:port` after eight groups, with a
///   leading `:` from a `client:` prefix or a trailing sentence dot. Brackets, ports after
///   brackets and zone identifiers (`%eth0`) are outside the run and so are kept.
/// - IPv4 as exactly four dotted decimal numbers of at most three digits, each at most 255, in
///   any colon-separated field of the run (`1.2.3.4:80`). Leading zeros are read as decimal
///   (`170.01.01.02`) unless that reading and the octal one `inet_aton` would use differ
///   (`010.1.1.1`): then the token is ``AddressMatch/Kind/uncertain`` and gets redacted.
/// - Five or more dotted numbers (OIDs such as `1.3.6.1.4.1`, long version strings), numbers
///   above 255 (`999.1.1.1`, `Chrome/120.0.6099.129`), times (`12:30:45`) and MAC addresses are
///   not addresses and are left alone; so are `0.0.0.0` and `::`, which name no host.
/// - A run that is glued to a word (`std::vector`) is only an address when it is unmistakable
///   (three or more groups, or an embedded IPv4 part).
/// - A run with `::` or seven or more colons that is not valid IPv6 is uncertain (fail closed).
///
/// Runs never cross a line feed, so a whole chunk of lines can be scanned at once.
public struct AddressScanner {
    /// What the last call to ``scan(_:)`` found, in order of position; matches never overlap.
    public private(set) var matches: [AddressMatch] = []
    /// Scratch space for percent-decoded runs: the decoded bytes and the offset of each in the
    /// buffer. Reused across calls, so a scanner belongs to one thread.
    private var decoded: [UInt8] = []
    private var decodedOffsets: [Int] = []
    /// ``ByteClass/table``, read once: each read of the global is a `swift_once` call (1% of a
    /// plain run when it was read per run looked at).
    private let byteClasses = ByteClass.table

    public init() {
        matches.reserveCapacity(64)
    }

    /// Calls `visit` for each address or uncertain token in `bytes`, in order of position.
    ///
    /// - Parameters:
    ///   - bytes: Any bytes; invalid UTF-8 and NUL bytes are fine.
    ///   - visit: Receives each match; matches never overlap.
    public mutating func scan(_ bytes: UnsafeRawBufferPointer, _ visit: (AddressMatch) -> Void) {
        scan(bytes)
        for match in matches { visit(match) }
    }

    /// Finds every address and uncertain token in `bytes` and leaves them in ``matches``.
    ///
    /// - Parameter bytes: Any bytes; invalid UTF-8 and NUL bytes are fine.
    public mutating func scan(_ bytes: UnsafeRawBufferPointer) {
        matches.removeAll(keepingCapacity: true)
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let count = bytes.count
        // Bytes are classified 64 at a time into bit masks. Only runs that may hold an address
        // are looked at (see `candidates`); inside a block they are found and counted with bit
        // operations, and the rest walk bytes.
        var index = 0  // everything before it has been looked at
        var blockStart = 0
        while blockStart < count {
            let block = anonlog_classify_block(base + blockStart, min(64, count - blockStart))
            var triggers = Self.candidates(block) & Self.bits(from: index - blockStart)
            var nextBlock = blockStart + 64
            if block.members >> 63 != 0 {
                // A run reaching the block's end may go on: unless something in the block already
                // makes it a candidate, the next block starts with it, where it is seen whole.
                let outside = ~block.members
                let tail = outside == 0 ? 0 : 64 - outside.leadingZeroBitCount
                if tail == 0 {
                    triggers |= 1 << 63  // 64 bytes of one run: walked
                } else if triggers & Self.bits(from: tail) == 0 {
                    nextBlock = blockStart + tail
                }
            }
            while triggers != 0 {
                let offset = triggers.trailingZeroBitCount
                index = examineRun(at: blockStart + offset, in: base, count: count, after: index, block: block, blockStart: blockStart)
                if index >= blockStart + 64 {
                    nextBlock = index
                    break
                }
                triggers &= Self.bits(from: index - blockStart)
            }
            blockStart = nextBlock
        }
    }

    /// One position in each run of the block that may hold an address, and every `%`.
    ///
    /// An address needs three dots or two colons in its run, or a percent-encoded separator;
    /// most runs in a log line ("HTTP/1.1", "537.36", "www.example") have fewer and are passed
    /// over without a look. A run's separators are chained with carries: adding a bit at the
    /// start of a run of hex digits carries it to the first byte after them, so `following`
    /// marks each separator that another one precedes in the same run. Runs that end at a `%`
    /// are always looked at (it may encode a separator). A run is whole in the block unless it
    /// reaches the block's end (see `scan`): the block starts where the last run ended or after
    /// a byte that is no member, or where a `%` escape ended, which bounds the run there too.
    @inline(__always)
    private static func candidates(_ block: anonlog_byte_masks) -> UInt64 {
        let members = block.members
        let separators = block.dots | block.colons
        let hexDigits = members & ~separators
        @inline(__always) func following(_ from: UInt64, through: UInt64) -> UInt64 {
            let next = from << 1
            return (((through &+ (next & through)) & ~through) | (next & ~through))
        }
        let second = following(separators, through: hexDigits) & separators
        let third = following(second, through: hexDigits) & separators
        let secondColon = following(block.colons, through: members & ~block.colons) & block.colons
        return third | secondColon | (members & (block.percents >> 1)) | block.percents
    }

    /// Bits `offset` to 63 (all for a negative offset, none from 64 on).
    @inline(__always)
    private static func bits(from offset: Int) -> UInt64 {
        offset <= 0 ? ~0 : offset >= 64 ? 0 : ~0 << UInt64(offset)
    }

    /// Looks at the run around `trigger` (a member of the run, or a `%`), not before `index`,
    /// and returns the offset after what it looked at.
    @inline(__always)
    private mutating func examineRun(
        at trigger: Int, in base: UnsafePointer<UInt8>, count: Int, after index: Int,
        block: anonlog_byte_masks, blockStart: Int
    ) -> Int {
        let table = byteClasses
        let offset = trigger - blockStart
        // Back to the start of the trigger's run: the last byte below it that is no member.
        var start: Int
        let outsideBelow = ~block.members & ~Self.bits(from: offset)
        if outsideBelow != 0 {
            start = max(index, blockStart + 64 - outsideBelow.leadingZeroBitCount)
        } else {
            start = max(index, blockStart)
            while start > index, table[Int(base[start - 1])] & ByteClass.runMember != 0 { start -= 1 }
        }
        // A run that ends inside the block, not at a `%` (which may encode a separator), is
        // counted from the masks.
        let outsideAbove = ~block.members & Self.bits(from: offset)
        if block.percents & (1 << UInt64(offset)) == 0, start >= blockStart, outsideAbove != 0 {
            let end = blockStart + outsideAbove.trailingZeroBitCount
            if end == count || base[end] != UInt8(ascii: "%") {
                let run = Self.bits(from: start - blockStart) & ~Self.bits(from: end - blockStart)
                let colons = block.colons & run
                consider(
                    base, count: count, from: start, to: end,
                    separators: (block.dots & run).nonzeroBitCount + colons.nonzeroBitCount,
                    colons: colons.nonzeroBitCount, doubleColon: colons & (colons >> 1) != 0, spelling: .plain)
                return end
            }
        }
        return walkRun(from: start, in: base, count: count)
    }

    /// Walks the run starting at `start` byte by byte (percent-encoded separators, runs across
    /// blocks) and returns the offset after what it looked at. Internal: the tests' byte-at-a-time
    /// reference scanner walks every run with it.
    mutating func walkRun(from start: Int, in base: UnsafePointer<UInt8>, count: Int) -> Int {
        let table = byteClasses
        var index = start
        let byteClass = table[Int(base[index])]
        if byteClass & ByteClass.runMember == 0 {
            if byteClass & ByteClass.percent != 0 {
                if ByteClass.encodedSeparator(base, at: index, count: count) == nil {
                    // Some other escape such as %20 or %5B: its hex digits are not an address.
                    return index + (ByteClass.isEscape(base, at: index, count: count) ? 3 : 1)
                }
            } else {
                return index + 1
            }
        }
        let runStart = index
        var separators = 0
        var colons = 0
        var doubleColon = false
        var spelling = AddressMatch.Spelling.plain
        while index < count {
            let byte = base[index]
            let memberClass = table[Int(byte)]
            if memberClass & ByteClass.hex != 0 {
                index += 1
            } else if memberClass & ByteClass.separator != 0 {
                separators += 1
                if byte == UInt8(ascii: ":") {
                    if index > runStart, base[index - 1] == UInt8(ascii: ":") { doubleColon = true }
                    colons += 1
                }
                index += 1
            } else if memberClass & ByteClass.percent != 0,
                let encodedSpelling = ByteClass.encodedSeparator(base, at: index, count: count)
            {
                separators += 1
                spelling = encodedSpelling
                index += 3
            } else {
                break
            }
        }
        consider(
            base, count: count, from: runStart, to: index, separators: separators, colons: colons,
            doubleColon: doubleColon, spelling: spelling)
        return index
    }

    /// Decides what the run from `runStart` to `end` holds and records its matches.
    @inline(__always)
    private mutating func consider(
        _ base: UnsafePointer<UInt8>, count: Int, from runStart: Int, to index: Int,
        separators: Int, colons: Int, doubleColon: Bool, spelling: AddressMatch.Spelling
    ) {
        let table = byteClasses
        // An address needs three dots (IPv4) or two colons (IPv6); most runs in a log line
        // (versions, decimals, "HTTP/1.1") have fewer and are passed over here.
        let dots = separators - colons
        guard index - runStart >= 3, colons >= 2 || dots >= 3 || (spelling != .plain && separators > 0) else {
            return
        }
        // Colons without "::", too few for eight groups, and too few dots for an IPv4 part:
        // a time such as "2026:10:00:00", in every line of a web log. Nothing to analyze.
        if spelling == .plain, !doubleColon, colons <= 6, dots < 3 { return }
        let leftGlued = runStart > 0 && table[Int(base[runStart - 1])] & ByteClass.wordLetter != 0
        let rightGlued = index < count && table[Int(base[index])] & ByteClass.wordLetter != 0
        let plainRun = Run(text: base + runStart, count: index - runStart, offsets: nil, start: runStart)
        if base[index - 1] == UInt8(ascii: "."), let zone = ReverseZone.after(base, at: index, count: count) {
            if Self.analyzeReverseName(plainRun, zone: zone, into: &matches) { return }
            // An address written forwards before the zone (a replacement of the other
            // family): still part of the name, so a decryption can write it back as one.
            let before = matches.count
            Self.analyze(plainRun, leftGlued: leftGlued, rightGlued: false, spelling: .plain, into: &matches)
            if matches.count > before, matches[matches.count - 1].end == index - 1 {
                matches[matches.count - 1].spelling = zone == .ipv4 ? .reverseIPv4Name : .reverseIPv6Name
            }
        } else if spelling == .plain {
            if colons == 0, dots == 3, Self.readDottedQuad(plainRun, into: &matches) { return }
            Self.analyze(plainRun, leftGlued: leftGlued, rightGlued: rightGlued, spelling: .plain, into: &matches)
        } else {
            analyzePercentEncoded(base, from: runStart, to: index, leftGlued: leftGlued, rightGlued: rightGlued, spelling: spelling)
        }
    }

    // MARK: - Runs

    /// A run of address characters, possibly percent-decoded, with the way back to buffer offsets.
    struct Run {
        let text: UnsafePointer<UInt8>
        let count: Int
        /// Buffer offset of each decoded byte (and one past the end), for decoded runs only.
        let offsets: UnsafePointer<Int>?
        let start: Int

        @inline(__always) subscript(_ index: Int) -> UInt8 { text[index] }

        @inline(__always) func bufferOffset(_ index: Int) -> Int {
            if let offsets { return offsets[index] }
            return start + index
        }

        @inline(__always)
        func match(_ kind: AddressMatch.Kind, _ from: Int, _ to: Int, _ spelling: AddressMatch.Spelling) -> AddressMatch {
            AddressMatch(kind: kind, start: bufferOffset(from), end: bufferOffset(to), spelling: spelling)
        }

        func bytes(_ from: Int, _ to: Int) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(start: text + from, count: to - from)
        }
    }

    private mutating func analyzePercentEncoded(
        _ base: UnsafePointer<UInt8>, from start: Int, to end: Int,
        leftGlued: Bool, rightGlued: Bool, spelling: AddressMatch.Spelling
    ) {
        decoded.removeAll(keepingCapacity: true)
        decodedOffsets.removeAll(keepingCapacity: true)
        var index = start
        while index < end {
            decodedOffsets.append(index)
            if base[index] == UInt8(ascii: "%") {
                decoded.append(base[index + 1] == UInt8(ascii: "3") ? UInt8(ascii: ":") : UInt8(ascii: "."))
                index += 3
            } else {
                decoded.append(base[index])
                index += 1
            }
        }
        decodedOffsets.append(end)
        var found = matches
        matches = []
        decoded.withUnsafeBufferPointer { text in
            decodedOffsets.withUnsafeBufferPointer { offsets in
                let run = Run(text: text.baseAddress!, count: text.count, offsets: offsets.baseAddress!, start: start)
                Self.analyze(run, leftGlued: leftGlued, rightGlued: rightGlued, spelling: spelling, into: &found)
            }
        }
        matches = found
    }

    /// The commonest run, four groups of digits between three dots (every IPv4 client),
    /// read in one pass with what `analyze` would decide for it: an address, an uncertain
    /// octal reading, or nothing (a group over 255 or of four digits, `0.0.0.0`).
    ///
    /// - Returns: Whether the run had that form; if not, nothing was appended.
    @inline(__always)
    private static func readDottedQuad(_ run: Run, into matches: inout [AddressMatch]) -> Bool {
        var bits: UInt32 = 0
        var value: UInt32 = 0
        var digits = 0
        var valid = true
        var ambiguous = false
        var groupStart = 0
        for index in 0...run.count {
            if index == run.count || run[index] == UInt8(ascii: ".") {
                guard digits > 0 else { return false }
                // A leading zero makes inet_aton read octal (see `DottedChain.close`).
                if digits > 1, run[groupStart] == UInt8(ascii: "0"), value >= 8 { ambiguous = true }
                if digits > 3 || value > 255 { valid = false }
                bits = bits << 8 | (value & 0xFF)
                value = 0
                digits = 0
                groupStart = index + 1
            } else {
                let digit = run[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return false }
                // Past three digits the group is no octet; the value only has to stay small.
                if digits < 3 { value = value * 10 + UInt32(digit) }
                digits += 1
            }
        }
        guard valid else { return true }
        if ambiguous {
            matches.append(run.match(.uncertain, 0, run.count, .plain))
        } else if bits != 0 {
            matches.append(run.match(.address(IPAddress(ipv4: bits)), 0, run.count, .plain))
        }
        return true
    }

    private static func analyze(
        _ run: Run, leftGlued: Bool, rightGlued: Bool, spelling: AddressMatch.Spelling,
        into matches: inout [AddressMatch]
    ) {
        let count = run.count
        guard count >= 2 else { return }
        var colonCount = 0
        var hasDoubleColon = false
        for index in 0..<count where run[index] == UInt8(ascii: ":") {
            colonCount += 1
            if index > 0, run[index - 1] == UInt8(ascii: ":") { hasDoubleColon = true }
        }
        // IPv6 text has "::", or eight groups (seven colons; six before an embedded IPv4 part).
        // Times ("2026:10:00:00") and MAC addresses have neither: only IPv4 fields remain.
        if colonCount < 6 && !hasDoubleColon {
            var fieldStart = 0
            for index in 0...count where index == count || run[index] == UInt8(ascii: ":") {
                if index - fieldStart >= 7 {
                    _ = analyzeDotted(run, from: fieldStart, to: index, spelling: spelling, into: &matches)
                }
                fieldStart = index + 1
            }
            return
        }

        // IPv6: trim a leading "client:"-style colon, a trailing sentence dot or colon, then a port.
        var start = 0
        var end = count
        while start < end - 1, run[start] == UInt8(ascii: ".") { start += 1 }
        if end - start >= 2, run[start] == UInt8(ascii: ":"), run[start + 1] != UInt8(ascii: ":") { start += 1 }
        while end > start, run[end - 1] == UInt8(ascii: ".") { end -= 1 }
        if end - start >= 2, run[end - 1] == UInt8(ascii: ":"), run[end - 2] != UInt8(ascii: ":") { end -= 1 }
        // A host name glued on after a dot ("…:3d6c.cust.example"): the address ends at the dot
        // before the first label that is not a number.
        for index in start..<end where run[index] == UInt8(ascii: ".") {
            if index + 1 < end, !ByteClass.isDigit(run[index + 1]) {
                end = index
                break
            }
        }
        var candidateEnd = end
        var candidate = end - start >= 2 ? IPAddress.parseIPv6(run.bytes(start, end)) : nil
        if candidate == nil, let portColon = portSeparator(run, from: start, to: end) {
            candidate = IPAddress.parseIPv6(run.bytes(start, portColon))
            candidateEnd = portColon
        }
        if let address = candidate {
            if address.isUnspecified { return }
            let glued = (start == 0 && leftGlued) || (candidateEnd == count && rightGlued)
            if glued && !isUnmistakable(run, from: start, to: candidateEnd) { return }
            matches.append(run.match(.address(address), start, candidateEnd, spelling))
            return
        }

        // Not IPv6: an IPv4 address may stand in any colon-separated field ("1.2.3.4:80").
        var found = false
        var fieldStart = 0
        for index in 0...count where index == count || run[index] == UInt8(ascii: ":") {
            if index - fieldStart >= 7 {
                found = analyzeDotted(run, from: fieldStart, to: index, spelling: spelling, into: &matches) || found
            }
            fieldStart = index + 1
        }
        if found { return }

        if hasDoubleColon || colonCount >= 7 {
            let glued = (start == 0 && leftGlued) || (end == count && rightGlued)
            if !glued && hexDigitCount(run, from: start, to: end) >= 2 {
                matches.append(run.match(.uncertain, start, end, spelling))
            }
        }
    }

    /// The colon before a trailing decimal port (one to five digits), if the run ends in one.
    private static func portSeparator(_ run: Run, from start: Int, to end: Int) -> Int? {
        var index = end - 1
        while index > start, index >= end - 5, ByteClass.isDigit(run[index]) { index -= 1 }
        guard index > start, index < end - 1, run[index] == UInt8(ascii: ":"),
            run[index - 1] != UInt8(ascii: ":")
        else { return nil }
        return index
    }

    /// Three or more hex groups, or an embedded IPv4 part: no word glued to it makes it text.
    private static func isUnmistakable(_ run: Run, from start: Int, to end: Int) -> Bool {
        var groups = 0
        var inGroup = false
        for index in start..<end {
            let byte = run[index]
            if byte == UInt8(ascii: ".") { return true }
            if byte == UInt8(ascii: ":") {
                inGroup = false
            } else if !inGroup {
                inGroup = true
                groups += 1
            }
        }
        return groups >= 3
    }

    private static func hexDigitCount(_ run: Run, from start: Int, to end: Int) -> Int {
        var digits = 0
        for index in start..<end where HexDigit.value(of: run[index]) != nil { digits += 1 }
        return digits
    }

    // MARK: - Reverse DNS names

    /// The reverse-DNS zones whose names spell an address backwards.
    enum ReverseZone {
        /// `d.c.b.a.in-addr.arpa`.
        case ipv4
        /// Nibbles, least significant first, then `ip6.arpa`.
        case ipv6

        /// The zone whose name starts at `index`, if one does.
        static func after(_ base: UnsafePointer<UInt8>, at index: Int, count: Int) -> ReverseZone? {
            func matches(_ name: StaticString) -> Bool {
                guard index + name.utf8CodeUnitCount <= count else { return false }
                for offset in 0..<name.utf8CodeUnitCount where base[index + offset] | 0x20 != name.utf8Start[offset] {
                    return false
                }
                return true
            }
            if matches("in-addr.arpa") { return .ipv4 }
            if matches("ip6.arpa") { return .ipv6 }
            return nil
        }
    }

    /// A run followed by `in-addr.arpa` or `ip6.arpa`: a complete name is the address it spells
    /// (so it gets the same pseudonym as the address written forwards); a partial `ip6.arpa` name
    /// is a network (a /64 is a household) and is redacted.
    ///
    /// - Returns: Whether the run was such a name; if not, it is analysed like any other run
    ///   (an address written forwards before the zone, as a pseudonym of the other family is).
    private static func analyzeReverseName(_ run: Run, zone: ReverseZone, into matches: inout [AddressMatch]) -> Bool {
        let end = run.count - 1  // the dot before the zone name
        switch zone {
        case .ipv4:
            var octets: [UInt32] = []
            var value: UInt32 = 0
            var digits = 0
            for index in 0...end {
                let byte = run[index]
                if byte == UInt8(ascii: ".") {
                    guard digits > 0, digits <= 3, value <= 255 else { return false }
                    octets.append(value)
                    value = 0
                    digits = 0
                } else {
                    // Four digits are already no octet; more would overflow `value` (a crash
                    // any log line could cause before this guard).
                    guard ByteClass.isDigit(byte), digits < 3 else { return false }
                    value = value * 10 + UInt32(byte &- UInt8(ascii: "0"))
                    digits += 1
                }
            }
            guard octets.count == 4 else { return false }
            let bits = octets.reversed().reduce(UInt32(0)) { $0 << 8 | $1 }
            matches.append(AddressMatch(kind: .address(IPAddress(ipv4: bits)), start: run.start, end: run.start + end, spelling: .reverseIPv4Name))
            return true
        case .ipv6:
            var nibbles: [UInt8] = []
            var index = 0
            while index < end {
                guard let nibble = HexDigit.value(of: run[index]), run[index + 1] == UInt8(ascii: ".") else { return false }
                nibbles.append(nibble)
                index += 2
            }
            guard nibbles.count >= 4 else { return false }
            if nibbles.count == 32 {
                var high: UInt64 = 0
                var low: UInt64 = 0
                for (position, nibble) in nibbles.reversed().enumerated() {
                    if position < 16 { high = high << 4 | UInt64(nibble) } else { low = low << 4 | UInt64(nibble) }
                }
                matches.append(
                    AddressMatch(kind: .address(IPAddress(ipv6High: high, low: low)), start: run.start, end: run.start + end, spelling: .reverseIPv6Name))
            } else {
                matches.append(AddressMatch(kind: .uncertain, start: run.start, end: run.start + end))
            }
            return true
        }
    }

    // MARK: - Dotted decimal

    /// Looks for IPv4 addresses among the dot-separated numbers of `run[from..<to]` (no colons).
    ///
    /// A chain is a maximal sequence of dot-separated segments that consist of digits; letters
    /// glued before the digits start a new chain and letters after them end it. Only a chain of
    /// exactly four segments can be an address.
    ///
    /// - Returns: Whether anything was emitted.
    private static func analyzeDotted(
        _ run: Run, from start: Int, to end: Int, spelling: AddressMatch.Spelling, into matches: inout [AddressMatch]
    ) -> Bool {
        var chain = DottedChain()
        var emitted = false
        var segmentStart = start
        while true {
            var segmentEnd = segmentStart
            while segmentEnd < end, run[segmentEnd] != UInt8(ascii: ".") { segmentEnd += 1 }
            var index = segmentStart
            while index < segmentEnd, !ByteClass.isDigit(run[index]) { index += 1 }
            let digitsStart = index
            while index < segmentEnd, ByteClass.isDigit(run[index]) { index += 1 }
            let digitsEnd = index
            if digitsStart == digitsEnd {
                emitted = chain.close(run, spelling, into: &matches) || emitted
            } else {
                if digitsStart > segmentStart { emitted = chain.close(run, spelling, into: &matches) || emitted }
                chain.append(digitsStart, digitsEnd)
                if digitsEnd < segmentEnd { emitted = chain.close(run, spelling, into: &matches) || emitted }
            }
            if segmentEnd >= end {
                return chain.close(run, spelling, into: &matches) || emitted
            }
            segmentStart = segmentEnd + 1
        }
    }

    /// Consecutive dot-separated digit groups; only a chain of exactly four can be an address.
    private struct DottedChain {
        var length = 0
        var starts = InlineArray<4, Int>(repeating: 0)
        var ends = InlineArray<4, Int>(repeating: 0)

        mutating func append(_ start: Int, _ end: Int) {
            if length < 4 {
                starts[length] = start
                ends[length] = end
            }
            length += 1
        }

        /// Ends the chain; an address (or an ambiguous one) in it is appended to `matches`.
        ///
        /// - Returns: Whether a match was appended.
        mutating func close(_ run: Run, _ spelling: AddressMatch.Spelling, into matches: inout [AddressMatch]) -> Bool {
            defer { length = 0 }
            guard length == 4 else { return false }
            var bits: UInt32 = 0
            var ambiguous = false
            for octet in 0..<4 {
                let digits = ends[octet] - starts[octet]
                guard digits <= 3 else { return false }
                var value: UInt32 = 0
                for index in starts[octet]..<ends[octet] {
                    value = value * 10 + UInt32(run[index] &- UInt8(ascii: "0"))
                }
                guard value <= 255 else { return false }
                // A leading zero makes inet_aton read octal: the writer's intent is unclear
                // once the octal and decimal readings differ.
                if digits > 1, run[starts[octet]] == UInt8(ascii: "0"), value >= 8 { ambiguous = true }
                bits = bits << 8 | value
            }
            if ambiguous {
                matches.append(run.match(.uncertain, starts[0], ends[3], spelling))
            } else if bits != 0 {
                matches.append(run.match(.address(IPAddress(ipv4: bits)), starts[0], ends[3], spelling))
            } else {
                return false
            }
            return true
        }
    }
}

/// Byte classes for the scanner, one table lookup per byte.
enum ByteClass {
    static let hex: UInt8 = 1
    static let separator: UInt8 = 2
    static let percent: UInt8 = 4
    /// Letters that are not hex digits, and `_`: a run touching one is glued to a word.
    static let wordLetter: UInt8 = 8
    static let runMember: UInt8 = hex | separator

    /// One class per byte value. A pointer rather than an array: the scan loop reads it without
    /// reference counting.
    nonisolated(unsafe) static let table: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for value in 0..<256 {
            let byte = UInt8(value)
            if HexDigit.value(of: byte) != nil {
                table[value] = hex
                continue
            }
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: ":"): table[value] = separator
            case UInt8(ascii: "%"): table[value] = percent
            case UInt8(ascii: "g")...UInt8(ascii: "z"), UInt8(ascii: "G")...UInt8(ascii: "Z"), UInt8(ascii: "_"): table[value] = wordLetter
            default: table[value] = 0
            }
        }
        return UnsafePointer(table)
    }()

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// `%3A`/`%3a` (colon) or `%2E`/`%2e` (dot) at `index`, and how its hex digits are cased.
    @inline(__always)
    static func encodedSeparator(_ base: UnsafePointer<UInt8>, at index: Int, count: Int) -> AddressMatch.Spelling? {
        guard index + 2 < count else { return nil }
        let first = base[index + 1]
        let second = base[index + 2]
        switch (first, second) {
        case (UInt8(ascii: "3"), UInt8(ascii: "A")), (UInt8(ascii: "2"), UInt8(ascii: "E")): return .percentEncodedUpper
        case (UInt8(ascii: "3"), UInt8(ascii: "a")), (UInt8(ascii: "2"), UInt8(ascii: "e")): return .percentEncodedLower
        default: return nil
        }
    }

    @inline(__always)
    static func isEscape(_ base: UnsafePointer<UInt8>, at index: Int, count: Int) -> Bool {
        index + 2 < count && table[Int(base[index + 1])] & hex != 0 && table[Int(base[index + 2])] & hex != 0
    }
}
