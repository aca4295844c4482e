import Testing
@testable import AnonLogCore

/// A line and the fields a parser found in it, with the fields readable as text.
struct ParsedLine: CustomTestStringConvertible {
    let bytes: [UInt8]
    let fields: LineFields

    var format: LogFormat { fields.format }

    /// The format and the start of the line, instead of every byte, in failure messages.
    var testDescription: String {
        "\(fields.format) \(String(decoding: bytes.prefix(100), as: UTF8.self))"
    }

    /// The bytes of a field as text (invalid UTF-8 repaired), or `nil` when the field is not set.
    func text(_ field: KeyPath<LineFields, Range<Int>?>) -> String? {
        fields[keyPath: field].map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    /// The raw bytes of a field, or `nil` when it is not set.
    func raw(_ field: KeyPath<LineFields, Range<Int>?>) -> [UInt8]? {
        fields[keyPath: field].map { Array(bytes[$0]) }
    }
}

extension CommonLogFormatParser {
    static func parse(_ line: [UInt8]) -> ParsedLine? {
        line.withUnsafeBytes { parse($0) }.map { ParsedLine(bytes: line, fields: $0) }
    }

    static func parse(_ line: String) -> ParsedLine? { parse(Array(line.utf8)) }
}

extension JSONLogFormatParser {
    static func parse(_ line: [UInt8]) -> ParsedLine? {
        line.withUnsafeBytes { parse($0) }.map { ParsedLine(bytes: line, fields: $0) }
    }

    static func parse(_ line: String) -> ParsedLine? { parse(Array(line.utf8)) }
}

extension FormatRecognizer {
    func recognize(_ line: [UInt8]) -> ParsedLine? {
        line.withUnsafeBytes { recognize($0) }.map { ParsedLine(bytes: line, fields: $0) }
    }

    func recognize(_ line: String) -> ParsedLine? { recognize(Array(line.utf8)) }
}
