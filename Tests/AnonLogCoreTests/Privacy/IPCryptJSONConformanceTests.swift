import Foundation
import Testing
@testable import AnonLogCore

/// The ipcrypt variants against every vector of theirs in `corpora/vectors/ipcrypt.json` (the
/// draft's appendix and its reference implementation's test file).
struct IPCryptJSONConformanceTests {
    struct Vector: CustomTestStringConvertible {
        var variant: String
        var key: [UInt8]
        var ip: String
        /// `encrypted_ip` for deterministic and pfx, `output` (hex) for nd and ndx.
        var expected: String
        var tweak: String?
        var source: String
        var testDescription: String { "\(variant) \(ip) (\(source))" }
    }

    static func load() throws -> [Vector] {
        let url = TestVectors.sharedDirectory.appendingPathComponent("corpora/vectors/ipcrypt.json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let vectors = try #require(document["vectors"] as? [[String: String]])
        return try vectors.map { vector in
            Vector(
                variant: try #require(vector["variant"]),
                key: try TestVectors.bytes(hex: #require(vector["key"])),
                ip: try #require(vector["ip"]),
                expected: try #require(vector["encrypted_ip"] ?? vector["output"]),
                tweak: vector["tweak"],
                source: vector["source"] ?? "?")
        }
    }

    static func vectors(_ variant: String) throws -> [Vector] {
        try load().filter { $0.variant == variant }
    }

    @Test func theFileHoldsTheVariantsItSays() throws {
        let counts = Dictionary(grouping: try Self.load(), by: \.variant).mapValues(\.count)
        #expect(counts == ["ipcrypt-deterministic": 8, "ipcrypt-pfx": 32, "ipcrypt-nd": 8, "ipcrypt-ndx": 8])
    }

    // MARK: - ipcrypt-deterministic

    @Test(arguments: try vectors("ipcrypt-deterministic"))
    func deterministicVectorsEncryptAndDecrypt(vector: Vector) throws {
        let cipher = try IPCryptDeterministic(key: vector.key)
        let address = try #require(IPAddress(vector.ip))
        let encrypted = cipher.encrypt(address)
        #expect(encrypted.description == vector.expected)
        #expect(cipher.decrypt(encrypted) == address)
    }

    // MARK: - ipcrypt-pfx

    @Test(arguments: try vectors("ipcrypt-pfx"), [0, IPCryptPFX.defaultPrefixCacheSlotCount])
    func pfxVectorsEncryptAndDecrypt(vector: Vector, prefixCacheSlotCount: Int) throws {
        let cipher = try IPCryptPFX(key: vector.key, prefixCacheSlotCount: prefixCacheSlotCount)
        let address = try #require(IPAddress(vector.ip))
        let encrypted = cipher.encrypt(address)
        #expect(encrypted.description == vector.expected)
        #expect(encrypted.family == address.family)
        #expect(cipher.decrypt(encrypted) == address)
    }

    @Test func pfxVectorsHoldWithOneCipherPerKeyAcrossTheirPrefixGroups() throws {
        // The prefix-preservation set shares networks: run it through one cached cipher per key,
        // so later addresses are answered from prefixes the earlier ones left in the cache.
        for (key, group) in Dictionary(grouping: try Self.vectors("ipcrypt-pfx"), by: \.key) {
            let cipher = try IPCryptPFX(key: key)
            for vector in group + group {
                #expect(cipher.encrypt(try #require(IPAddress(vector.ip))).description == vector.expected, "\(vector.ip)")
            }
        }
    }

    // MARK: - ipcrypt-ndx

    @Test(arguments: try vectors("ipcrypt-ndx"))
    func ndxVectorsEncryptUnderTheirTweakAndDecrypt(vector: Vector) throws {
        let cipher = try IPCryptNDX(key: vector.key)
        let address = try #require(IPAddress(vector.ip))
        let tweakHex = try #require(vector.tweak)
        let tweak = try #require(UInt128(tweakHex, radix: 16))
        let output = cipher.encrypt(address, tweak: tweak)
        #expect(output.description == vector.expected)
        let parsed = try #require(IPCryptNDX.Ciphertext(hex: vector.expected))
        #expect(parsed == output)
        #expect(cipher.decrypt(parsed) == address)
    }
}
