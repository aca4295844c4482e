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

    /// Damaged input: the last line read may be cut short. What was handed to the store before
    /// stays; the rest is dropped, and a whole copy later counts exactly that rest.
    @Test func anAbandonedInputKeepsItsCommittedHoursAndAWholeCopyCountsOnlyTheRest() throws {
        let (store, path) = try Self.temporaryStore()
        let cut = Self.mixedLog.count * 2 / 3
        #expect(Self.mixedLog[cut - 1] != UInt8(ascii: "\n") || Self.mixedLog[cut] != UInt8(ascii: "\n"))
        let anonymizer = try LogAnonymizer(keys: StatsHarness.keys)
        let recorder = StatsRecorder(store: store, keys: StatsHarness.keys) { 0 }
        anonymizer.statistics = recorder
        recorder.beginInput(named: "mixed.log")
        Self.mixedLog[..<cut].withUnsafeBytes { anonymizer.anonymize($0, into: OutputBuffer()) }
        recorder.abandonInput()
        let partial = recorder.report
        let linesBeforeTheCut = Self.mixedLog[..<cut].filter { $0 == UInt8(ascii: "\n") }.count
        #expect(partial.linesCounted > 0 && partial.linesCounted < linesBeforeTheCut, "\(partial)")
        let ledger = try SQLiteDatabase(path: path).queryText("SELECT sum(lines) FROM ingestion")
        #expect(ledger == String(partial.linesCounted))

        let whole = try Self.recordInMemory(Self.mixedLog, keys: StatsHarness.keys, configuration: StatsConfiguration(), store: store)
        let totalLines = Self.mixedLog.filter { $0 == UInt8(ascii: "\n") }.count
        #expect(whole.linesAlreadyIngested == partial.linesCounted)
        #expect(whole.linesCounted + partial.linesCounted == totalLines)
        let (reference, referencePath) = try Self.temporaryStore()
        _ = try Self.recordInMemory(Self.mixedLog, keys: StatsHarness.keys, configuration: StatsConfiguration(), store: reference)
        #expect(Self.firstDifference(try Self.snapshot(path), try Self.snapshot(referencePath)) == nil)
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

    // MARK: - Threads

    /// The three sample logs one after the other (their times jump back twice), with lines
    /// that carry no time or no format among them, and the crafted probes.
    static let mixedLog: [UInt8] = {
        let packed = (try? Data(contentsOf: packageRoot.appendingPathComponent("SampleLogs/access.log.gz"))).map { Array($0) } ?? []
        var lines = (try? drain(GzipInflatingSource(wrapping: MemorySource(packed))))
            .map { String(decoding: $0.bytes, as: UTF8.self).split(separator: "\n").map(String.init) } ?? []
        lines += Self.lines
        for index in stride(from: 7, to: lines.count, by: 211) {
            lines.insert(index % 2 == 0 ? "no time here 203.0.113.\(index % 200) [" : "{\"event\":\"message\",\"visitor_ip\":\"198.51.100.9\"}", at: index)
        }
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }()

    /// Every row of every table, the ledger and the alerts included.
    static func wholeStore(_ path: String) throws -> [String] {
        let database = try SQLiteDatabase(path: path)
        let tables = try database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        var names: [String] = []
        while try tables.step() { names.append(tables.text(0) ?? "") }
        tables.reset()
        var rows: [String] = []
        for table in names {
            let statement = try database.prepare("SELECT * FROM \(table)")
            var tableRows: [String] = []
            while try statement.step() {
                tableRows.append((0..<statement.columnCount).map { statement.blob(Int32($0))?.description ?? "null" }.joined(separator: "|"))
            }
            statement.reset()
            rows.append("\(table): \(tableRows.count) rows")
            rows += tableRows.sorted().map { "\(table)|\($0)" }
        }
        return rows
    }

    /// The first row where two snapshots differ (`nil` when they are the same), to keep a
    /// failure's message short.
    static func firstDifference(_ rows: [String], _ reference: [String]) -> String? {
        for (row, expected) in zip(rows, reference) where row != expected { return "\(row)\n  expected \(expected)" }
        return rows.count == reference.count ? nil : "\(rows.count) rows, expected \(reference.count)"
    }

    /// What recording `input` through a pipeline of `workers` leaves in a fresh store.
    static func recordThroughPipeline(
        _ input: [UInt8], keys: KeyRecord, configuration: StatsConfiguration = StatsConfiguration(), workers: Int, chunkSize: Int,
        readSizes: [Int] = [.max]
    ) throws -> (rows: [String], report: StatsIngestionReport, output: [UInt8]) {
        let (store, path) = try temporaryStore()
        let recorder = StatsRecorder(store: store, keys: keys, configuration: configuration) { 0 }
        let options = AnonymizationOptions()
        let builder = LineRewriterBuilder(keys: keys, options: options, direction: .anonymize, now: Trace.start, count: workers, gzipLevel: nil)
        let rewriters = (0..<workers).map { _ in
            builder.rewriter({ (key) throws(AnonLogError) in try HMACPseudonymizer(epochKey: key, options: options) }, marksSessions: true)
        }
        let pipeline = try ChunkPipeline(workers: rewriters, gzipLevel: nil, chunkSize: chunkSize, statistics: recorder)
        let sink = CollectingSink()
        recorder.beginInput(named: "mixed.log")
        try pipeline.run(ScriptedSource(input, readSizes: readSizes), into: sink)
        recorder.finishInput()
        if let failure = recorder.failure { throw failure }
        return (try wholeStore(path), recorder.report, sink.bytes)
    }

    static let rotations: [KeyRecord] = [
        KeyRecord(mode: .hmac, rotation: .none, epoch: 0, key: StatsHarness.key),
        KeyRecord(mode: .hmac, rotation: .daily, epoch: KeyRotation.daily.epoch(at: Trace.start), key: StatsHarness.key),
        // The first day's key is shredded: its lines are not counted.
        KeyRecord(mode: .hmac, rotation: .daily, epoch: KeyRotation.daily.epoch(at: Trace.start) + 1, key: StatsHarness.key),
    ]

    /// Key rotations, one with the first day shredded, and GeoIP databases.
    @Test(arguments: 0..<4)
    func theStoreIsTheSameWhateverTheWorkersAndChunkSizes(variant: Int) throws {
        let keys = Self.rotations[variant % 3]
        var configuration = StatsConfiguration()
        if variant == 3 { configuration.geoDatabases = [try GeoDatabaseTests.database()] }
        // The reference: one thread reading the lines one by one, in memory.
        let (reference, report, path) = try Self.recordInMemory(Self.mixedLog, keys: keys, configuration: configuration)
        #expect(report.linesCounted + report.linesInShreddedEpochs > 6_000)
        #expect(report.alerts > 0)
        #expect(reference.contains { $0.hasPrefix("alerts|") } && reference.contains { $0.hasPrefix("chat|") })
        // An SQLite store is written on a thread of its own; a memory store in line: the same.
        let memory = MemoryStatsStore()
        #expect(try Self.recordInMemory(Self.mixedLog, keys: keys, configuration: configuration, store: memory) == report)
        #expect(memory.alerts.count == report.alerts && memory.ledger.count == report.segmentsWritten)
        let organization = try SQLiteDatabase(path: path).queryText("SELECT organization FROM autonomous_systems WHERE asn = 64501 LIMIT 1")
        #expect(organization == (variant == 3 ? "Example Hosting" : nil))

        let one = try Self.recordThroughPipeline(Self.mixedLog, keys: keys, configuration: configuration, workers: 1, chunkSize: 1 << 20)
        #expect(Self.firstDifference(one.rows, reference) == nil)
        #expect(one.report == report)
        for (workers, chunkSize, readSizes) in [(4, 4_096, [Int.max]), (4, 65_536, [Int.max]), (2, 1_024, [1_000, 7, 65_536])] {
            let many = try Self.recordThroughPipeline(
                Self.mixedLog, keys: keys, configuration: configuration, workers: workers, chunkSize: chunkSize, readSizes: readSizes)
            #expect(Self.firstDifference(many.rows, reference) == nil, "\(workers) workers, chunks of \(chunkSize)")
            #expect(many.report == report)
            #expect(many.output == one.output)
        }
    }

    /// What recording `input` in memory, one line after the other, leaves in a fresh store.
    static func recordInMemory(
        _ input: [UInt8], keys: KeyRecord, configuration: StatsConfiguration = StatsConfiguration()
    ) throws -> (rows: [String], report: StatsIngestionReport, path: String) {
        let (store, path) = try temporaryStore()
        let report = try recordInMemory(input, keys: keys, configuration: configuration, store: store)
        return (try wholeStore(path), report, path)
    }

    /// The report of recording `input` in memory into `store`.
    static func recordInMemory(_ input: [UInt8], keys: KeyRecord, configuration: StatsConfiguration, store: any StatsStore) throws -> StatsIngestionReport {
        let anonymizer = try LogAnonymizer(keys: keys)
        let recorder = StatsRecorder(store: store, keys: keys, configuration: configuration) { 0 }
        anonymizer.statistics = recorder
        recorder.beginInput(named: "mixed.log")
        input.withUnsafeBytes { anonymizer.anonymize($0, into: OutputBuffer()) }
        recorder.finishInput()
        if let failure = recorder.failure { throw failure }
        return recorder.report
    }

    @Test func aLineWithoutATimeTakesTheEpochOfTheLineBeforeItWhicheverWorkerReadsIt() throws {
        // Days alternate, each line is a segment and nearly a chunk of its own: a worker's last
        // epoch is rarely the one of the line just before. The first day is shredded.
        let keys = Self.rotations[2]
        var configuration = StatsConfiguration()
        configuration.segmentLines = 1
        var lines: [String] = []
        for index in 0..<120 {
            lines.append(Trace.request("198.51.100.\(index % 5)", Double(index), "GET", "/a/\(index)"))
            lines.append(Trace.request("198.51.100.\(index % 5)", 86_400 + Double(index), "GET", "/b/\(index)"))
            lines.append(index % 2 == 0 ? Trace.request("198.51.100.\(index % 5)", 0, "GET", "/c").replacingOccurrences(of: "[20/Nov", with: "[xx/Nov") : "untimed")
        }
        let input = Array((lines.joined(separator: "\n") + "\n").utf8)
        let reference = try Self.recordInMemory(input, keys: keys, configuration: configuration)
        #expect(reference.report.linesInShreddedEpochs > 0 && reference.report.linesCounted > 0)
        let piped = try Self.recordThroughPipeline(input, keys: keys, configuration: configuration, workers: 4, chunkSize: 64, readSizes: [150, 40, 90])
        #expect(Self.firstDifference(piped.rows, reference.rows) == nil)
        #expect(piped.report == reference.report)
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
