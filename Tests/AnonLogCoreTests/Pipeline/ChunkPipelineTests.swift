import Foundation
import Testing
@testable import AnonLogCore

/// The parallel pipeline against the single-threaded rewrite of the same bytes.
struct ChunkPipelineTests {
    static let key = SecretKey(bytes: (0..<32).map { UInt8($0) })!

    static func workers(_ count: Int) -> [LineAnonymizer<HMACPseudonymizer>] {
        let options = AnonymizationOptions()
        let builder = LineRewriterBuilder(
            keys: KeyRecord(mode: .hmac, rotation: .none, epoch: 0, key: key), options: options, direction: .anonymize,
            now: 0, count: 1, gzipLevel: nil)
        return (0..<count).map { _ in
            builder.rewriter { (key) throws(AnonLogError) in try HMACPseudonymizer(epochKey: key, options: options) }
        }
    }

    /// What one rewriter makes of the whole input at once.
    static func reference(_ input: [UInt8]) throws -> [UInt8] {
        let output = OutputBuffer()
        workers(1)[0].anonymize(lines: input.withUnsafeBytes { $0 }, into: output)
        return Array(output.bytes)
    }

    static func corpus(lines: Int, seed: UInt64) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        var text = ""
        for index in 0..<lines {
            let client = "198.51.\(Int.random(in: 0...3, using: &generator)).\(Int.random(in: 1...254, using: &generator))"
            text += "\(client) - - [20/Nov/2026:10:00:\(index % 60 < 10 ? "0" : "")\(index % 60) +0000] \"GET /p/\(index)?via=2001:db8::\(index % 9 + 1) HTTP/1.1\" 200 \(index) \"-\" \"agent\"\n"
        }
        return Array(text.utf8)
    }

    // MARK: - Order and content

    @Test(arguments: [1, 2, 4]) 
    func outputEqualsTheSingleThreadedRewriteInOrder(workerCount: Int) throws {
        let input = Self.corpus(lines: 3_000, seed: UInt64(workerCount))
        let pipeline = try ChunkPipeline(workers: Self.workers(workerCount), gzipLevel: nil, chunkSize: 4_096)
        let sink = CollectingSink()
        try pipeline.run(ScriptedSource(input, readSizes: [1_000, 7, 65_536]), into: sink)
        #expect(sink.bytes == (try Self.reference(input)))
        #expect(pipeline.counts.lines == 3_000)
    }

    @Test func gzipOutputIsOneMemberPerChunkAndDecodesToThePlainOutput() throws {
        let input = Self.corpus(lines: 2_000, seed: 9)
        let pipeline = try ChunkPipeline(workers: Self.workers(2), gzipLevel: 1, chunkSize: 8_192)
        let sink = CollectingSink()
        try pipeline.run(ScriptedSource(input), into: sink)
        let inflated = drain(try GzipInflatingSource(wrapping: MemorySource(sink.bytes))).bytes
        #expect(inflated == (try Self.reference(input)))
    }

    // MARK: - Edges

    @Test func aLastLineWithoutALineFeedStaysWithoutOne() throws {
        let input = Array("192.0.2.1 a\n192.0.2.2 b".utf8)
        let pipeline = try ChunkPipeline(workers: Self.workers(2), gzipLevel: nil, chunkSize: 4)
        let sink = CollectingSink()
        try pipeline.run(ScriptedSource(input), into: sink)
        #expect(sink.bytes == (try Self.reference(input)))
        #expect(sink.bytes.last == UInt8(ascii: "b"))
    }

    @Test func oversizedLinesGoInPiecesWithoutSplittingAnAddress() throws {
        // Lines of 300 bytes with a limit of 64: every address still found, nothing else changed.
        var text = ""
        for index in 0..<50 {
            text += String(repeating: "x ", count: 70) + "203.0.113.\(index + 1) " + String(repeating: "y ", count: 70) + "\n"
        }
        let input = Array(text.utf8)
        let pipeline = try ChunkPipeline(workers: Self.workers(2), gzipLevel: nil, chunkSize: 32, maximumLineLength: 64)
        let sink = CollectingSink()
        try pipeline.run(ScriptedSource(input, readSizes: [5, 17]), into: sink)
        #expect(sink.bytes == (try Self.reference(input)))
        #expect(pipeline.counts.oversizedLines == 50 && pipeline.counts.lines == 50)
        #expect(pipeline.counts.addressesReplaced == 50)
    }

    @Test func damageWritesEverythingBeforeItAndEndsThePartialLine() throws {
        let input = Array("192.0.2.1 first\n192.0.2.2 sec".utf8)
        let pipeline = try ChunkPipeline(workers: Self.workers(2), gzipLevel: nil)
        let sink = CollectingSink()
        let failure = AnonLogError(.dataError, "truncated gzip member", location: .init(path: "x.gz", byteOffset: 10))
        #expect(throws: StreamFailure.self) {
            try pipeline.run(ScriptedSource(input, failure: failure), into: sink)
        }
        let text = String(decoding: sink.bytes, as: UTF8.self)
        #expect(text.hasSuffix(" sec\n") && text.split(separator: "\n").count == 2 && !text.contains("192.0.2."))
    }

    @Test func aFailingSinkStopsTheRunAsAnOutputFailure() throws {
        let input = Self.corpus(lines: 5_000, seed: 3)
        let pipeline = try ChunkPipeline(workers: Self.workers(2), gzipLevel: nil, chunkSize: 4_096)
        let sink = FailingSink(after: 10_000)
        do {
            try pipeline.run(ScriptedSource(input), into: sink)
            Issue.record("the run should fail")
        } catch {
            guard case .output(let failure) = error else {
                Issue.record("expected an output failure, got \(error)")
                return
            }
            #expect(failure.code == .ioError)
        }
    }

    @Test func aLiveSourceIsFlushedAfterEveryChunk() throws {
        let input = Array("192.0.2.1 a\n192.0.2.2 b\n192.0.2.3 c\n".utf8)
        let pipeline = try ChunkPipeline(workers: Self.workers(2), gzipLevel: nil)
        let sink = CollectingSink()
        try pipeline.run(ScriptedSource(input, readSizes: [12], isLive: true), into: sink)
        #expect(sink.flushedAt.count >= 3)
        #expect(sink.bytes == (try Self.reference(input)))
    }
}

