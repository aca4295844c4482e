import Foundation
import Testing

@testable import AnonLogCore

/// Retention in the SQLite store: each statistics class loses the rows whose bucket ended before
/// the cutoff, and nothing else.
struct SQLiteStatsStoreRetentionTests {
    /// The tables of each class and the column of their time, as the README documents them.
    static let classTables: [StatisticsClass: [(table: String, column: String, granularity: Int64?)]] = [
        .minuteBuckets: bucketed(60),
        .hourlyBuckets: bucketed(3600) + [("paths", "hour", nil)],
        .dailyAggregates: bucketed(86_400) + [("visitors", "day", nil), ("bots", "day", nil), ("autonomous_systems", "day", nil)],
        .perActor: [("actors", "day", nil), ("networks", "day", nil), ("fingerprints", "hour", nil), ("alerts", "time", nil)],
    ]

    static func bucketed(_ granularity: Int64) -> [(table: String, column: String, granularity: Int64?)] {
        ["traffic", "statuses", "uniques", "class_clients", "chat"].map { ($0, "bucket", granularity) }
    }

    /// Two days apart: requests, a bad user agent (an alert), a bot, and a chat session with a
    /// message (a fingerprint), on the first day and two days later.
    static let firstDay: Double = 0
    static let thirdDay: Double = 2 * 86_400 + 3600

    static func activity(at offset: Double) -> [String] {
        let requests = (0..<40).map { Trace.request("198.51.100.\($0 % 12 + 1)", offset + Double($0) * 7, "GET", "/page/\($0 % 5)") }
        let bot = (0..<3).map { Trace.request("66.249.66.\($0 + 1)", offset + 30 + Double($0), "GET", "/robots.txt", userAgent: Trace.googlebot) }
        let attack = DetectorsTests.series(DetectorsTests.attacker, 3, every: 5, from: offset + 60, userAgent: "sqlmap/1.8.11#stable (https://sqlmap.org)") {
            "/products/?page=\($0)"
        }
        let chat = DetectorsTests.session("s-\(Int(offset))", client: "198.51.100.40", at: offset + 90, messages: [(20, "hello there")])
        return requests + bot + attack + chat
    }

    /// A store holding both days.
    static func recordedStore() throws -> SQLiteStatsStore {
        let store = try SQLiteStatsStore(path: SQLiteStatsStoreTests.temporaryPath())
        _ = try StatsHarness.record([activity(at: firstDay), activity(at: thirdDay)], store: store)
        return store
    }

    /// Rows of each table of `statisticsClass` before and after `middle` (a time between the days).
    static func counts(_ store: SQLiteStatsStore, _ statisticsClass: StatisticsClass, middle: Int64) throws -> (old: [String: Int], new: [String: Int]) {
        var old: [String: Int] = [:]
        var new: [String: Int] = [:]
        for (table, column, granularity) in classTables[statisticsClass]! {
            let filter = granularity.map { " AND granularity = \($0)" } ?? ""
            old[table] = Int(try store.database.queryText("SELECT count(*) FROM \(table) WHERE \(column) < \(middle)\(filter)") ?? "") ?? -1
            new[table] = Int(try store.database.queryText("SELECT count(*) FROM \(table) WHERE \(column) >= \(middle)\(filter)") ?? "") ?? -1
        }
        return (old, new)
    }

    static var middle: Int64 { Trace.start + 86_400 }

    // MARK: - Deleting

    @Test(arguments: StatisticsClass.allCases)
    func aClassLosesItsRowsBeforeTheCutoffAndKeepsTheRest(_ statisticsClass: StatisticsClass) throws {
        let store = try Self.recordedStore()
        let before = try Self.counts(store, statisticsClass, middle: Self.middle)
        let others = try StatisticsClass.allCases.filter { $0 != statisticsClass }.map { try Self.counts(store, $0, middle: Self.middle) }
        #expect(before.old.values.reduce(0, +) > 0 && before.new.values.reduce(0, +) > 0)

        let deleted = try store.deleteRows(olderThan: Self.middle, class: statisticsClass)

        let after = try Self.counts(store, statisticsClass, middle: Self.middle)
        #expect(deleted == before.old.values.reduce(0, +))
        #expect(after.old.values.allSatisfy { $0 == 0 }, "\(after.old)")
        #expect(after.new == before.new)
        let othersAfter = try StatisticsClass.allCases.filter { $0 != statisticsClass }.map { try Self.counts(store, $0, middle: Self.middle) }
        #expect(othersAfter.map(\.old) == others.map(\.old) && othersAfter.map(\.new) == others.map(\.new))
    }

