import Foundation
import Testing

/// The README's statistics walk-through, run on the shipped samples by the built binary: record
/// while anonymizing, then every `anonlog stats` query, replays, and several writers at once.
struct StatsCommandTests {
    static let samples = ["access.log.gz", "nginx-json.log", "chat.jsonl"].map {
        ProjectPaths.packageRoot.appendingPathComponent("SampleLogs/\($0)").path
    }

    /// A key, a state directory and a store with the samples recorded (the default location).
    final class Recorded {
        let directory: TemporaryDirectory
        let key: String
        let environment: [String: String]
        let store: String

        init() throws {
            directory = try TemporaryDirectory()
            key = try directory.makeKey()
            environment = ["XDG_STATE_HOME": directory.path("state")]
            store = directory.path("state") + "/anonlog/stats.db"
            let result = try AnonlogBinary.run(
                ["--key-file", key] + StatsCommandTests.samples + ["-o", directory.path("samples.anon.log.gz")], environment: environment)
            #expect(result.status == 0, "\(result.error)")
            #expect(result.error.contains("statistics: 6753 lines counted"), "\(result.error)")
        }

        /// Runs `anonlog stats ARGUMENTS` against the default store.
        func stats(_ arguments: [String]) throws -> AnonlogBinary.Result {
            try AnonlogBinary.run(["stats"] + arguments, environment: environment)
        }

        /// The JSON of `anonlog stats ARGUMENTS --format json`.
        func json(_ arguments: [String]) throws -> [[String: Any]] {
            let result = try stats(arguments + ["--format", "json"])
            #expect(result.status == 0, "\(result.error)")
            let object = try JSONSerialization.jsonObject(with: result.output) as? [String: Any]
            return object?["tables"] as? [[String: Any]] ?? []
        }
    }

    static func rows(_ tables: [[String: Any]], _ name: String) -> [[String: Any]] {
        tables.first { $0["name"] as? String == name }?["rows"] as? [[String: Any]] ?? []
    }

    // MARK: - The walk-through

    @Test func theSamplesAnswerEveryQueryOfTheReadme() throws {
        let recorded = try Recorded()

        let summary = try recorded.json(["summary", "--k", "1"])
        #expect(Self.rows(summary, "traffic").first { $0["metric"] as? String == "requests" }?["value"] as? Int == 5300)
        #expect(Self.rows(summary, "chat").first { $0["metric"] as? String == "sessions started" }?["value"] as? Int == 319)

        let alerts = Self.rows(try recorded.json(["alerts", "--by", "rule"]), "alerts").compactMap { $0["rule"] as? String }
        for rule in ["http-probing", "http-sensitive-files", "http-fake-crawler", "http-bad-user-agent", "http-wordpress-bruteforce",
                     "http-xmlrpc-bruteforce", "http-bruteforce", "http-request-burst", "http-crawl", "http-dos-switching-ua",
                     "net-campaign", "recidive", "chat-session-bombing", "chat-message-flood", "chat-spam-campaign",
                     "chat-network-sessions"]
        {
            #expect(alerts.contains(rule), "the samples should fire \(rule)")
        }

        let networks = Self.rows(try recorded.json(["top", "--by", "network", "--metric", "flagged", "--k", "3"]), "top")
        #expect((networks.first?["flagged"] as? Int ?? 0) >= 6)
        #expect((networks.first?["network"] as? String)?.hasPrefix("net-") == true)

        let bots = Self.rows(try recorded.json(["bots", "--k", "1", "--limit", "100"]), "bots")
        #expect(bots.contains { $0["bot"] as? String == "Googlebot" && $0["checked"] as? String == "verified" })
        #expect(bots.contains { $0["class"] as? String == "fake-crawler" && $0["checked"] as? String == "fake" })
        #expect(bots.contains { $0["class"] as? String == "ai-crawler" && $0["bot"] as? String == "GPTBot" })

        let campaigns = Self.rows(try recorded.json(["spam", "--k", "3"]), "campaigns")
        // 16 sessions counted by a 1024-register sketch: with a fresh random key two of them
        // share a register about one run in nine, and the estimate is then 15.
        #expect((15...16).contains(campaigns.first?["sessions"] as? Int ?? 0))
        #expect(campaigns.first?["link host"] as? String == "rank-boost.example")

        let timeline = Self.rows(try recorded.json(["timeline", "--metric", "requests,4xx,unique", "--step", "1h", "--k", "1"]), "timeline")
        #expect(timeline.count >= 40)
        #expect(timeline.reduce(0) { $0 + ($1["requests"] as? Int ?? 0) } == 5300)

        let recidive = Self.rows(try recorded.json(["alerts", "--rule", "recidive", "--scope", "client"]), "alerts")
        let subject = try #require(recidive.first?["subject"] as? String)
        let actor = try recorded.json(["actor", subject])
        #expect(Self.rows(actor, "activity").count == 2, "the repeat offender is active on both days")
        #expect(Self.rows(actor, "alerts").count >= 8)
    }

