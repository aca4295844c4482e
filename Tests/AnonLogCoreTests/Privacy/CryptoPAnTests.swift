import Testing
@testable import AnonLogCore

struct CryptoPAnTests {
    static let key: [UInt8] = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 11 &+ 5) }

    // MARK: - Prefix cache

    @Test(arguments: [4096, 2])
    func cachedAndUncachedCiphersAgreeOnManyHostsOfFewNetworks(slotCount: Int) throws {
        let uncached = try CryptoPAn(key: Self.key, prefixCacheSlotCount: 0)
        let cached = try CryptoPAn(key: Self.key, prefixCacheSlotCount: slotCount)
        let addresses = PrefixPreservingSamples.ipv4(count: 3000, seed: 1) + PrefixPreservingSamples.ipv6(count: 3000, seed: 2)
        for address in addresses + addresses.reversed() {
            #expect(cached.encrypt(address) == uncached.encrypt(address), "\(address)")
        }
    }

    @Test func theCacheTakesTheMemoryItWasGiven() throws {
        #expect(try CryptoPAn(key: Self.key, prefixCacheSlotCount: 4096).prefixCacheByteCount == 5 * 4096 * 24)
        #expect(try CryptoPAn(key: Self.key, prefixCacheSlotCount: 0).prefixCacheByteCount == 0)
    }

    // MARK: - Properties

    @Test func decryptionReversesEncryption() throws {
        let cryptoPAn = try CryptoPAn(key: Self.key)
        for address in PrefixPreservingSamples.ipv4(count: 500, seed: 3) + PrefixPreservingSamples.ipv6(count: 500, seed: 4) {
            let pseudonym = cryptoPAn.encrypt(address)
            #expect(pseudonym.family == address.family)
            #expect(cryptoPAn.decrypt(pseudonym) == address)
        }
    }

    @Test func pseudonymsShareExactlyAsManyLeadingBitsAsTheirAddresses() throws {
        let cryptoPAn = try CryptoPAn(key: Self.key)
        for samples in [PrefixPreservingSamples.ipv4(count: 400, seed: 5), PrefixPreservingSamples.ipv6(count: 400, seed: 6)] {
            for (first, second) in zip(samples, samples.dropFirst()) {
                #expect(
                    PrefixPreservingSamples.commonPrefixLength(cryptoPAn.encrypt(first), cryptoPAn.encrypt(second))
                        == PrefixPreservingSamples.commonPrefixLength(first, second))
            }
        }
    }

    @Test func anAddressWrittenIPv4MappedTakesThe128BitWalk() throws {
        let cryptoPAn = try CryptoPAn(key: Self.key)
        let mapped = try #require(IPAddress("::ffff:192.0.2.128"))
        let pseudonym = cryptoPAn.encrypt(mapped)
        #expect(pseudonym.family == .v6)
        #expect(pseudonym != cryptoPAn.encrypt(try #require(IPAddress("192.0.2.128"))))
        #expect(cryptoPAn.decrypt(pseudonym) == mapped)
    }

    // MARK: - Keys

    @Test(arguments: [0, 16, 31, 33])
    func aKeyOfTheWrongLengthIsRefused(length: Int) {
        #expect(throws: AnonLogError.self) { try CryptoPAn(key: [UInt8](repeating: 1, count: length)) }
    }

    @Test func aSecretKeyIsUsedAsTheRawKey() throws {
        let address = try #require(IPAddress("203.0.113.9"))
        let fromSecret = try CryptoPAn(key: #require(SecretKey(bytes: Self.key)))
        #expect(fromSecret.encrypt(address) == (try CryptoPAn(key: Self.key)).encrypt(address))
    }

    // MARK: - Pseudonymizer

    @Test func thePseudonymizerWritesThePseudonymsText() throws {
        let cryptoPAn = try CryptoPAn(key: Self.key)
        for text in ["203.0.113.9", "2001:db8::1", "::ffff:1.2.3.4"] {
            let address = try #require(IPAddress(text))
            let written = withUnsafeTemporaryAllocation(byteCount: cryptoPAn.maximumLength, alignment: 1) { buffer in
                String(decoding: buffer[..<cryptoPAn.writePseudonym(for: address, into: buffer)], as: UTF8.self)
            }
            #expect(written == cryptoPAn.encrypt(address).description)
        }
        #expect(cryptoPAn.isDeterministic)
    }
}
