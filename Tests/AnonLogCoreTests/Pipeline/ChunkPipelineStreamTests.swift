import Testing
@testable import AnonLogCore

/// A source that hands out its bytes like ``MemorySource`` and then fails, like a gzip file
/// that is cut short.
private final class FailingSource: ByteSource {
    let name = "failing"
    let isLive = false
    let error = AnonLogError(.dataError, "unexpected end of compressed data", location: .init(path: "failing", byteOffset: 42))
    private let bytes: MemorySource

    init(_ bytes: [UInt8], chunkSize: Int) {
        self.bytes = MemorySource(bytes, chunkSize: chunkSize)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(AnonLogError) -> Int {
        let count = try bytes.read(into: buffer)
        if count == 0 { throw error }
        return count
    }
}

/// A sink that accepts `capacity` bytes and then fails, like a full disk.
private final class FullSink: ByteSink {
    let name = "full"
    let capacity: Int
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { self.capacity = capacity }

    func write(_ bytes: UnsafeRawBufferPointer) throws(AnonLogError) {
        guard self.bytes.count + bytes.count <= capacity else {
            throw AnonLogError(.ioError, "cannot write", location: .init(path: name), errno: 28)
        }
        self.bytes += bytes
    }

    func flush() throws(AnonLogError) {}
    func finish() throws(AnonLogError) {}
}

struct ChunkPipelineStreamTests {
    let oracle: AnonymizationOracle

    init() throws {
        oracle = try AnonymizationOracle()
    }

    /// A stream anonymizer keyed like ``LogAnonymizer`` with the oracle's key.
    func stream(chunkSize: Int = 1 << 20, maximumLineLength: Int = 64 << 20) throws -> ChunkPipeline<HMACPseudonymizer> {
        try ChunkPipeline(workers: [oracle.lineAnonymizer()], gzipLevel: nil, chunkSize: chunkSize, maximumLineLength: maximumLineLength)
    }

    /// What ``LogAnonymizer`` makes of the whole input at once.
    func reference(_ input: [UInt8]) throws -> (output: [UInt8], counts: AnonymizationCounts) {
        let anonymizer = try LogAnonymizer(key: oracle.key)
        let output = anonymizer.anonymize(input)
        return (output, anonymizer.counts)
    }

