internal import CAnonLogIntrinsics

/// Network pseudonyms: a keyed MAC of an address's network, an IPv4 /24 or an IPv6 /48, under
/// the epoch's ``KeyPurpose/network`` subkey.
///
/// Clients of one network share it, so campaigns from many addresses of one network show up,
/// yet nothing about the network can be read from it. A direct-mapped cache keeps recent
/// networks, like the address pseudonym cache: most lines cost one probe.
final class NetworkPseudonyms {
    private struct Slot {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var epoch: Int64 = .min
        var value: UInt64 = 0
    }

    private let mask: Int
    /// A fixed table behind a constant pointer: a lookup costs no exclusivity check or retain.
    private let slots: UnsafeMutablePointer<Slot>

    /// - Parameter capacity: Networks held (512 KiB per 16,384). Networks repeat less than
    ///   addresses, so the table is larger than the address cache's: at 4,096 slots half the
    ///   lines of the benchmark corpus cost a MAC here, at 16,384 about a third.
    init(capacity: Int = 16384) {
        var size = 16
        while size < capacity { size <<= 1 }
        mask = size - 1
        slots = .filled(size, with: Slot())
    }

    deinit { slots.deallocate() }

    /// The network of `address`: its masked 128 bits and the prefix length (IPv4 /24 counts as
    /// /120 of the mapped form).
    static func network(of address: IPAddress) -> (high: UInt64, low: UInt64, length: UInt8) {
        if address.isIPv4Mapped { return (0, address.low & 0xFFFF_FFFF_FFFF_FF00, 120) }
        return (address.high & 0xFFFF_FFFF_FFFF_0000, 0, 48)
    }

    /// Starts loading the slot of `address`'s network into the CPU's cache (see
    /// ``PseudonymCache/prefetch(_:)``).
    @inline(__always)
    func prefetch(_ address: IPAddress, keys: StatsEpochKeys) {
        anonlog_prefetch(slot(of: Self.network(of: address), epoch: keys.epoch))
    }

    @inline(__always)
    private func slot(of network: (high: UInt64, low: UInt64, length: UInt8), epoch: Int64) -> UnsafeMutablePointer<Slot> {
        slots + Int(truncatingIfNeeded: StatsHash.combine(network.high ^ UInt64(bitPattern: epoch), network.low) >> 11) & mask
    }

    /// The pseudonym value of `address`'s network under `keys` (never 0).
    @inline(__always)
    func value(for address: IPAddress, keys: StatsEpochKeys) -> UInt64 {
        let network = Self.network(of: address)
        let entry = slot(of: network, epoch: keys.epoch)
        if entry.pointee.high == network.high, entry.pointee.low == network.low, entry.pointee.epoch == keys.epoch {
            return entry.pointee.value
        }
        var message = (network.high.bigEndian, network.low.bigEndian, network.length)
        var digest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeBytes(of: &message) { bytes in
            withUnsafeMutableBytes(of: &digest) { keys.network.authenticate(UnsafeRawBufferPointer(rebasing: bytes[0..<17]), into: $0) }
        }
        let value = BoundedSlots.storedKey(UInt64(bigEndian: digest.0))
        entry.pointee = Slot(high: network.high, low: network.low, epoch: keys.epoch, value: value)
        return value
    }
}
