import Foundation
import Testing

/// Inputs a fuzzing run found to crash anonlog (Swift traps on arithmetic overflow, exit 132):
/// each now either works or fails with a clear message and a usage or data exit code.
struct HostileInputTests {
    /// Responses of 999,999,999,999,999,999 bytes: ten of them passed 2^63 in every sum.
    @Test func responseSizesPastTwoToTheSixtyThirdAreCountedWithoutOverflow() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        var lines = ""
        for hour in 0..<12 {
            let client = "10.\(hour).0.1"
            lines += "\(client) - - [20/Nov/2026:\(String(format: "%02d", hour)):00:00 +0000] \"GET / HTTP/1.1\" 200 999999999999999999 \"-\" \"Googlebot/2.1\"\n"
            lines += "1.2.3.4 - - [20/Nov/2026:\(String(format: "%02d", hour)):00:01 +0000] \"GET / HTTP/1.1\" 404 999999999999999999 \"-\" \"curl/8.0\"\n"
        }
        let log = directory.path("big.log")
        try lines.write(toFile: log, atomically: true, encoding: .utf8)
        let store = directory.path("s.db")
        let recorded = try AnonlogBinary.run(["--key-file", key, "--stats", store, "--quiet", log, "-o", "/dev/null"])
        #expect(recorded.status == 0, "\(recorded.error)")
        for query in [
            ["summary"], ["bots"], ["spam"], ["top", "--by", "network", "--metric", "bytes", "--k", "1"],
            ["top", "--by", "class", "--metric", "bytes"], ["timeline", "--metric", "bytes", "--since", "2026-11-01"],
        ] {
            let since = query.contains("--since") ? [] : ["--since", "2026-11-01"]
            let result = try AnonlogBinary.run(["stats"] + query + since + ["--stats", store])
            #expect(result.status == 0, "stats \(query.joined(separator: " ")): \(result.error)")
        }
    }

    /// A store edited by other hands: a status class anonlog never writes is left out.
    @Test func aSummaryOfAStoreWithUnknownStatusClassesStillAnswers() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let log = directory.path("one.log")
        try "1.2.3.4 - - [20/Nov/2026:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1\n".write(toFile: log, atomically: true, encoding: .utf8)
        let store = directory.path("s.db")
        #expect(try AnonlogBinary.run(["--key-file", key, "--stats", store, "--quiet", log, "-o", "/dev/null"]).status == 0)
        let edit = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('UPDATE traffic SET status_class = 9'); c.commit()"
        #expect(try runPython(["-c", edit, store]).status == 0)
        let result = try AnonlogBinary.run(["stats", "summary", "--since", "2026-11-01", "--stats", store])
        #expect(result.status == 0, "\(result.status) \(result.error)")
    }

    /// `--summary-json /dev/full` once replaced the device with a regular file when run as root
    /// (Foundation's atomic write renames over it): a device is written, never replaced.
    @Test func aSummaryToADeviceIsWrittenToItNotReplacingIt() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let log = directory.path("one.log")
        try "1.2.3.4 - - [20/Nov/2026:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1\n".write(toFile: log, atomically: true, encoding: .utf8)
        let result = try AnonlogBinary.run(["--key-file", key, "--no-stats", "--quiet", "--summary-json", "/dev/full", log, "-o", "/dev/null"])
        #expect(result.status == 74, "\(result.status) \(result.error)")
        #expect(result.error.contains("/dev/full"), "\(result.error)")
        var status = stat()
        #expect(lstat("/dev/full", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR, "/dev/full is no longer a device")
        let summary = directory.path("summary.json")
        #expect(try AnonlogBinary.run(["--key-file", key, "--no-stats", "--quiet", "--summary-json", summary, log, "-o", "/dev/null"]).status == 0)
        #expect(try String(contentsOfFile: summary, encoding: .utf8).contains("\"lines\""))
    }

    @Test func thresholdsTooLongToCountAreUsageErrors() throws {
        for threshold in ["http-crawl.interval=106751991168d", "http-crawl.interval=9223372036854776", "chat-duplicate-message.blackhole=106751991167d"] {
            let result = try AnonlogBinary.run(["--no-stats", "--threshold", threshold], input: Data())
            #expect(result.status == 64, "\(threshold): \(result.status) \(result.error)")
            #expect(result.error.contains("duration") || result.error.contains("at most"), "\(result.error)")
        }
    }

    @Test func queryDurationsTooLongToCountAreUsageErrors() throws {
        let directory = try TemporaryDirectory()
        for arguments in [["summary", "--since", "9999999999999999h"], ["timeline", "--step", "9223372036854775807m"]] {
            let result = try AnonlogBinary.run(["stats"] + arguments + ["--stats", directory.path("s.db")])
            #expect(result.status == 64, "\(arguments): \(result.status) \(result.error)")
        }
    }

    @Test func threadCountsBeyondAnyMachineAreUsageErrors() throws {
        let result = try AnonlogBinary.run(["--no-stats", "--threads", "99999999999"], input: Data())
        #expect(result.status == 64, "\(result.status) \(result.error)")
        #expect(result.error.contains("--threads must be from 1 to 256"), "\(result.error)")
    }

    @Test func aKeyFileEpochPastTheYear9999IsAConfigurationError() throws {
        let directory = try TemporaryDirectory()
        let key = directory.path("key")
        let result = try AnonlogBinary.run(["key", "init", "--key-file", key, "--rotate", "daily"])
        #expect(result.status == 0, "\(result.error)")
        let text = try String(contentsOfFile: key, encoding: .utf8).replacingOccurrences(of: "epoch 0", with: "epoch 9223372036854775807")
        try text.write(toFile: key, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        let shown = try AnonlogBinary.run(["key", "show", "--key-file", key])
        #expect(shown.status == 78, "\(shown.status) \(shown.error)")
        #expect(shown.error.contains("past the year 9999"), "\(shown.error)")
    }

    /// MaxMind metadata with a node count that does not fit an `Int`, and one whose tree size
    /// overflows: both are "not a MaxMind database", a data error.
    @Test(arguments: [
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd, 0xef, 0x4d, 0x61, 0x78, 0x4d, 0x69, 0x6e, 0x64, 0x2e, 0x63, 0x6f, 0x6d, 0xe1,
         0x4a, 0x6e, 0x6f, 0x64, 0x65, 0x5f, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x08, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        [0xab, 0xcd, 0xef, 0x4d, 0x61, 0x78, 0x4d, 0x69, 0x6e, 0x64, 0x2e, 0x63, 0x6f, 0x6d, 0xe3, 0x4a, 0x6e, 0x6f, 0x64, 0x65, 0x5f, 0x63, 0x6f,
         0x75, 0x6e, 0x74, 0x08, 0x02, 0x20, 0, 0, 0, 0, 0, 0, 0, 0x4b, 0x72, 0x65, 0x63, 0x6f, 0x72, 0x64, 0x5f, 0x73, 0x69, 0x7a, 0x65, 0xa1,
         0x20, 0x4a, 0x69, 0x70, 0x5f, 0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e, 0xa1, 0x06],
    ] as [[UInt8]])
    func craftedGeoDatabasesAreDataErrors(database: [UInt8]) throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let path = directory.path("crafted.mmdb")
        try Data(database).write(to: URL(fileURLWithPath: path))
        let log = directory.path("one.log")
        try "1.2.3.4 - - [20/Nov/2026:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1\n".write(toFile: log, atomically: true, encoding: .utf8)
        let result = try AnonlogBinary.run(["--key-file", key, "--stats", directory.path("s.db"), "--geoip-db", path, log, "-o", "/dev/null"])
        #expect(result.status == 65, "\(result.status) \(result.error)")
        #expect(result.error.contains("not a MaxMind database"), "\(result.error)")
    }

    /// Times that run back over months with a daily key: every line once derived its key from
    /// the key file's epoch again (seconds per line far from it); the output must still be that
    /// of the same lines in any order.
    @Test func timesRunningBackwardsGetTheirOwnEpochsKeys() throws {
        let directory = try TemporaryDirectory()
        let key = directory.path("key")
        #expect(try AnonlogBinary.run(["key", "init", "--key-file", key, "--rotate", "daily"]).status == 0)
        let days = (0..<300).map { 300 - $0 }
        func line(_ day: Int) -> String {
            let date = Date(timeIntervalSince1970: 1_767_225_600 + Double(day) * 86_400)  // from 2026-01-01
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "dd/MMM/yyyy:HH:mm:ss"
            return "1.2.3.4 - - [\(formatter.string(from: date)) +0000] \"GET / HTTP/1.1\" 200 1\n"
        }
        func anonymize(_ order: [Int]) throws -> [String] {
            let path = directory.path("times.log")
            try order.map(line).joined().write(toFile: path, atomically: true, encoding: .utf8)
            let result = try AnonlogBinary.run(["--key-file", key, "--no-stats", "--quiet", path])
            #expect(result.status == 0, "\(result.error)")
            return result.outputText.split(separator: "\n").map(String.init)
        }
        let backwards = try anonymize(days)
        let forwards = try anonymize(days.reversed())
        #expect(backwards == forwards.reversed())
        #expect(Set(backwards.map { $0.prefix(while: { $0 != " " }) }).count == days.count)
    }
}
