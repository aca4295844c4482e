/// A policy file read as a strict subset of TOML: tables, bare and dotted keys, strings,
/// integers, booleans and arrays of strings, with the line each came from.
///
/// Everything else TOML allows (floats, dates, inline tables, arrays of tables, multi-line and
/// quoted-key forms) is an error naming the line, rather than a silent misreading: a retention
/// policy is read by people who need to trust what it does.
struct TOMLDocument {
    /// A value of the subset.
    enum Value: Equatable {
        case string(String)
        case integer(Int64)
        case boolean(Bool)
        case strings([String])

        /// What it is, for messages.
        var kind: String {
            switch self {
            case .string: "a string"
            case .integer: "an integer"
            case .boolean: "a boolean"
            case .strings: "an array of strings"
            }
        }
    }

    /// A key's value and where it was written.
    struct Entry: Equatable {
        var value: Value
        /// The 1-based line of the key.
        var line: Int
    }

    /// The file, for messages.
    let path: String
    /// Every key by its full dotted name (`windows.raw_logs`), in the order written.
    private(set) var entries: [(key: String, entry: Entry)] = []
    /// Every table header (`[windows]` as `windows`) and the line it is on.
    private(set) var tables: [(name: String, line: Int)] = []

    /// Parses `text`.
    ///
    /// - Parameters:
    ///   - text: The file's contents (UTF-8).
    ///   - path: The file's name, for messages.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/configuration`` and the line,
    ///   for anything outside the subset, a duplicate key, or a value where a table is.
    init(parsing text: [UInt8], path: String) throws(AnonLogError) {
        self.path = path
        var parser = Parser(bytes: text, path: path)
        var table: [String] = []
        var defined: [String: Int] = [:]  // full key or table name -> line
        var valueKeys: Set<String> = []
        var headers: Set<String> = []

        func error(_ message: String, _ line: Int) -> AnonLogError {
            AnonLogError(.configuration, message, location: .init(path: path, line: line))
        }

        while true {
            parser.skipBlankLinesAndComments()
            guard let byte = parser.peek() else { break }
            let line = parser.line
            if byte == UInt8(ascii: "[") {
                parser.advance()
                if parser.peek() == UInt8(ascii: "[") { throw error("arrays of tables ([[...]]) are not supported", line) }
                parser.skipSpaces()
                let name = try parser.keyPath()
                parser.skipSpaces()
                guard parser.peek() == UInt8(ascii: "]") else { throw error("expected ']' to end the table name", line) }
                parser.advance()
                try parser.endOfLine()
                let joined = name.joined(separator: ".")
                if headers.contains(joined) { throw error("table [\(joined)] is defined twice", line) }
                for end in 1...name.count where valueKeys.contains(name[..<end].joined(separator: ".")) {
                    throw error("[\(joined)] names a key that already has a value", line)
                }
                headers.insert(joined)
                tables.append((joined, line))
                table = name
                continue
            }
            let key = try parser.keyPath()
            parser.skipSpaces()
            guard parser.peek() == UInt8(ascii: "=") else { throw error("expected '=' after the key '\(key.joined(separator: "."))'", line) }
            parser.advance()
            parser.skipSpaces()
            let value = try parser.value()
            try parser.endOfLine()
            let full = table + key
            let joined = full.joined(separator: ".")
            if let first = defined[joined] {
                throw error("'\(joined)' is defined twice (first on line \(first))", line)
            }
            for end in 1..<full.count where valueKeys.contains(full[..<end].joined(separator: ".")) {
                throw error("'\(joined)' is inside '\(full[..<end].joined(separator: "."))', which already has a value", line)
            }
            if headers.contains(joined) || valueKeys.contains(where: { $0.hasPrefix(joined + ".") }) {
                throw error("'\(joined)' is a table and cannot have a value", line)
            }
            defined[joined] = line
            valueKeys.insert(joined)
            entries.append((joined, Entry(value: value, line: line)))
        }
    }

    /// The entry of a full dotted key.
    subscript(key: String) -> Entry? {
        entries.first { $0.key == key }?.entry
    }

    // MARK: - Scanning

    private struct Parser {
        let bytes: [UInt8]
        let path: String
        var index = 0
        var line = 1

        init(bytes: [UInt8], path: String) {
            self.bytes = bytes
            self.path = path
        }

        func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func advance() {
            if bytes[index] == 0x0A { line += 1 }
            index += 1
        }

        func error(_ message: String) -> AnonLogError {
            AnonLogError(.configuration, message, location: .init(path: path, line: line))
        }

        mutating func skipSpaces() {
            while let byte = peek(), byte == 0x20 || byte == 0x09 { advance() }
        }

        /// Skips a comment up to (not including) its line feed.
        mutating func skipComment() {
            if peek() == UInt8(ascii: "#") {
                while let byte = peek(), byte != 0x0A { advance() }
            }
        }

        mutating func skipBlankLinesAndComments() {
            while true {
                skipSpaces()
                skipComment()
                if peek() == 0x0A {
                    advance()
                } else if peek() == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                    advance()
                    advance()
                } else {
                    return
                }
            }
        }

        /// Spaces, an optional comment, then a line feed or the end of the file.
        mutating func endOfLine() throws(AnonLogError) {
            skipSpaces()
            skipComment()
            if peek() == 0x0D { advance() }
            guard let byte = peek() else { return }
            guard byte == 0x0A else { throw error("unexpected text after the value") }
            advance()
        }

