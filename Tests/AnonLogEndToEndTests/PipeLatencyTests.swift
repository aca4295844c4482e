import Foundation
import Testing

/// Requirement: a line written into the pipe comes out without waiting for the next one.
struct PipeLatencyTests {
    @Test func eachLineComesOutBeforeTheNextIsWritten() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let child = try LiveChild(arguments: ["--key-file", key, "-q"])
        for index in 1...5 {
            try child.send("192.0.2.\(index) - - [20/Nov/2026:10:00:0\(index) +0000] \"GET /\(index) HTTP/1.1\" 200 1\n")
            let line = try child.readLines(1)
            #expect(line.count == 1 && line[0].contains("\"GET /\(index) HTTP/1.1\"") && !line[0].contains("192.0.2."))
        }
        try child.closeInput()
        child.process.waitUntilExit()
        #expect(child.process.terminationStatus == 0)
    }

    @Test func gzipOnAPipeAlsoComesOutLineByLine() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let child = try LiveChild(arguments: ["--key-file", key, "-q"])
        // A gzip stream written with a sync flush after each line, as `gzip` over a live log would.
        let writer = try SyncFlushingGzipWriter()
        for index in 1...3 {
            try child.send(bytes: try writer.compress("198.51.100.\(index) line \(index)\n"))
            let line = try child.readLines(1)
            #expect(line.count == 1 && line[0].hasSuffix(" line \(index)"))
        }
        try child.send(bytes: try writer.finish())
        try child.closeInput()
        child.process.waitUntilExit()
        #expect(child.process.terminationStatus == 0)
    }

    @Test func appendedFileReceivesEachLineAtOnce() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let target = directory.path("access.anon.log")
        try Data("existing line\n".utf8).write(to: URL(fileURLWithPath: target))
        let child = try LiveChild(arguments: ["--key-file", key, "-q", "--append", "-o", target])
        for index in 1...3 {
            try child.send("203.0.113.\(index) request \(index)\n")
            let deadline = Date().addingTimeInterval(20)
            var contents = ""
            repeat {
                contents = (try? String(contentsOfFile: target, encoding: .utf8)) ?? ""
                if contents.hasSuffix(" request \(index)\n") { break }
                usleep(5_000)
            } while Date() < deadline
            #expect(contents.hasPrefix("existing line\n") && contents.hasSuffix(" request \(index)\n"), "\(contents)")
        }
        try child.closeInput()
        child.process.waitUntilExit()
        #expect(child.process.terminationStatus == 0)
    }
}

extension LiveChild {
    func send(bytes: Data) throws {
        try FileHandle(fileDescriptor: (process.standardInput as! Pipe).fileHandleForWriting.fileDescriptor, closeOnDealloc: false)
            .write(contentsOf: bytes)
    }
}
