import Foundation
import Testing

/// `anonlog archive` killed with SIGKILL at every step, then run again: every record ends up in
/// the archive exactly once and is counted exactly once in the statistics store (an SQLite file,
/// read back with `anonlog stats summary`), no raw log is lost, and no partial file ever appears
/// among the archived ones.
///
/// The child is stopped exactly between two steps through `ANONLOG_TEST_CRASH_AT` (the process
/// sends itself SIGKILL the n-th time it reaches the step), and at random moments by the test.
struct ArchiveCrashTests {
    static let files = 5
    static let linesPerFile = 4_000
    static let day: Int64 = 86_400

    /// A raw log older than the anonymized-logs window: archived (for its statistics), then its
    /// output expires in the same run.
    static let expiring = "access.log.9.gz"

    static let policy = """
        [sources]
        include = ["access.log.*.gz"]
        live = ["access.log"]
        quiet_period = "0s"
        [anonymization]
        rotation = "daily"
        [statistics]
        store = "stats.db"
        [windows]
        raw_logs = "0s"
        anonymized_logs = "26 months"
        key_epochs = "30d"
        """

    /// The steps and the arrivals at them to crash on (several files pass most steps).
    static let crashPoints: [String] = [
        "output-written:1", "output-written:4", "staged:2", "verified:1", "verified:5", "renamed:1", "renamed:3",
        "recorded:1", "recorded:6", "stats-ingested:2", "stats-ingested:6", "source-deleted:1", "source-deleted:4",
        "output-expired:1", "manifest-written:1", "manifest-written:8", "manifest-written:15", "keys-shredded:1",
    ]

    /// Raw logs made once and copied into each scenario.
    static let template: TemplateLogs = {
        do {
            return try TemplateLogs()
        } catch {
            preconditionFailure("cannot make the raw logs: \(error)")
        }
    }()

