import Foundation
import Testing
@testable import AnonLogCore

/// Crypto-PAn against every IPv4 and IPv6 set of `corpora/vectors/cryptopan.json` (the reference
/// key, libanon, yacryptopan and other ports).
struct CryptoPAnJSONConformanceTests {
    struct VectorSet {
        var key: [UInt8]
        var source: String
        var pairs: [(original: String, anonymized: String)]
    }

    static func load() throws -> [VectorSet] {
        let url = TestVectors.sharedDirectory.appendingPathComponent("corpora/vectors/cryptopan.json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let sets = try #require(document["sets"] as? [[String: Any]])
        return try sets.map { set in
            var pairs: [(original: String, anonymized: String)] = []
            for family in ["ipv4", "ipv6"] {
                for pair in try #require(set[family] as? [[String: String]]) {
                    pairs.append((try #require(pair["original"]), try #require(pair["anonymized"])))
                }
            }
            return VectorSet(
                key: try TestVectors.bytes(hex: #require(set["key_hex"] as? String)),
                source: set["source"] as? String ?? "?",
                pairs: pairs)
        }
    }

    @Test func theFileHoldsEightSetsOf144Pairs() throws {
        let sets = try Self.load()
        #expect(sets.count == 8)
        #expect(sets.reduce(0) { $0 + $1.pairs.count } == 144)
    }

    @Test(arguments: [0, CryptoPAn.defaultPrefixCacheSlotCount])
    func everyPairOfEverySetIsReproducedAndReversed(prefixCacheSlotCount: Int) throws {
        for set in try Self.load() {
            let cryptoPAn = try CryptoPAn(key: set.key, prefixCacheSlotCount: prefixCacheSlotCount)
            for (original, anonymized) in set.pairs {
                let address = try #require(IPAddress(original), "\(original)")
                let pseudonym = cryptoPAn.encrypt(address)
                #expect(pseudonym.description == anonymized, "\(set.source): \(original)")
                #expect(cryptoPAn.decrypt(pseudonym) == address, "\(set.source): \(anonymized)")
            }
        }
    }
}
