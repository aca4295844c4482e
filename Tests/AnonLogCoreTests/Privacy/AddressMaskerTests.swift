import Testing
@testable import AnonLogCore

struct AddressMaskerTests {
    private func masked(_ text: String, ipv4Mask: Int = 12, ipv6Mask: Int = 84) throws -> String {
        try AddressMaskerTests.text(of: AddressMasker(ipv4Mask: ipv4Mask, ipv6Mask: ipv6Mask), for: #require(IPAddress(text)))
    }

    static func text(of masker: AddressMasker, for address: IPAddress) -> String {
        withUnsafeTemporaryAllocation(byteCount: masker.maximumLength, alignment: 1) { buffer in
            String(decoding: buffer[..<masker.writePseudonym(for: address, into: buffer)], as: UTF8.self)
        }
    }

    // MARK: - IPv4-mapped addresses

    @Test func anIPv4MappedAddressIsMaskedAsIPv4AndWrittenMapped() throws {
        // anonip 1.1.0 masks all 128 bits with the IPv6 mask and writes "::" for both.
        #expect(try masked("::ffff:192.168.100.200") == "::ffff:192.168.96.0")
        #expect(try masked("::ffff:8.8.8.8") == "::ffff:8.8.0.0")
        #expect(try masked("::ffff:8.8.8.8", ipv4Mask: 32) == "::ffff:0.0.0.0")
    }

    @Test func aMappedAddressWrittenInHexIsStillMaskedAsIPv4() throws {
        #expect(try masked("::ffff:c0a8:64c8") == "::ffff:192.168.96.0")
    }

    @Test func aMappedAddressInALineKeepsItsBracketsAndPort() throws {
        let masker = try AddressMasker()
        #expect(AnonipMaskingConformanceTests.maskLine("[::ffff:8.8.8.8]:443 and 8.8.8.8", with: masker)
            == "[::ffff:8.8.0.0]:443 and 8.8.0.0")
    }

    // MARK: - Families and forms

    @Test func theDefaultsAreAnonips() throws {
        let masker = try AddressMasker()
        #expect(masker.ipv4Mask == 12)
        #expect(masker.ipv6Mask == 84)
        #expect(try masked("203.0.113.195") == "203.0.112.0")
        #expect(try masked("2a00:1450:400a:803::200e") == "2a00:1450:4000::")
    }

    @Test func ipv6IsWrittenInRFC5952Form() throws {
        #expect(try masked("2001:0DB8:0000:0000:0001:0000:0000:0001", ipv6Mask: 16) == "2001:db8:0:0:1::")
        #expect(try masked("2001:db8:0:0:1:0:0:1", ipv6Mask: 0) == "2001:db8::1:0:0:1")
    }

    @Test func aZoneIdentifierStaysOutsideTheMaskedAddress() throws {
        let masker = try AddressMasker(ipv4Mask: 12, ipv6Mask: 64)
        #expect(AnonipMaskingConformanceTests.maskLine("fe80::822a:a8ff:fe49:470c%eth0 x", with: masker) == "fe80::%eth0 x")
    }

    @Test func maskedAddressesAreTheNetworksOfTheirPrefix() throws {
        var generator = SeededGenerator(seed: 12)
        for _ in 0..<2000 {
            let ipv4Mask = Int.random(in: 0...32, using: &generator)
            let ipv6Mask = Int.random(in: 0...128, using: &generator)
            let masker = try AddressMasker(ipv4Mask: ipv4Mask, ipv6Mask: ipv6Mask)

            let v4 = UInt32.random(in: .min ... .max, using: &generator)
            let maskedV4 = masker.mask(IPAddress(ipv4: v4))
            #expect(maskedV4.family == .v4)
            #expect(maskedV4.ipv4Bits == UInt32(UInt64(v4) / (1 << ipv4Mask) * (1 << ipv4Mask)))

            let v6 = IPAddress(ipv6High: .random(in: 1 ... .max, using: &generator), low: .random(in: .min ... .max, using: &generator))
            let maskedV6 = masker.mask(v6)
            #expect(maskedV6.family == .v6)
            #expect(maskedV6.bits == (ipv6Mask == 128 ? 0 : (v6.bits >> ipv6Mask) << ipv6Mask))
        }
    }

    // MARK: - Validation

    @Test(arguments: [(-1, 84), (33, 84), (12, -1), (12, 129)])
    func masksOutOfRangeAreRefused(ipv4Mask: Int, ipv6Mask: Int) {
        #expect(throws: AnonLogError.self) { try AddressMasker(ipv4Mask: ipv4Mask, ipv6Mask: ipv6Mask) }
        do {
            _ = try AddressMasker(ipv4Mask: ipv4Mask, ipv6Mask: ipv6Mask)
        } catch {
            #expect(error.code == .usage)
        }
    }

    @Test func theLimitsThemselvesAreAccepted() throws {
        #expect(try masked("192.168.100.200", ipv4Mask: 0) == "192.168.100.200")
        #expect(try masked("192.168.100.200", ipv4Mask: 32) == "0.0.0.0")
        #expect(try masked("2001:db8::1", ipv6Mask: 128) == "::")
    }
}
