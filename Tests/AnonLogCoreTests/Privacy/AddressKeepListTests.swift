import Testing
@testable import AnonLogCore

struct AddressKeepListTests {
    func list(_ networks: String...) throws -> AddressKeepList {
        var list = AddressKeepList()
        for network in networks { try list.add(network) }
        return list
    }

    @Test func ipv4NetworksCoverTheirMappedSpelling() throws {
        let keep = try list("10.1.0.0/16")
        #expect(keep.contains(IPAddress("10.1.200.3")!))
        #expect(keep.contains(IPAddress("::ffff:10.1.0.9")!))
        #expect(!keep.contains(IPAddress("10.2.0.1")!))
    }

    @Test func ipv6NetworksAndSingleAddresses() throws {
        let keep = try list("2001:db8:aa::/48", "192.0.2.10")
        #expect(keep.contains(IPAddress("2001:db8:aa:ffff::1")!))
        #expect(!keep.contains(IPAddress("2001:db8:ab::1")!))
        #expect(keep.contains(IPAddress("192.0.2.10")!) && !keep.contains(IPAddress("192.0.2.11")!))
    }

    @Test(arguments: ["10.0.0.0/33", "nonsense", "2001:db8::/129", "1.2.3.4/x"])
    func badNetworksAreUsageErrors(text: String) {
        var keep = AddressKeepList()
        #expect(throws: AnonLogError.self) { try keep.add(text) }
    }

    @Test func emptyByDefault() {
        #expect(AddressKeepList().isEmpty && !AddressKeepList().contains(IPAddress("1.2.3.4")!))
    }
}
