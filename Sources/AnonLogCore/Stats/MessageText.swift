/// What the statistics take from a chat message's text: a keyed fingerprint of its normalized
/// form and its links. The text itself is never stored.
///
/// Normalization makes trivially varied spam the same message: ASCII letters lower-cased, runs
/// of white space (also the JSON escapes `\n`, `\t`, `\r`) collapsed to one space, space at the
/// ends dropped. Other bytes (other scripts, emoji) are kept as written.
struct MessageText {
    private var normalized: [UInt8] = []

    init() {
        normalized.reserveCapacity(1024)
    }

    /// The fingerprint of `text` (a JSON string's raw contents) under `mac`, and the normalized
    /// length in bytes.
    mutating func fingerprint(_ text: UnsafeRawBufferPointer, mac: HMACSHA256) -> (value: UInt64, length: Int) {
        normalized.removeAll(keepingCapacity: true)
        var pendingSpace = false
        var index = 0
        while index < text.count {
            var byte = text[index]
            var isSpace = byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
            if byte == UInt8(ascii: "\\"), index + 1 < text.count {
                let next = text[index + 1]
                if next == UInt8(ascii: "n") || next == UInt8(ascii: "t") || next == UInt8(ascii: "r") {
                    isSpace = true
                    index += 1
                }
            }
            index += 1
            if isSpace {
                pendingSpace = !normalized.isEmpty
                continue
            }
            if pendingSpace {
                normalized.append(UInt8(ascii: " "))
                pendingSpace = false
            }
            if byte &- UInt8(ascii: "A") < 26 { byte |= 0x20 }
            normalized.append(byte)
        }
        guard !normalized.isEmpty else { return (0, 0) }
        var digest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &digest) { output in
            normalized.withUnsafeBytes { mac.authenticate($0, into: output) }
        }
        return (BoundedSlots.storedKey(UInt64(bigEndian: digest.0)), normalized.count)
    }

    /// The number of links (`http://`, `https://`, `www.`) in `text` and the host of the first,
    /// lower case without port; an address as host becomes `{ip}`.
    static func links(_ text: UnsafeRawBufferPointer, firstHost: inout ShortText) -> Int {
        firstHost.clear()
        var count = 0
        var index = 0
        while index < text.count {
            let start: Int?
            if let scheme = schemeEnd(text, at: index) {
                start = scheme
            } else if matchesLower(text, at: index, "www.") && (index == 0 || !UserAgentLists.isWordByte(text[index - 1])) {
                start = index
            } else {
                start = nil
            }
            guard let hostStart = start else {
                index += 1
                continue
            }
            var hostEnd = hostStart
            while hostEnd < text.count, !isHostEnd(text[hostEnd]) { hostEnd += 1 }
            if hostEnd > hostStart {
                count += 1
                if firstHost.isEmpty { firstHost = hostText(text, hostStart, hostEnd) }
            }
            index = max(hostEnd, index + 1)
        }
        return count
    }

    private static func schemeEnd(_ text: UnsafeRawBufferPointer, at index: Int) -> Int? {
        if matchesLower(text, at: index, "http://") { return index + 7 }
        if matchesLower(text, at: index, "https://") { return index + 8 }
        return nil
    }

    private static func matchesLower(_ text: UnsafeRawBufferPointer, at index: Int, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= text.count else { return false }
        let pointer = word.utf8Start
        for offset in 0..<count where ProbeMatcher.lowercase(text[index + offset]) != pointer[offset] { return false }
        return true
    }

    private static func isHostEnd(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: " "), UInt8(ascii: "\""),
            UInt8(ascii: "\\"), UInt8(ascii: ","), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "'"):
            return true
        default:
            return byte < 0x20
        }
    }

    /// The host of `text[start..<end]`, lower case, port removed, an address as `{ip}`.
    private static func hostText(_ text: UnsafeRawBufferPointer, _ start: Int, _ rangeEnd: Int) -> ShortText {
        var end = rangeEnd
        if text[start] == UInt8(ascii: "[") { return ShortText("{ip}") }
        var colon = start
        while colon < end, text[colon] != UInt8(ascii: ":") { colon += 1 }
        end = colon
        while end > start, text[end - 1] == UInt8(ascii: ".") { end -= 1 }
        let host = UnsafeRawBufferPointer(rebasing: text[start..<end])
        if IPAddress.parse(host) != nil { return ShortText("{ip}") }
        // Anything the address scanner would take for an address is not written either.
        var digitsAndDots = true
        for byte in host where !(byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: ".")) { digitsAndDots = false }
        if digitsAndDots { return ShortText("{ip}") }
        var lowered = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        let count = min(host.count, ShortText.capacity)
        return withUnsafeMutableBytes(of: &lowered) { buffer in
            for offset in 0..<count { buffer[offset] = ProbeMatcher.lowercase(host[offset]) }
            return ShortText(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}
