import Foundation
import Testing
@testable import AnonLogCore

#if canImport(Glibc)
import Glibc
#endif

struct FileDescriptorSinkTests {
    /// A sink writing to a new file `out` in `directory`.
    private func fileSink(in directory: TemporaryDirectory, bufferCapacity: Int = 64) -> FileDescriptorSink {
        let path = directory.path + "/out"
        return FileDescriptorSink(
            descriptor: open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644), name: path, ownsDescriptor: true,
            bufferCapacity: bufferCapacity)
    }

    // MARK: - Buffering

    @Test func smallWritesWaitInTheBufferUntilFlush() throws {
        let directory = try TemporaryDirectory()
        let sink = fileSink(in: directory)
        try write(Array("abc\n".utf8), to: sink)
        #expect(try directory.contents(of: "out").isEmpty)
        try sink.flush()
        #expect(try directory.contents(of: "out") == Array("abc\n".utf8))
        #expect(sink.bytesWritten == 4)
    }

    @Test func writesOfEverySizeArriveInOrder() throws {
        let directory = try TemporaryDirectory()
        let sink = fileSink(in: directory, bufferCapacity: 64)
        var expected: [UInt8] = []
        for size in [1, 10, 63, 64, 65, 200, 3, 1000, 0, 50] {
            let piece = (0..<size).map { UInt8(truncatingIfNeeded: $0 &+ size) }
            try write(piece, to: sink)
            expected += piece
        }
        try sink.finish()
        #expect(try directory.contents(of: "out") == expected)
        #expect(sink.bytesWritten == expected.count)
    }

    @Test func theBufferHasTheRequestedFixedSize() {
        #expect(FileDescriptorSink.standardOutput().bufferCapacity == 256 * 1024)
        let sink = FileDescriptorSink(descriptor: -1, name: "x", ownsDescriptor: false, bufferCapacity: 10)
        #expect(sink.bufferCapacity == 10)
    }

    // MARK: - Failures

    @Test func aPipeWhoseReaderHasGoneIsOutputClosed() throws {
        signal(SIGPIPE, SIG_IGN)
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        close(ends[0])
        let sink = FileDescriptorSink(descriptor: ends[1], name: "-", ownsDescriptor: true)
        try write(Array("line\n".utf8), to: sink)
        let error = try #require(throws: AnonLogError.self) { try sink.flush() }
        #expect(error.code == .outputClosed)
        #expect(error.errno == EPIPE)
    }

    @Test func aFullDiskIsAnIOErrorNamingTheOutput() throws {
        let sink = FileDescriptorSink(descriptor: open("/dev/full", O_WRONLY), name: "/dev/full", ownsDescriptor: true)
        try write([1, 2, 3], to: sink)
        let error = try #require(throws: AnonLogError.self) { try sink.flush() }
        #expect(error.code == .ioError)
        #expect(error.errno == ENOSPC)
        #expect(error.description == "/dev/full: cannot write: no space left on device")
    }

    @Test func aWriteLargerThanTheBufferFailsAtOnce() throws {
        let sink = FileDescriptorSink(
            descriptor: open("/dev/full", O_WRONLY), name: "/dev/full", ownsDescriptor: true, bufferCapacity: 8)
        #expect(throws: AnonLogError.self) { try write([UInt8](repeating: 7, count: 100), to: sink) }
    }
}
