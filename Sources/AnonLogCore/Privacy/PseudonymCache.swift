#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif
internal import CAnonLogIntrinsics

/// Remembers the replacement text of recently seen addresses.
///
/// Logs repeat their clients heavily, so most lookups hit and cost one table probe instead of a
/// MAC and a formatting pass. The table is direct-mapped with a fixed number of slots: memory is
/// set when the cache is made and never grows with the number of clients.
///
/// A pseudonymizer that is not deterministic is asked every time; its text is never kept.
final class PseudonymCache<Pseudonymizer: AddressPseudonymizer> {
    let pseudonymizer: Pseudonymizer
    private let slotMask: Int
    private let slotSize: Int
    private let slots: UnsafeMutableRawPointer
    private let byteCount: Int
    private let caches: Bool
    /// Lookups answered from the table.
    private(set) var hits = 0
    /// Lookups that had to compute the pseudonym.
    private(set) var misses = 0

    // Slot layout: high (8 bytes), low (8), family tag (1; 0 = empty), text length (1), text from 24.
    private static var textOffset: Int { 24 }

    /// - Parameters:
    ///   - pseudonymizer: Computes the text on a miss.
    ///   - slotCountLog2: The table holds `1 << slotCountLog2` addresses: 65,536 by default
    ///     (4 MiB for HMAC's 64-byte slots), measured on the generated corpus's 200,000 clients
    ///     against 8,192 and 131,072 (Benchmarks/README.md).
    init(_ pseudonymizer: Pseudonymizer, slotCountLog2: Int = 16) {
        precondition(pseudonymizer.maximumLength <= 255, "pseudonyms are at most 255 bytes")
        self.pseudonymizer = pseudonymizer
        self.caches = pseudonymizer.isDeterministic
        // Without caching only slot 0 is used, as scratch.
        let slotCountLog2 = caches ? slotCountLog2 : 0
        self.slotMask = (1 << slotCountLog2) - 1
        self.slotSize = (Self.textOffset + pseudonymizer.maximumLength + 15) & ~15
        byteCount = slotSize << slotCountLog2
        // Fresh anonymous pages read as zeros (empty slots) and take memory only once written:
        // a short log does not pay for the whole table.
        guard let mapped = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), mapped != MAP_FAILED
        else {
            fatalError("cannot map \(byteCount) bytes for a pseudonym cache: \(SystemErrorText.describe(errno))")
        }
        #if os(Linux)
            // Huge pages where the kernel has them: a handful of page faults to fill instead of
            // one per 4 KiB, and lookups all over the table without missing the TLB.
            _ = madvise(mapped, byteCount, MADV_HUGEPAGE)
        #endif
        slots = mapped
    }

    deinit { munmap(slots, byteCount) }

    /// Starts loading the slot of `address` into the CPU's cache.
    ///
    /// With many distinct clients the table is far larger than what the CPU keeps close, and
    /// a lookup waits on memory; asked a few addresses ahead, it finds the slot there.
    @inline(__always)
    func prefetch(_ address: IPAddress) {
        if caches { anonlog_prefetch(slot(for: address)) }
    }

    @inline(__always)
    private func slot(for address: IPAddress) -> UnsafeMutableRawPointer {
        let mixed = (address.high &* 0x9E37_79B9_7F4A_7C15) ^ (address.low &* 0xC2B2_AE3D_27D4_EB4F)
        let index = Int(truncatingIfNeeded: (mixed ^ (mixed >> 29)) >> 7) & slotMask
        return slots + index &* slotSize
    }

    /// The replacement text for `address`; valid until the next call.
    @inline(__always)
    func pseudonym(for address: IPAddress) -> UnsafeRawBufferPointer {
        guard caches else {
            // Slot 0's text area as scratch; its tag stays empty, so it never answers a lookup.
            misses += 1
            let text = slots + Self.textOffset
            let length = pseudonymizer.writePseudonym(
                for: address, into: UnsafeMutableRawBufferPointer(start: text, count: pseudonymizer.maximumLength))
            return UnsafeRawBufferPointer(start: text, count: length)
        }
        let tag: UInt8 = address.family == .v4 ? 1 : 2
        let slot = slot(for: address)
        if slot.load(fromByteOffset: 16, as: UInt8.self) == tag,
            slot.load(as: UInt64.self) == address.high,
            slot.load(fromByteOffset: 8, as: UInt64.self) == address.low
        {
            hits += 1
            let length = Int(slot.load(fromByteOffset: 17, as: UInt8.self))
            return UnsafeRawBufferPointer(start: slot + Self.textOffset, count: length)
        }
        misses += 1
        let length = pseudonymizer.writePseudonym(
            for: address,
            into: UnsafeMutableRawBufferPointer(start: slot + Self.textOffset, count: pseudonymizer.maximumLength)
        )
        slot.storeBytes(of: address.high, as: UInt64.self)
        slot.storeBytes(of: address.low, toByteOffset: 8, as: UInt64.self)
        slot.storeBytes(of: tag, toByteOffset: 16, as: UInt8.self)
        slot.storeBytes(of: UInt8(length), toByteOffset: 17, as: UInt8.self)
        return UnsafeRawBufferPointer(start: slot + Self.textOffset, count: length)
    }
}
