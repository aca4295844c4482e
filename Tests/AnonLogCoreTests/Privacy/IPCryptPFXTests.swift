import Testing
@testable import AnonLogCore

struct IPCryptPFXTests {
    static let key: [UInt8] = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 7) }

    // MARK: - Prefix cache

    @Test(arguments: [4096, 2])
    func cachedAndUncachedCiphersAgreeOnManyHostsOfFewNetworks(slotCount: Int) throws {
        let uncached = try IPCryptPFX(key: Self.key, prefixCacheSlotCount: 0)
        let cached = try IPCryptPFX(key: Self.key, prefixCacheSlotCount: slotCount)
        let addresses = PrefixPreservingSamples.ipv4(count: 3000, seed: 11) + PrefixPreservingSamples.ipv6(count: 3000, seed: 12)
        for address in addresses + addresses.reversed() {
            #expect(cached.encrypt(address) == uncached.encrypt(address), "\(address)")
        }
    }

    // MARK: - Properties

    @Test func decryptionReversesEncryption() throws {
        let cipher = try IPCryptPFX(key: Self.key)
        for address in PrefixPreservingSamples.ipv4(count: 500, seed: 13) + PrefixPreservingSamples.ipv6(count: 500, seed: 14) {
            let encrypted = cipher.encrypt(address)
            #expect(encrypted.family == address.family)
            #expect(cipher.decrypt(encrypted) == address)
        }
    }

    @Test func encryptionsShareExactlyAsManyLeadingBitsAsTheirAddresses() throws {
        let cipher = try IPCryptPFX(key: Self.key)
        for samples in [PrefixPreservingSamples.ipv4(count: 400, seed: 15), PrefixPreservingSamples.ipv6(count: 400, seed: 16)] {
            for (first, second) in zip(samples, samples.dropFirst()) {
                #expect(
                    PrefixPreservingSamples.commonPrefixLength(cipher.encrypt(first), cipher.encrypt(second))
                        == PrefixPreservingSamples.commonPrefixLength(first, second))
            }
        }
    }

    @Test func anIPv4MappedAddressIsEncryptedAsIPv4AndWrittenMapped() throws {
        let cipher = try IPCryptPFX(key: Self.key)
        let ipv4 = cipher.encrypt(try #require(IPAddress("192.0.2.1")))
        let mapped = cipher.encrypt(try #require(IPAddress("::ffff:192.0.2.1")))
        #expect(mapped.bits == ipv4.bits)
        #expect(mapped.family == .v6)
        #expect(mapped.description == "::ffff:\(ipv4)")
        #expect(cipher.decrypt(mapped) == IPAddress("::ffff:192.0.2.1"))
    }

    @Test func ipv4AndIPv6AddressesWithTheSameLeadingBitsAreWalkedApart() throws {
        // Domain separation: 192.0.2.1 is walked from bit 96, c000:201:: from bit 0.
        let cipher = try IPCryptPFX(key: Self.key)
        let address = try #require(IPAddress("192.0.2.1"))
        let ipv4 = try #require(cipher.encrypt(address).ipv4Bits)
        let ipv6 = cipher.encrypt(try #require(IPAddress("c000:201::")))
        #expect(UInt32(truncatingIfNeeded: ipv6.high >> 32) != ipv4)
    }

    // MARK: - Keys

    @Test func aKeyWithEqualHalvesIsRefused() {
        let half: [UInt8] = (0..<16).map { UInt8($0) }
        #expect(throws: AnonLogError.self) { try IPCryptPFX(key: half + half) }
        #expect(throws: AnonLogError.self) { try IPCryptPFX(key: #require(SecretKey(bytes: half + half))) }
    }

    @Test(arguments: [0, 16, 31, 33])
    func aKeyOfTheWrongLengthIsRefused(length: Int) {
        #expect(throws: AnonLogError.self) { try IPCryptPFX(key: (0..<length).map { UInt8($0) }) }
    }

    @Test func aSecretKeyIsUsedAsTheRawKey() throws {
        let address = try #require(IPAddress("2001:db8::7"))
        let fromSecret = try IPCryptPFX(key: #require(SecretKey(bytes: Self.key)))
        #expect(fromSecret.encrypt(address) == (try IPCryptPFX(key: Self.key)).encrypt(address))
    }

    // MARK: - Pseudonymizer

    @Test func thePseudonymizerWritesTheEncryptionsText() throws {
        let cipher = try IPCryptPFX(key: Self.key)
        for text in ["203.0.113.9", "2001:db8::1", "::ffff:1.2.3.4"] {
            let address = try #require(IPAddress(text))
            let written = withUnsafeTemporaryAllocation(byteCount: cipher.maximumLength, alignment: 1) { buffer in
                String(decoding: buffer[..<cipher.writePseudonym(for: address, into: buffer)], as: UTF8.self)
            }
            #expect(written == cipher.encrypt(address).description)
        }
    }
}
