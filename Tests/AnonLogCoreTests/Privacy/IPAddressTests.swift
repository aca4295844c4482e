#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import AnonLogCore

/// Parsing and formatting checked against the C library's `inet_pton` and `inet_ntop`.
struct IPAddressTests {
    // MARK: - Oracles

    static func systemParse(_ text: String) -> IPAddress? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return IPAddress(ipv4: UInt32(bigEndian: v4.s_addr))
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let words = withUnsafeBytes(of: &v6) { raw in
            (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
        return IPAddress(ipv6High: UInt64(bigEndian: words.0), low: UInt64(bigEndian: words.1))
    }

    static func systemFormat(_ address: IPAddress) -> String {
        var storage = [CChar](repeating: 0, count: 64)
        if address.family == .v4, let bits = address.ipv4Bits {
            var v4 = in_addr(s_addr: bits.bigEndian)
            _ = inet_ntop(AF_INET, &v4, &storage, 64)
        } else {
            var words = (address.high.bigEndian, address.low.bigEndian)
            _ = withUnsafeBytes(of: &words) { raw in inet_ntop(AF_INET6, raw.baseAddress, &storage, 64) }
        }
        return String(decoding: storage.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Random IPv6 addresses with zero runs of every length, so `::` lands everywhere.
    static func randomIPv6(_ generator: inout SeededGenerator) -> IPAddress {
        var groups = (0..<8).map { _ in UInt16.random(in: 0...UInt16.max, using: &generator) }
        let zeroRunStart = Int.random(in: 0..<8, using: &generator)
        let zeroRunLength = Int.random(in: 0...(8 - zeroRunStart), using: &generator)
        for index in zeroRunStart..<(zeroRunStart + zeroRunLength) { groups[index] = 0 }
        for index in 0..<8 where Bool.random(using: &generator) && Bool.random(using: &generator) { groups[index] = 0 }
        if Int.random(in: 0..<10, using: &generator) == 0 {
            groups[0...4] = [0, 0, 0, 0, 0]
            groups[5] = 0xFFFF
        }
        let high = groups[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        let low = groups[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        return IPAddress(ipv6High: high, low: low)
    }

    /// glibc still writes the deprecated IPv4-compatible form (`::1.2.3.4`) that RFC 5952 drops.
    static func isIPv4Compatible(_ address: IPAddress) -> Bool {
        address.high == 0 && address.low >> 32 == 0 && (address.low >> 16) & 0xFFFF != 0
    }

    // MARK: - Properties

    @Test func formattingIPv4MatchesInetNtop() {
        var generator = SeededGenerator(seed: 4)
        for _ in 0..<5_000 {
            let address = IPAddress(ipv4: UInt32.random(in: 0...UInt32.max, using: &generator))
            let text = address.description
            #expect(text == Self.systemFormat(address))
            #expect(IPAddress(text) == address)
        }
    }

    @Test func formattingIPv6MatchesInetNtop() {
        var generator = SeededGenerator(seed: 6)
        for _ in 0..<20_000 {
            let address = Self.randomIPv6(&generator)
            let text = address.description
            if !Self.isIPv4Compatible(address) {
                #expect(text == Self.systemFormat(address), "\(Self.systemFormat(address))")
            }
            #expect(Self.systemParse(text) == address, "\(text)")
            #expect(IPAddress(text) == address, "\(text)")
        }
    }

    @Test func uncompressedFormHasEightGroupsAndParsesBack() {
        var generator = SeededGenerator(seed: 8)
        for _ in 0..<5_000 {
            let address = Self.randomIPv6(&generator)
            let text = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 39) { buffer in
                let length = address.formatUncompressed(into: UnsafeMutableRawBufferPointer(buffer))
                return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<length]), as: UTF8.self)
            }
            #expect(text.split(separator: ":", omittingEmptySubsequences: false).count == 8)
            #expect(Self.systemParse(text) == address)
        }
    }

    /// Mutated spellings of real addresses: the parser accepts exactly what `inet_pton` accepts.
    @Test func parsingAgreesWithInetPtonOnMutatedText() {
        var generator = SeededGenerator(seed: 10)
        let alphabet = Array("0123456789abcdefABCDEF:.:.")
        var accepted = 0
        for round in 0..<40_000 {
            let base: IPAddress = round % 3 == 0
                ? IPAddress(ipv4: UInt32.random(in: 0...UInt32.max, using: &generator))
                : Self.randomIPv6(&generator)
            var characters = Array(base.description)
            if Bool.random(using: &generator) { characters = characters.map { Bool.random(using: &generator) ? Character($0.uppercased()) : $0 } }
            for _ in 0..<Int.random(in: 0...2, using: &generator) {
                let position = Int.random(in: 0...characters.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0 where position < characters.count: characters.remove(at: position)
                case 1: characters.insert(alphabet.randomElement(using: &generator)!, at: position)
                default: if position < characters.count { characters[position] = alphabet.randomElement(using: &generator)! }
                }
            }
            let text = String(characters)
            let expected = Self.systemParse(text)
            #expect(IPAddress(text) == expected, "\(text)")
            if expected != nil { accepted += 1 }
        }
        #expect(accepted > 10_000)
    }

    // MARK: - Examples

    @Test(arguments: [
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("0:0:0:0:0:0:0:0", "::"),
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        ("fe80::1", "fe80::1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
    ])
    func formatsRFC5952CanonicalText(input: String, canonical: String) throws {
        let address = try #require(IPAddress(input))
        #expect(address.description == canonical)
    }

    @Test func ipv4AndItsMappedFormHaveTheSameBits() throws {
        let v4 = try #require(IPAddress("192.0.2.1"))
        let mapped = try #require(IPAddress("::ffff:192.0.2.1"))
        #expect(v4.high == mapped.high && v4.low == mapped.low)
        #expect(v4.family == .v4 && mapped.family == .v6)
    }

    @Test(arguments: ["170.01.01.02", "256.1.1.1", "1.2.3", "1.2.3.4.5", "1::2::3", ":1::", "1::2:", "12345::", "::ffff:1.2.3.04", ""])
    func rejectsWhatIsNotStrictlyAnAddress(text: String) {
        #expect(IPAddress(text) == nil)
    }
}
