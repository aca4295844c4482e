import Testing
@testable import AnonLogCore

/// Arbitrary bytes, biased towards what addresses are made of, through every anonymizer:
/// nothing crashes, and as many lines come out as went in.
struct RandomBytesPropertyTests {
    /// Address characters, separators, escapes, brackets, line ends, NUL, 0xFF, JSON and words.
    static let alphabet: [UInt8] = Array("0123456789abcdefABCDEF....::::%%3A2Ea[] \n\n\r{\"}:,\\fd::ffff:in-addr.arpa gxz".utf8) + [0x00, 0xFF, 0xC3, 0x90]

    static func randomInput(using generator: inout SeededGenerator) -> [UInt8] {
        let length = Int.random(in: 0...400, using: &generator)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length + 40)
        while bytes.count < length {
            switch Int.random(in: 0..<10, using: &generator) {
            case 0:  // a real address, so that replacements happen among the junk
                bytes += Array("\(UInt8.random(in: 1...255, using: &generator)).0.2.\(UInt8.random(in: 0...255, using: &generator))".utf8)
            case 1:
                bytes += Array("2001:db8::\(String(UInt16.random(in: 1...UInt16.max, using: &generator), radix: 16))".utf8)
            case 2:
                bytes += Array(#"{"event":"m","session_id":"s1.2.3.4"}"#.utf8)
            default:
                bytes.append(alphabet.randomElement(using: &generator)!)
            }
        }
        return bytes
    }

    /// Lines in `bytes`: line feeds, plus one for a last line without one.
    static func lineCount(_ bytes: [UInt8]) -> Int {
        let feeds = bytes.count { $0 == UInt8(ascii: "\n") }
        return feeds + (bytes.last.map { $0 == UInt8(ascii: "\n") ? 0 : 1 } ?? 0)
    }

    @Test(arguments: [1 as UInt64, 2, 3, 4])
    func theInMemoryAnonymizerKeepsTheLineCount(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let anonymizer = try LogAnonymizer(key: AnonymizationOracle.standardKey)
        var linesIn = 0
        for _ in 0..<1_500 {
            let input = Self.randomInput(using: &generator)
            let output = anonymizer.anonymize(input)
            #expect(output.count { $0 == UInt8(ascii: "\n") } == input.count { $0 == UInt8(ascii: "\n") })
            #expect(output.last == UInt8(ascii: "\n") || input.last != UInt8(ascii: "\n"))
            linesIn += Self.lineCount(input)
        }
        #expect(anonymizer.counts.lines == linesIn)
    }

    @Test(arguments: [(5 as UInt64, 64, 1 << 20), (6, 64, 128), (7, 16, 64)])
    func theStreamAnonymizerKeepsTheLineCountAndAgreesWhenNoLineIsTooLong(
        seed: UInt64, chunkSize: Int, maximumLineLength: Int
    ) throws {
        var generator = SeededGenerator(seed: seed)
        let oracle = try AnonymizationOracle()
        for _ in 0..<300 {
            // Several random inputs in one stream, read in random pieces.
            let input = (0..<Int.random(in: 1...8, using: &generator)).flatMap { _ in Self.randomInput(using: &generator) }
            let source = MemorySource(chunks: ChunkPipelineStreamTests.randomChunks(input, maximum: 70, using: &generator))
            let sink = CollectingSink()
            let stream = try ChunkPipeline(workers: [oracle.lineAnonymizer()], gzipLevel: nil, chunkSize: chunkSize, maximumLineLength: maximumLineLength)
            try stream.run(source, into: sink)
            #expect(sink.bytes.count { $0 == UInt8(ascii: "\n") } == input.count { $0 == UInt8(ascii: "\n") })
            #expect(stream.counts.lines == Self.lineCount(input))
            #expect(stream.counts.bytesIn == input.count && stream.counts.bytesOut == sink.bytes.count)
            if stream.counts.oversizedLines == 0 {
                let reference = try LogAnonymizer(key: oracle.key)
                #expect(firstDifference(sink.bytes, reference.anonymize(input)) == nil)
            }
        }
    }
}
