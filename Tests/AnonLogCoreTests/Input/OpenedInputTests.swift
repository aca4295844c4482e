import Foundation
import Testing
@testable import AnonLogCore

#if canImport(Glibc)
import Glibc
#endif

struct OpenedInputTests {
    let text = sampleLog(lines: 100)

    /// The input opened from a file `name` holding `bytes`; keep the directory while reading.
    private func open(_ bytes: [UInt8], named name: String) throws
        -> (input: OpenedInput, directory: TemporaryDirectory)
    {
        let directory = try TemporaryDirectory()
        return (try OpenedInput.open(path: directory.file(name, bytes)), directory)
    }

    // MARK: - Files

    @Test func aGzipFileIsInflated() throws {
        let compressed = try gzip(text)
        let (input, _) = try open(compressed, named: "access.log.1")
        let result = drain(input.source)
        #expect(result.error == nil)
        #expect(result.bytes == text)
        #expect(input.gzip?.membersRead == 1)
        #expect(input.gzip?.compressedBytesRead == compressed.count)
        #expect(input.file.bytesRead == compressed.count)
    }

    @Test func plainTextNamedLikeGzipStaysPlain() throws {
        let (input, _) = try open(text, named: "x.gz")
        #expect(input.gzip == nil)
        #expect(drain(input.source).bytes == text)
        #expect(input.file.bytesRead == text.count)
    }

    @Test func anEmptyFileIsPlainAndEmpty() throws {
        let (input, _) = try open([], named: "empty.gz")
        #expect(input.gzip == nil)
        let result = drain(input.source)
        #expect(result.error == nil)
        #expect(result.bytes.isEmpty)
    }

    @Test(arguments: [[0x1f], [0x41], [0x1f, 0x00, 0x41], [0x1f, 0x1f, 0x8b]] as [[UInt8]])
    func bytesWithoutTheFullMagicArePlain(bytes: [UInt8]) throws {
        let (input, _) = try open(bytes, named: "short")
        #expect(input.gzip == nil)
        #expect(drain(input.source, bufferSize: 1).bytes == bytes)
    }

    @Test func aMissingFileIsNoInput() throws {
        let error = try #require(throws: AnonLogError.self) { try OpenedInput.open(path: "/nonexistent/a.log") }
        #expect(error.code == .noInput)
    }

    // MARK: - Pipes

    /// Reads `bytes` back through a pipe, the way standard input would deliver them.
    private func throughPipe(_ bytes: [UInt8]) throws -> (input: OpenedInput, output: [UInt8]) {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        try #require(bytes.count < 60_000, "a pipe holds 64 KiB before the writer blocks")
        let written = bytes.withUnsafeBytes { Glibc.write(ends[1], $0.baseAddress, $0.count) }
        try #require(written == bytes.count)
        close(ends[1])
        let file = FileDescriptorSource(descriptor: ends[0], name: "-", ownsDescriptor: true)
        let input = try OpenedInput(detecting: file)
        let result = drain(input.source)
        #expect(result.error == nil)
        return (input, result.bytes)
    }

    @Test func gzipOnAPipeIsRecognisedAndInflated() throws {
        let (input, output) = try throughPipe(try gzip(text) + gzip(text))
        #expect(input.gzip != nil)
        #expect(input.source.isLive)
        #expect(output == text + text)
    }

    @Test func plainTextOnAPipeIsPassedThroughWhole() throws {
        let (input, output) = try throughPipe(text)
        #expect(input.gzip == nil)
        #expect(output == text)
    }
}
