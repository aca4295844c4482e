internal import CAnonLogCrypto

/// The pad bits of network prefixes already seen, for the prefix-preserving ciphers.
///
/// Crypto-PAn and ipcrypt-pfx flip each address bit with a pad bit that is a keyed function of
/// the address bits before it, at the cost of one or two AES blocks per bit. So the pad bits of
/// the first `L` positions depend only on the address's `/L` prefix, and a new host in a network
/// already seen needs only the blocks of the positions after the cached prefix: 8 instead of 32
/// for an IPv4 address in a known /24, 64 instead of 128 for an IPv6 address in a known /64
/// (the privacy addresses of one household).
///
/// One direct-mapped table per prefix length, each with a fixed number of slots: memory is set
/// when the cache is made and never grows. A lookup finds the longest cached prefix; a store
/// fills the lengths longer than the one that was found. The pad bits are as secret as the key
/// (they are the cipher's output for that prefix), so the tables are cleared when the cache goes.
final class PrefixPadCache {
    private struct Entry {
        /// The prefix, right-aligned.
        var prefix: UInt64
        /// The pad bits of the prefix's positions, right-aligned.
        var pad: UInt64
        var isFilled: Bool
    }

    /// The cached prefix lengths, shortest first; each at most 64.
    let lengths: [Int]
    private let slotCountLog2: Int
    private let entries: UnsafeMutablePointer<Entry>
    private let entryCount: Int

    /// - Parameters:
    ///   - lengths: The prefix lengths to cache, each 1 through 64; empty for no cache.
    ///   - slotCount: Slots per length, rounded up to a power of two; 0 for no cache.
    init(lengths: [Int], slotCount: Int) {
        precondition(lengths.allSatisfy { (1...64).contains($0) }, "prefix lengths are 1 through 64")
        var log2 = 0
        while 1 << log2 < slotCount { log2 += 1 }
        self.lengths = slotCount > 0 ? lengths.sorted() : []
        self.slotCountLog2 = log2
        self.entryCount = self.lengths.count << log2
        self.entries = UnsafeMutablePointer<Entry>.allocate(capacity: max(entryCount, 1))
        entries.initialize(repeating: Entry(prefix: 0, pad: 0, isFilled: false), count: max(entryCount, 1))
    }

    deinit {
        OPENSSL_cleanse(entries, max(entryCount, 1) * MemoryLayout<Entry>.stride)
        entries.deallocate()
    }

    /// The bytes the tables take.
    var byteCount: Int { entryCount * MemoryLayout<Entry>.stride }

    @inline(__always)
    private func slot(level: Int, prefix: UInt64) -> UnsafeMutablePointer<Entry> {
        // Fibonacci hashing spreads neighbouring prefixes over the table (the top bits of the
        // product; a shift by 64 gives slot 0 of a one-slot table).
        let index = Int(truncatingIfNeeded: (prefix &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - slotCountLog2))
        return entries + ((level << slotCountLog2) + index)
    }

    /// The longest cached prefix of `address` and the pad bits of its positions.
    ///
    /// - Parameter address: The address bits, left-aligned (an IPv4 address in the top 32 bits).
    /// - Returns: The prefix length (0 when nothing is cached) and the pad, left-aligned, with
    ///   every bit past that length zero.
    @inline(__always)
    func lookup(_ address: UInt128) -> (length: Int, pad: UInt128) {
        var level = lengths.count - 1
        while level >= 0 {
            let length = lengths[level]
            let prefix = UInt64(truncatingIfNeeded: address &>> (128 &- length))
            let entry = slot(level: level, prefix: prefix)
            if entry.pointee.isFilled && entry.pointee.prefix == prefix {
                return (length, UInt128(entry.pointee.pad) &<< (128 &- length))
            }
            level -= 1
        }
        return (0, 0)
    }

    /// Remembers the pad bits of every cached prefix of `address` longer than `knownLength`.
    ///
    /// - Parameters:
    ///   - address: The address bits, left-aligned.
    ///   - pad: The pad of at least every cached position, left-aligned.
    ///   - knownLength: The length ``lookup(_:)`` found; shorter prefixes are already cached.
    @inline(__always)
    func store(_ address: UInt128, pad: UInt128, above knownLength: Int) {
        for (level, length) in lengths.enumerated() where length > knownLength {
            let shift = 128 &- length
            let prefix = UInt64(truncatingIfNeeded: address &>> shift)
            slot(level: level, prefix: prefix).pointee = Entry(
                prefix: prefix, pad: UInt64(truncatingIfNeeded: pad &>> shift), isFilled: true)
        }
    }
}
