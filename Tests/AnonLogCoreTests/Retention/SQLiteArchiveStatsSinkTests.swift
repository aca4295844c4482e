import Foundation
import Testing

@testable import AnonLogCore

/// The archive job with the real statistics store: every line of every raw log counted once,
/// also across parallel jobs, reruns and runs that died; statistics rows deleted by their windows.
struct SQLiteArchiveStatsSinkTests {
    static let day: Int64 = 86_400

    static let policy = """
        [sources]
        include = ["access.log.*.gz"]
        quiet_period = "0s"
        """

    /// Rotated web logs of different lengths, `age` days old each.
    @discardableResult
    static func rotatedLogs(_ fixture: ArchiveFixture, count: Int) throws -> [String: [String]] {
        var lines: [String: [String]] = [:]
        for number in 1...count {
            let name = "access.log.\(number).gz"
            lines[name] = ArchiveFixture.webLines("f\(number)", count: 200 + 37 * number)
            try fixture.addRawLog(name, lines: lines[name]!, age: Int64(number) * day)
        }
        return lines
    }

    static func storePath(_ fixture: ArchiveFixture) -> String { fixture.directory.path + "/stats.db" }

    static func sink(_ fixture: ArchiveFixture) throws -> SQLiteArchiveStatsSink {
        try SQLiteArchiveStatsSink(path: storePath(fixture), creating: true)
    }

    /// Requests in the store's daily rows, and lines its ledger covers.
    static func counted(_ fixture: ArchiveFixture) throws -> (requests: Int, ledgerLines: Int) {
        let database = try SQLiteDatabase(path: storePath(fixture))
        let requests = Int(try database.queryText("SELECT coalesce(sum(hits), 0) FROM traffic WHERE granularity = 86400") ?? "") ?? -1
        let lines = Int(try database.queryText("SELECT coalesce(sum(lines), 0) FROM ingestion") ?? "") ?? -1
        return (requests, lines)
    }

    // MARK: - Recording while archiving

    @Test func anArchiveOfRotatedGzipLogsCountsEveryLineOnceAndARerunAddsNothing() throws {
        let fixture = try ArchiveFixture()
        let lines = try Self.rotatedLogs(fixture, count: 6)
        let total = lines.values.reduce(0) { $0 + $1.count }
        let report = ArchiveJob.run(try fixture.configuration(Self.policy, jobs: 3), statistics: try Self.sink(fixture))
        #expect(report.exitStatus == 0, "\(report.errors)")
        #expect(report.archived.count == 6 && report.statisticsIngested == 6 && report.statisticsAlreadyIngested == 0)
        #expect(report.statisticsLinesCounted == total)
        for file in report.archived {
            #expect(file.statistics?.linesCounted == lines[file.source]?.count, "\(file.source)")
        }
        #expect(try fixture.manifest.entries.allSatisfy(\.statisticsIngested))
        #expect(try Self.counted(fixture) == (total, total))
        #expect(report.summaryLine.contains("\(total) lines counted in the statistics"))

        let rerun = ArchiveJob.run(try fixture.configuration(Self.policy, jobs: 3), statistics: try Self.sink(fixture))
        #expect(rerun.exitStatus == ArchiveReport.ExitStatus.nothingToDo)
        #expect(try Self.counted(fixture) == (total, total))
    }

    @Test func parallelJobsWritingOneStoreLoseNoRowsAndCountACopyOnce() throws {
        let fixture = try ArchiveFixture()
        // Every line in the same minute: the jobs' rows meet in the same buckets.
        let lines = try Self.rotatedLogs(fixture, count: 8)
        try FileManager.default.copyItem(atPath: fixture.source + "/access.log.3.gz", toPath: fixture.source + "/access.log.9.gz")
        try fixture.setAge(fixture.source + "/access.log.9.gz", 9 * Self.day)
        let total = lines.values.reduce(0) { $0 + $1.count }
        let report = ArchiveJob.run(try fixture.configuration(Self.policy, jobs: 4), statistics: try Self.sink(fixture))
        #expect(report.exitStatus == 0, "\(report.errors)")
        #expect(report.archived.count == 9)
        #expect(report.statisticsIngested == 8 && report.statisticsAlreadyIngested == 1)
        #expect(report.statisticsLinesCounted == total)
        #expect(try Self.counted(fixture) == (total, total))
    }

