/// A fast, unkeyed 64-bit hash of bytes, for table slots, sketches and segment digests.
///
/// Statistics hash what is already pseudonymous (pseudonym texts, path templates, user agents)
/// or feed the hash into a keyed MAC before anything is stored, so speed matters more than
/// secrecy here. The construction follows wyhash: 16 bytes per multiply-fold, a final avalanche
/// so that every output bit depends on every input bit (HyperLogLog needs uniform bits).
enum StatsHash {
    private static let p0: UInt64 = 0xA076_1D64_78BD_642F
    private static let p1: UInt64 = 0xE703_7ED1_A0B4_28DB
    private static let p2: UInt64 = 0x8EBC_6AF0_9C88_C6E3
    private static let p3: UInt64 = 0x5899_65CC_7537_4CC3

    /// The 128-bit product of `a` and `b`, folded to 64 bits.
    @inline(__always)
    static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// The hash of `bytes` under `seed`.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let count = bytes.count
        var state = seed ^ p0 ^ UInt64(truncatingIfNeeded: count) &* p3
        guard let base = bytes.baseAddress, count > 0 else { return avalanche(state) }
        var index = 0
        while index + 16 <= count {
            let a = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let b = base.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
            state = fold(a ^ p1 ^ state, b ^ p2)
            index += 16
        }
        var a: UInt64 = 0
        var b: UInt64 = 0
        let rest = count - index
        if rest >= 8 {
            a = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            b = base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        } else if rest >= 4 {
            a = UInt64(base.loadUnaligned(fromByteOffset: index, as: UInt32.self))
            b = UInt64(base.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
        } else if rest > 0 {
            let first = UInt64(base.load(fromByteOffset: index, as: UInt8.self))
            let middle = UInt64(base.load(fromByteOffset: index + rest / 2, as: UInt8.self))
            let last = UInt64(base.load(fromByteOffset: count - 1, as: UInt8.self))
            a = first << 16 | middle << 8 | last
        }
        state = fold(a ^ p1 ^ state, b ^ p2)
        return avalanche(state)
    }

    /// A well-mixed 64-bit value from another (the murmur3 finalizer): a bijection.
    @inline(__always)
    static func avalanche(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        z = (z ^ (z >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        return z ^ (z >> 33)
    }

    /// Combines two hashes into one that depends on both and on their order.
    @inline(__always)
    static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        avalanche(fold(a ^ p1, b ^ p2) ^ a)
    }
}
