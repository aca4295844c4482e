import CAnonLogSQLite
import Foundation
import Testing

@testable import AnonLogCore

/// The SQLite store: schema, concurrent writers, and the queries on recorded samples.
struct SQLiteStatsStoreTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("anonlog-store-\(UUID().uuidString)/stats.db").path
    }

    /// A store holding the sample lines of ``StatsRecorderTests``.
    static func recordedStore() throws -> SQLiteStatsStore {
        let store = try SQLiteStatsStore(path: temporaryPath())
        _ = try StatsHarness.record([StatsRecorderTests.lines], store: store)
        return store
    }

    // MARK: - Schema

    @Test func aNewStoreIsCreatedWithItsDirectoryAndTheCurrentSchemaVersion() throws {
        let path = Self.temporaryPath()
        _ = try SQLiteStatsStore(path: path)
        var status = stat()
        #expect(stat((path as NSString).deletingLastPathComponent, &status) == 0)
        #expect(status.st_mode & 0o777 == 0o700)
        #expect(try SQLiteDatabase(path: path).queryText("PRAGMA user_version") == String(StatsSchema.version))
        #expect(try SQLiteDatabase(path: path).queryText("PRAGMA journal_mode") == "wal")
    }

    @Test func aNewStoreHasLargePagesAndAnOldOneKeepsItsOwn() throws {
        let path = Self.temporaryPath()
        _ = try SQLiteStatsStore(path: path)
        #expect(try SQLiteDatabase(path: path).queryText("PRAGMA page_size") == String(SQLiteDatabase.pageSize))

        // A store made with SQLite's default pages (by an earlier anonlog) is opened as it is.
        let oldPath = try Self.storeFileWithDefaultPages()
        let store = try SQLiteStatsStore(path: oldPath)
        _ = try StatsHarness.record([StatsRecorderTests.lines], store: store)
        let reopened = try SQLiteDatabase(path: oldPath)
        #expect(try reopened.queryText("PRAGMA page_size") == "4096")
        #expect(try reopened.queryText("SELECT count(*) > 0 FROM traffic") == "1")
    }

    /// The README's conversion of an old store to the new page size keeps its rows, and the
    /// store records into it as before.
    @Test func anOldStoreConvertedAsTheREADMESaysKeepsItsRowsAndTakesMore() throws {
        let path = try Self.storeFileWithDefaultPages()
        _ = try StatsHarness.record([StatsRecorderTests.lines], store: try SQLiteStatsStore(path: path))
        #expect(try SQLiteDatabase(path: path).queryText("PRAGMA page_size") == "4096")
        let daily = "SELECT sum(hits) FROM traffic WHERE granularity = 86400"
        let before = try #require(try SQLiteDatabase(path: path).queryText(daily).flatMap { Int($0) })

        let conversion = "PRAGMA journal_mode=DELETE; PRAGMA page_size=65536; VACUUM; PRAGMA journal_mode=WAL;"
        #expect(try Self.executeDirectly(conversion, on: path) == SQLITE_OK)

        let converted = try SQLiteDatabase(path: path)
        #expect(try converted.queryText("PRAGMA page_size") == String(SQLiteDatabase.pageSize))
        #expect(try converted.queryText("PRAGMA journal_mode") == "wal")
        #expect(try converted.queryText(daily) == String(before))
        // The same lines again are a replay (counted once); new lines are counted.
        let later = (0..<100).map { Trace.request("192.0.2.\($0 % 10)", 3 * 86_400 + Double($0), "GET", "/later") }
        _ = try StatsHarness.record([StatsRecorderTests.lines, later], store: try SQLiteStatsStore(path: path))
        #expect(try converted.queryText(daily) == String(before + 100))
    }

    /// A new WAL database file as an earlier anonlog made it: with SQLite's default page size.
    private static func storeFileWithDefaultPages() throws -> String {
        let path = temporaryPath()
        try StatsStoreLocation.createParentDirectory(of: path)
        #expect(try executeDirectly("PRAGMA journal_mode=WAL", on: path) == SQLITE_OK)
        return path
    }

    /// Runs SQL through a plain connection, without the store's own settings.
    private static func executeDirectly(_ sql: String, on path: String) throws -> Int32 {
        var handle: OpaquePointer?
        defer { sqlite3_close_v2(handle) }
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
            throw AnonLogError(.cannotCreateOutput, "cannot open", location: .init(path: path))
        }
        return sqlite3_exec(handle, sql, nil, nil, nil)
    }

    @Test func aStoreOfAnEarlierSchemaIsMigratedKeepingItsRows() throws {
        let path = Self.temporaryPath()
        try StatsStoreLocation.createParentDirectory(of: path)
        let old = try SQLiteDatabase(path: path)
        try old.execute(StatsSchema.migrations[0])
        try old.execute("PRAGMA user_version = 1")
        try old.execute("INSERT INTO traffic VALUES (60, 0, 'browser', 2, 0, 7, 70)")
        _ = try SQLiteStatsStore(path: path)
        let migrated = try SQLiteDatabase(path: path)
        #expect(try migrated.queryText("PRAGMA user_version") == String(StatsSchema.version))
        #expect(try migrated.queryText("SELECT hits FROM traffic") == "7")
        #expect(try migrated.queryText("SELECT count(*) FROM autonomous_systems") == "0")
    }

    @Test func aStoreFromANewerAnonlogIsRefused() throws {
        let path = Self.temporaryPath()
        _ = try SQLiteStatsStore(path: path)
        try SQLiteDatabase(path: path).execute("PRAGMA user_version = \(StatsSchema.version + 1)")
        #expect(throws: AnonLogError.self) { try SQLiteStatsStore(path: path) }
    }

    // MARK: - Concurrent writers

    @Test func severalWritersOnOneStoreLoseNoRowsAndCountSharedInputsOnce() throws {
        let path = Self.temporaryPath()
        _ = try SQLiteStatsStore(path: path)
        // Four writers, each with its own connection: two distinct logs, and the same log twice.
        let logs: [[String]] = (0..<3).map { writer in
            (0..<800).map { Trace.request("198.51.\(writer).\($0 % 50)", Double($0) * 3, "GET", "/w\(writer)/\($0 % 20)") }
        }
        let assignments = [0, 1, 2, 2]
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: assignments.count) { index in
            do {
                let store = try SQLiteStatsStore(path: path)
                _ = try StatsHarness.record([logs[assignments[index]]], store: store)
            } catch {
                failures.append("\(error)")
            }
        }
        #expect(failures.all.isEmpty)
        let database = try SQLiteDatabase(path: path)
        #expect(try database.queryText("SELECT sum(hits) FROM traffic WHERE granularity = 86400") == "2400")
        #expect(try database.queryText("SELECT sum(hits) FROM traffic WHERE granularity = 60") == "2400")
        #expect(try database.queryText("SELECT sum(hits) FROM paths") == "2400")
    }

    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var messages: [String] = []
        func append(_ message: String) { lock.withLock { messages.append(message) } }
        var all: [String] { lock.withLock { messages } }
    }

    // MARK: - Queries

    @Test func summaryCountsEveryRequestAndClassAndChatSession() throws {
        let store = try Self.recordedStore()
        let tables = try store.summary(StatsQuery(k: 1))
        let traffic = try #require(tables.first { $0.name == "traffic" })
        let requests = try #require(traffic.rows.first { $0[0] == .text("requests") })
        let httpLines = StatsRecorderTests.lines.filter { !$0.contains("\"session_id\"") }.count
        #expect(requests[1] == .integer(Int64(httpLines)))
        let chat = try #require(tables.first { $0.name == "chat" })
        let sessions = StatsRecorderTests.lines.filter { $0.contains("\"session_start\"") }.count
        #expect(chat.rows.first { $0[0] == .text("sessions started") }?[1] == .integer(Int64(sessions)))
        let sources = try #require(tables.first { $0.name == "sources" })
        #expect(sources.rows.first?[2] == .integer(Int64(StatsRecorderTests.lines.count)))
    }

    @Test func aRangeSelectsOnlyItsBuckets() throws {
        let store = try Self.recordedStore()
        let day = Trace.start - Trace.start % 86_400
        let tables = try store.timeline([.requests], step: 86_400, StatsQuery(since: day, until: day + 86_400, k: 1))
        let rows = try #require(tables.first).rows
        #expect(rows.count == 1)
        #expect(rows.first?[0] == .time(day))
    }

    @Test func alertsAreListedNewestFirstWithTheirEvidence() throws {
        let store = try Self.recordedStore()
        let table = try #require(try store.alerts(StatsQuery(limit: 100)).first)
        #expect(!table.rows.isEmpty)
        let times = table.rows.compactMap { row -> Int64? in if case .time(let time) = row[0] { time } else { nil } }
        #expect(times == times.sorted(by: >))
        let probing = try #require(table.rows.first { $0[1] == .text("http-probing") })
        guard case .list(let evidence) = probing[5] else { Issue.record("evidence is not a list"); return }
        #expect(!evidence.isEmpty && evidence.count <= 5)
        let byRule = try #require(try store.alerts(StatsQuery(), grouping: .rule).first)
        #expect(byRule.rows.contains { $0[0] == .text("http-probing") })
    }

    @Test func actorAnswersForOneClientAndOneNetwork() throws {
        let store = try Self.recordedStore()
        let alert = try #require(try store.alerts(StatsQuery(limit: 500), rules: [.httpProbing]).first?.rows.first)
        guard case .text(let subject) = alert[2], case .text(let network) = alert[7] else {
            Issue.record("the alert names no subject or network")
            return
        }
        let client = try store.actor(subject, StatsQuery())
        #expect(client.first { $0.name == "activity" }?.rows.isEmpty == false)
        #expect(client.first { $0.name == "alerts" }?.rows.allSatisfy { $0[4] == .text(subject) } == true)
        let net = try store.actor(network, StatsQuery())
        #expect(net.first { $0.name == "activity" }?.rows.isEmpty == false)
    }

    @Test func aggregateQueriesFoldRowsUnderKAndSayHowMany() throws {
        let store = try Self.recordedStore()
        let open = try #require(try store.top(by: .path, metric: .requests, StatsQuery(k: 1, limit: 1000)).first)
        let folded = try #require(try store.top(by: .path, metric: .requests, StatsQuery(k: 10, limit: 1000)).first)
        #expect(open.foldedRows == 0)
        #expect(folded.foldedRows > 0)
        #expect(folded.rows.last?[0] == .text("other"))
        #expect(folded.rows.count - 1 + folded.foldedRows == open.rows.count)
        // Totals stay right: the other row adds up what it folds.
        func total(_ table: StatsTable) -> Int64 { table.rows.reduce(0) { $0 + SQLiteStatsStore.integer($1[1]) } }
        #expect(total(folded) == total(open))
    }

    @Test func perClientRankingsAreNotOffered() {
        #expect(SQLiteStatsStore.TopDimension(rawValue: "client") == nil)
    }
}
