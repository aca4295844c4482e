import Foundation
import Testing

/// The retention windows in the filter: `anonlog --chat-idle-window`, `--drop-older-than`,
/// `--policy`.
struct StreamWindowTests {
    static let chat = ProjectPaths.packageRoot.appendingPathComponent("SampleLogs/chat.jsonl").path
    static let policy = ProjectPaths.packageRoot.appendingPathComponent("SampleLogs/policy.toml").path

    @Test func theChatWindowKeepsOnlySessionsWithAMessageAndCountsTheRest() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let result = try AnonlogBinary.run(["--key-file", key, "--chat-idle-window", "30m", "--summary-json", directory.path("s.json"), Self.chat])
        #expect(result.status == 0, "\(result.error)")
        let lines = result.outputText.split(separator: "\n")
        #expect(lines.count == 716)
        // Every session written has a message: the sample's sessions never idle 30 minutes
        // between events, so the 207 without one are the ones dropped.
        var events: [String: Set<String>] = [:]
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            events[object["session_id"] as? String ?? "", default: []].insert(object["event"] as? String ?? "")
        }
        #expect(events.count == 319 - 207)
        #expect(events.values.allSatisfy { $0.contains("message") })
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory.path("s.json")))) as? [String: Any])
        #expect(summary["chat_sessions_dropped"] as? Int == 207 && summary["chat_lines_dropped"] as? Int == 737)
        #expect(summary["chat_sessions_evicted"] as? Int == 0 && summary["lines"] as? Int == 1_453)
        #expect(result.error.contains("737 chat lines of 207 sessions without messages dropped"), "\(result.error)")
    }

    @Test func aPolicyGivesTheSameWindowsAsTheFlags() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let flags = try AnonlogBinary.run(["--key-file", key, "-q", "--chat-idle-window", "30m", "--drop-older-than", "26 months", Self.chat])
        let policy = try AnonlogBinary.run(["--key-file", key, "-q", "--policy", Self.policy, Self.chat])
        #expect(flags.status == 0 && policy.status == 0, "\(policy.error)")
        #expect(flags.output == policy.output && !policy.output.isEmpty)
        let bad = try AnonlogBinary.run(["--key-file", key, "--policy", directory.path("missing.toml")], input: Data("x\n".utf8))
        #expect(bad.status == 66 && bad.error.contains("missing.toml"), "\(bad.error)")
    }

    @Test func aPolicysStatisticsSectionNamesTheFiltersStoreOrTurnsRecordingOff() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let state = ["XDG_STATE_HOME": directory.path("state")]
        let defaultStore = directory.path("state") + "/anonlog/stats.db"
        func policy(_ name: String, _ text: String) throws -> String {
            try Data(text.utf8).write(to: URL(fileURLWithPath: directory.path(name)))
            return directory.path(name)
        }

        // A store named by the policy, relative to the policy file: the archive's store.
        let named = try AnonlogBinary.run(
            ["--key-file", key, "--policy", try policy("named.toml", "[statistics]\nstore = \"policy-stats.db\"\n"), Self.chat],
            environment: state)
        #expect(named.status == 0, "\(named.error)")
        #expect(named.error.contains("lines counted") && named.error.contains(directory.path("policy-stats.db")), "\(named.error)")
        #expect(FileManager.default.fileExists(atPath: directory.path("policy-stats.db")))
        #expect(!FileManager.default.fileExists(atPath: defaultStore))

        // Turned off: nothing recorded, not even into the default store; --stats still wins.
        let offPolicy = try policy("off.toml", "[statistics]\nenabled = false\n")
        let off = try AnonlogBinary.run(["--key-file", key, "--policy", offPolicy, Self.chat], environment: state)
        #expect(off.status == 0 && !off.error.contains("statistics:"), "\(off.error)")
        #expect(!FileManager.default.fileExists(atPath: defaultStore))
        let given = try AnonlogBinary.run(
            ["--key-file", key, "--policy", offPolicy, "--stats", directory.path("given.db"), Self.chat], environment: state)
        #expect(given.status == 0 && given.error.contains("lines counted"), "\(given.error)")
        #expect(FileManager.default.fileExists(atPath: directory.path("given.db")))

        // A store the policy names that cannot be made is an error, as one given with --stats.
        let unusable = try AnonlogBinary.run(
            ["--key-file", key, "--policy", try policy("bad.toml", "[statistics]\nstore = \"off.toml/stats.db\"\n"), Self.chat],
            environment: state)
        #expect(unusable.status != 0 && unusable.error.contains("off.toml/stats.db"), "\(unusable.error)")
    }

    @Test func recordsOlderThanTheWindowAreDroppedAndCounted() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "dd/MMM/yyyy:HH:mm:ss"
        func line(_ age: TimeInterval, _ path: String) -> String {
            "192.0.2.9 - - [\(formatter.string(from: Date().addingTimeInterval(-age))) +0000] \"GET /\(path) HTTP/1.1\" 200 1 \"-\" \"a\"\n"
        }
        let input = line(3 * 86_400, "old") + line(3600, "new") + "no time here\n"
        let result = try AnonlogBinary.run(["--key-file", key, "--drop-older-than", "1d"], input: Data(input.utf8))
        #expect(result.status == 0)
        #expect(!result.outputText.contains("/old") && result.outputText.contains("/new") && result.outputText.contains("no time here"))
        #expect(result.error.contains("1 older than the window dropped"), "\(result.error)")
    }
}
