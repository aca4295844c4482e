import Testing
@testable import AnonLogCore

struct NetworkLinkingTests {
    let key = SecretKey(bytes: [UInt8](repeating: 3, count: 32))!
    let networkKey = SecretKey(bytes: [UInt8](repeating: 4, count: 32))!

    func pseudonym(_ address: String, shape: HMACPseudonymizer.Shape = .address, v4: Int = 24) -> String {
        let pseudonymizer = HMACPseudonymizer(key: key, shape: shape, linking: .init(key: networkKey, ipv4PrefixLength: v4))
        return withUnsafeTemporaryAllocation(byteCount: 39, alignment: 1) { buffer in
            let length = pseudonymizer.writePseudonym(for: IPAddress(address)!, into: buffer)
            return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[..<length]), as: UTF8.self)
        }
    }

    @Test func addressesOfOneNetworkShareTheLeadingGroups() {
        let a = pseudonym("198.51.100.7"), b = pseudonym("198.51.100.200"), c = pseudonym("198.51.101.7")
        #expect(a.prefix(14) == b.prefix(14) && a != b)
        #expect(a.prefix(14) != c.prefix(14))
        #expect(pseudonym("198.51.100.7", v4: 16).prefix(14) == pseudonym("198.51.101.7", v4: 16).prefix(14))
        #expect(pseudonym("2001:db8:1::1").prefix(14) == pseudonym("2001:db8:1:ffff::2").prefix(14))
        #expect(pseudonym("::ffff:198.51.100.9").prefix(14) == a.prefix(14))
    }

    @Test func tokensShareTheirFirstSixDigits() {
        let a = pseudonym("198.51.100.7", shape: .token), b = pseudonym("198.51.100.8", shape: .token)
        #expect(a.count == 16 && a.prefix(6) == b.prefix(6) && a != b)
    }
}
