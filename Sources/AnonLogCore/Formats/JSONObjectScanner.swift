/// Walks the top-level members of a one-line JSON object without building any values.
///
/// Enough JSON for log lines: it finds each member's key and the byte range of its value (the
/// inside of the quotes for strings), skips nested objects and arrays, and rejects what is not
/// an object (also one followed by anything but blanks). Keys are compared as raw bytes; a key
/// spelled with escapes is not found.
enum JSONObjectScanner {
    /// One top-level member.
    struct Member {
        var key: Range<Int>
        var value: Range<Int>
        var isString: Bool
    }

    /// Calls `visit` for each top-level member of the object in `line`.
    ///
    /// - Returns: `false` when the line is not a JSON object, or has more than blanks after it
    ///   (members seen so far were visited).
    static func scan(_ line: UnsafeRawBufferPointer, _ visit: (Member) -> Void) -> Bool {
        let end = line.count
        var index = skipSpace(line, 0, end)
        guard index < end, line[index] == UInt8(ascii: "{") else { return false }
        index = skipSpace(line, index + 1, end)
        if index < end, line[index] == UInt8(ascii: "}") { return skipSpace(line, index + 1, end) == end }
        while index < end {
            guard line[index] == UInt8(ascii: "\""), let keyEnd = stringEnd(line, index + 1, end) else { return false }
            let key = (index + 1)..<keyEnd
            index = skipSpace(line, keyEnd + 1, end)
            guard index < end, line[index] == UInt8(ascii: ":") else { return false }
            index = skipSpace(line, index + 1, end)
            guard index < end else { return false }
            let member: Member
            switch line[index] {
            case UInt8(ascii: "\""):
                guard let valueEnd = stringEnd(line, index + 1, end) else { return false }
                member = Member(key: key, value: (index + 1)..<valueEnd, isString: true)
                index = valueEnd + 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard let valueEnd = nestedEnd(line, index, end) else { return false }
                member = Member(key: key, value: index..<valueEnd, isString: false)
                index = valueEnd
            default:
                let valueStart = index
                while index < end, !isDelimiter(line[index]) { index += 1 }
                guard index > valueStart else { return false }
                member = Member(key: key, value: valueStart..<index, isString: false)
            }
            visit(member)
            index = skipSpace(line, index, end)
            guard index < end else { return false }
            if line[index] == UInt8(ascii: "}") { return skipSpace(line, index + 1, end) == end }
            guard line[index] == UInt8(ascii: ",") else { return false }
            index = skipSpace(line, index + 1, end)
        }
        return false
    }

    /// Whether the bytes of `range` in `line` equal `name`.
    static func equals(_ line: UnsafeRawBufferPointer, _ range: Range<Int>, _ name: StaticString) -> Bool {
        guard range.count == name.utf8CodeUnitCount else { return false }
        let bytes = name.utf8Start
        for offset in 0..<range.count where line[range.lowerBound + offset] != bytes[offset] { return false }
        return true
    }

    /// The index of the closing quote of a string whose contents start at `start`.
    private static func stringEnd(_ line: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        var index = start
        while index < end {
            switch line[index] {
            case UInt8(ascii: "\""): return index
            case UInt8(ascii: "\\"): index += 2
            default: index += 1
            }
        }
        return nil
    }

    /// The index just past the object or array that opens at `start`.
    private static func nestedEnd(_ line: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        var depth = 0
        var index = start
        while index < end {
            switch line[index] {
            case UInt8(ascii: "\""):
                guard let close = stringEnd(line, index + 1, end) else { return nil }
                index = close
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return index + 1 }
            default:
                break
            }
            index += 1
        }
        return nil
    }

    @inline(__always) private static func isDelimiter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: " ")
            || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    @inline(__always) private static func skipSpace(_ line: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        var index = start
        while index < end, line[index] == UInt8(ascii: " ") || line[index] == UInt8(ascii: "\t") || line[index] == UInt8(ascii: "\r") {
            index += 1
        }
        return index
    }
}
