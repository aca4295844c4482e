import Foundation
import Testing

/// The failure paths a cron job or a shell script meets, each with its exit status.
struct ExitStatusTests {
    @Test func anUnreadableFileIsReportedAndTheOthersAreStillProcessed() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        try Data("192.0.2.1 hello\n".utf8).write(to: URL(fileURLWithPath: directory.path("good.log")))
        let missing = directory.path("missing.log")
        let result = try AnonlogBinary.run(["--key-file", key, "-q", missing, directory.path("good.log")])
        #expect(result.status == 66)
        #expect(result.error.contains("\(missing): cannot open: no such file or directory"), "\(result.error)")
        #expect(result.outputText.hasSuffix(" hello\n") && !result.outputText.contains("192.0.2.1"))
    }

    @Test func aClosedOutputPipeEndsQuietly() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let line = "203.0.113.5 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8.0\"\n"
        try Data(String(repeating: line, count: 100_000).utf8).write(to: URL(fileURLWithPath: directory.path("big.log")))
        let process = Process()
        process.executableURL = AnonlogBinary.url
        process.arguments = ["--key-file", key, directory.path("big.log")]
        process.environment = AnonlogBinary.environment
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        try output.fileHandleForReading.close()  // like `anonlog big.log | head -0`
        process.waitUntilExit()
        #expect(process.terminationStatus == 141)
        #expect(error.fileHandleForReading.readDataToEndOfFile().isEmpty)
    }

    @Test func outputToDevNullDiscardsItAndLeavesTheDevice() throws {
        // Writing beside the target and renaming over it would turn /dev/null into a plain file
        // (the test runs as root in CI, where that rename is allowed).
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        try Data("192.0.2.1 hello\n".utf8).write(to: URL(fileURLWithPath: directory.path("good.log")))
        let result = try AnonlogBinary.run(["--key-file", key, "-q", "--no-stats", directory.path("good.log"), "-o", "/dev/null"])
        #expect(result.status == 0, "\(result.error)")
        let type = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType
        #expect(type == .typeCharacterSpecial)
    }

    @Test func aKeyFileReadableByOthersIsRefusedWithTheFix() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        chmod(key, 0o644)
        let result = try AnonlogBinary.run(["--key-file", key], input: Data("192.0.2.1\n".utf8))
        #expect(result.status == 77)
        #expect(result.error.contains("chmod 600"), "\(result.error)")
        #expect(result.output.isEmpty)
    }

    @Test func keyInitRefusesToOverwriteAndNeverPrintsTheKey() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let contents = try String(contentsOfFile: key, encoding: .utf8)
        let keyLine = try #require(contents.split(separator: "\n").last)
        #expect(keyLine.hasPrefix("key ") && keyLine.count == 68, "32 random bytes as 64 hex digits")
        let attributes = try FileManager.default.attributesOfItem(atPath: key)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let again = try AnonlogBinary.run(["key", "init", "--key-file", key])
        #expect(again.status == 73)
        #expect(try String(contentsOfFile: key, encoding: .utf8) == contents)
        let hex = String(keyLine.dropFirst(4))
        let used = try AnonlogBinary.run(["--key-file", key], input: Data("192.0.2.1\n".utf8))
        #expect(!used.error.contains(hex) && !used.outputText.contains(hex))
    }

    @Test func aDefaultKeyIsCreatedOnFirstUseWithANotice() throws {
        let directory = try TemporaryDirectory()
        let environment = ["XDG_STATE_HOME": directory.path("state")]
        let first = try AnonlogBinary.run([], input: Data("192.0.2.1\n".utf8), environment: environment)
        #expect(first.status == 0, "\(first.error)")
        #expect(first.error.contains("created a new key at \(directory.path("state"))/anonlog/key"))
        let second = try AnonlogBinary.run([], input: Data("192.0.2.1\n".utf8), environment: environment)
        #expect(!second.error.contains("created"))
        #expect(first.output == second.output, "the same key gives the same pseudonym")
    }

    @Test func sigtermWritesEveryCompleteLineThenExits() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let child = try LiveChild(arguments: ["--key-file", key, "-q"])
        try child.send("192.0.2.1 first\n192.0.2.2 second\n192.0.2.3 part")
        let lines = try child.readLines(2)
        #expect(lines.count == 2 && lines[1].hasSuffix(" second"))
        child.process.terminate()
        child.process.waitUntilExit()
        #expect(child.process.terminationStatus == 143)
        let rest = child.remainingOutput()
        #expect(rest.hasSuffix(" part") && !rest.contains("192.0.2.3"), "\(rest)")
    }

    @Test func helpDocumentsTheExitStatuses() throws {
        let result = try AnonlogBinary.run(["help", "anonymize"])
        #expect(result.status == 0)
        for status in ["65", "66", "74", "141"] { #expect(result.outputText.contains("  \(status) ")) }
    }
}
