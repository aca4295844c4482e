import Testing
@testable import AnonLogCore

struct KeyDerivationTests {
    // MARK: - RFC 5869

    // The SHA-256 test cases of RFC 5869, appendix A (A.1-A.3), as published in
    // https://www.rfc-editor.org/rfc/rfc5869 — no vector file for them exists in ../shared.
    static let rfc5869Cases: [(name: String, ikm: String, salt: String, info: String, length: Int, okm: String)] = [
        (
            "A.1 basic",
            ikm: "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
            salt: "000102030405060708090a0b0c",
            info: "f0f1f2f3f4f5f6f7f8f9",
            length: 42,
            okm: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
        ),
        (
            "A.2 longer inputs and outputs",
            ikm: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                + "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
                + "404142434445464748494a4b4c4d4e4f",
            salt: "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
                + "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
                + "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
            info: "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
                + "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
                + "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
            length: 82,
            okm: "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                + "cc30c58179ec3e87c14c01d5c1f3434f1d87"
        ),
        (
            "A.3 zero-length salt and info",
            ikm: "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
            salt: "",
            info: "",
            length: 42,
            okm: "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"
        ),
    ]

    @Test(arguments: rfc5869Cases)
    func hkdfSHA256GivesThePublishedOutput(
        testCase: (name: String, ikm: String, salt: String, info: String, length: Int, okm: String)
    ) throws {
        let output = try KeyDerivation.hkdfSHA256(
            key: TestVectors.bytes(hex: testCase.ikm),
            salt: TestVectors.bytes(hex: testCase.salt),
            info: TestVectors.bytes(hex: testCase.info),
            length: testCase.length)
        #expect(output == (try TestVectors.bytes(hex: testCase.okm)), "RFC 5869 \(testCase.name)")
    }

    // MARK: - Limits

    @Test func anEmptyKeyOrAnImpossibleLengthIsRefused() {
        #expect(throws: AnonLogError.self) { try KeyDerivation.hkdfSHA256(key: [], salt: [], info: [], length: 32) }
        #expect(throws: AnonLogError.self) { try KeyDerivation.hkdfSHA256(key: [1], salt: [], info: [], length: 0) }
        #expect(throws: AnonLogError.self) {
            try KeyDerivation.hkdfSHA256(key: [1], salt: [], info: [], length: KeyDerivation.maximumSHA256Length + 1)
        }
    }

    @Test func theLongestOutputIsDerived() throws {
        let output = try KeyDerivation.hkdfSHA256(key: [1], salt: [], info: [], length: KeyDerivation.maximumSHA256Length)
        #expect(output.count == 8160)
    }
}
