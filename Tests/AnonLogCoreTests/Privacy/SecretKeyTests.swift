import Testing
@testable import AnonLogCore

struct SecretKeyTests {
    static let masterBytes: [UInt8] = (0..<32).map { UInt8($0 &* 7 &+ 3) }

    // MARK: - Subkeys

    @Test func subkeysOfDifferentPurposesDiffer() throws {
        let master = try #require(SecretKey(bytes: Self.masterBytes))
        let address = try bytes(of: master.subkey(purpose: .address))
        let session = try bytes(of: master.subkey(purpose: .sessionIdentifier))
        #expect(address != session)
        #expect(address != Self.masterBytes)
    }

    @Test func aSubkeyIsDeterministic() throws {
        let first = try #require(SecretKey(bytes: Self.masterBytes))
        let second = try #require(SecretKey(bytes: Self.masterBytes))
        #expect(try bytes(of: first.subkey(purpose: .address)) == bytes(of: second.subkey(purpose: .address)))
    }

    @Test func aSubkeyIsHKDFSHA256WithTheVersionedPurposeAsInfo() throws {
        let master = try #require(SecretKey(bytes: Self.masterBytes))
        let expected = try KeyDerivation.hkdfSHA256(
            key: Self.masterBytes, salt: [], info: Array("anonlog/v1/address".utf8), length: 32)
        #expect(try bytes(of: master.subkey(purpose: .address)) == expected)
    }

    // MARK: - Never shown

    @Test func descriptionsAndMirrorDoNotContainTheKey() throws {
        let key = try #require(SecretKey(bytes: Self.masterBytes))
        let hex = Self.masterBytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        var dumped = ""
        dump(key, to: &dumped)
        for text in [String(describing: key), String(reflecting: key), "\(key)", dumped] {
            #expect(!text.contains(hex))
            #expect(!text.contains(hex.prefix(8)))
            #expect(!text.contains("3, 10, 17"))  // the first bytes, as an array would print them
        }
        #expect(key.description == "<secret key>")
        #expect(key.debugDescription == "<secret key>")
    }

    // MARK: - Making keys

    @Test func aKeyNeedsExactly32Bytes() {
        #expect(SecretKey(bytes: [UInt8](repeating: 1, count: 31)) == nil)
        #expect(SecretKey(bytes: [UInt8](repeating: 1, count: 33)) == nil)
        #expect(SecretKey(bytes: [UInt8](repeating: 1, count: 32)) != nil)
    }

    @Test func randomKeysDiffer() throws {
        #expect(try bytes(of: SecretKey.random()) != bytes(of: SecretKey.random()))
    }

    private func bytes(of key: SecretKey) -> [UInt8] {
        key.withUnsafeBytes { Array($0) }
    }
}
