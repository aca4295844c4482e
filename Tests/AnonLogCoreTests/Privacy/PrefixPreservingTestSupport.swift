@testable import AnonLogCore

/// Addresses for the prefix-preserving ciphers' property tests: many hosts in few networks, as
/// in a real log, so the prefix caches are exercised by hits, misses and collisions.
enum PrefixPreservingSamples {
    /// IPv4 hosts in 16 /24 networks spread over 4 /16s, and some hosts anywhere.
    static func ipv4(count: Int, seed: UInt64) -> [IPAddress] {
        var generator = SeededGenerator(seed: seed)
        let networks16 = (0..<4).map { _ in UInt32.random(in: .min ... .max, using: &generator) & 0xFFFF_0000 }
        let networks24 = (0..<16).map { index in networks16[index % 4] | UInt32.random(in: 0...255, using: &generator) << 8 }
        return (0..<count).map { index in
            if index % 10 == 9 { return IPAddress(ipv4: .random(in: .min ... .max, using: &generator)) }
            return IPAddress(ipv4: networks24.randomElement(using: &generator)! | .random(in: 0...255, using: &generator))
        }
    }

    /// IPv6 hosts (random interface identifiers) in 16 /64 networks spread over 4 /48s in 2 /32s,
    /// and some hosts anywhere.
    static func ipv6(count: Int, seed: UInt64) -> [IPAddress] {
        var generator = SeededGenerator(seed: seed)
        let networks32 = (0..<2).map { _ in UInt64.random(in: .min ... .max, using: &generator) & 0xFFFF_FFFF_0000_0000 }
        let networks48 = (0..<4).map { index in networks32[index % 2] | UInt64.random(in: 0...0xFFFF, using: &generator) << 16 }
        let networks64 = (0..<16).map { index in networks48[index % 4] | UInt64.random(in: 0...0xFFFF, using: &generator) }
        return (0..<count).map { index in
            let high = index % 10 == 9 ? UInt64.random(in: .min ... .max, using: &generator) : networks64.randomElement(using: &generator)!
            return IPAddress(ipv6High: high, low: .random(in: .min ... .max, using: &generator))
        }
    }

    /// How many leading bits two addresses of the same family share (of 32 or 128).
    static func commonPrefixLength(_ first: IPAddress, _ second: IPAddress) -> Int {
        if let a = first.ipv4Bits, let b = second.ipv4Bits, first.family == .v4 {
            return min((a ^ b).leadingZeroBitCount, 32)
        }
        return min((first.bits ^ second.bits).leadingZeroBitCount, 128)
    }
}
