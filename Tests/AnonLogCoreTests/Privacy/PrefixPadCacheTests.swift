import Testing
@testable import AnonLogCore

struct PrefixPadCacheTests {
    private static func address(_ high: UInt64, _ low: UInt64 = 0) -> UInt128 { UInt128(high) << 64 | UInt128(low) }

    @Test func anEmptyCacheKnowsNoPrefix() {
        let cache = PrefixPadCache(lengths: [32, 48, 64], slotCount: 16)
        #expect(cache.lookup(Self.address(0)) == (0, 0))
        #expect(cache.lookup(Self.address(.max, .max)) == (0, 0))
    }

    @Test func aLookupFindsTheLongestStoredPrefixAndOnlyItsPadBits() {
        let cache = PrefixPadCache(lengths: [32, 48, 64], slotCount: 16)
        let stored = Self.address(0x2001_0DB8_0001_0002, 0x1234)
        let pad = Self.address(0xAAAA_BBBB_CCCC_DDDD, 0xEEEE_FFFF)
        cache.store(stored, pad: pad, above: 0)
        #expect(cache.lookup(stored) == (64, Self.address(0xAAAA_BBBB_CCCC_DDDD)))
        // Same /48, another /64.
        #expect(cache.lookup(Self.address(0x2001_0DB8_0001_9999, 7)) == (48, Self.address(0xAAAA_BBBB_CCCC_0000)))
        // Same /32 only.
        #expect(cache.lookup(Self.address(0x2001_0DB8_FFFF_0000)) == (32, Self.address(0xAAAA_BBBB_0000_0000)))
        #expect(cache.lookup(Self.address(0x2001_0DB9_0001_0002)) == (0, 0))
    }

    @Test func aStoreLeavesTheLengthsAlreadyKnownAlone() {
        let cache = PrefixPadCache(lengths: [16, 24], slotCount: 16)
        let address = UInt128(0xC0A8_0101) << 96
        cache.store(address, pad: UInt128(0x1111_1111) << 96, above: 0)
        cache.store(address, pad: UInt128(0x2222_2222) << 96, above: 16)
        #expect(cache.lookup(address) == (24, UInt128(0x2222_22) << 104))
        #expect(cache.lookup(UInt128(0xC0A8_FF01) << 96) == (16, UInt128(0x1111) << 112))
    }

    @Test func aPrefixThatCollidesReplacesTheOldOne() {
        // With one slot per length every prefix shares the slot.
        let cache = PrefixPadCache(lengths: [16], slotCount: 1)
        cache.store(UInt128(0x0A00) << 112, pad: UInt128(0x1234) << 112, above: 0)
        cache.store(UInt128(0x0B00) << 112, pad: UInt128(0x5678) << 112, above: 0)
        #expect(cache.lookup(UInt128(0x0A00) << 112) == (0, 0))
        #expect(cache.lookup(UInt128(0x0B00) << 112) == (16, UInt128(0x5678) << 112))
    }

    @Test func zeroSlotsTurnTheCacheOff() {
        let cache = PrefixPadCache(lengths: [16, 24], slotCount: 0)
        cache.store(0, pad: .max, above: 0)
        #expect(cache.lookup(0) == (0, 0))
        #expect(cache.byteCount == 0)
    }

    @Test func memoryIsFixedBySlotsAndLengths() {
        let cache = PrefixPadCache(lengths: [32, 48, 64], slotCount: 1000)
        #expect(cache.byteCount == 3 * 1024 * 24)
    }
}
