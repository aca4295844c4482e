/// Finds the values of identifiers other than addresses: configured JSON fields (a chat
/// `session_id`, a `user_id`) and configured query-string or cookie parameters (`sid=…`,
/// `PHPSESSID=…`), wherever they stand in a line.
struct IdentifierLocator: Sendable {
    /// JSON member names whose string values are identifiers.
    let fieldNames: [[UInt8]]
    /// Parameter names (compared without regard to ASCII case) whose values are identifiers.
    let parameterNames: [[UInt8]]

    init(fieldNames: [String], parameterNames: [String]) {
        self.fieldNames = fieldNames.map { Array($0.utf8) }
        self.parameterNames = parameterNames.map { Array($0.utf8.map(Self.lowercased)) }
    }

    var isEmpty: Bool { fieldNames.isEmpty && parameterNames.isEmpty }

    /// Appends the value ranges of identifiers in `line` to `ranges`, unsorted.
    func locate(in line: UnsafeRawBufferPointer, into ranges: inout [Range<Int>]) {
        var start = 0
        while start < line.count, line[start] == UInt8(ascii: " ") { start += 1 }
        if !fieldNames.isEmpty, start < line.count, line[start] == UInt8(ascii: "{") {
            _ = JSONObjectScanner.scan(line) { member in
                guard member.isString, !member.value.isEmpty else { return }
                for name in fieldNames where equals(line, member.key, name) {
                    ranges.append(member.value)
                    return
                }
            }
        }
        if !parameterNames.isEmpty { locateParameters(in: line, into: &ranges) }
    }

    /// `name=value` after `?`, `&`, `;`, a space, a tab, a comma or at the start of the line:
    /// URLs, path parameters, Cookie headers and key=value (logfmt) lines.
    private func locateParameters(in line: UnsafeRawBufferPointer, into ranges: inout [Range<Int>]) {
        var index = 0
        let count = line.count
        while index < count {
            guard line[index] == UInt8(ascii: "=") else {
                index += 1
                continue
            }
            var nameStart = index
            while nameStart > 0, Self.isNameByte(line[nameStart - 1]) { nameStart -= 1 }
            let separatorOK = nameStart < index && (nameStart == 0 || Self.separatesParameters(line[nameStart - 1]))
            // A path parameter (;jsessionid=…) ends where the query begins.
            let endsAtQuery = nameStart > 0 && line[nameStart - 1] == UInt8(ascii: ";")
            var valueEnd = index + 1
            while valueEnd < count, !Self.endsValue(line[valueEnd]), !(endsAtQuery && line[valueEnd] == UInt8(ascii: "?")) {
                valueEnd += 1
            }
            // A JSON-escaped quote ends the value too.
            if valueEnd < count, valueEnd > index + 1, line[valueEnd] == UInt8(ascii: "\""), line[valueEnd - 1] == UInt8(ascii: "\\") {
                valueEnd -= 1
            }
            if separatorOK, valueEnd > index + 1, isParameter(line, nameStart..<index) {
                ranges.append((index + 1)..<valueEnd)
            }
            index = max(index + 1, valueEnd)
        }
    }

    @inline(__always) private static func separatesParameters(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "?"), UInt8(ascii: "&"), UInt8(ascii: ";"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ","):
            return true
        default:
            return false
        }
    }

    private func isParameter(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        for name in parameterNames where name.count == range.count {
            var same = true
            for offset in 0..<name.count where Self.lowercased(line[range.lowerBound + offset]) != name[offset] {
                same = false
                break
            }
            if same { return true }
        }
        return false
    }

    private func equals(_ line: UnsafeRawBufferPointer, _ range: Range<Int>, _ name: [UInt8]) -> Bool {
        guard range.count == name.count else { return false }
        for offset in 0..<name.count where line[range.lowerBound + offset] != name[offset] { return false }
        return true
    }

    @inline(__always) private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    @inline(__always) private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    @inline(__always) private static func endsValue(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: ";"), UInt8(ascii: "#"), UInt8(ascii: "\""), UInt8(ascii: " "),
            UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
            return true
        default:
            return false
        }
    }
}
