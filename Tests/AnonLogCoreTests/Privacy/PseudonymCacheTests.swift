import Testing
@testable import AnonLogCore

/// A pseudonymizer that writes the address, its family and a call number, so that a test sees
/// which lookups computed a pseudonym and for which family.
struct RecordingPseudonymizer: AddressPseudonymizer {
    final class Calls {
        var count = 0
    }

    let calls = Calls()
    var maximumLength: Int { 64 }

    func writePseudonym(for address: IPAddress, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        calls.count += 1
        let text = Array("\(address.family == .v4 ? "v4" : "v6") \(String(address.high, radix: 16)):\(String(address.low, radix: 16))".utf8)
        for (index, byte) in text.enumerated() { buffer[index] = byte }
        return text.count
    }
}

struct PseudonymCacheTests {
    static let key = SecretKey(bytes: [UInt8](repeating: 0x42, count: 32))!

    static func text(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }

    /// What the pseudonymizer itself writes, without a cache.
    static func uncached(_ address: IPAddress, _ pseudonymizer: HMACPseudonymizer) -> String {
        var buffer = [UInt8](repeating: 0, count: pseudonymizer.maximumLength)
        let length = buffer.withUnsafeMutableBytes { pseudonymizer.writePseudonym(for: address, into: $0) }
        return String(decoding: buffer[..<length], as: UTF8.self)
    }

    // MARK: - Agreement

    @Test(arguments: [2, 6, 13])
    func everyLookupEqualsTheUncachedPseudonym(slotCountLog2: Int) {
        let pseudonymizer = HMACPseudonymizer(key: Self.key)
        let cache = PseudonymCache(pseudonymizer, slotCountLog2: slotCountLog2)
        var generator = SeededGenerator(seed: UInt64(slotCountLog2))
        // A small pool looked up many times: repeats hit, and with few slots they collide.
        let pool: [IPAddress] = (0..<300).map { index in
            switch index % 3 {
            case 0: IPAddress(ipv4: UInt32.random(in: 0...UInt32.max, using: &generator))
            case 1: IPAddress(ipv6High: generator.next(), low: generator.next())
            default: IPAddress(ipv6High: 0x2001_0db8_0000_0000, low: UInt64(index))  // close neighbours
            }
        }
        for _ in 0..<6_000 {
            let address = pool.randomElement(using: &generator)!
            #expect(Self.text(cache.pseudonym(for: address)) == Self.uncached(address, pseudonymizer))
        }
        #expect(cache.hits + cache.misses == 6_000)
        #expect(cache.hits > 0 && cache.misses >= 300)
    }

    @Test func aTokenShapedPseudonymIsCachedToo() throws {
        let pseudonymizer = HMACPseudonymizer(key: Self.key, shape: .token)
        let cache = PseudonymCache(pseudonymizer, slotCountLog2: 4)
        let address = try #require(IPAddress("203.0.113.9"))
        #expect(Self.text(cache.pseudonym(for: address)) == Self.uncached(address, pseudonymizer))
        #expect(Self.text(cache.pseudonym(for: address)) == Self.uncached(address, pseudonymizer))
        #expect(cache.hits == 1 && cache.misses == 1)
    }

    // MARK: - Families

    @Test func anIPv4AddressAndTheIPv6AddressWithTheSameBitsAreCachedApart() throws {
        let recording = RecordingPseudonymizer()
        let cache = PseudonymCache(recording)
        let v4 = IPAddress(ipv4: 0xC000_0201)
        let v6 = IPAddress(ipv6High: v4.high, low: v4.low)
        #expect(v4.high == v6.high && v4.low == v6.low && v4.family != v6.family)

        #expect(Self.text(cache.pseudonym(for: v4)).hasPrefix("v4 "))
        #expect(Self.text(cache.pseudonym(for: v6)).hasPrefix("v6 "))
        #expect(Self.text(cache.pseudonym(for: v4)).hasPrefix("v4 "))
        #expect(Self.text(cache.pseudonym(for: v6)).hasPrefix("v6 "))
        #expect(recording.calls.count >= 2)
        #expect(cache.misses == recording.calls.count)
    }

    // MARK: - Counters

    @Test func aRepeatedAddressHitsAndANewOneMisses() throws {
        let recording = RecordingPseudonymizer()
        let cache = PseudonymCache(recording)
        let first = try #require(IPAddress("192.0.2.1"))
        let second = try #require(IPAddress("2001:db8::1"))
        _ = cache.pseudonym(for: first)
        #expect((cache.hits, cache.misses) == (0, 1))
        _ = cache.pseudonym(for: first)
        #expect((cache.hits, cache.misses) == (1, 1))
        _ = cache.pseudonym(for: second)
        #expect((cache.hits, cache.misses) == (1, 2))
        _ = cache.pseudonym(for: second)
        _ = cache.pseudonym(for: first)
        #expect((cache.hits, cache.misses) == (3, 2))
        #expect(recording.calls.count == 2)
    }

    @Test func aSingleSlotCacheRecomputesWhenAddressesAlternate() throws {
        let recording = RecordingPseudonymizer()
        let cache = PseudonymCache(recording, slotCountLog2: 0)
        let first = try #require(IPAddress("192.0.2.1"))
        let second = try #require(IPAddress("192.0.2.2"))
        for _ in 0..<3 {
            #expect(Self.text(cache.pseudonym(for: first)).hasSuffix(String(first.low, radix: 16)))
            #expect(Self.text(cache.pseudonym(for: second)).hasSuffix(String(second.low, radix: 16)))
        }
        #expect((cache.hits, cache.misses) == (0, 6))
        #expect(recording.calls.count == 6)
    }

    @Test func theZeroAddressIsNotTakenForAnEmptySlot() {
        let recording = RecordingPseudonymizer()
        let cache = PseudonymCache(recording, slotCountLog2: 0)
        let zero = IPAddress(ipv6High: 0, low: 0)
        #expect(Self.text(cache.pseudonym(for: zero)) == "v6 0:0")
        #expect(cache.misses == 1)
    }
}
