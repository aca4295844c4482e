import Testing
@_spi(Benchmarks) @testable import AnonLogCore

/// Every level's member encoder makes members zlib reads back exactly, whatever the data.
struct GzipMemberEncoderTests {
    static func inputs() -> [[UInt8]] {
        var generator = SeededGenerator(seed: 41)
        let random = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return [[], Array("one line\n".utf8), sampleLog(lines: 5_000), random]
    }

    @Test(arguments: 1...9)
    func membersDecodeToTheirInput(level: Int) throws {
        let encoder = try GzipMemberEncoders.make(level: level)
        for input in Self.inputs() {
            let output = OutputBuffer()
            // Four members back to back (a blend's period and then some): each complete, and a
            // valid gzip file together.
            for member in 0..<4 {
                input.withUnsafeBytes { encoder.encode($0, member: member, into: output) }
            }
            let decoded = drain(try GzipInflatingSource(wrapping: MemorySource(Array(output.bytes)), implementation: .zlib))
            #expect(decoded.error == nil)
            #expect(decoded.bytes == Array([[UInt8]](repeating: input, count: 4).joined()))
        }
    }

    @Test func levelsMapToTheMeasuredEncoders() throws {
        #expect((try GzipMemberEncoders.make(level: 1) as? IsalGzipMemberEncoder)?.level == 1)
        #expect((try GzipMemberEncoders.make(level: 2) as? IsalGzipMemberEncoder)?.level == 2)
        #expect((try GzipMemberEncoders.make(level: 3) as? BlendedGzipMemberEncoder)?.period == GzipMemberEncoders.blendPeriod)
        for level in 4...9 {
            #expect((try GzipMemberEncoders.make(level: level) as? LibdeflateGzipMemberEncoder)?.level == level)
        }
        #expect(throws: AnonLogError.self) { try GzipMemberEncoders.make(level: 0) }
        #expect(throws: AnonLogError.self) { try GzipMemberEncoders.make(level: 10) }
    }

    /// The blend compresses members 0, 3, 6, … densely and the rest fast, by position alone: the
    /// same member gets the same bytes from any encoder instance, and the dense members of a
    /// log are smaller than the fast ones.
    @Test func blendChoosesByMemberPosition() throws {
        let log = sampleLog(lines: 20_000)
        func member(_ position: Int, from encoder: any GzipMemberEncoding) -> [UInt8] {
            let output = OutputBuffer()
            log.withUnsafeBytes { encoder.encode($0, member: position, into: output) }
            return Array(output.bytes)
        }
        let blend = try GzipMemberEncoders.make(level: 3)
        let dense = try LibdeflateGzipMemberEncoder(level: 1)
        let fast = IsalGzipMemberEncoder(level: 2)
        let period = GzipMemberEncoders.blendPeriod
        for position in 0..<(2 * period) {
            let expected = position % period == 0 ? member(position, from: dense) : member(position, from: fast)
            #expect(member(position, from: blend) == expected, "member \(position)")
        }
        #expect(member(0, from: dense).count < member(0, from: fast).count)
    }
}
