import CAnonLogCrypto
import Foundation
import Testing
@testable import AnonLogCore

struct HMACSHA256Tests {
    // MARK: - Published vectors

    @Test func everyRFC4231CaseGivesThePublishedSHA256Result() throws {
        let url = TestVectors.sharedDirectory.appendingPathComponent("corpora/vectors/rfc4231_hmac.json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cases = try #require(document["cases"] as? [[String: Any]])
        #expect(cases.count == 7)
        for testCase in cases {
            let number = try #require(testCase["test_case"] as? Int)
            let key = try TestVectors.bytes(hex: #require(testCase["key_hex"] as? String))
            let data = try TestVectors.bytes(hex: #require(testCase["data_hex"] as? String))
            let expected = try TestVectors.bytes(hex: #require(testCase["hmac_sha256"] as? String))
            // Case 5 publishes only the first 128 bits.
            let bits = testCase["truncated_to_bits"] as? Int ?? 256
            #expect(expected.count == bits / 8, "case \(number)")

            let mac = HMACSHA256(key: key).authenticate(data)
            #expect(mac.count == 32)
            #expect(Array(mac.prefix(expected.count)) == expected, "RFC 4231 case \(number)")
        }
    }

    // MARK: - Agreement with OpenSSL

    @Test func midstateResultEqualsOpenSSLOneShotHMACForRandomKeysAndMessages() {
        var generator = SplitMix64(seed: 0x616e_6f6e_6c6f_67)
        for keyLength in 0...200 {
            for _ in 0..<2 {
                let key = (0..<keyLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
                let messageLength = Int.random(in: 0...300, using: &generator)
                let message = (0..<messageLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
                let mac = HMACSHA256(key: key).authenticate(message)
                #expect(mac == openSSLHMAC(key: key, message: message), "key length \(keyLength), message length \(messageLength)")
            }
        }
    }

    @Test func oneKeyedValueServesManyMessagesAndCopies() {
        let key = Array("a key used for many messages".utf8)
        let keyed = HMACSHA256(key: key)
        let copy = keyed
        for length in [0, 1, 4, 16, 55, 56, 63, 64, 65, 128] {
            let message = [UInt8](repeating: UInt8(length), count: length)
            #expect(keyed.authenticate(message) == openSSLHMAC(key: key, message: message))
            #expect(copy.authenticate(message) == keyed.authenticate(message))
        }
    }

    @Test func bufferCallWritesOnlyTheFirst32Bytes() {
        let keyed = HMACSHA256(key: [UInt8](repeating: 7, count: 32))
        let address: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]
        var output = [UInt8](repeating: 0xee, count: 40)
        address.withUnsafeBytes { message in
            output.withUnsafeMutableBytes { keyed.authenticate(message, into: $0) }
        }
        #expect(Array(output.prefix(32)) == keyed.authenticate(address))
        #expect(output.suffix(8).allSatisfy { $0 == 0xee })
    }

    @Test func keyingWithASecretKeyUsesItsBytes() throws {
        let bytes = (0..<32).map { UInt8($0) }
        let key = try #require(SecretKey(bytes: bytes))
        #expect(HMACSHA256(key: key).authenticate([1, 2, 3]) == HMACSHA256(key: bytes).authenticate([1, 2, 3]))
    }

    @Test func aKeyGivenAsANonContiguousCollectionGivesTheSameResult() {
        let key = (0..<150).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let message = Array("message".utf8)
        #expect(HMACSHA256(key: key.reversed()).authenticate(message) == openSSLHMAC(key: key.reversed(), message: message))
    }

    // MARK: - Helpers

    private func openSSLHMAC(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        key.withUnsafeBytes { key in
            message.withUnsafeBytes { message in
                _ = HMAC(EVP_sha256(), key.baseAddress, Int32(key.count),
                         message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count, &output, &length)
            }
        }
        #expect(length == 32)
        return output
    }
}

/// A small seeded generator (SplitMix64), so that property tests repeat exactly.
private struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
