import Foundation
import Testing

@testable import AnonLogCore

/// Exactly-once ingestion: replaying a file, a pipe, a longer version of a log or a stream that
/// repeats itself never changes a count.
struct StatsRecorderTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Sample lines: the nginx JSON and chat samples plus a crafted combined log with probes.
    static let lines: [String] = {
        let samples = ["SampleLogs/nginx-json.log", "SampleLogs/chat.jsonl"].flatMap { name in
            (try? String(contentsOf: packageRoot.appendingPathComponent(name), encoding: .utf8))?
                .split(separator: "\n").map(String.init) ?? []
        }
        var combined: [String] = []
        for index in 0..<600 {
            let client = "198.51.100.\(index % 40)"
            combined.append(Trace.request(client, Double(index) * 7, "GET", "/products/\(index % 50)", status: index % 13 == 0 ? 404 : 200))
        }
        combined += DetectorsTests.probes("203.0.113.9", (0..<15).map { "/probe-\($0)" }, every: 0.5, from: 1800)
        return samples + combined
    }()

    static func temporaryStore() throws -> (store: SQLiteStatsStore, path: String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("anonlog-stats-\(UUID().uuidString)/stats.db").path
        return (try SQLiteStatsStore(path: path), path)
    }

    /// Every row of every statistics table, without the ledger and the alerts' row ids.
    static func snapshot(_ path: String) throws -> [String] {
        let database = try SQLiteDatabase(path: path)
        var rows: [String] = []
        let tables = ["traffic", "statuses", "uniques", "class_clients", "chat", "visitors", "paths", "networks", "actors", "bots",
                      "fingerprints"]
        for table in tables {
            let statement = try database.prepare("SELECT * FROM \(table)")
            while try statement.step() {
                var row = table
                for column in 0..<statement.columnCount { row += "|" + (statement.blob(Int32(column))?.description ?? "null") }
                rows.append(row)
            }
            statement.reset()
        }
        rows.sort()
        let alerts = try database.prepare("SELECT time, rule, scope, subject, network, events, distinct_values, evidence FROM alerts ORDER BY 1, 2, 4")
        while try alerts.step() {
            rows.append((0..<8).map { alerts.text(Int32($0)) ?? "" }.joined(separator: "|"))
        }
        alerts.reset()
        return rows
    }

    // MARK: - Replays

    @Test func replayingAFileChangesNoCount() throws {
        let (store, path) = try Self.temporaryStore()
        let first = try StatsHarness.record([Self.lines], store: store).report
        let before = try Self.snapshot(path)
        let second = try StatsHarness.record([Self.lines], store: store).report
        #expect(first.linesCounted == Self.lines.count && first.alerts > 0)
        #expect(second.linesCounted == 0 && second.linesAlreadyIngested == Self.lines.count && second.alerts == 0)
        #expect(try Self.snapshot(path) == before)
    }

    @Test func aLogThatGrewIsCountedFromWhereTheLastRunStopped() throws {
        let (whole, wholePath) = try Self.temporaryStore()
        _ = try StatsHarness.record([Self.lines], store: whole)
        let (pieces, piecesPath) = try Self.temporaryStore()
        for cut in [700, 1500, Self.lines.count] {
            _ = try StatsHarness.record([Array(Self.lines.prefix(cut))], store: pieces)
        }
        #expect(try Self.snapshot(piecesPath) == Self.snapshot(wholePath))
    }

    @Test func aPipedStreamReplayedIsCountedOnceEvenWithCommitsAtEveryFlushPoint() throws {
        let (store, path) = try Self.temporaryStore()
        for _ in 0..<2 {
            let anonymizer = try LogAnonymizer(keys: StatsHarness.keys)
            let recorder = StatsRecorder(store: store, keys: StatsHarness.keys) { 0 }
            anonymizer.statistics = recorder
            recorder.beginInput(named: "-", isLive: true)
            let output = OutputBuffer()
            // Arrives in small pieces, as from a pipe.
            for chunk in stride(from: 0, to: Self.lines.count, by: 97) {
                let text = Self.lines[chunk..<min(chunk + 97, Self.lines.count)].joined(separator: "\n") + "\n"
                Array(text.utf8).withUnsafeBytes { anonymizer.anonymize($0, into: output) }
            }
            recorder.finishInput()
        }
        let (reference, referencePath) = try Self.temporaryStore()
        _ = try StatsHarness.record([Self.lines], store: reference)
        let traffic = "SELECT sum(hits) || '/' || sum(bytes) FROM traffic WHERE granularity = 60"
        #expect(try SQLiteDatabase(path: path).queryText(traffic) == SQLiteDatabase(path: referencePath).queryText(traffic))
        let alerts = "SELECT count(*) FROM alerts"
        #expect(try SQLiteDatabase(path: path).queryText(alerts) == SQLiteDatabase(path: referencePath).queryText(alerts))
    }

    @Test func linesThatBeginLikeAnIngestedSegmentButDifferAreReportedNotHidden() throws {
        let store = MemoryStatsStore()
        let original = (0..<20).map { Trace.request("198.51.100.7", Double($0), "GET", "/a/\($0)") }
        _ = try StatsHarness.record([original], store: store)
        var changed = original
        changed[10] = Trace.request("198.51.100.7", 10, "GET", "/changed")
        changed += (20..<25).map { Trace.request("198.51.100.7", Double($0), "GET", "/a/\($0)") }
        let report = try StatsHarness.record([changed], store: store).report
        #expect(report.linesNotVerified == 20)
        #expect(report.linesCounted == 5)
    }

    // MARK: - Segments

    @Test func segmentsEndAtFlushPointsThatDependOnlyOnTheLines() throws {
        var configuration = StatsConfiguration()
        configuration.segmentSeconds = 60
        let lines = (0..<300).map { Trace.request("198.51.100.\($0 % 7)", Double($0) * 2, "GET", "/p") }
        let first = try StatsHarness.record([lines], configuration: configuration).store as! MemoryStatsStore
        let second = try StatsHarness.record([lines], configuration: configuration).store as! MemoryStatsStore
        #expect(first.ledger.count == 10)
        #expect(Set(first.ledger.keys) == Set(second.ledger.keys))
        #expect(first.ledger.values.filter { !$0.isComplete }.count == 1)
    }

    @Test func linesOfAShreddedEpochAreNotCounted() throws {
        let record = KeyRecord(mode: .hmac, rotation: .daily, epoch: KeyRotation.daily.epoch(at: Trace.start) + 1, key: StatsHarness.key)
        let anonymizer = try LogAnonymizer(keys: record)
        let store = MemoryStatsStore()
        let recorder = StatsRecorder(store: store, keys: record) { 0 }
        anonymizer.statistics = recorder
        recorder.beginInput(named: "old")
        let text = (0..<5).map { Trace.request("198.51.100.1", Double($0), "GET", "/") }.joined(separator: "\n") + "\n"
        Array(text.utf8).withUnsafeBytes { anonymizer.anonymize($0, into: OutputBuffer()) }
        recorder.finishInput()
        #expect(store.requests == 0)
        #expect(recorder.report.linesInShreddedEpochs == 5)
    }
}
