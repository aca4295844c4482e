#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import AnonLogCore

struct HMACPseudonymizerTests {
    static let key = SecretKey(bytes: (0..<32).map { UInt8($0 * 7 + 1) })!
    static let otherKey = SecretKey(bytes: (0..<32).map { UInt8($0 * 5 + 3) })!

    /// The pseudonym of `address` as text.
    static func pseudonym(_ address: IPAddress, key: SecretKey = key, shape: HMACPseudonymizer.Shape = .address) -> String {
        let pseudonymizer = HMACPseudonymizer(key: key, shape: shape)
        var buffer = [UInt8](repeating: 0, count: pseudonymizer.maximumLength)
        let length = buffer.withUnsafeMutableBytes { pseudonymizer.writePseudonym(for: address, into: $0) }
        #expect(length <= pseudonymizer.maximumLength)
        return String(decoding: buffer[..<length], as: UTF8.self)
    }

    static func pseudonym(_ text: String, key: SecretKey = key, shape: HMACPseudonymizer.Shape = .address) throws -> String {
        pseudonym(try #require(IPAddress(text)), key: key, shape: shape)
    }

    /// The 16 bytes `inet_pton` reads from IPv6 text, or `nil` when it rejects the text.
    static func systemIPv6Bytes(_ text: String) -> [UInt8]? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    /// HMAC-SHA256 of the 16-byte form of `address`, computed without the pseudonymizer.
    static func mac(of address: IPAddress, key: SecretKey = key) -> [UInt8] {
        let bytes = address.withBytes { Array($0) }
        return HMACSHA256(key: key).authenticate(bytes)
    }

    static func randomAddresses(count: Int, seed: UInt64) -> [IPAddress] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { index in
            index % 2 == 0
                ? IPAddress(ipv4: UInt32.random(in: 1...UInt32.max, using: &generator))
                : IPAddress(ipv6High: generator.next(), low: generator.next())
        }
    }

    // MARK: - Address shape

    @Test func anIPv4AddressAndItsMappedFormGetTheSamePseudonym() throws {
        #expect(try Self.pseudonym("192.0.2.1") == Self.pseudonym("::ffff:192.0.2.1"))
        #expect(try Self.pseudonym("192.0.2.1") == Self.pseudonym("::ffff:c000:201"))
        #expect(try Self.pseudonym("192.0.2.1") != Self.pseudonym("192.0.2.2"))
        for address in Self.randomAddresses(count: 200, seed: 1) where address.family == .v4 {
            let mapped = IPAddress(ipv6High: address.high, low: address.low)
            #expect(Self.pseudonym(address) == Self.pseudonym(mapped))
        }
    }

    @Test func thePseudonymIsAUniqueLocalIPv6AddressWrittenWithEightGroups() throws {
        for address in Self.randomAddresses(count: 500, seed: 2) {
            let text = Self.pseudonym(address)
            let bytes = try #require(Self.systemIPv6Bytes(text), "\(text) is no IPv6 address")
            #expect(bytes[0] == 0xFD, "\(text) is not in fd00::/8")
            let groups = text.split(separator: ":", omittingEmptySubsequences: false)
            #expect(groups.count == 8, "\(text)")
            #expect(groups.allSatisfy { (1...4).contains($0.count) && $0.allSatisfy { "0123456789abcdef".contains($0) } }, "\(text)")
            #expect(text.count <= IPAddress.maximumTextLength)
        }
    }

    @Test func thePseudonymCarriesTheFirst120BitsOfTheMAC() throws {
        for address in Self.randomAddresses(count: 300, seed: 3) {
            let bytes = try #require(Self.systemIPv6Bytes(Self.pseudonym(address)))
            #expect(bytes == [0xFD] + Self.mac(of: address).prefix(15))
        }
    }

    @Test func theMACIsTakenOverTheSixteenByteFormOfTheAddress() throws {
        let address = try #require(IPAddress("192.0.2.1"))
        let sixteen: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 192, 0, 2, 1]
        let bytes = try #require(Self.systemIPv6Bytes(Self.pseudonym(address)))
        #expect(bytes == [0xFD] + HMACSHA256(key: Self.key).authenticate(sixteen).prefix(15))
    }

    // MARK: - Token shape

    @Test func aTokenIsSixteenLowerCaseHexDigitsOfTheMAC() throws {
        for address in Self.randomAddresses(count: 300, seed: 4) {
            let token = Self.pseudonym(address, shape: .token)
            let expected = Self.mac(of: address).prefix(8).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            #expect(token == expected)
            #expect(token.count == 16 && token.allSatisfy { "0123456789abcdef".contains($0) })
        }
        #expect(try Self.pseudonym("192.0.2.1", shape: .token) == Self.pseudonym("::ffff:192.0.2.1", shape: .token))
    }

    // MARK: - Keys

    @Test func theSameKeyAndAddressAlwaysGiveTheSamePseudonym() throws {
        let first = try Self.pseudonym("2001:db8::1")
        #expect(try Self.pseudonym("2001:db8::1") == first)
        let copy = try #require(SecretKey(bytes: (0..<32).map { UInt8($0 * 7 + 1) }))
        #expect(try Self.pseudonym("2001:db8::1", key: copy) == first)

        let pseudonymizer = HMACPseudonymizer(key: Self.key)
        var buffer = [UInt8](repeating: 0, count: pseudonymizer.maximumLength)
        let address = try #require(IPAddress("2001:db8::1"))
        var outputs = Set<String>()
        for _ in 0..<3 {
            let length = buffer.withUnsafeMutableBytes { pseudonymizer.writePseudonym(for: address, into: $0) }
            outputs.insert(String(decoding: buffer[..<length], as: UTF8.self))
        }
        #expect(outputs == [first])
    }

    @Test(arguments: HMACPseudonymizer.Shape.allCases)
    func differentKeysGiveDifferentPseudonyms(shape: HMACPseudonymizer.Shape) {
        for address in Self.randomAddresses(count: 100, seed: 5) {
            #expect(Self.pseudonym(address, shape: shape) != Self.pseudonym(address, key: Self.otherKey, shape: shape))
        }
    }

    @Test func distinctAddressesGetDistinctPseudonyms() {
        let addresses = Self.randomAddresses(count: 2_000, seed: 6)
        #expect(Set(addresses.map { Self.pseudonym($0) }).count == Set(addresses).count)
    }

    @Test func theShapeIsKept() {
        #expect(HMACPseudonymizer(key: Self.key).shape == .address)
        #expect(HMACPseudonymizer(key: Self.key, shape: .token).shape == .token)
    }
}
