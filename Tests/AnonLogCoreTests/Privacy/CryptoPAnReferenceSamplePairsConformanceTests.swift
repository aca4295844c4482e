import Foundation
import Testing
@testable import AnonLogCore

/// Crypto-PAn against the pairs of the original distribution's sample trace
/// (`corpora/vectors/cryptopan_reference_sample_pairs.tsv`).
struct CryptoPAnReferenceSamplePairsConformanceTests {
    /// The key of `sample.cpp`, from the file's header comment, and the (raw, sanitized) rows.
    static func load() throws -> (key: [UInt8], pairs: [(raw: String, sanitized: String)]) {
        let url = TestVectors.sharedDirectory.appendingPathComponent("corpora/vectors/cryptopan_reference_sample_pairs.tsv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
        let keyPrefix = "# key (sample.cpp, 32 bytes, hex): "
        let keyLine = try #require(lines.first { $0.hasPrefix(keyPrefix) })
        let key = try TestVectors.bytes(hex: String(keyLine.dropFirst(keyPrefix.count)))
        var pairs: [(raw: String, sanitized: String)] = []
        for line in lines where !line.hasPrefix("#") && line != "raw\tsanitized" {
            let fields = line.split(separator: "\t")
            try #require(fields.count == 2, "row \(line)")
            pairs.append((String(fields[0]), String(fields[1])))
        }
        return (key, pairs)
    }

    @Test(arguments: [0, CryptoPAn.defaultPrefixCacheSlotCount])
    func everyReferencePairIsReproducedAndReversed(prefixCacheSlotCount: Int) throws {
        let (key, pairs) = try Self.load()
        #expect(key.count == 32)
        #expect(pairs.count == 70)
        let cryptoPAn = try CryptoPAn(key: key, prefixCacheSlotCount: prefixCacheSlotCount)
        for (raw, sanitized) in pairs {
            let address = try #require(IPAddress(raw))
            #expect(cryptoPAn.encrypt(address).description == sanitized, "\(raw)")
            #expect(cryptoPAn.decrypt(try #require(IPAddress(sanitized))) == address, "\(sanitized)")
        }
    }
}
