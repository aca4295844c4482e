import Foundation
import Testing

/// `anonlog archive` into the statistics store and `anonlog retention status|apply` on its rows,
/// through the binary.
struct RetentionCommandTests {
    static let day: TimeInterval = 86_400

    /// Raw logs whose records are 100 days, 3 days and an hour old, a key, and a state directory
    /// of its own (the default store lives there).
    final class Archive {
        let root: TemporaryDirectory
        let key: String
        static let lines = 40

        init() throws {
            root = try TemporaryDirectory()
            key = try root.makeKey()
            try FileManager.default.createDirectory(atPath: root.path("src"), withIntermediateDirectories: true)
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "dd/MMM/yyyy:HH:mm:ss"
            for (number, age) in [100 * day, 3 * day, 3600].enumerated() {
                let time = formatter.string(from: Date().addingTimeInterval(-age)) + " +0000"
                let text = (0..<Self.lines).map { "198.51.100.\($0 % 9 + 1) - - [\(time)] \"GET /n\(number)/\($0) HTTP/1.1\" 200 9 \"-\" \"curl/8\"\n" }
                let path = root.path("src/access.log.\(number + 1)")
                try Data(text.joined().utf8).write(to: URL(fileURLWithPath: path))
                let gzip = try Process.run(URL(fileURLWithPath: "/usr/bin/env"), arguments: ["gzip", "-n", path])
                gzip.waitUntilExit()
            }
        }

        /// The default store of this archive's runs.
        var defaultStore: String { root.path("state/anonlog/stats.db") }

        func writePolicy(_ extra: String) throws -> String {
            let path = root.path("policy.toml")
            let text = "[sources]\ninclude = [\"access.log.*.gz\"]\nquiet_period = \"0s\"\n" + extra
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }

        func run(_ arguments: [String], policy: String) throws -> AnonlogBinary.Result {
            try AnonlogBinary.run(
                arguments + ["--policy", policy, "--out", root.path("dst"), "--key-file", key],
                environment: ["XDG_STATE_HOME": root.path("state")])
        }

        func requests(in store: String) throws -> Int {
            let result = try AnonlogBinary.run(["stats", "summary", "--stats", store, "--format", "json", "--k", "1"])
            #expect(result.status == 0, "\(result.error)")
            let json = try JSONSerialization.jsonObject(with: result.output) as? [String: Any]
            let traffic = (json?["tables"] as? [[String: Any]])?.first { $0["name"] as? String == "traffic" }
            let rows = traffic?["rows"] as? [[String: Any]] ?? []
            return rows.first { $0["metric"] as? String == "requests" }?["value"] as? Int ?? 0
        }

        /// `retention status --json`: class -> (held, overdue, note).
        func status(policy: String) throws -> [String: (held: Int?, overdue: Int?, note: String?)] {
            let result = try run(["retention", "status", "--json"], policy: policy)
            #expect(result.status == 0, "\(result.error)")
            let json = try JSONSerialization.jsonObject(with: result.output) as? [String: Any]
            var classes: [String: (held: Int?, overdue: Int?, note: String?)] = [:]
            for entry in json?["classes"] as? [[String: Any]] ?? [] {
                classes[entry["class"] as? String ?? "?"] = (entry["held"] as? Int, entry["overdue"] as? Int, entry["note"] as? String)
            }
            return classes
        }
    }

    static let statisticsClasses = ["per_actor_statistics", "minute_buckets", "hourly_buckets", "daily_aggregates"]

    @Test func theArchiveRecordsIntoTheDefaultStoreAndRetentionDeletesTheRowsPastTheirWindows() throws {
        let archive = try Archive()
        let keepAll = try archive.writePolicy("")
        let archived = try archive.run(["archive", archive.root.path("src")], policy: keepAll)
        #expect(archived.status == 0, "\(archived.error)")
        #expect(try archive.requests(in: archive.defaultStore) == 3 * Archive.lines)

        let windows = try archive.writePolicy("""
            [windows]
            per_actor_statistics = "30d"
            minute_buckets = "48h"
            hourly_buckets = "90d"
            daily_aggregates = "5y"
            """)
        let before = try archive.status(policy: windows)
        for name in Self.statisticsClasses {
            let entry = try #require(before[name])
            #expect(entry.held ?? 0 > 0, "\(name)")
            #expect((entry.overdue ?? 0 > 0) == (name != "daily_aggregates"), "\(name): \(String(describing: entry.overdue))")
        }

        let applied = try archive.run(["retention", "apply", "-v"], policy: windows)
        #expect(applied.status == 0, "\(applied.error)")
        #expect(applied.error.contains("statistics rows expired"), "\(applied.error)")
        let after = try archive.status(policy: windows)
        for name in Self.statisticsClasses {
            #expect(after[name]?.overdue == 0 && after[name]?.held ?? 0 > 0, "\(name)")
        }
        #expect(try archive.requests(in: archive.defaultStore) == 3 * Archive.lines)
        #expect(try archive.run(["retention", "apply"], policy: windows).status == 3)
    }

    @Test func theArchiveDeletesTheRowsPastTheirWindowsInTheSameRun() throws {
        let archive = try Archive()
        let policy = try archive.writePolicy("[windows]\nminute_buckets = \"48h\"\nper_actor_statistics = \"30d\"\n")
        let archived = try archive.run(["archive", archive.root.path("src"), "-v"], policy: policy)
        #expect(archived.status == 0, "\(archived.error)")
        #expect(archived.error.contains("\(3 * Archive.lines) lines counted in the statistics"), "\(archived.error)")
        #expect(archived.error.contains("statistics rows expired"), "\(archived.error)")
        let status = try archive.status(policy: policy)
        #expect(status["minute_buckets"]?.overdue == 0 && status["per_actor_statistics"]?.overdue == 0)
        #expect(status["minute_buckets"]?.held ?? 0 > 0 && status["hourly_buckets"]?.overdue == nil)
    }

    @Test func aStoreThatCannotBeCreatedStopsTheArchiveBeforeAnythingIsDone() throws {
        let archive = try Archive()
        try Data().write(to: URL(fileURLWithPath: archive.root.path("not-a-directory")))
        let policy = try archive.writePolicy("[statistics]\nstore = \"not-a-directory/stats.db\"\n")
        let result = try archive.run(["archive", archive.root.path("src")], policy: policy)
        #expect(result.status == 73, "\(result.error)")
        #expect(result.error.contains("not-a-directory"), "\(result.error)")
        #expect(!FileManager.default.fileExists(atPath: archive.root.path("dst")))
    }

    @Test func aPolicyNamesItsStoreOrTurnsStatisticsOff() throws {
        let archive = try Archive()
        let named = try archive.writePolicy("[statistics]\nstore = \"archive-stats.db\"\n")
        #expect(try archive.run(["archive", archive.root.path("src")], policy: named).status == 0)
        #expect(try archive.requests(in: archive.root.path("archive-stats.db")) == 3 * Archive.lines)
        #expect(!FileManager.default.fileExists(atPath: archive.defaultStore))

        let off = try archive.writePolicy("[statistics]\nenabled = false\n[windows]\nminute_buckets = \"48h\"\n")
        let status = try archive.status(policy: off)
        #expect(status["minute_buckets"]?.note == "statistics are off in the policy")
        try FileManager.default.removeItem(atPath: archive.root.path("dst"))
        #expect(try archive.run(["archive", archive.root.path("src")], policy: off).status == 0)
        #expect(!FileManager.default.fileExists(atPath: archive.defaultStore))
    }
}
