import Foundation
import Testing
@testable import AnonLogCore

#if canImport(Glibc)
import Glibc
#endif

struct FileDescriptorSourceTests {
    // MARK: - Reading

    @Test(arguments: [1, 1000, 1 << 20])
    func aFileIsReadWhole(bufferSize: Int) throws {
        let directory = try TemporaryDirectory()
        let text = sampleLog(lines: 50)
        let source = try FileDescriptorSource.open(path: directory.file("access.log", text))
        let result = drain(source, bufferSize: bufferSize)
        #expect(result.error == nil)
        #expect(result.bytes == text)
        #expect(source.bytesRead == text.count)
        #expect(source.name == directory.path + "/access.log")
    }

    @Test func aRegularFileIsNotLive() throws {
        let directory = try TemporaryDirectory()
        let source = try FileDescriptorSource.open(path: directory.file("a.log", [1, 2, 3]))
        #expect(!source.isLive)
    }

    @Test func aPipeIsLive() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[1]) }
        let source = FileDescriptorSource(descriptor: ends[0], name: "-", ownsDescriptor: true)
        #expect(source.isLive)
    }

    @Test func standardInputIsNamedDash() throws {
        let source = try FileDescriptorSource.open(path: "-")
        #expect(source.name == "-")
    }

    @Test func aFailingReadIsAnIOErrorWithTheReason() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file("a.log", [1, 2, 3])
        // A descriptor open only for writing cannot be read from.
        let source = FileDescriptorSource(descriptor: open(path, O_WRONLY), name: path, ownsDescriptor: true)
        let result = drain(source)
        let error = try #require(result.error)
        #expect(error.code == .ioError)
        #expect(error.errno == EBADF)
        #expect(error.location?.path == path)
    }

    // MARK: - Opening

    @Test func aMissingFileIsNoInput() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/missing.log"
        let error = try #require(throws: AnonLogError.self) { try FileDescriptorSource.open(path: path) }
        #expect(error.code == .noInput)
        #expect(error.description == "\(path): cannot open: no such file or directory")
    }

    @Test func aDirectoryIsRefused() throws {
        let directory = try TemporaryDirectory()
        let error = try #require(throws: AnonLogError.self) { try FileDescriptorSource.open(path: directory.path) }
        #expect(error.code == .noInput)
        #expect(error.description == "\(directory.path): cannot open: is a directory")
    }

    @Test(.enabled(if: getuid() != 0, "root may read anything"))
    func anUnreadableFileIsNoInput() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file("secret.log", [1])
        #expect(chmod(path, 0) == 0)
        let error = try #require(throws: AnonLogError.self) { try FileDescriptorSource.open(path: path) }
        #expect(error.code == .noInput)
        #expect(error.errno == EACCES)
    }
}
