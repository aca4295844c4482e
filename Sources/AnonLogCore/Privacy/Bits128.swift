/// A 128-bit value as two 64-bit halves, for the bit-by-bit walks of the prefix-preserving
/// ciphers: setting or copying the bit at a position costs one 64-bit shift, not a 128-bit one.
struct Bits128 {
    /// Bits 0 through 63, bit 0 the most significant.
    var high: UInt64
    /// Bits 64 through 127.
    var low: UInt64

    @inline(__always)
    init(_ value: UInt128) {
        high = UInt64(truncatingIfNeeded: value &>> 64)
        low = UInt64(truncatingIfNeeded: value)
    }

    @inline(__always)
    var value: UInt128 { UInt128(high) &<< 64 | UInt128(low) }

    /// Bit `position` (0 the most significant), as 0 or 1.
    @inline(__always)
    func bit(_ position: Int) -> UInt64 {
        position < 64 ? high &>> (63 &- position) & 1 : low &>> (127 &- position) & 1
    }

    /// Makes bit `position` (0 the most significant) equal to that bit of `source`.
    @inline(__always)
    mutating func copyBit(_ position: Int, from source: Bits128) {
        if position < 64 {
            let bit = UInt64(1) &<< (63 &- position)
            high ^= (high ^ source.high) & bit
        } else {
            let bit = UInt64(1) &<< (127 &- position)
            low ^= (low ^ source.low) & bit
        }
    }

    /// Sets bit `position` (0 the most significant) to `bit` (0 or 1); it must be 0 before.
    @inline(__always)
    mutating func setBit(_ position: Int, to bit: UInt8) {
        if position < 64 {
            high |= UInt64(bit) &<< (63 &- position)
        } else {
            low |= UInt64(bit) &<< (127 &- position)
        }
    }

    /// Shifts the value one bit towards the most significant end and puts `bit` last.
    @inline(__always)
    mutating func shiftIn(_ bit: UInt64) {
        high = high &<< 1 | low &>> 63
        low = low &<< 1 | bit
    }
}