    /// `bytes` cut into reads of random sizes between 1 and `maximum`.
    static func randomChunks(_ bytes: [UInt8], maximum: Int, using generator: inout SeededGenerator) -> [[UInt8]] {
        var chunks: [[UInt8]] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int.random(in: 1...maximum, using: &generator))
            chunks.append(Array(bytes[start..<end]))
            start = end
        }
        return chunks
    }

    /// A mix of real and awkward lines: several formats, binary junk, CRLF, empty lines, no final line feed.
    static func mixedInput() throws -> [UInt8] {
        var input = Array(try RealWorldCorpus.bytes("nielsbasjes-logparser/hackers-access.log").prefix(60_000))
        input += Array(try RealWorldCorpus.bytes("honeynet-chuvakin-httpd/access_log"))
        input += Array(try RealWorldCorpus.bytes("elastic-beats-fixtures/nginx_access_test.log"))
        input += Array(#"{"event":"message","session_id":"cs_9-192.0.2.1","visitor_ip":"2001:db8::9","text":"me: 10.1.2.3:80"}"#.utf8) + [0x0A]
        input += Array("a\r\n\r\n\n[client 1.2.3.4:5678] 010.1.1.1 x=2001%3Adb8%3A%3A1\r\n".utf8) + [0x00, 0xFF, 0x0A]
        input += Array("last 198.51.100.7 without a line feed".utf8)
        return input
    }

    // MARK: - Agreement with the in-memory anonymizer

    @Test(arguments: [(1 as UInt64, 7), (2, 64), (3, 1_000), (4, 70_000)])
    func randomReadSizesGiveWhatTheWholeInputGivesAtOnce(seed: UInt64, maximumRead: Int) throws {
        let input = try Self.mixedInput()
        var generator = SeededGenerator(seed: seed)
        let source = MemorySource(chunks: Self.randomChunks(input, maximum: maximumRead, using: &generator))
        let sink = CollectingSink()
        let stream = try stream(chunkSize: 256)
        try stream.run(source, into: sink)
        let expected = try reference(input)
        #expect(firstDifference(sink.bytes, expected.output) == nil)
        #expect(stream.counts == expected.counts)
        #expect(!sink.isFinished, "the sink is flushed, not finished: more inputs may follow")
    }

    @Test func anEmptySourceWritesNothing() throws {
        let sink = CollectingSink()
        let stream = try stream()
        try stream.run(MemorySource([]), into: sink)
        #expect(sink.bytes.isEmpty)
        #expect(stream.counts == AnonymizationCounts())
    }

    // MARK: - Oversized lines

    /// Lines of words and addresses separated by spaces, some far longer than the line limit.
    static func longLines(count: Int, using generator: inout SeededGenerator) -> (input: [UInt8], addresses: [String]) {
        var text = ""
        var addresses: [String] = []
        for _ in 0..<count {
            let length = [20, 100, 127, 128, 129, 300, 2_000].randomElement(using: &generator)!
            var line = ""
            while line.utf8.count < length {
                switch Int.random(in: 0..<4, using: &generator) {
                case 0:
                    let address = "203.0.\(Int.random(in: 0...255, using: &generator)).\(Int.random(in: 1...255, using: &generator))"
                    addresses.append(address)
                    line += address
                case 1:
                    let address = "2001:db8:\(String(Int.random(in: 1...0xFFFF, using: &generator), radix: 16))::\(String(Int.random(in: 1...0xFFFF, using: &generator), radix: 16))"
                    addresses.append(address)
                    line += "[\(address)]:443"
                case 2:
                    let address = "198.51.100.\(Int.random(in: 1...255, using: &generator))"
                    addresses.append(address)
                    line += "q=\(address)&v=Chrome/120.0.6099.129"
                default:
                    line += String(repeating: "w", count: Int.random(in: 1...30, using: &generator))
                }
                line += " "
            }
            text += line + "\n"
        }
        return (Array(text.utf8), addresses)
    }

    @Test(arguments: [11 as UInt64, 12, 13])
    func linesLongerThanTheLimitAreAnonymizedInPiecesWithoutSplittingAnAddress(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let (input, addresses) = Self.longLines(count: 120, using: &generator)
        let source = MemorySource(chunks: Self.randomChunks(input, maximum: 50, using: &generator))
        let sink = CollectingSink()
        let stream = try stream(chunkSize: 64, maximumLineLength: 128)
        try stream.run(source, into: sink)

        // Cut only where no address can be: the same bytes as whole-line anonymization.
        let expected = try reference(input)
        #expect(firstDifference(sink.bytes, expected.output) == nil)
        for address in Set(addresses) {
            #expect(!contains(sink.bytes, address), "\(address) survived")
        }
        let lines = splitLines(input)
        #expect(splitLines(sink.bytes).count == lines.count)
        #expect(stream.counts.lines == lines.count)
        #expect(stream.counts.oversizedLines == lines.filter { $0.count >= 128 }.count)
        #expect(stream.counts.addressesReplaced == expected.counts.addressesReplaced)
    }

    @Test(arguments: [1, 10, 64, 1_000])
    func aRunOfAddressCharactersLongerThanTheLimitIsRedactedWhole(readSize: Int) throws {
        // Forty IPv4 addresses in the colon-separated fields of one run: no cut can avoid them.
        let run = String(repeating: "192.0.2.1:", count: 40) + "2001:db8::1"
        let input = Array("x \(run) y\n\(run)\nnext 198.51.100.1\n".utf8)
        let sink = CollectingSink()
        let stream = try stream(chunkSize: 64, maximumLineLength: 128)
        try stream.run(MemorySource(input, chunkSize: readSize), into: sink)
        #expect(text(sink.bytes) == "x REDACTED y\nREDACTED\nnext \(oracle.pseudonym("198.51.100.1"))\n")
        let counts = stream.counts
        #expect(counts.lines == 3 && counts.oversizedLines == 2)
        #expect(counts.redactions == 2 && counts.addressesReplaced == 1)
        #expect(counts.bytesIn == input.count && counts.bytesOut == sink.bytes.count)
    }

    @Test func aRunThatFitsIsAnonymizedAsUsual() throws {
        let input = Array(("x " + String(repeating: "192.0.2.1:", count: 12) + " y\n").utf8)
        let sink = CollectingSink()
        try stream(chunkSize: 64, maximumLineLength: 128).run(MemorySource(input, chunkSize: 7), into: sink)
        let pseudonym = oracle.pseudonym("192.0.2.1")
        #expect(text(sink.bytes) == "x " + String(repeating: pseudonym + ":", count: 12) + " y\n")
    }

    @Test func anOversizedLastLineWithoutLineFeedIsWritten() throws {
        let input = Array(("a 192.0.2.1 " + String(repeating: "z", count: 300) + " 192.0.2.2").utf8)
        let sink = CollectingSink()
        let stream = try stream(chunkSize: 64, maximumLineLength: 128)
        try stream.run(MemorySource(input, chunkSize: 33), into: sink)
        #expect(text(sink.bytes) == "a \(oracle.pseudonym("192.0.2.1")) " + String(repeating: "z", count: 300) + " \(oracle.pseudonym("192.0.2.2"))")
        #expect(stream.counts.lines == 1 && stream.counts.oversizedLines == 1)
    }

    @Test func anOversizedLastLineEndingAtACutIsCounted() throws {
        let sink = CollectingSink()
        let stream = try stream(chunkSize: 64, maximumLineLength: 128)
        try stream.run(MemorySource(Array(repeating: UInt8(ascii: "z"), count: 256), chunkSize: 64), into: sink)
        #expect(text(sink.bytes) == String(repeating: "z", count: 256))
        #expect(stream.counts.lines == 1 && stream.counts.oversizedLines == 1, "\(stream.counts)")
    }

    // MARK: - Failures

    @Test(arguments: [1, 5, 1_000])
    func aFailingSourceHasEverythingBeforeTheDamageWrittenAndItsPartialLineEnded(chunkSize: Int) throws {
        let input = Array("first 192.0.2.1\nsecond 192.0.2.2\npartial 192.0.2.3".utf8)
        let source = FailingSource(input, chunkSize: chunkSize)
        let sink = CollectingSink()
        let stream = try stream(chunkSize: 64)
        var failure: AnonLogError?
        do {
            try stream.run(source, into: sink)
        } catch {
            guard case .input(let damage) = error else {
                Issue.record("the failure is not on the input side: \(error)")
                return
            }
            failure = damage
        }
        #expect(failure?.code == .dataError && failure?.location?.byteOffset == 42)
        let expected = "first \(oracle.pseudonym("192.0.2.1"))\nsecond \(oracle.pseudonym("192.0.2.2"))\npartial \(oracle.pseudonym("192.0.2.3"))\n"
        #expect(text(sink.bytes) == expected)
        #expect(sink.flushedAt.last == sink.bytes.count)
        #expect(stream.counts.lines == 3)
        #expect(stream.counts.bytesOut == sink.bytes.count)
    }

    @Test func aSourceFailingInsideAnOversizedLineHasThatLineEnded() throws {
        let sink = CollectingSink()
        let stream = try stream(chunkSize: 64, maximumLineLength: 128)
        do {
            try stream.run(FailingSource(Array(repeating: UInt8(ascii: "z"), count: 256), chunkSize: 64), into: sink)
            Issue.record("no failure")
        } catch {
            guard case .input = error else { Issue.record("\(error)"); return }
        }
        #expect(text(sink.bytes) == String(repeating: "z", count: 256) + "\n")
        #expect(stream.counts.lines == 1 && stream.counts.bytesOut == 257)
    }

    @Test func aSourceFailingAtALineEndGetsNoExtraLineFeed() throws {
        let sink = CollectingSink()
        let pipeline = try stream()
        do {
            try pipeline.run(FailingSource(Array("a 192.0.2.1\n".utf8), chunkSize: 4), into: sink)
            Issue.record("no failure")
        } catch {
            guard case .input = error else { Issue.record("\(error)"); return }
        }
        #expect(text(sink.bytes) == "a \(oracle.pseudonym("192.0.2.1"))\n")
    }

    @Test func aFailingSinkComesOutAsAnOutputFailure() throws {
        let input = Array(String(repeating: "192.0.2.1 - - x\n", count: 200_000).utf8)
        let sink = FullSink(capacity: 100_000)
        let pipeline = try stream(chunkSize: 4096)
        do {
            try pipeline.run(MemorySource(input, chunkSize: 4096), into: sink)
            Issue.record("no failure")
        } catch {
            guard case .output(let failure) = error else {
                Issue.record("the failure is not on the output side: \(error)")
                return
            }
            #expect(failure.code == .ioError && failure.errno == 28)
        }
        #expect(sink.bytes.count <= 100_000)
    }

    // MARK: - Live sources

    @Test func aLiveSourceHasEveryCompleteLineFlushedAfterEachRead() throws {
        let reads = ["192.0.2.1 a\n", "192.0.2.2 b\n198.51", ".100.3 c\n", "tail"].map { Array($0.utf8) }
        let sink = CollectingSink()
        try stream().run(MemorySource(chunks: reads, isLive: true), into: sink)
        let first = "\(oracle.pseudonym("192.0.2.1")) a\n".utf8.count
        let second = first + "\(oracle.pseudonym("192.0.2.2")) b\n".utf8.count
        let third = second + "\(oracle.pseudonym("198.51.100.3")) c\n".utf8.count
        // Every complete line is out and flushed after the read that completed it.
        #expect(Array(sink.flushedAt.prefix(3)) == [first, second, third])
        #expect(sink.flushedAt.last == third + 4)
    }

    @Test func aStoredSourceIsFlushedOnlyAtTheEnd() throws {
        let reads = ["192.0.2.1 a\n", "192.0.2.2 b\n"].map { Array($0.utf8) }
        let sink = CollectingSink()
        try stream().run(MemorySource(chunks: reads, isLive: false), into: sink)
        #expect(sink.flushedAt == [sink.bytes.count])
    }
}
