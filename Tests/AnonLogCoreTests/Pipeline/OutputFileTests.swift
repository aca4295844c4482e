import Foundation
import Testing
@testable import AnonLogCore

struct OutputFileTests {
    let old = Array("old content\n".utf8)
    let new = Array("new content\n".utf8)

    // MARK: - Create and commit

    @Test func commitReplacesTheTargetAndLeavesNoTemporaryFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file("anon.log", old)
        let file = try OutputFile.create(path: path)
        try write(new, to: file.sink)
        #expect(try directory.contents(of: "anon.log") == old)
        try file.commit()
        #expect(try directory.contents(of: "anon.log") == new)
        #expect(try directory.listing() == ["anon.log"])
    }

    @Test func theTemporaryFileIsHiddenBesideTheTarget() throws {
        let directory = try TemporaryDirectory()
        let file = try OutputFile.create(path: directory.path + "/anon.log")
        let temporary = try #require(file.temporaryPath)
        let name = String(temporary.split(separator: "/").last!)
        #expect(temporary.hasPrefix(directory.path + "/"))
        #expect(name.hasPrefix(".anon.log.anonlog-\(getpid())-"))
        #expect(name.hasSuffix(".tmp"))
        #expect(try directory.listing() == [name])
        file.abandon()
    }

    @Test func aRelativePathIsCreatedInTheCurrentDirectory() {
        #expect(OutputFile.split("anon.log") == (".", "anon.log"))
        #expect(OutputFile.split("/anon.log") == ("/", "anon.log"))
        #expect(OutputFile.split("out/x/anon.log") == ("out/x", "anon.log"))
    }

    // MARK: - Abandon

    @Test func abandonLeavesTheOldTargetAndNoTemporaryFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file("anon.log", old)
        let file = try OutputFile.create(path: path)
        try write(new, to: file.sink)
        try file.sink.flush()
        file.abandon()
        #expect(try directory.contents(of: "anon.log") == old)
        #expect(try directory.listing() == ["anon.log"])
    }

    @Test func anOutputFileDroppedUncommittedIsAbandoned() throws {
        let directory = try TemporaryDirectory()
        do {
            let file = try OutputFile.create(path: directory.path + "/anon.log")
            try write(new, to: file.sink)
        }
        #expect(try directory.listing().isEmpty)
    }

    @Test func theSinkCannotWriteAfterCommit() throws {
        let directory = try TemporaryDirectory()
        let file = try OutputFile.create(path: directory.path + "/anon.log")
        try file.commit()
        try write(new, to: file.sink)
        let error = try #require(throws: AnonLogError.self) { try file.sink.flush() }
        #expect(error.code == .ioError)
    }

    // MARK: - Errors

    @Test func aMissingDirectoryCannotBeCreatedIn() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/missing/anon.log"
        let error = try #require(throws: AnonLogError.self) { try OutputFile.create(path: path) }
        #expect(error.code == .cannotCreateOutput)
        #expect(error.description == "\(path): cannot create: no such file or directory")
    }

    @Test func aDirectoryIsNotReplaced() throws {
        let directory = try TemporaryDirectory()
        let error = try #require(throws: AnonLogError.self) { try OutputFile.create(path: directory.path) }
        #expect(error.code == .cannotCreateOutput)
        #expect(try directory.listing().isEmpty)
    }

    @Test func aNamedPipeIsWrittenAndNotReplaced() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/pipe"
        #expect(mkfifo(path, 0o600) == 0)
        // A reader first, so that opening the pipe for writing does not wait.
        let reader = open(path, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let file = try OutputFile.create(path: path)
        #expect(file.temporaryPath == nil)
        try write(new, to: file.sink)
        try file.commit()
        var received = [UInt8](repeating: 0, count: 64)
        let count = received.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
        #expect(Array(received.prefix(max(count, 0))) == new)
        var status = stat()
        #expect(stat(path, &status) == 0)
        #expect(status.st_mode & S_IFMT == S_IFIFO)
        #expect(try directory.listing() == ["pipe"])
    }

    @Test func appendingInAMissingDirectoryCannotCreateOutput() throws {
        let error = try #require(throws: AnonLogError.self) { try OutputFile.append(path: "/nonexistent/anon.log") }
        #expect(error.code == .cannotCreateOutput)
        #expect(error.location?.path == "/nonexistent/anon.log")
    }

    // MARK: - Append

    @Test func appendAddsToTheEndOfTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file("anon.log", old)
        let file = try OutputFile.append(path: path)
        #expect(file.temporaryPath == nil)
        try write(new, to: file.sink)
        try file.commit()
        #expect(try directory.contents(of: "anon.log") == old + new)
        #expect(try directory.listing() == ["anon.log"])
    }

    @Test func appendCreatesAMissingFile() throws {
        let directory = try TemporaryDirectory()
        let file = try OutputFile.append(path: directory.path + "/anon.log")
        try write(new, to: file.sink)
        try file.commit()
        #expect(try directory.contents(of: "anon.log") == new)
    }
}
