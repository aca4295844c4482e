import Testing
@testable import AnonLogCore

struct Bits128Tests {
    static let value: UInt128 = 0x8000_0000_0000_0001_8000_0000_0000_0001

    @Test func theHalvesMakeUpTheValue() {
        let bits = Bits128(Self.value)
        #expect(bits.high == 0x8000_0000_0000_0001)
        #expect(bits.low == 0x8000_0000_0000_0001)
        #expect(bits.value == Self.value)
    }

    @Test func bitZeroIsTheMostSignificantOnBothSidesOfTheHalves() {
        let bits = Bits128(Self.value)
        #expect((0..<128).filter { bits.bit($0) == 1 } == [0, 63, 64, 127])
    }

    @Test func copyingAndSettingBitsMatchWholeNumberArithmetic() {
        var generator = SeededGenerator(seed: 128)
        for _ in 0..<200 {
            let source = UInt128(UInt64.random(in: .min ... .max, using: &generator)) << 64 | UInt128(UInt64.random(in: .min ... .max, using: &generator))
            let position = Int.random(in: 0..<128, using: &generator)
            let mask = UInt128(1) << (127 - position)
            var copied = Bits128(Self.value)
            copied.copyBit(position, from: Bits128(source))
            #expect(copied.value == (Self.value & ~mask) | (source & mask))
            var set = Bits128(0)
            set.setBit(position, to: 1)
            #expect(set.value == mask)
        }
    }

    @Test func shiftingInMovesEveryBitOneTowardsTheTop() {
        var bits = Bits128(Self.value)
        bits.shiftIn(1)
        #expect(bits.value == Self.value << 1 | 1)
    }
}
