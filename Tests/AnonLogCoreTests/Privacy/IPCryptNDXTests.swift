import CAnonLogCrypto
import Testing
@testable import AnonLogCore

struct IPCryptNDXTests {
    static let key: [UInt8] = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 29 &+ 3) }

    // MARK: - Agreement with OpenSSL's AES-XTS

    @Test func theCiphertextIsOpenSSLsAES128XTSOfTheAddressUnderTheTweak() throws {
        var generator = SeededGenerator(seed: 31)
        for _ in 0..<200 {
            let key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let tweak = UInt128(UInt64.random(in: .min ... .max, using: &generator)) << 64 | UInt128(UInt64.random(in: .min ... .max, using: &generator))
            let address = IPAddress(ipv6High: .random(in: .min ... .max, using: &generator), low: .random(in: .min ... .max, using: &generator))
            let output = try IPCryptNDX(key: key).encrypt(address, tweak: tweak)
            #expect(output.tweak == tweak)
            #expect(output.block == Self.openSSLXTS(key: key, tweak: tweak, block: address.bits))
        }
    }

    /// One block of EVP aes-128-xts: the data unit's first block, as a disk would encrypt it.
    static func openSSLXTS(key: [UInt8], tweak: UInt128, block: UInt128) -> UInt128 {
        let context = EVP_CIPHER_CTX_new()
        defer { EVP_CIPHER_CTX_free(context) }
        var iv = tweak.bigEndian
        var data = block.bigEndian
        var length: Int32 = 0
        withUnsafeBytes(of: &iv) { iv in
            _ = EVP_EncryptInit_ex(context, EVP_aes_128_xts(), nil, key, iv.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        withUnsafeMutableBytes(of: &data) { data in
            let bytes = data.baseAddress!.assumingMemoryBound(to: UInt8.self)
            _ = EVP_EncryptUpdate(context, bytes, &length, bytes, 16)
        }
        return length == 16 ? UInt128(bigEndian: data) : 0
    }

    // MARK: - Round trips and text

    @Test func decryptionReversesEncryptionThroughTheHexText() throws {
        let cipher = try IPCryptNDX(key: Self.key)
        var generator = SeededGenerator(seed: 32)
        for address in PrefixPreservingSamples.ipv4(count: 200, seed: 33) + PrefixPreservingSamples.ipv6(count: 200, seed: 34) {
            let tweak = UInt128(UInt64.random(in: .min ... .max, using: &generator)) << 64 | UInt128(UInt64.random(in: .min ... .max, using: &generator))
            let text = cipher.encrypt(address, tweak: tweak).description
            #expect(text.utf8.count == 64)
            #expect(text.utf8.allSatisfy { HexDigit.value(of: $0) != nil && !(UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) })
            #expect(cipher.decrypt(try #require(IPCryptNDX.Ciphertext(hex: text))) == address)
        }
    }

    @Test func hexInEitherCaseIsRead() throws {
        let text = "21bd1834bc088cd2b4ecbe30b70898d782db0d4125fdace61db35b8339f20ee5"
        #expect(IPCryptNDX.Ciphertext(hex: text.uppercased()) == IPCryptNDX.Ciphertext(hex: text))
        #expect(IPCryptNDX.Ciphertext(hex: text)?.description == text)
    }

    @Test(arguments: ["", "21bd", String(repeating: "0", count: 63), String(repeating: "0", count: 65), String(repeating: "g", count: 64)])
    func anythingButSixtyFourHexDigitsIsNotACiphertext(text: String) {
        #expect(IPCryptNDX.Ciphertext(hex: text) == nil)
    }

    @Test(arguments: [0, 16, 31, 33])
    func aKeyOfTheWrongLengthIsRefused(length: Int) {
        #expect(throws: AnonLogError.self) { try IPCryptNDX(key: (0..<length).map { UInt8($0) }) }
    }

    // MARK: - Pseudonymizer

    @Test func everyOccurrenceGetsANewTweakAndDecryptsToTheAddress() throws {
        let cipher = try IPCryptNDX(key: Self.key)
        let pseudonymizer = try IPCryptNDXPseudonymizer(cipher: cipher)
        #expect(!pseudonymizer.isDeterministic)
        let address = try #require(IPAddress("203.0.113.9"))
        var texts = Set<String>()
        // More than one refill of the tweak stream.
        for _ in 0..<600 {
            let text = withUnsafeTemporaryAllocation(byteCount: pseudonymizer.maximumLength, alignment: 1) { buffer in
                String(decoding: buffer[..<pseudonymizer.writePseudonym(for: address, into: buffer)], as: UTF8.self)
            }
            texts.insert(text)
            #expect(cipher.decrypt(try #require(IPCryptNDX.Ciphertext(hex: text))) == address)
        }
        #expect(texts.count == 600)
    }

    @Test func thePseudonymCacheNeverKeepsARandomizedPseudonym() throws {
        let cache = PseudonymCache(try IPCryptNDXPseudonymizer(cipher: IPCryptNDX(key: Self.key)))
        let address = try #require(IPAddress("2001:db8::1"))
        let first = Array(cache.pseudonym(for: address))
        let second = Array(cache.pseudonym(for: address))
        #expect(first != second)
        #expect(cache.hits == 0)
        #expect(cache.misses == 2)
    }

    @Test func thePseudonymCacheStillKeepsDeterministicPseudonyms() throws {
        let cache = PseudonymCache(try IPCryptPFX(key: IPCryptPFXTests.key))
        let address = try #require(IPAddress("2001:db8::1"))
        #expect(Array(cache.pseudonym(for: address)) == Array(cache.pseudonym(for: address)))
        #expect(cache.hits == 1)
    }
}
