import Testing
@testable import AnonLogCore

struct IPCryptDeterministicTests {
    static let key: [UInt8] = (0..<16).map { UInt8(truncatingIfNeeded: $0 &* 17 &+ 1) }

    @Test func decryptionReversesEncryption() throws {
        let cipher = try IPCryptDeterministic(key: Self.key)
        for address in PrefixPreservingSamples.ipv4(count: 300, seed: 21) + PrefixPreservingSamples.ipv6(count: 300, seed: 22) {
            #expect(cipher.decrypt(cipher.encrypt(address)) == address)
        }
    }

    @Test func anIPv4AddressAndItsMappedSpellingGetTheSameResult() throws {
        let cipher = try IPCryptDeterministic(key: Self.key)
        let ipv4 = cipher.encrypt(try #require(IPAddress("198.51.100.7")))
        #expect(ipv4 == cipher.encrypt(try #require(IPAddress("::ffff:198.51.100.7"))))
        #expect(ipv4.family == .v6)
        #expect(cipher.decrypt(ipv4) == IPAddress("198.51.100.7"))
    }

    @Test func aResultInTheIPv4MappedRangeIsShownAsIPv4() throws {
        // Decrypting ::ffff:1.2.3.4 gives the address that encrypts to it.
        let cipher = try IPCryptDeterministic(key: Self.key)
        let target = try #require(IPAddress("::ffff:1.2.3.4"))
        let source = cipher.decrypt(target)
        let encrypted = cipher.encrypt(source)
        #expect(encrypted.family == .v4)
        #expect(encrypted.description == "1.2.3.4")
    }

    @Test(arguments: [0, 15, 17, 32])
    func aKeyOfTheWrongLengthIsRefused(length: Int) {
        #expect(throws: AnonLogError.self) { try IPCryptDeterministic(key: (0..<length).map { UInt8($0) }) }
    }

    @Test func aSecretKeyGivesItsFirstSixteenBytes() throws {
        let bytes = Self.key + [UInt8](repeating: 0xEE, count: 16)
        let address = try #require(IPAddress("2001:db8::1"))
        let fromSecret = try IPCryptDeterministic(key: #require(SecretKey(bytes: bytes)))
        #expect(fromSecret.encrypt(address) == (try IPCryptDeterministic(key: Self.key)).encrypt(address))
    }

    @Test func thePseudonymizerWritesTheEncryptionsText() throws {
        let cipher = try IPCryptDeterministic(key: Self.key)
        let address = try #require(IPAddress("192.0.2.1"))
        let written = withUnsafeTemporaryAllocation(byteCount: cipher.maximumLength, alignment: 1) { buffer in
            String(decoding: buffer[..<cipher.writePseudonym(for: address, into: buffer)], as: UTF8.self)
        }
        #expect(written == cipher.encrypt(address).description)
        #expect(cipher.isDeterministic)
    }
}