        static func isBareKeyByte(_ byte: UInt8) -> Bool {
            (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }

        /// `name` or `a.b.c` of bare keys.
        mutating func keyPath() throws(AnonLogError) -> [String] {
            var parts: [String] = []
            while true {
                skipSpaces()
                if peek() == UInt8(ascii: "\"") || peek() == UInt8(ascii: "'") {
                    throw error("quoted keys are not supported; use letters, digits, '_' and '-'")
                }
                let start = index
                while let byte = peek(), Self.isBareKeyByte(byte) { advance() }
                guard index > start else { throw error("expected a key") }
                parts.append(String(decoding: bytes[start..<index], as: UTF8.self))
                skipSpaces()
                guard peek() == UInt8(ascii: ".") else { return parts }
                advance()
            }
        }

        mutating func value() throws(AnonLogError) -> Value {
            guard let byte = peek() else { throw error("expected a value") }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                return .string(try string())
            case UInt8(ascii: "["):
                return .strings(try stringArray())
            case UInt8(ascii: "{"):
                throw error("inline tables are not supported")
            case UInt8(ascii: "t"), UInt8(ascii: "f"):
                if word("true") { return .boolean(true) }
                if word("false") { return .boolean(false) }
                throw error("expected a value (a string, an integer, true, false or an array of strings)")
            default:
                return .integer(try integer())
            }
        }

        /// Consumes `text` when it comes next as a whole word.
        mutating func word(_ text: String) -> Bool {
            let word = Array(text.utf8)
            guard index + word.count <= bytes.count, Array(bytes[index..<(index + word.count)]) == word else { return false }
            if index + word.count < bytes.count, Self.isBareKeyByte(bytes[index + word.count]) { return false }
            index += word.count
            return true
        }

        mutating func integer() throws(AnonLogError) -> Int64 {
            let start = index
            var negative = false
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") {
                negative = peek() == UInt8(ascii: "-")
                advance()
            }
            var value: Int64 = 0
            var digits = 0
            var lastWasDigit = false
            while let byte = peek() {
                if byte &- UInt8(ascii: "0") < 10 {
                    let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                    let (sum, overflow2) = product.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                    guard !overflow, !overflow2 else { throw error("the integer is too large") }
                    value = sum
                    digits += 1
                    lastWasDigit = true
                } else if byte == UInt8(ascii: "_"), lastWasDigit {
                    lastWasDigit = false
                } else {
                    break
                }
                advance()
            }
            if let byte = peek(), byte == UInt8(ascii: ".") || byte | 0x20 == UInt8(ascii: "e") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-") {
                throw error("floats, dates and times are not supported; write durations as strings such as \"7d\"")
            }
            guard digits > 0, lastWasDigit else {
                index = start
                throw error("expected a value (a string, an integer, true, false or an array of strings)")
            }
            let text = bytes[start..<index].filter { $0 != UInt8(ascii: "_") }
            let unsigned = text.first == UInt8(ascii: "+") || text.first == UInt8(ascii: "-") ? text.dropFirst() : text[...]
            if unsigned.count > 1, unsigned.first == UInt8(ascii: "0") { throw error("integers must not have leading zeros") }
            return negative ? -value : value
        }

        mutating func string() throws(AnonLogError) -> String {
            let quote = bytes[index]
            if index + 2 < bytes.count, bytes[index + 1] == quote, bytes[index + 2] == quote {
                throw error("multi-line strings are not supported")
            }
            advance()
            var result: [UInt8] = []
            while true {
                guard let byte = peek(), byte != 0x0A else { throw error("the string is not closed on its line") }
                advance()
                if byte == quote { break }
                if quote == UInt8(ascii: "'") || byte != UInt8(ascii: "\\") {
                    if byte < 0x20 && byte != 0x09 || byte == 0x7F { throw error("control characters must be escaped in strings") }
                    result.append(byte)
                    continue
                }
                guard let escaped = peek(), escaped != 0x0A else { throw error("the string is not closed on its line") }
                advance()
                switch escaped {
                case UInt8(ascii: "\""): result.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): result.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "n"): result.append(0x0A)
                case UInt8(ascii: "t"): result.append(0x09)
                case UInt8(ascii: "r"): result.append(0x0D)
                case UInt8(ascii: "b"): result.append(0x08)
                case UInt8(ascii: "f"): result.append(0x0C)
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let count = escaped == UInt8(ascii: "u") ? 4 : 8
                    var scalar: UInt32 = 0
                    for _ in 0..<count {
                        guard let digit = peek(), let value = HexDigit.value(of: digit) else {
                            throw error("expected \(count) hexadecimal digits after \\\(Character(Unicode.Scalar(escaped)))")
                        }
                        scalar = scalar << 4 | UInt32(value)
                        advance()
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw error("\\u escape is not a Unicode scalar") }
                    result.append(contentsOf: Array(String(Character(unicode)).utf8))
                default:
                    throw error("unknown escape \\\(Character(Unicode.Scalar(escaped))) in a string")
                }
            }
            guard let text = String(validating: result, as: UTF8.self) else { throw error("the string is not valid UTF-8") }
            return text
        }

        /// `["a", "b"]`, across lines, with comments and a trailing comma.
        mutating func stringArray() throws(AnonLogError) -> [String] {
            advance()
            var elements: [String] = []
            while true {
                skipBlankLinesAndComments()
                guard let byte = peek() else { throw error("the array is not closed") }
                if byte == UInt8(ascii: "]") {
                    advance()
                    return elements
                }
                guard byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") else {
                    throw error("only arrays of strings are supported")
                }
                elements.append(try string())
                skipBlankLinesAndComments()
                if peek() == nil {
                    throw error("the array is not closed")
                } else if peek() == UInt8(ascii: ",") {
                    advance()
                } else if peek() != UInt8(ascii: "]") {
                    throw error("expected ',' or ']' in the array")
                }
            }
        }
    }
}
