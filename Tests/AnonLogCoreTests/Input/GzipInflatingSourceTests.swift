import Testing
@testable import AnonLogCore

struct GzipInflatingSourceTests {
    let a = sampleLog(lines: 300, seed: 1)
    let b = sampleLog(lines: 200, seed: 2)

    private func inflate(_ compressed: [UInt8], chunkSize: Int = .max, bufferSize: Int = 4096) throws
        -> (bytes: [UInt8], error: AnonLogError?, source: GzipInflatingSource)
    {
        let source = try GzipInflatingSource(wrapping: MemorySource(compressed, chunkSize: chunkSize, name: "in.gz"), implementation: .zlib)
        let (bytes, error) = drain(source, bufferSize: bufferSize)
        return (bytes, error, source)
    }

    // MARK: - Members

    @Test func oneMemberInflatesToTheOriginal() throws {
        let compressed = try gzip(a)
        let result = try inflate(compressed)
        #expect(result.error == nil)
        #expect(result.bytes == a)
        #expect(result.source.membersRead == 1)
        #expect(result.source.compressedBytesRead == compressed.count)
    }

    @Test func concatenatedMembersInflateToTheirConcatenation() throws {
        let compressed = try gzip(a) + gzip(b)
        let result = try inflate(compressed)
        #expect(result.error == nil)
        #expect(result.bytes == a + b)
        #expect(result.source.membersRead == 2)
    }

    @Test func anEmptyMemberBetweenOthersAddsNothing() throws {
        let empty = try gzip([])
        let result = try inflate(gzip(a) + empty + gzip(b) + empty)
        #expect(result.error == nil)
        #expect(result.bytes == a + b)
        #expect(result.source.membersRead == 4)
    }

    @Test func manySmallMembersInflateInOrder() throws {
        var compressed: [UInt8] = []
        var plain: [UInt8] = []
        for number in 0..<100 {
            let line = Array("line \(number)\n".utf8)
            let sink = CollectingSink()
            let deflater = try GzipDeflatingSink(wrapping: sink)
            try write(line, to: deflater)
            try deflater.finish()
            compressed += sink.bytes
            plain += line
        }
        let result = try inflate(compressed, bufferSize: 7)
        #expect(result.error == nil)
        #expect(result.bytes == plain)
        #expect(result.source.membersRead == 100)
        #expect(try gunzip(compressed).output == plain)
    }

    @Test(arguments: [1, 2, 3, 1000])
    func inputArrivingInSmallPiecesInflatesTheSame(chunkSize: Int) throws {
        let result = try inflate(try gzip(a) + gzip(b) + [0, 0], chunkSize: chunkSize, bufferSize: 100)
        #expect(result.error == nil)
        #expect(result.bytes == a + b)
    }

    @Test func aMemberWithAStoredFileNameInflates() throws {
        // Without -n, gzip records the input file's name and time in the header.
        let result = try inflate(try runGzip([], input: a).output)
        #expect(result.error == nil)
        #expect(result.bytes == a)
    }

    @Test func aHighlyCompressedStreamStreamsThroughASmallBuffer() throws {
        let zeros = [UInt8](repeating: 0, count: 16 << 20)
        let compressed = try gzip(zeros, level: 9)
        let source = try GzipInflatingSource(wrapping: MemorySource(compressed), implementation: .zlib)
        var buffer = [UInt8](repeating: 1, count: 64 * 1024)
        var total = 0
        var allZero = true
        while true {
            let count = try readOnce(source, into: &buffer)
            if count == 0 { break }
            total += count
            allZero = allZero && buffer[..<count].allSatisfy { $0 == 0 }
        }
        #expect(total == zeros.count)
        #expect(allZero)
        #expect(GzipInflatingSource.inputCapacity == 256 * 1024)
    }

    // MARK: - Live input

    @Test func aLiveSourceGetsEachFlushedPartBeforeMoreInputIsRead() throws {
        let sink = CollectingSink()
        let deflater = try GzipDeflatingSink(wrapping: sink)
        var parts: [[UInt8]] = []
        var lines: [[UInt8]] = []
        for number in 0..<3 {
            let line = Array("request \(number)\n".utf8)
            let before = sink.bytes.count
            try write(line, to: deflater)
            try deflater.flush()
            parts.append(Array(sink.bytes[before...]))
            lines.append(line)
        }
        let inner = MemorySource(chunks: parts, isLive: true)
        let source = try GzipInflatingSource(wrapping: inner, implementation: .zlib)
        var buffer = [UInt8](repeating: 0, count: 4096)
        for (index, line) in lines.enumerated() {
            let count = try readOnce(source, into: &buffer)
            #expect(Array(buffer[..<count]) == line)
            #expect(inner.readCalls == index + 1)
        }
    }

    // MARK: - Truncation

    @Test func everyCutOfAMemberGivesAPrefixAndATruncationError() throws {
        let plain = sampleLog(lines: 20)
        let compressed = try gzip(plain)
        for cut in 0..<compressed.count {
            let result = try inflate(Array(compressed[..<cut]), bufferSize: 64)
            #expect(plain.starts(with: result.bytes), "cut at \(cut)")
            let error = try #require(result.error, "cut at \(cut)")
            #expect(error.code == .dataError)
            #expect(error.message == "truncated gzip member starting at byte 0")
            #expect(error.location == .init(path: "in.gz", byteOffset: cut))
        }
    }

