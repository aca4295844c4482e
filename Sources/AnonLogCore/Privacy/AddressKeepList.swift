/// Networks whose addresses are left as they are: the operator's own infrastructure (load
/// balancers, health checkers), named explicitly with `--keep CIDR`. Empty by default.
public struct AddressKeepList: Sendable, Equatable {
    private struct Network: Sendable, Equatable {
        var high: UInt64
        var low: UInt64
        /// Prefix length over the 128-bit form (an IPv4 /24 is a /120 here).
        var prefixLength: Int

        func contains(_ address: IPAddress) -> Bool {
            let (maskHigh, maskLow) = Self.mask(prefixLength)
            return address.high & maskHigh == high && address.low & maskLow == low
        }

        static func mask(_ length: Int) -> (UInt64, UInt64) {
            let high: UInt64 = length >= 64 ? .max : (length == 0 ? 0 : ~(UInt64.max >> UInt64(length)))
            let low: UInt64 = length <= 64 ? 0 : (length >= 128 ? .max : ~(UInt64.max >> UInt64(length - 64)))
            return (high, low)
        }
    }

    private var networks: [Network] = []

    public init() {}

    /// Whether nothing is kept.
    public var isEmpty: Bool { networks.isEmpty }

    /// Adds a network written as `a.b.c.d/n`, `v6/n`, or a single address.
    ///
    /// An IPv4 network also covers the IPv4-mapped spelling of its addresses.
    ///
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/usage`` naming what is wrong.
    public mutating func add(_ text: String) throws(AnonLogError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let base = IPAddress(String(parts[0])) else {
            throw AnonLogError(.usage, "--keep \(text): not an address or a network in CIDR notation")
        }
        let width = base.family == .v4 ? 32 : 128
        var length = width
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...width).contains(given) else {
                throw AnonLogError(.usage, "--keep \(text): the prefix length must be 0 to \(width)")
            }
            length = given
        }
        let prefixLength = base.family == .v4 ? 96 + length : length
        let (maskHigh, maskLow) = Network.mask(prefixLength)
        networks.append(Network(high: base.high & maskHigh, low: base.low & maskLow, prefixLength: prefixLength))
    }

    /// Whether `address` lies in one of the kept networks.
    @inline(__always)
    public func contains(_ address: IPAddress) -> Bool {
        for network in networks where network.contains(address) { return true }
        return false
    }
}
