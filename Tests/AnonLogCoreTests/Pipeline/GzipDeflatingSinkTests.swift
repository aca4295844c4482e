import Foundation
import Testing
@testable import AnonLogCore

struct GzipDeflatingSinkTests {
    let text = sampleLog(lines: 2000)

    private func compress(_ pieces: [[UInt8]], level: Int = 6) throws -> [UInt8] {
        let sink = CollectingSink()
        let deflater = try GzipDeflatingSink(wrapping: sink, level: level)
        for piece in pieces { try write(piece, to: deflater) }
        try deflater.finish()
        #expect(sink.isFinished)
        #expect(deflater.uncompressedBytesWritten == pieces.reduce(0) { $0 + $1.count })
        return sink.bytes
    }

    // MARK: - Output

    @Test(arguments: [0, 1, 6, 9])
    func gzipDecompressesWhatWasWritten(level: Int) throws {
        let compressed = try compress([text], level: level)
        let result = try gunzip(compressed)
        #expect(result.valid)
        #expect(result.output == text)
    }

    @Test func manyWritesAndLargeWritesMakeOneMember() throws {
        let big = sampleLog(lines: 40_000, seed: 9)  // larger than the output buffer once compressed
        let pieces = [Array(text[..<1]), Array(text[1...]), big, [], Array("end\n".utf8)]
        let compressed = try compress(pieces)
        #expect(compressed.count > GzipDeflatingSink.outputCapacity)
        let inflater = try GzipInflatingSource(wrapping: MemorySource(compressed))
        let result = drain(inflater, bufferSize: 100_000)
        #expect(result.error == nil)
        #expect(result.bytes == pieces.flatMap { $0 })
        #expect(inflater.membersRead == 1)
    }

    @Test func theHeaderHasNoNameAndNoTime() throws {
        let compressed = try compress([text])
        #expect(Array(compressed[0..<4]) == [0x1f, 0x8b, 8, 0])  // magic, deflate, no flags
        #expect(Array(compressed[4..<8]) == [0, 0, 0, 0])  // modification time
    }

    @Test func anEmptyStreamIsAValidEmptyMember() throws {
        let result = try gunzip(try compress([]))
        #expect(result.valid)
        #expect(result.output.isEmpty)
    }

    @Test func aLevelOutsideZeroToNineIsRefused() {
        let error = #expect(throws: AnonLogError.self) { try GzipDeflatingSink(wrapping: CollectingSink(), level: 10) }
        #expect(error?.code == .usage)
    }

    // MARK: - Flushing

    @Test func everythingBeforeAFlushCanBeDecompressedAtOnce() throws {
        let sink = CollectingSink()
        let deflater = try GzipDeflatingSink(wrapping: sink)
        let first = Array(text[..<5000])
        try write(first, to: deflater)
        try deflater.flush()
        #expect(sink.flushedAt == [sink.bytes.count])
        // The stream is unfinished: zlib gives every byte written, then reports the missing end.
        // zlib decodes everything up to a sync point without waiting for more input.
        let partial = drain(try GzipInflatingSource(wrapping: MemorySource(sink.bytes), implementation: .zlib))
        #expect(partial.bytes == first)
        #expect(partial.error?.message == "truncated gzip member starting at byte 0")

        try write(Array(text[5000...]), to: deflater)
        try deflater.finish()
        #expect(try gunzip(sink.bytes).output == text)
    }

    @Test func aFlushWithNothingNewAddsNoBytes() throws {
        let sink = CollectingSink()
        let deflater = try GzipDeflatingSink(wrapping: sink)
        try write(text, to: deflater)
        try deflater.flush()
        let size = sink.bytes.count
        try deflater.flush()
        #expect(sink.bytes.count == size)
        #expect(sink.flushedAt.count == 2)
    }

    // MARK: - Files

    @Test func aSecondMemberAppendedToAGzipFileMakesAValidMultiMemberFile() throws {
        let directory = try TemporaryDirectory()
        let first = Array(text[..<10_000])
        let second = Array(text[10_000...])
        let path = try directory.file("anon.log.gz", try gzip(first))
        let file = try OutputFile.append(path: path)
        let deflater = try GzipDeflatingSink(wrapping: file.sink)
        try write(second, to: deflater)
        try deflater.finish()
        try file.commit()
        let stored = try directory.contents(of: "anon.log.gz")
        #expect(try gunzip(stored) == (text, true))
        let input = try OpenedInput.open(path: path)
        #expect(drain(input.source).bytes == text)
        #expect(input.gzip?.membersRead == 2)
    }
}