    @Test func aBucketEndingAtTheCutoffGoesAndOneEndingAfterItStays() throws {
        let store = try Self.recordedStore()
        let firstMinute = Trace.start
        let rows = { try store.database.queryText("SELECT count(*) FROM traffic WHERE granularity = 60 AND bucket = \(firstMinute)") }
        #expect(try rows() != "0")
        #expect(try store.deleteRows(olderThan: firstMinute + 59, class: .minuteBuckets) == 0)
        #expect(try store.deleteRows(olderThan: firstMinute + 60, class: .minuteBuckets) > 0)
        #expect(try rows() == "0")

        let firstAlert = try #require(Int64(try store.database.queryText("SELECT min(time) FROM alerts") ?? ""))
        #expect(try store.deleteRows(olderThan: firstAlert, class: .perActor) == 0)
        #expect(try store.database.queryText("SELECT count(*) FROM alerts WHERE time = \(firstAlert)") != "0")
    }

    @Test func theIngestionLedgerIsKept() throws {
        let store = try Self.recordedStore()
        let ledger = try store.database.queryText("SELECT count(*) FROM ingestion")
        for statisticsClass in StatisticsClass.allCases { _ = try store.deleteRows(olderThan: .max / 2, class: statisticsClass) }
        #expect(try store.database.queryText("SELECT count(*) FROM ingestion") == ledger)
        #expect(try store.database.queryText("SELECT count(*) FROM traffic") == "0")
    }

    @Test func everyTableButTheLedgerBelongsToExactlyOneClass() throws {
        let store = try SQLiteStatsStore(path: SQLiteStatsStoreTests.temporaryPath())
        var tables: [String] = []
        let statement = try store.database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        while try statement.step() { tables.append(statement.text(0) ?? "") }
        statement.reset()
        var owners: [String: [StatisticsClass]] = [:]
        for statisticsClass in StatisticsClass.allCases {
            for rows in SQLiteStatsStore.retainedRows(of: statisticsClass) { owners[rows.table, default: []].append(statisticsClass) }
        }
        for table in tables where table != "ingestion" {
            let classes = owners[table] ?? []
            // The bucketed tables hold minute, hour and day rows: one class per granularity.
            let expected = Self.bucketed(60).contains { $0.table == table } ? 3 : 1
            #expect(classes.count == expected, "\(table): \(classes)")
        }
        for statisticsClass in StatisticsClass.allCases {
            let mine = SQLiteStatsStore.retainedRows(of: statisticsClass).map { "\($0.table).\($0.column).\($0.granularity ?? 0)" }
            let documented = Self.classTables[statisticsClass]!.map { "\($0.table).\($0.column).\($0.granularity ?? 0)" }
            #expect(mine == documented)
        }
    }

    // MARK: - Holdings

    @Test func holdingsCountTheRowsTheOldestBucketAndWhatIsOverdue() throws {
        let store = try Self.recordedStore()
        for statisticsClass in StatisticsClass.allCases {
            let counts = try Self.counts(store, statisticsClass, middle: Self.middle)
            let holding = try store.holdings(of: statisticsClass, olderThan: Self.middle)
            #expect(holding.rows == counts.old.values.reduce(0, +) + counts.new.values.reduce(0, +), "\(statisticsClass)")
            #expect(holding.overdue == counts.old.values.reduce(0, +), "\(statisticsClass)")
            let oldest = try #require(holding.oldest)
            #expect(oldest <= Trace.start && oldest > Trace.start - 86_400, "\(statisticsClass)")
            #expect(try store.holdings(of: statisticsClass, olderThan: nil).overdue == nil)
        }
        let empty = try SQLiteStatsStore(path: SQLiteStatsStoreTests.temporaryPath())
        #expect(try empty.holdings(of: .dailyAggregates, olderThan: Self.middle) == StatisticsHolding(rows: 0, oldest: nil, overdue: 0))
    }
}
