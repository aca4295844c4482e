/// Network pseudonyms: a keyed MAC of an address's network, an IPv4 /24 or an IPv6 /48, under
/// the epoch's ``KeyPurpose/network`` subkey.
///
/// Clients of one network share it, so campaigns from many addresses of one network show up,
/// yet nothing about the network can be read from it. A direct-mapped cache keeps recent
/// networks, like the address pseudonym cache: most lines cost one probe.
final class NetworkPseudonyms {
    private let mask: Int
    private var highs: [UInt64]
    private var lows: [UInt64]
    private var epochs: [Int64]
    private var values: [UInt64]

    init(capacity: Int = 4096) {
        var size = 16
        while size < capacity { size <<= 1 }
        mask = size - 1
        highs = [UInt64](repeating: 0, count: size)
        lows = [UInt64](repeating: 0, count: size)
        epochs = [Int64](repeating: .min, count: size)
        values = [UInt64](repeating: 0, count: size)
    }

    /// The network of `address`: its masked 128 bits and the prefix length (IPv4 /24 counts as
    /// /120 of the mapped form).
    static func network(of address: IPAddress) -> (high: UInt64, low: UInt64, length: UInt8) {
        if address.isIPv4Mapped { return (0, address.low & 0xFFFF_FFFF_FFFF_FF00, 120) }
        return (address.high & 0xFFFF_FFFF_FFFF_0000, 0, 48)
    }

    /// The pseudonym value of `address`'s network under `keys` (never 0).
    @inline(__always)
    func value(for address: IPAddress, keys: StatsEpochKeys) -> UInt64 {
        let network = Self.network(of: address)
        let slot = Int(truncatingIfNeeded: StatsHash.combine(network.high ^ UInt64(bitPattern: keys.epoch), network.low) >> 11) & mask
        if highs[slot] == network.high, lows[slot] == network.low, epochs[slot] == keys.epoch { return values[slot] }
        var message = (network.high.bigEndian, network.low.bigEndian, network.length)
        var digest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeBytes(of: &message) { bytes in
            withUnsafeMutableBytes(of: &digest) { keys.network.authenticate(UnsafeRawBufferPointer(rebasing: bytes[0..<17]), into: $0) }
        }
        let value = BoundedSlots.storedKey(UInt64(bigEndian: digest.0))
        highs[slot] = network.high
        lows[slot] = network.low
        epochs[slot] = keys.epoch
        values[slot] = value
        return value
    }
}