    @Test func aDamagedRawLogKeepsTheHoursCommittedBeforeTheDamageAndIsCountedWholeOnceItIsWhole() throws {
        let fixture = try ArchiveFixture()
        let path = fixture.source + "/access.log.1.gz"
        // Three hours of records, two days ago: the recorder commits hour by hour.
        let start = (fixture.now - 2 * Self.day) / 3600 * 3600
        let lines = (0..<3_000).map { index in
            Self.webLines("damaged-\(index)", count: 1, age: fixture.now - (start + Int64(index) * 3 * 3600 / 3_000), now: fixture.now)[0]
        }
        let whole = try gzip(Array((lines.joined(separator: "\n") + "\n").utf8))
        try Data(whole.prefix(whole.count / 2)).write(to: URL(fileURLWithPath: path))
        try fixture.setAge(path, Self.day)
        let first = ArchiveJob.run(try fixture.configuration(Self.policy), statistics: try Self.sink(fixture))
        #expect(first.exitStatus == ArchiveReport.ExitStatus.partialFailure && first.failed.count == 1)
        // The hours committed before the damage are in (the first, as the recorder commits hour
        // by hour), with whole lines only: the line the damage cut is not among them.
        let counted = try Self.counted(fixture)
        #expect(counted.requests <= 1_500 && counted.requests == counted.ledgerLines, "\(counted)")
        #expect(first.statisticsLinesCounted == counted.requests)

        // Still damaged: nothing more. Whole again (a new copy): the rest, and only the rest.
        let second = ArchiveJob.run(try fixture.configuration(Self.policy), statistics: try Self.sink(fixture))
        #expect(second.failed.count == 1 && second.statisticsLinesCounted == 0)
        #expect(try Self.counted(fixture) == counted)
        try Data(whole).write(to: URL(fileURLWithPath: path))
        try fixture.setAge(path, Self.day)
        let third = ArchiveJob.run(try fixture.configuration(Self.policy), statistics: try Self.sink(fixture))
        #expect(third.exitStatus == 0, "\(third.errors)")
        #expect(third.statisticsLinesCounted == 3_000 - counted.requests)
        #expect(try Self.counted(fixture) == (3_000, 3_000))
    }

    // MARK: - Statistics left pending

    @Test func aRunThatDiedAfterRecordingIsConfirmedByTheNextWithoutCountingAgain() throws {
        let fixture = try ArchiveFixture()
        let lines = try Self.rotatedLogs(fixture, count: 3)
        let total = lines.values.reduce(0) { $0 + $1.count }
        // Recorded, then "died" before the manifest could say so.
        let first = ArchiveJob.run(try fixture.configuration(Self.policy), statistics: UnconfirmedSink(try Self.sink(fixture)))
        #expect(first.exitStatus == ArchiveReport.ExitStatus.partialFailure)
        #expect(try fixture.manifest.entries.allSatisfy { !$0.statisticsIngested })
        #expect(try Self.counted(fixture) == (total, total))

        let second = ArchiveJob.run(try fixture.configuration(Self.policy), statistics: try Self.sink(fixture))
        #expect(second.exitStatus == ArchiveReport.ExitStatus.nothingToDo, "\(second.errors)")
        #expect(second.plan.pendingStatistics.count == 3)
        #expect(second.statisticsAlreadyIngested == 3 && second.statisticsIngested == 0 && second.statisticsLinesCounted == 0)
        #expect(try fixture.manifest.entries.allSatisfy(\.statisticsIngested))
        #expect(try Self.counted(fixture) == (total, total))
    }

