import Testing
@testable import AnonLogCore

/// The members `JSONObjectScanner` visits in `text`, as (key, value, isString), and its verdict.
private func scan(_ text: String) -> (isObject: Bool, members: [Member]) {
    scan(Array(text.utf8))
}

private func scan(_ bytes: [UInt8]) -> (isObject: Bool, members: [Member]) {
    var members: [Member] = []
    let isObject = bytes.withUnsafeBytes { line in
        JSONObjectScanner.scan(line) { member in
            members.append(Member(
                key: String(decoding: bytes[member.key], as: UTF8.self),
                value: String(decoding: bytes[member.value], as: UTF8.self),
                isString: member.isString))
        }
    }
    return (isObject, members)
}

private struct Member: Equatable, CustomStringConvertible {
    var key: String
    var value: String
    var isString: Bool

    init(key: String, value: String, isString: Bool) {
        self.key = key
        self.value = value
        self.isString = isString
    }

    var description: String { "\(key)=\(isString ? "\"\(value)\"" : value)" }
}

private func string(_ key: String, _ value: String) -> Member { Member(key: key, value: value, isString: true) }
private func other(_ key: String, _ value: String) -> Member { Member(key: key, value: value, isString: false) }

struct JSONObjectScannerTests {
    // MARK: - Members

    @Test func visitsEachMemberWithTheRangeOfItsValue() {
        let result = scan(#"{"a":"x","b":12,"c":true,"d":null,"e":-1.5e3,"f":""}"#)
        #expect(result.isObject)
        #expect(result.members == [
            string("a", "x"), other("b", "12"), other("c", "true"), other("d", "null"), other("e", "-1.5e3"), string("f", ""),
        ])
    }

    @Test func allowsWhitespaceBetweenTokens() {
        let result = scan("  {\t\"a\" :  \"x\" ,  \"b\"\t:\t7 \t} ")
        #expect(result.isObject)
        #expect(result.members == [string("a", "x"), other("b", "7")])
    }

    @Test(arguments: ["{}", "{ }", " {\t}"])
    func anEmptyObjectHasNoMembers(text: String) {
        let result = scan(text)
        #expect(result.isObject && result.members.isEmpty)
    }

    @Test func aCarriageReturnAfterTheObjectIsAccepted() {
        #expect(scan("{\"a\":1}\r").isObject)
        #expect(scan("{\"a\":1\r}").members == [other("a", "1")])
    }

    @Test func valuesMayHoldInvalidUTF8AndNULBytes() {
        let bytes = Array(#"{"a":""#.utf8) + [0xFF, 0x00, 0xC3] + Array(#"","b":2}"#.utf8)
        let result = scan(bytes)
        #expect(result.isObject)
        #expect(result.members.map(\.key) == ["a", "b"])
    }

    // MARK: - Nesting

    @Test func nestedObjectsAndArraysAreSkippedWhole() {
        let result = scan(#"{"a":{"b":"c","d":[1,{"e":"}"}]},"f":[["]",{}],"[\"]"],"g":"h"}"#)
        #expect(result.isObject)
        #expect(result.members == [
            other("a", #"{"b":"c","d":[1,{"e":"}"}]}"#),
            other("f", #"[["]",{}],"[\"]"]"#),
            string("g", "h"),
        ])
    }

    @Test func onlyTopLevelMembersAreVisited() {
        let result = scan(#"{"request":{"remote_ip":"192.0.2.1","headers":{"X":["1"]}},"status":200}"#)
        #expect(result.members.map(\.key) == ["request", "status"])
        #expect(result.members.first?.isString == false)
    }

    // MARK: - Escapes

    @Test func escapedQuotesAndBackslashesStayInsideStrings() {
        let result = scan(#"{"a\"b":"x\"y\\","c":"\u0041\n","d":"\\"}"#)
        #expect(result.isObject)
        #expect(result.members == [string(#"a\"b"#, #"x\"y\\"#), string("c", #"\u0041\n"#), string("d", #"\\"#)])
    }

    @Test func keysAreComparedAsWrittenSoAnEscapedKeyIsNotFound() {
        let bytes = Array(#"{"\u0074s":"1","ts":"2"}"#.utf8)
        var matching: [String] = []
        bytes.withUnsafeBytes { line in
            _ = JSONObjectScanner.scan(line) { member in
                if JSONObjectScanner.equals(line, member.key, "ts") {
                    matching.append(String(decoding: bytes[member.value], as: UTF8.self))
                }
            }
        }
        #expect(matching == ["2"])
    }

    // MARK: - Malformed JSON

    @Test(arguments: [
        "",
        "   ",
        "[]",
        "[{\"a\":1}]",
        "\"a\"",
        "not json",
        "{",
        "{\"a\":1",
        "{\"a\":1,",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{\"a\":}",
        "{\"a\":,\"b\":1}",
        "{a:1}",
        "{'a':1}",
        "{\"a\":\"x}",
        "{\"a\":\"x\\\"}",
        "{\"a\":\"x\\",
        "{\"a\":[1,2}",
        "{\"a\":{\"b\":1}",
        "{\"a\":tru e}",
        "{\"a\":1 \"b\":2}",
        "{\"a\"}",
        "{\"a\":1}}",
        "{\"a\":1} trailing text",
        "{}{}",
    ])
    func malformedJSONIsNoObject(text: String) {
        #expect(!scan(text).isObject, "\(text)")
    }

    @Test func membersBeforeTheDamageHaveBeenVisited() {
        let result = scan(#"{"a":"x","b":2,"c""#)
        #expect(!result.isObject)
        #expect(result.members == [string("a", "x"), other("b", "2")])
    }

    @Test func arbitraryBytesNeverCrashAndRangesStayInTheLine() {
        var generator = SeededGenerator(seed: 7)
        let alphabet = Array("{}[]\":,\\ \tabc019.-".utf8) + [0x00, 0xFF]
        for _ in 0..<5_000 {
            let bytes = [UInt8(ascii: "{")] + (0..<Int.random(in: 0..<40, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            }
            bytes.withUnsafeBytes { line in
                _ = JSONObjectScanner.scan(line) { member in
                    #expect(member.key.lowerBound >= 0 && member.key.upperBound <= bytes.count)
                    #expect(member.value.lowerBound >= member.key.upperBound && member.value.upperBound <= bytes.count)
                }
            }
        }
    }
}
