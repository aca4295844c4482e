import Testing
@testable import AnonLogCore

struct KeyPurposeTests {
    static let purposes: [KeyPurpose] = [
        .address, .sessionIdentifier, .cryptoPAn, .ipcryptDeterministic, .ipcryptPFX, .ipcryptNDX,
    ]

    @Test func everyPurposeHasItsOwnLabel() {
        #expect(Set(Self.purposes.map(\.label)).count == Self.purposes.count)
        #expect(KeyPurpose.ipcryptPFX.derivationInfo == Array("anonlog/v1/ipcrypt-pfx".utf8))
    }

    @Test func everyPurposeGetsAnUnrelatedSubkey() throws {
        let master = try #require(SecretKey(bytes: (0..<32).map { UInt8($0) }))
        let address = try #require(IPAddress("2001:db8::1"))
        // Compare through what each key does: the subkeys' bytes never leave the library.
        let pseudonyms = try Self.purposes.map { purpose in
            try CryptoPAn(key: master.subkey(purpose: purpose), prefixCacheSlotCount: 0).encrypt(address)
        }
        #expect(Set(pseudonyms).count == Self.purposes.count)
    }
}