    @Test func rawLogsArchivedWithoutTheStoreAreReadAgainForTheirStatisticsAndThenDeleted() throws {
        let fixture = try ArchiveFixture()
        let lines = try Self.rotatedLogs(fixture, count: 2)
        let total = lines.values.reduce(0) { $0 + $1.count }
        let policy = Self.policy + "\n[windows]\nraw_logs = \"0s\"\n"
        let first = ArchiveJob.run(try fixture.configuration(policy), statistics: UnavailableSink())
        #expect(first.exitStatus == ArchiveReport.ExitStatus.partialFailure)
        #expect(first.archived.count == 2 && first.errors.contains { $0.message == "the store is down" })
        #expect(try fixture.files(under: fixture.source).count == 2)  // kept: statistics not in

        // Retention without the key cannot read them, and says so.
        var keyless = try fixture.configuration(policy)
        keyless.keys = nil
        let retention = RetentionJob.apply(keyless, statistics: try Self.sink(fixture))
        #expect(retention.exitStatus == ArchiveReport.ExitStatus.partialFailure)
        #expect(retention.errors.contains { $0.message.contains("needs the key") }, "\(retention.errors)")
        #expect(try Self.counted(fixture) == (0, 0))

        let second = ArchiveJob.run(try fixture.configuration(policy), statistics: try Self.sink(fixture))
        #expect(second.exitStatus == 0, "\(second.errors)")
        #expect(second.statisticsIngested == 2 && second.statisticsLinesCounted == total)
        #expect(try Self.counted(fixture) == (total, total))
        #expect(try fixture.files(under: fixture.source).isEmpty)
    }

    // MARK: - Retention of rows

