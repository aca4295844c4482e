import Testing
@testable import AnonLogCore

struct IdentifierLocatorTests {
    func values(_ line: String, fields: [String] = [], parameters: [String] = []) -> [String] {
        let locator = IdentifierLocator(fieldNames: fields, parameterNames: parameters)
        var ranges: [Range<Int>] = []
        let bytes = Array(line.utf8)
        bytes.withUnsafeBytes { locator.locate(in: $0, into: &ranges) }
        return ranges.map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    @Test func findsConfiguredJSONFields() {
        #expect(values(#"{"session_id":"abc","user_id":"u1","nested":{"user_id":"x"},"n":5}"#, fields: ["session_id", "user_id"]) == ["abc", "u1"])
    }

    @Test func findsParametersInURLsPathsAndCookies() {
        let line = #"GET /a;jsessionid=J1?x=1&SID=s2&other=3 "cookie: PHPSESSID=p3; theme=dark""#
        #expect(values(line, parameters: ["sid", "jsessionid", "phpsessid"]) == ["J1", "s2", "p3"])
    }

    @Test func aNameInsideAnotherNameIsNotAMatch() {
        #expect(values("/x?usersid=1&sid=2", parameters: ["sid"]) == ["2"])
        #expect(values("sid=3 user=x (logfmt)", parameters: ["sid"]) == ["3"])
        #expect(values("/x?q=a-sid=4", parameters: ["sid"]).isEmpty)
    }

    @Test func aJSONEscapedQuoteEndsTheValue() {
        #expect(values(#"{"request":"GET /?sid=abc\" x"}"#, parameters: ["sid"]) == ["abc"])
    }
}