    final class TemplateLogs: Sendable {
        let directory: String
        /// Raw log name -> its record ids, in order.
        let records: [String: [String]]

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("anonlog-crash-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var records: [String: [String]] = [:]
            // Yesterday, so that every record is inside the anonymized-logs window.
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "dd/MMM/yyyy:HH"
            let hour = formatter.string(from: Date().addingTimeInterval(-86_400))
            let names = (1...ArchiveCrashTests.files).map { "access.log.\($0).gz" } + [ArchiveCrashTests.expiring]
            for name in names {
                let ids = (0..<ArchiveCrashTests.linesPerFile).map { "\(name)/\($0)" }
                // In time order through the hour, as a server writes them.
                let text = ids.enumerated().map { index, id in
                    let time = String(format: "%02d:%02d", index * 60 / ArchiveCrashTests.linesPerFile, index % 60)
                    return "198.51.\(index % 200).\(index % 250 + 1) - - [\(hour):\(time) +0000] \"GET /rec/\(id) HTTP/1.1\" 200 \(index) \"-\" \"curl/8\"\n"
                }.joined()
                try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + name.dropLast(3)))
                let gzip = Process()
                gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                gzip.arguments = ["gzip", "-n", directory + "/" + name.dropLast(3)]
                try gzip.run()
                gzip.waitUntilExit()
                records[name] = ids
            }
            self.records = records
        }
    }

    /// One scenario's directories: raw logs, archive, key, statistics store.
    final class Scenario {
        let root: TemporaryDirectory
        var source: String { root.path("src") }
        var archive: String { root.path("dst") }
        /// The policy's `[statistics] store`, relative to the policy file.
        var store: String { root.path("stats.db") }
        var policy: String { root.path("policy.toml") }
        var key: String { root.path("key") }

        init() throws {
            root = try TemporaryDirectory()
            try FileManager.default.createDirectory(atPath: root.path("src"), withIntermediateDirectories: true)
            let now = Date().timeIntervalSince1970
            for (index, name) in ArchiveCrashTests.template.records.keys.sorted().enumerated() {
                try FileManager.default.copyItem(atPath: template.directory + "/" + name, toPath: source + "/" + name)
                let age = name == expiring ? 900 * day : Int64(index + 1) * day
                try FileManager.default.setAttributes(
                    [.modificationDate: Date(timeIntervalSince1970: now - TimeInterval(age))], ofItemAtPath: source + "/" + name)
            }
            try Data("198.51.100.1 live\n".utf8).write(to: URL(fileURLWithPath: source + "/access.log"))
            try Data(ArchiveCrashTests.policy.utf8).write(to: URL(fileURLWithPath: policy))
            // A daily key whose oldest epoch is sixty days back, so that the run shreds thirty.
            let epoch = Int(now) / 86_400 - 60
            let hex = (0..<32).map { String(format: "%02x", ($0 * 37 + 11) & 0xFF) }.joined()
            try Data("anonlog-key 1\nmode hmac\nrotation daily\nepoch \(epoch)\nkey \(hex)\n".utf8).write(to: URL(fileURLWithPath: key))
            chmod(key, 0o600)
        }

        var arguments: [String] { ["archive", source, "--out", archive, "--policy", policy, "--key-file", key, "--jobs", "2"] }

        func process(crashAt: String? = nil) -> Process {
            let process = Process()
            process.executableURL = AnonlogBinary.url
            process.arguments = arguments
            var environment = AnonlogBinary.environment
            environment["ANONLOG_TEST_CRASH_AT"] = crashAt
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }

        /// Runs to the end (or to the crash point); returns whether SIGKILL ended it, and the status.
        func run(crashAt: String? = nil) throws -> (killed: Bool, status: Int32) {
            let process = process(crashAt: crashAt)
            try process.run()
            process.waitUntilExit()
            return (process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL, process.terminationStatus)
        }

        /// Starts a run and kills it after `microseconds`.
        func runAndKill(after microseconds: UInt32) throws {
            let process = process()
            try process.run()
            usleep(microseconds)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        /// Record id -> how often it appears, in the archived files (state directory aside).
        func archivedRecords() throws -> [String: Int] {
            var counts: [String: Int] = [:]
            guard FileManager.default.fileExists(atPath: archive) else { return counts }  // killed before it was made
            let names = try FileManager.default.contentsOfDirectory(atPath: archive).filter { !$0.hasPrefix(".") }
            for name in names {
                let gunzip = try runGunzip(archive + "/" + name)
                #expect(gunzip.valid, "\(name) in the archive is not complete gzip")
                for line in gunzip.text.split(separator: "\n") {
                    guard let start = line.range(of: "/rec/"), let end = line[start.upperBound...].firstIndex(of: " ") else {
                        Issue.record("\(name) holds a line that is not a whole record: \(line.prefix(80))")
                        continue
                    }
                    counts[String(line[start.upperBound..<end]), default: 0] += 1
                }
            }
            return counts
        }

        /// The raw logs still in the source directory.
        func rawLogs() throws -> Set<String> {
            Set(try FileManager.default.contentsOfDirectory(atPath: source).filter { $0.hasSuffix(".gz") })
        }

        /// What the statistics store counted, by `anonlog stats summary --format json`: the
        /// requests, and the lines its ingestion ledger covers per raw log.
        func statistics() throws -> (requests: Int, lines: [String: Int]) {
            guard FileManager.default.fileExists(atPath: store) else { return (0, [:]) }  // killed before it was made
            let result = try AnonlogBinary.run(["stats", "summary", "--stats", store, "--format", "json", "--k", "1"])
            #expect(result.status == 0, "\(result.error)")
            let json = try #require(try JSONSerialization.jsonObject(with: result.output) as? [String: Any])
            let tables = try #require(json["tables"] as? [[String: Any]])
            func rows(_ name: String) -> [[String: Any]] { tables.first { $0["name"] as? String == name }?["rows"] as? [[String: Any]] ?? [] }
            let requests = rows("traffic").first { $0["metric"] as? String == "requests" }?["value"] as? Int ?? 0
            var lines: [String: Int] = [:]
            for row in rows("sources") {
                lines[((row["source"] as? String) ?? "?").split(separator: "/").last.map(String.init) ?? "?", default: 0] += row["lines"] as? Int ?? 0
            }
            return (requests, lines)
        }

        /// What must hold at any moment, even right after a kill.
        func checkNothingLostAndNothingPartial(_ context: String) throws {
            let archived = try archivedRecords()
            let raw = try rawLogs()
            for (name, ids) in template.records where !raw.contains(name) && name != expiring {
                let missing = ids.filter { archived[$0] == nil }
                #expect(missing.isEmpty, "\(context): \(name) was deleted but \(missing.count) of its records are in no archived file")
            }
            #expect(archived.values.allSatisfy { $0 == 1 }, "\(context): a record is in two archived files")
            let statistics = try statistics()
            #expect(statistics.requests <= template.records.count * linesPerFile, "\(context): requests counted twice")
            for (name, lines) in statistics.lines {
                #expect(lines <= linesPerFile, "\(context): lines of \(name) counted twice")
            }
        }

        /// What must hold once a run has finished.
        func checkFinished(_ context: String) throws {
            let archived = try archivedRecords()
            for (name, ids) in template.records {
                let expected = name == expiring ? 0 : 1
                let wrong = ids.filter { archived[$0, default: 0] != expected }
                #expect(wrong.isEmpty, "\(context): \(wrong.count) records of \(name) are not archived exactly \(expected) times")
            }
            #expect(archived.count == (template.records.count - 1) * linesPerFile, "\(context)")
            #expect(try rawLogs().isEmpty, "\(context): raw logs left")
            // Every request exactly once in the store, every raw log's lines in its ledger.
            let statistics = try statistics()
            #expect(statistics.requests == template.records.count * linesPerFile, "\(context): \(statistics.requests) requests counted")
            #expect(statistics.lines == template.records.mapValues(\.count), "\(context): \(statistics.lines)")
            let hidden = try FileManager.default.contentsOfDirectory(atPath: archive).filter { $0.hasPrefix(".") }
            #expect(hidden == [".anonlog-archive"], "\(context): \(hidden) left in the archive")
            let staging = try FileManager.default.contentsOfDirectory(atPath: archive + "/.anonlog-archive/staging")
            #expect(staging.isEmpty, "\(context): \(staging) left in the staging area")
            #expect(!FileManager.default.fileExists(atPath: archive + "/.anonlog-archive/manifest.tmp"), "\(context)")
            let key = try String(contentsOfFile: key, encoding: .utf8)
            #expect(key.contains("epoch \(Int(Date().timeIntervalSince1970) / 86_400 - 30)\n"), "\(context): key epochs not shredded")
        }
    }

    // MARK: - Tests

    @Test(arguments: crashPoints)
    func aRunKilledAtEveryStepIsFinishedByTheNextWithEveryRecordOnce(at point: String) throws {
        let scenario = try Scenario()
        let crashed = try scenario.run(crashAt: point)
        #expect(crashed.killed, "\(point): the run was not killed there (status \(crashed.status))")
        try scenario.checkNothingLostAndNothingPartial("after a crash at \(point)")
        let rerun = try scenario.run()
        #expect(!rerun.killed && (rerun.status == 0 || rerun.status == 3), "\(point): the rerun ended with \(rerun.status)")
        try scenario.checkFinished("after a crash at \(point) and a rerun")
        let again = try scenario.run()
        #expect(again.status == 3, "\(point): a third run found something to do")
    }

    @Test func runsKilledAtRandomMomentsAreFinishedByTheNext() throws {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<6 {
            let scenario = try Scenario()
            let kills = Int.random(in: 1...3, using: &generator)
            for kill in 0..<kills {
                try scenario.runAndKill(after: UInt32.random(in: 0...300_000, using: &generator))
                try scenario.checkNothingLostAndNothingPartial("round \(round), kill \(kill)")
            }
            let rerun = try scenario.run()
            #expect(!rerun.killed && (rerun.status == 0 || rerun.status == 3), "round \(round): the rerun ended with \(rerun.status)")
            try scenario.checkFinished("round \(round)")
        }
    }

    @Test func theDryRunChangesNothingAndExitsByWhatItFound() throws {
        let scenario = try Scenario()
        let before = try snapshot(scenario.root.path(""))
        let process = scenario.process()
        process.arguments = scenario.arguments + ["--dry-run"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let plan = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(plan.split(separator: "\n").filter { $0.hasPrefix("archive ") }.count == Self.files + 1, "\(plan)")
        #expect(plan.contains("shred    30 key epochs"), "\(plan)")
        #expect(plan.contains("expire   anonymized log access.log-"), "\(plan)")
        #expect(try snapshot(scenario.root.path("")) == before)
        #expect(try scenario.run().status == 0)
        let after = try snapshot(scenario.root.path(""))
        let noop = scenario.process()
        noop.arguments = scenario.arguments + ["--dry-run"]
        try noop.run()
        noop.waitUntilExit()
        #expect(noop.terminationStatus == 3)
        #expect(try snapshot(scenario.root.path("")) == after)
    }

    @Test func aRunFindingTheLockHeldExitsWithSeventyFive() throws {
        let scenario = try Scenario()
        try FileManager.default.createDirectory(atPath: scenario.archive + "/.anonlog-archive", withIntermediateDirectories: true)
        let descriptor = open(scenario.archive + "/.anonlog-archive/lock", O_RDWR | O_CREAT, 0o644)
        defer { close(descriptor) }
        #expect(flock(descriptor, LOCK_EX) == 0)
        let result = try AnonlogBinary.run(scenario.arguments)
        #expect(result.status == 75)
        #expect(result.error.contains("another run"), "\(result.error)")
        flock(descriptor, LOCK_UN)
        let next = try AnonlogBinary.run(scenario.arguments + ["--verbose"])
        #expect(next.status == 0, "\(next.error)")
        #expect(next.error.hasPrefix("anonlog archive: \(Self.files + 1) files archived"), "\(next.error)")
    }

    @Test func underCronASuccessfulRunPrintsNothing() throws {
        let scenario = try Scenario()
        let result = try AnonlogBinary.run(scenario.arguments)
        #expect(result.status == 0)
        #expect(result.error.isEmpty && result.output.isEmpty, "\(result.error)")
        let again = try AnonlogBinary.run(scenario.arguments)
        #expect(again.status == 3 && again.error.isEmpty)
    }
}

/// `gzip -dc` of a file: the text, and whether gzip found it whole.
func runGunzip(_ path: String) throws -> (text: String, valid: Bool) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip", "-dc", path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (String(decoding: data, as: UTF8.self), process.terminationStatus == 0)
}

/// Every file under `root` with its size, time and contents.
func snapshot(_ root: String) throws -> [String: String] {
    var result: [String: String] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: root) else { return result }
    while let relative = enumerator.nextObject() as? String {
        let path = root + "/" + relative
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        guard attributes[.type] as? FileAttributeType == .typeRegular else { continue }
        let time = relative.hasSuffix("/lock") ? "" : "\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        result[relative] = "\(attributes[.size] ?? 0) \(time) \(try Data(contentsOf: URL(fileURLWithPath: path)).hashValue)"
    }
    return result
}
