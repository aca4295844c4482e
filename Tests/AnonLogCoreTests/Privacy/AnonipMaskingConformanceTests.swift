import Foundation
import Testing
@testable import AnonLogCore

/// The `mask` mode against anonip's own test cases (`corpora/vectors/anonip_masking.tsv`), each
/// run through the real scanner, so ports and brackets around the address are proven kept too.
struct AnonipMaskingConformanceTests {
    struct Row: CustomTestStringConvertible {
        var input: String
        var ipv4Mask: Int
        var ipv6Mask: Int
        var expected: String
        var testDescription: String { "\(input) /\(ipv4Mask) /\(ipv6Mask)" }
    }

    static func load() throws -> [Row] {
        let url = TestVectors.sharedDirectory.appendingPathComponent("corpora/vectors/anonip_masking.tsv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
        return try lines.filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            try #require(fields.count == 4, "row \(line)")
            return Row(
                input: String(fields[0]),
                ipv4Mask: try #require(Int(fields[1])),
                ipv6Mask: try #require(Int(fields[2])),
                expected: String(fields[3]))
        }
    }

    /// The line with every address the scanner finds replaced by the masker's text.
    static func maskLine(_ line: String, with masker: AddressMasker) -> String {
        var scanner = AddressScanner()
        let bytes = Array(line.utf8)
        var output: [UInt8] = []
        var position = 0
        bytes.withUnsafeBytes { buffer in
            scanner.scan(buffer) { match in
                output += bytes[position..<match.start]
                switch match.kind {
                case .address(let address):
                    output += withUnsafeTemporaryAllocation(byteCount: masker.maximumLength, alignment: 1) { text in
                        Array(text[..<masker.writePseudonym(for: address, into: text)])
                    }
                case .uncertain:
                    output += Array("REDACTED".utf8)
                }
                position = match.end
            }
        }
        output += bytes[position...]
        return String(decoding: output, as: UTF8.self)
    }

    @Test func theFileHoldsAnonipsTwentyFourCases() throws {
        #expect(try Self.load().count == 24)
    }

    @Test(arguments: try load())
    func everyAnonipCaseGivesAnonipsResult(row: Row) throws {
        let masker = try AddressMasker(ipv4Mask: row.ipv4Mask, ipv6Mask: row.ipv6Mask)
        #expect(Self.maskLine(row.input, with: masker) == row.expected)
    }
}
