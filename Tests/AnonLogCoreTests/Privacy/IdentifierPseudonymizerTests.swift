import Testing
@testable import AnonLogCore

struct IdentifierPseudonymizerTests {
    static let key = SecretKey(bytes: (0..<32).map { UInt8(255 - $0) })!

    static func token(_ value: String, key: SecretKey = key) -> String {
        token(Array(value.utf8), key: key)
    }

    static func token(_ value: [UInt8], key: SecretKey = key) -> String {
        let pseudonymizer = IdentifierPseudonymizer(key: key)
        var buffer = [UInt8](repeating: UInt8(ascii: "*"), count: IdentifierPseudonymizer.tokenLength + 8)
        value.withUnsafeBytes { value in
            buffer.withUnsafeMutableBytes { pseudonymizer.writeToken(for: value, into: $0) }
        }
        #expect(buffer[IdentifierPseudonymizer.tokenLength...].allSatisfy { $0 == UInt8(ascii: "*") }, "wrote past the token")
        return String(decoding: buffer[..<IdentifierPseudonymizer.tokenLength], as: UTF8.self)
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    // MARK: - Token

    @Test(arguments: ["cs_u0CMundjCxTZY3rO77Du", "", "s", "192.0.2.1", String(repeating: "x", count: 500)])
    func aTokenIs24LowerCaseHexDigitsOfTheMACOverTheValue(value: String) {
        let token = Self.token(value)
        #expect(IdentifierPseudonymizer.tokenLength == 24)
        #expect(token == Self.hex(HMACSHA256(key: Self.key).authenticate(Array(value.utf8)).prefix(12)))
        #expect(token.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test func theValueIsTakenAsRawBytes() {
        let bytes: [UInt8] = [0xFF, 0x00, 0x22, 0x5C]
        #expect(Self.token(bytes) == Self.hex(HMACSHA256(key: Self.key).authenticate(bytes).prefix(12)))
        // Escapes are not undone: the JSON spelling is the identity.
        #expect(Self.token(#"a\u0062"#) != Self.token("ab"))
    }

    // MARK: - Keys and values

    @Test func theSameValueAlwaysGetsTheSameToken() {
        #expect(Self.token("session-1") == Self.token("session-1"))
        #expect(Self.token("session-1", key: SecretKey(bytes: (0..<32).map { UInt8(255 - $0) })!) == Self.token("session-1"))
    }

    @Test func differentValuesAndDifferentKeysGiveDifferentTokens() {
        let values = (0..<1_000).map { "cs_\($0)" }
        #expect(Set(values.map { Self.token($0) }).count == values.count)
        let other = SecretKey(bytes: [UInt8](repeating: 1, count: 32))!
        #expect(values.allSatisfy { Self.token($0) != Self.token($0, key: other) })
    }
}