    /// Web lines whose records are `age` seconds old.
    static func webLines(_ tag: String, count: Int, age: Int64, now: Int64) -> [String] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "dd/MMM/yyyy:HH:mm:ss"
        let time = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(now - age))) + " +0000"
        return (0..<count).map { "198.51.100.\($0 % 40 + 1) - - [\(time)] \"GET /\(tag)/\($0) HTTP/1.1\" 200 \($0) \"-\" \"curl/8\"" }
    }

    static let windows = """
        [windows]
        per_actor_statistics = "30d"
        minute_buckets = "48h"
        hourly_buckets = "90d"
        daily_aggregates = "5y"
        """

    @Test func retentionDeletesTheRowsPastEachClassWindowKeepsTheRestAndStatusReportsThem() throws {
        let fixture = try ArchiveFixture()
        let ages: [Int64] = [100 * Self.day, 40 * Self.day, 3 * Self.day, 3600]
        for (index, age) in ages.enumerated() {
            try fixture.addRawLog("access.log.\(index + 1).gz", lines: Self.webLines("a\(index)", count: 50, age: age, now: fixture.now), age: 600)
        }
        // Recorded first under a policy that keeps everything.
        let archived = ArchiveJob.run(try fixture.configuration(Self.policy), statistics: try Self.sink(fixture))
        #expect(archived.exitStatus == 0, "\(archived.errors)")
        #expect(try Self.counted(fixture).requests == 200)

        let configuration = try fixture.configuration(Self.policy + "\n" + Self.windows)
        let before = try RetentionJob.status(configuration, statistics: try Self.sink(fixture))
        func entry(_ status: RetentionStatus, _ statisticsClass: StatisticsClass) throws -> RetentionStatus.Entry {
            try #require(status.entries.first { $0.retentionClass == statisticsClass.retentionClass })
        }
        let overdue: [StatisticsClass: Bool] = [.minuteBuckets: true, .hourlyBuckets: true, .perActor: true, .dailyAggregates: false]
        for (statisticsClass, isOverdue) in overdue {
            let held = try entry(before, statisticsClass)
            #expect(held.held ?? 0 > 0 && held.unit == "rows", "\(statisticsClass)")
            #expect((held.overdue ?? 0 > 0) == isOverdue, "\(statisticsClass): \(String(describing: held.overdue))")
            #expect(held.oldest ?? .max <= fixture.now - 100 * Self.day, "\(statisticsClass)")
        }

        let applied = RetentionJob.apply(configuration, statistics: try Self.sink(fixture))
        #expect(applied.exitStatus == 0, "\(applied.errors)")
        for (statisticsClass, isOverdue) in overdue {
            #expect((applied.statisticsRowsDeleted[statisticsClass] ?? 0 > 0) == isOverdue, "\(statisticsClass)")
        }
        let after = try RetentionJob.status(configuration, statistics: try Self.sink(fixture))
        let oldest: [StatisticsClass: Int64] = [
            .minuteBuckets: 3600, .hourlyBuckets: 40 * Self.day, .perActor: 3 * Self.day, .dailyAggregates: 100 * Self.day,
        ]
        for (statisticsClass, age) in oldest {
            let held = try entry(after, statisticsClass)
            #expect(held.overdue == 0, "\(statisticsClass)")
            // The oldest row left is the bucket of the oldest records inside the window.
            let bucket: Int64 = statisticsClass == .minuteBuckets ? 60 : statisticsClass == .hourlyBuckets ? 3600 : Self.day
            let expected = (fixture.now - age) / bucket * bucket
            #expect(held.oldest == expected, "\(statisticsClass)")
        }
        #expect(try Self.counted(fixture).requests == 200)  // the daily rows keep the count

        // A second application finds nothing left to delete.
        let again = RetentionJob.apply(configuration, statistics: try Self.sink(fixture))
        #expect(again.exitStatus == ArchiveReport.ExitStatus.nothingToDo)
    }

    @Test func aMissingStoreHoldsNothingAndIsNotCreatedByStatusOrRetention() throws {
        let fixture = try ArchiveFixture()
        let sink = try SQLiteArchiveStatsSink(path: Self.storePath(fixture), creating: false)
        let status = try RetentionJob.status(try fixture.configuration(Self.policy + "\n" + Self.windows), statistics: sink)
        let minute = try #require(status.entries.first { $0.retentionClass == .minuteBuckets })
        #expect(minute.held == nil && minute.note == "no statistics store")
        #expect(try sink.deleteRows(olderThan: fixture.now, class: .minuteBuckets) == 0)
        #expect(!FileManager.default.fileExists(atPath: Self.storePath(fixture)))
    }
}

/// The real store, but the ingestion is never confirmed: a run that died after its recorders
/// committed and before the manifest noted it.
final class UnconfirmedSink: ArchiveStatsSink {
    let store: SQLiteArchiveStatsSink
    init(_ store: SQLiteArchiveStatsSink) { self.store = store }
    func makeRecorder(keys: KeyRecord) throws(AnonLogError) -> StatsRecorder? { try store.makeRecorder(keys: keys) }
    func ingest(_ source: ArchivedSource) throws(AnonLogError) -> StatsIngestion { throw AnonLogError(.ioError, "killed") }
    func deleteRows(olderThan cutoff: Int64, class: StatisticsClass) throws(AnonLogError) -> Int { 0 }
    func holdings(of class: StatisticsClass, olderThan cutoff: Int64?) throws(AnonLogError) -> StatisticsHolding? { nil }
}

/// A store that cannot be opened.
final class UnavailableSink: ArchiveStatsSink {
    func makeRecorder(keys: KeyRecord) throws(AnonLogError) -> StatsRecorder? { throw AnonLogError(.ioError, "the store is down") }
    func ingest(_ source: ArchivedSource) throws(AnonLogError) -> StatsIngestion {
        Issue.record("ingest without a recording")
        return .ingested
    }
    func deleteRows(olderThan cutoff: Int64, class: StatisticsClass) throws(AnonLogError) -> Int { 0 }
    func holdings(of class: StatisticsClass, olderThan cutoff: Int64?) throws(AnonLogError) -> StatisticsHolding? { nil }
}