    @Test func terminalOutputFitsOneHundredColumnsAndSaysWhatWasFolded() throws {
        let recorded = try Recorded()
        for arguments in [["summary"], ["alerts"], ["top"], ["top", "--by", "network", "--metric", "flagged"], ["bots"], ["spam"],
                          ["timeline", "--step", "6h"], ["rules"]]
        {
            let result = try recorded.stats(arguments)
            #expect(result.status == 0, "\(arguments): \(result.error)")
            for line in result.outputText.split(separator: "\n") {
                #expect(line.count <= 100, "\(arguments): \(line)")
            }
        }
        #expect(try recorded.stats(["top"]).outputText.contains("describing fewer than k clients folded into \"other\""))
    }

    @Test func perSubjectDataIsOnlyGivenOneSubjectAtATime() throws {
        let recorded = try Recorded()
        let bulk = try recorded.stats(["top", "--by", "client"])
        #expect(bulk.status == 64)
        let unknown = try recorded.stats(["actor", "fd00:0:0:0:0:0:0:1"])
        #expect(unknown.status == 0 && unknown.outputText.contains("(nothing in this range)"))
    }

    // MARK: - Exactly once

    @Test func recordingTheSamplesAgainCountsNothing() throws {
        let recorded = try Recorded()
        let before = try recorded.json(["summary", "--k", "1"])
        let again = try AnonlogBinary.run(["--key-file", recorded.key] + Self.samples + ["-o", "/dev/null"], environment: recorded.environment)
        #expect(again.error.contains("0 lines counted") && again.error.contains("6753 lines already counted before"), "\(again.error)")
        // The same lines through a pipe are recognised too.
        let piped = try AnonlogBinary.run(
            ["--key-file", recorded.key], input: try Data(contentsOf: URL(fileURLWithPath: Self.samples[1])), environment: recorded.environment)
        #expect(piped.error.contains("460 lines already counted before"), "\(piped.error)")
        let after = try recorded.json(["summary", "--k", "1"])
        #expect((Self.rows(after, "traffic") as NSArray).isEqual(to: Self.rows(before, "traffic")))
        #expect((Self.rows(after, "alerts") as NSArray).isEqual(to: Self.rows(before, "alerts")))
    }

    @Test func severalProcessesWritingOneStoreLoseNothing() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let store = directory.path("shared.db")
        // Four logs of distinct clients, one of them given to two processes.
        var paths: [String] = []
        for writer in 0..<4 {
            let lines = (0..<3000).map { index in
                "198.51.\(writer).\(index % 200) - - [20/Nov/2026:\(10 + index / 1800):\(String(format: "%02d", index / 30 % 60)):\(String(format: "%02d", index % 30 * 2)) +0000] \"GET /w\(writer)/\(index % 37) HTTP/1.1\" 200 100 \"-\" \"curl/8.5.0\""
            }
            let path = directory.path("log\(writer).log")
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let processes = (paths + [paths[3]]).map { path -> Process in
            let process = Process()
            process.executableURL = AnonlogBinary.url
            process.arguments = ["--key-file", key, "--stats", store, "-q", path, "-o", "/dev/null"]
            process.environment = AnonlogBinary.environment
            return process
        }
        for process in processes { try process.run() }
        for process in processes {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let result = try AnonlogBinary.run(["stats", "summary", "--stats", store, "--k", "1", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: result.output) as? [String: Any]
        let traffic = Self.rows(object?["tables"] as? [[String: Any]] ?? [], "traffic")
        #expect(traffic.first { $0["metric"] as? String == "requests" }?["value"] as? Int == 12_000)
    }

    // MARK: - Options

    @Test func noStatsRecordsNothingAndAStoreThatCannotBeMadeIsAnError() throws {
        let directory = try TemporaryDirectory()
        let key = try directory.makeKey()
        let environment = ["XDG_STATE_HOME": directory.path("state")]
        let off = try AnonlogBinary.run(["--key-file", key, "--no-stats", Self.samples[1], "-o", "/dev/null"], environment: environment)
        #expect(off.status == 0 && !off.error.contains("statistics"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("state") + "/anonlog/stats.db"))
        let missing = try AnonlogBinary.run(["stats", "summary"], environment: environment)
        #expect(missing.status == 66 && missing.error.contains("no statistics yet"))
        let blocked = try AnonlogBinary.run(["--key-file", key, "--stats", "/proc/anonlog/stats.db", Self.samples[1], "-o", "/dev/null"])
        #expect(blocked.status == 73, "\(blocked.error)")
        let badRule = try AnonlogBinary.run(["--key-file", key, "--threshold", "http-probing.speed=2", Self.samples[1]])
        #expect(badRule.status == 64)
    }
}
