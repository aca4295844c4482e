import Foundation
import Testing

/// Epoch keys chosen by each record's own time, lookup, and shredding, through the binary.
struct KeyLifecycleTests {
    static func line(_ address: String, _ time: String, _ path: String = "/") -> String {
        "\(address) - - [\(time)] \"GET \(path) HTTP/1.1\" 200 1 \"-\" \"curl/8.0\"\n"
    }

    static func firstField(_ line: Substring) -> String { String(line.split(separator: " ")[0]) }

    @Test func epochsFollowEachRecordsTimeAcrossAUTCMidnight() throws {
        let directory = try TemporaryDirectory()
        let key = directory.path("key")
        #expect(try AnonlogBinary.run(["key", "init", "--rotate", "daily", "--key-file", key]).status == 0)
        let log = Self.line("198.51.100.7", "20/Nov/2026:23:59:58 +0000")
            + Self.line("198.51.100.7", "20/Nov/2026:23:59:59 +0000")
            + Self.line("198.51.100.7", "21/Nov/2026:00:00:00 +0000")
            + Self.line("198.51.100.7", "21/Nov/2026:01:59:59 +0200")  // still 20 Nov in UTC
        let result = try AnonlogBinary.run(["--key-file", key, "-q"], input: Data(log.utf8))
        #expect(result.status == 0, "\(result.error)")
        let pseudonyms = result.outputText.split(separator: "\n").map(Self.firstField)
        #expect(pseudonyms.count == 4)
        #expect(pseudonyms[0] == pseudonyms[1] && pseudonyms[1] != pseudonyms[2] && pseudonyms[3] == pseudonyms[0])

        let lookup20 = try AnonlogBinary.run(["lookup", "198.51.100.7", "--at", "2026-11-20T12:00Z", "--key-file", key])
        let lookup21 = try AnonlogBinary.run(["lookup", "198.51.100.7", "--at", "2026-11-21", "--key-file", key])
        #expect(lookup20.outputText == pseudonyms[0] + "\n")
        #expect(lookup21.outputText == pseudonyms[2] + "\n")
        // The mapped spelling is the same address.
        #expect(try AnonlogBinary.run(["lookup", "::ffff:198.51.100.7", "--at", "2026-11-21", "--key-file", key]).output == lookup21.output)
    }

    @Test func hostsSharingTheKeyFileAgree() throws {
        let directory = try TemporaryDirectory()
        let key = directory.path("key")
        #expect(try AnonlogBinary.run(["key", "init", "--rotate", "weekly", "--key-file", key]).status == 0)
        let copy = directory.path("copy-of-key")
        try FileManager.default.copyItem(atPath: key, toPath: copy)
        let log = Data((Self.line("203.0.113.9", "16/Nov/2026:10:00:00 +0000") + Self.line("2001:db8::9", "23/Nov/2026:10:00:00 +0000")).utf8)
        let first = try AnonlogBinary.run(["--key-file", key, "-q"], input: log)
        let second = try AnonlogBinary.run(["--key-file", copy, "-q"], input: log)
        #expect(first.status == 0 && first.output == second.output)
    }

    @Test func shreddedEpochsCannotBeProducedAgain() throws {
        let directory = try TemporaryDirectory()
        let key = directory.path("key")
        #expect(try AnonlogBinary.run(["key", "init", "--rotate", "daily", "--key-file", key]).status == 0)
        let oldDay = Self.line("192.0.2.44", "19/Oct/2026:08:00:00 +0000")
        let newDay = Self.line("192.0.2.44", "22/Oct/2026:08:00:00 +0000")
        let before = try AnonlogBinary.run(["--key-file", key, "-q"], input: Data((oldDay + newDay).utf8))
        let pseudonyms = before.outputText.split(separator: "\n").map(Self.firstField)
        #expect(pseudonyms.count == 2 && pseudonyms[0].hasPrefix("fd"))

        let shred = try AnonlogBinary.run(["key", "shred", "--before", "2026-10-21", "--key-file", key])
        #expect(shred.status == 0, "\(shred.error)")
        #expect(shred.error.contains("the oldest epoch left is 2026-10-21"))

        // lookup refuses, anonymizing again redacts, and nothing in the output is the old pseudonym.
        let lookup = try AnonlogBinary.run(["lookup", "192.0.2.44", "--at", "2026-10-19T08:00Z", "--key-file", key])
        #expect(lookup.status == 78 && lookup.error.contains("was shredded"))
        let after = try AnonlogBinary.run(["--key-file", key], input: Data((oldDay + newDay).utf8))
        let again = after.outputText.split(separator: "\n").map(Self.firstField)
        #expect(again == ["REDACTED", pseudonyms[1]])
        #expect(!after.outputText.contains(pseudonyms[0]) && !after.outputText.contains("192.0.2.44"))
        #expect(after.error.contains("1 in shredded epochs"))
        // Every epoch the key can still reach, for a year, gives other pseudonyms.
        for day in 21...31 {
            let reached = try AnonlogBinary.run(["lookup", "192.0.2.44", "--at", "2026-10-\(day)", "--key-file", key])
            #expect(reached.status == 0 && reached.outputText != pseudonyms[0] + "\n")
        }
    }

    @Test func aFlagThatContradictsTheKeyFileIsRefused() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let result = try AnonlogBinary.run(["--key-file", key, "--rotate", "daily"], input: Data("192.0.2.1\n".utf8))
        #expect(result.status == 78)
        #expect(result.error.contains("anonlog key init --rotate daily"))
        #expect(result.output.isEmpty)
    }

    @Test func importedKeysAreReadFromStandardInputAndShownWithoutTheKey() throws {
        let directory = try TemporaryDirectory()
        let key = directory.path("imported")
        let hex = "0123456789abcdeffedcba9876543210"
        let imported = try AnonlogBinary.run(["key", "import", "--mode", "ipcrypt-deterministic", "--key-file", key], input: Data((hex + "\n").utf8))
        #expect(imported.status == 0, "\(imported.error)")
        let shown = try AnonlogBinary.run(["key", "show", "--key-file", key])
        #expect(shown.outputText == "mode: ipcrypt-deterministic\nrotation: none\n")
        #expect(!shown.outputText.contains(hex) && !imported.error.contains(hex))
        let wrongSize = try AnonlogBinary.run(["key", "import", "--mode", "hmac", "--key-file", directory.path("other")], input: Data(hex.utf8))
        #expect(wrongSize.status == 78 && wrongSize.error.contains("expected 64") && !wrongSize.error.contains(hex))
    }
}
