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
            // Members back to back (a blend's period and one more): each complete, and a valid
            // gzip file together.
            let members = GzipMemberEncoders.blendPeriod + 1
            for member in 0..<members {
                input.withUnsafeBytes { encoder.encode($0, member: member, into: output) }
            }
            let decoded = drain(try GzipInflatingSource(wrapping: MemorySource(Array(output.bytes)), implementation: .zlib))
            #expect(decoded.error == nil)
            // Compared first: #expect on two large arrays would diff them element by element.
            let roundTrips = decoded.bytes == Array([[UInt8]](repeating: input, count: members).joined())
            #expect(roundTrips, "level \(level), \(input.count) bytes")
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

    /// The blend compresses members 0, 8, 16, … densely and the rest fast, by position alone: the
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
        let dense = try LibdeflateGzipMemberEncoder(level: GzipMemberEncoders.blendDenseLevel)
        let fast = IsalGzipMemberEncoder(level: 2)
        let period = GzipMemberEncoders.blendPeriod
        for position in 0..<(2 * period) {
            let expected = position % period == 0 ? member(position, from: dense) : member(position, from: fast)
            let same = member(position, from: blend) == expected
            #expect(same, "member \(position)")
        }
        #expect(member(0, from: dense).count < member(0, from: fast).count)
    }
}