    @Test func aCutInTheSecondMemberNamesWhereThatMemberStarts() throws {
        let first = try gzip(a)
        let second = try gzip(b)
        for cut in stride(from: 1, to: second.count, by: 97) {
            let result = try inflate(first + second[..<cut], chunkSize: 1000)
            #expect(result.bytes.starts(with: a))
            #expect(b.starts(with: result.bytes[a.count...]))
            let error = try #require(result.error)
            #expect(error.message == "truncated gzip member starting at byte \(first.count)")
            #expect(error.location?.byteOffset == first.count + cut)
        }
    }

    @Test func theBytesBeforeDamageComeFirstAndTheNextReadThrows() throws {
        let compressed = try gzip(a)
        let source = try GzipInflatingSource(wrapping: MemorySource(Array(compressed.dropLast(3))), implementation: .zlib)
        var buffer = [UInt8](repeating: 0, count: a.count * 2)
        let count = try readOnce(source, into: &buffer)
        #expect(Array(buffer[..<count]) == a)
        for _ in 0..<2 {
            #expect(throws: AnonLogError.self) {
                _ = try readOnce(source, into: &buffer)
            }
        }
    }

    // MARK: - Corruption

    @Test func anUnknownCompressionMethodIsAHeaderErrorAtItsMember() throws {
        let first = try gzip(a)
        var second = try gzip(b)
        second[2] = 7  // method: only 8 (deflate) exists
        let result = try inflate(first + second)
        #expect(result.bytes == a)
        let error = try #require(result.error)
        #expect(error.code == .dataError)
        #expect(error.message == "corrupt gzip header (unknown compression method)")
        // zlib reads the method and flag bytes together, so it stops after the flags.
        #expect(error.location?.byteOffset == first.count + 4)
    }

    @Test func reservedHeaderFlagsAreAHeaderError() throws {
        var compressed = try gzip(a)
        compressed[3] |= 0x80
        let result = try inflate(compressed)
        #expect(result.bytes.isEmpty)
        let error = try #require(result.error)
        #expect(error.message == "corrupt gzip header (unknown header flags set)")
        #expect(error.location?.byteOffset == 4)
    }

    @Test(arguments: [0.25, 0.5, 0.75])
    func damagedDeflateDataIsReportedAfterEveryByteBeforeIt(position: Double) throws {
        let plain = sampleLog(lines: 3000)
        var compressed = try gzip(plain)
        let flip = Int(Double(compressed.count) * position)
        // What the bytes before the damage decode to must all be delivered.
        let before = try inflate(Array(compressed[..<flip])).bytes
        compressed[flip] ^= 0x55
        let result = try inflate(compressed, chunkSize: 5000)
        #expect(result.bytes.starts(with: before))
        let error = try #require(result.error)
        #expect(error.code == .dataError)
        #expect(error.message.hasPrefix("corrupt gzip data ("))
        let offset = try #require(error.location?.byteOffset)
        #expect(offset > flip && offset <= compressed.count)
    }

    @Test func aWrongChecksumIsReportedAfterAllTheData() throws {
        var compressed = try gzip(a)
        compressed[compressed.count - 8] ^= 0xff  // first byte of the CRC-32
        let result = try inflate(compressed)
        #expect(result.bytes == a)
        let error = try #require(result.error)
        #expect(error.message == "corrupt gzip data (incorrect data check)")
        #expect(error.location?.byteOffset == compressed.count - 4)
    }

    @Test func aWrongLengthIsReportedAtTheEndOfTheMember() throws {
        var compressed = try gzip(a)
        compressed[compressed.count - 1] ^= 0x01
        let result = try inflate(compressed + gzip(b))
        #expect(result.bytes == a)
        #expect(result.error?.message == "corrupt gzip data (incorrect length check)")
        #expect(result.error?.location?.byteOffset == compressed.count)
    }

    // MARK: - After the last member

    @Test func trailingZeroPaddingIsIgnored() throws {
        let compressed = try gzip(a)
        let result = try inflate(compressed + [UInt8](repeating: 0, count: 10_000), chunkSize: 4096)
        #expect(result.error == nil)
        #expect(result.bytes == a)
        #expect(result.source.compressedBytesRead == compressed.count + 10_000)
    }

    @Test func trailingGarbageIsAnErrorAfterAllTheData() throws {
        let compressed = try gzip(a)
        let result = try inflate(compressed + Array("hello\n".utf8))
        #expect(result.bytes == a)
        let error = try #require(result.error)
        #expect(error.code == .dataError)
        #expect(error.message == "trailing data after gzip member is not gzip")
        #expect(error.location?.byteOffset == compressed.count)
    }

    @Test func garbageAfterZeroPaddingIsAnErrorAtTheFirstNonZeroByte() throws {
        let compressed = try gzip(a)
        let result = try inflate(compressed + [0, 0, 0, 0x41], chunkSize: 2)
        #expect(result.bytes == a)
        #expect(result.error?.message == "trailing data after gzip member is not gzip")
        #expect(result.error?.location?.byteOffset == compressed.count + 3)
    }

    @Test func aMagicByteNotFollowedByTheSecondIsGarbage() throws {
        let compressed = try gzip(a)
        let result = try inflate(compressed + [0x1f, 0x00], chunkSize: compressed.count + 1)
        #expect(result.bytes == a)
        #expect(result.error?.message == "trailing data after gzip member is not gzip")
        #expect(result.error?.location?.byteOffset == compressed.count)
    }

    @Test func aLoneMagicByteAtTheEndIsATruncatedMember() throws {
        let compressed = try gzip(a)
        let result = try inflate(compressed + [0x1f])
        #expect(result.bytes == a)
        #expect(result.error?.message == "truncated gzip member starting at byte \(compressed.count)")
        #expect(result.error?.location?.byteOffset == compressed.count + 1)
    }
}
