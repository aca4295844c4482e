import Testing
@testable import AnonLogCore

/// Both member encoders make members zlib reads back exactly, whatever the data.
struct GzipMemberEncoderTests {
    static func inputs() -> [[UInt8]] {
        var generator = SeededGenerator(seed: 41)
        let random = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return [[], Array("one line\n".utf8), sampleLog(lines: 5_000), random]
    }

    @Test(arguments: [1, 2, 3, 6, 9])
    func membersDecodeToTheirInput(level: Int) throws {
        let encoder = try GzipMemberEncoders.make(level: level)
        #expect((level <= 3) == (encoder is IsalGzipMemberEncoder))
        for input in Self.inputs() {
            let output = OutputBuffer()
            input.withUnsafeBytes { encoder.encode($0, into: output) }
            // Two members back to back: each complete, and a valid gzip file together.
            input.withUnsafeBytes { encoder.encode($0, into: output) }
            let decoded = drain(try GzipInflatingSource(wrapping: MemorySource(Array(output.bytes)), implementation: .zlib))
            #expect(decoded.error == nil)
            #expect(decoded.bytes == input + input)
        }
    }
}