/// Fails with an i/o error once more than `limit` bytes were written.
final class FailingSink: ByteSink {
    let name = "failing"
    private var written = 0
    private let limit: Int

    init(after limit: Int) { self.limit = limit }

    func write(_ bytes: UnsafeRawBufferPointer) throws(AnonLogError) {
        written += bytes.count
        if written > limit { throw AnonLogError(.ioError, "cannot write", location: .init(path: name), errno: 28) }
    }

    func flush() throws(AnonLogError) {}
    func finish() throws(AnonLogError) {}
}

/// Hands out bytes in reads of the given sizes (cycled), then ends or fails.
final class ScriptedSource: ByteSource {
    let name = "scripted"
    let isLive: Bool
    private let bytes: [UInt8]
    private let readSizes: [Int]
    private let failure: AnonLogError?
    private var offset = 0
    private var reads = 0

    init(_ bytes: [UInt8], readSizes: [Int] = [.max], isLive: Bool = false, failure: AnonLogError? = nil) {
        self.bytes = bytes
        self.readSizes = readSizes
        self.isLive = isLive
        self.failure = failure
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(AnonLogError) -> Int {
        if offset == bytes.count {
            if let failure { throw failure }
            return 0
        }
        let count = min(buffer.count, readSizes[reads % readSizes.count], bytes.count - offset)
        reads += 1
        bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + count)])) }
        offset += count
        return count
    }
}
