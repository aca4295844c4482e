import Foundation
import Testing

/// gzip input through the built binary: recognised by magic bytes, members concatenated,
/// damage reported with the file and the compressed byte offset after writing what came before.
struct GzipInputTests {
    static let lines = (0..<400).map { "198.51.100.\($0 % 250 + 1) - - [20/Nov/2026:10:00:\(String(format: "%02d", $0 % 60)) +0000] \"GET /item/\($0) HTTP/1.1\" 200 \($0)\n" }

    static func gzip(_ text: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-c", "-n"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let collected = DispatchQueue.global()
        nonisolated(unsafe) var data = Data()
        let done = DispatchSemaphore(value: 0)
        collected.async {
            data = output.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        done.wait()
        return data
    }

    @Test func concatenatedMembersAreOneInputAndNamesDoNotMatter() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let first = Self.lines[..<150].joined()
        let second = Self.lines[150...].joined()
        let path = directory.path("access.log")  // gzip without the .gz name
        try (try Self.gzip(first) + Self.gzip(second)).write(to: URL(fileURLWithPath: path))
        let fromFile = try AnonlogBinary.run(["--key-file", key, "-q", path])
        let plain = try AnonlogBinary.run(["--key-file", key, "-q"], input: Data((first + second).utf8))
        #expect(fromFile.status == 0 && plain.status == 0)
        #expect(fromFile.output == plain.output)
        #expect(fromFile.outputText.split(separator: "\n").count == 400)
        #expect(!fromFile.outputText.contains("198.51.100."))
        // The same bytes on standard input.
        let piped = try AnonlogBinary.run(["--key-file", key, "-q", "-"], input: try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(piped.output == plain.output)
    }

    @Test func aTruncatedFileWritesEverythingBeforeTheDamageAndNamesTheOffset() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let compressed = try Self.gzip(Self.lines.joined())
        let path = directory.path("cut.gz")
        let cut = compressed.count * 2 / 3
        try compressed.prefix(cut).write(to: URL(fileURLWithPath: path))
        let result = try AnonlogBinary.run(["--key-file", key, "-q", path])
        #expect(result.status == 65)
        #expect(result.error.contains("\(path) at byte \(cut)"), "\(result.error)")
        #expect(result.error.contains("truncated"))
        let written = result.outputText.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(written.count > 100, "the lines before the damage are written")
        #expect(!result.outputText.contains("198.51.100."))
    }

    @Test func aCorruptHeaderIsADataErrorAndTheOtherFilesStillRun() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        var compressed = try Self.gzip(Self.lines.joined())
        compressed[compressed.startIndex + 2] = 0x07  // compression method 7 does not exist
        try compressed.write(to: URL(fileURLWithPath: directory.path("bad.gz")))
        try Data(Self.lines[0].utf8).write(to: URL(fileURLWithPath: directory.path("good.log")))
        let result = try AnonlogBinary.run(["--key-file", key, "-q", directory.path("bad.gz"), directory.path("good.log")])
        #expect(result.status == 65)
        #expect(result.error.contains(directory.path("bad.gz")) && result.error.contains("at byte"), "\(result.error)")
        #expect(result.outputText.hasSuffix(" - - [20/Nov/2026:10:00:00 +0000] \"GET /item/0 HTTP/1.1\" 200 0\n"))
    }

    @Test func anEmptyFileIsAnEmptyLog() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        try Data().write(to: URL(fileURLWithPath: directory.path("empty.gz")))
        let result = try AnonlogBinary.run(["--key-file", key, directory.path("empty.gz")])
        #expect(result.status == 0)
        #expect(result.output.isEmpty)
        #expect(result.error.contains("0 lines"))
    }

    @Test func gzOutputIsGzipAndCarriesTheSameLines() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let input = Data(Self.lines.joined().utf8)
        let plain = try AnonlogBinary.run(["--key-file", key, "-q"], input: input)
        let result = try AnonlogBinary.run(["--key-file", key, "-q", "-o", directory.path("out.log.gz")], input: input)
        #expect(result.status == 0, "\(result.error)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: directory.path("out.log.gz")))
        #expect(bytes.prefix(2) == Data([0x1F, 0x8B]))
        #expect(try gunzip(directory.path("out.log.gz")) == plain.output)
    }
}
