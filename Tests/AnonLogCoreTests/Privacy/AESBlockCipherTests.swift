import Testing
@testable import AnonLogCore

struct AESBlockCipherTests {
    // FIPS-197 appendix C.1: AES-128.
    static let key: [UInt8] = (0..<16).map { UInt8($0) }
    static let plaintext: UInt128 = 0x0011_2233_4455_6677_8899_AABB_CCDD_EEFF
    static let ciphertext: UInt128 = 0x69C4_E0D8_6A7B_0430_D8CD_B780_70B4_C55A

    @Test func theFIPS197ExampleEncryptsAndDecrypts() throws {
        #expect(try AESBlockCipher(key: Self.key).process(Self.plaintext) == Self.ciphertext)
        #expect(try AESBlockCipher(key: Self.key, direction: .decrypt).process(Self.ciphertext) == Self.plaintext)
    }

    @Test func manyBlocksInOneCallEqualOneBlockAtATime() throws {
        let cipher = try AESBlockCipher(key: Self.key)
        var generator = SeededGenerator(seed: 197)
        let blocks = (0..<128).map { _ in UInt128(UInt64.random(in: .min ... .max, using: &generator)) << 64 | UInt128(UInt64.random(in: .min ... .max, using: &generator)) }
        var bytes = blocks.map(\.bigEndian)
        bytes.withUnsafeMutableBytes { buffer in
            cipher.process(buffer.baseAddress!, into: buffer.baseAddress!, blockCount: blocks.count)
        }
        #expect(bytes.map { UInt128(bigEndian: $0) } == blocks.map { cipher.process($0) })
    }

    @Test func aKeyGivenAsASliceOfALongerBufferUsesOnlyThoseBytes() throws {
        let longer = [UInt8](repeating: 0xAA, count: 8) + Self.key + [UInt8](repeating: 0xBB, count: 8)
        #expect(try AESBlockCipher(key: longer[8..<24]).process(Self.plaintext) == Self.ciphertext)
    }
}
