import Foundation
import Testing
@testable import AnonLogCore

/// The chat session window and the age window, through the parallel pipeline: the workers mark
/// the lines, the writer thread holds, releases and drops them.
struct ChatSessionWindowTests {
    static let key = SecretKey(bytes: (0..<32).map { UInt8($0 * 7 & 0xFF) })!

    /// A chat event at `minute` past 10:00 on 2026-11-20 (session ids stay readable).
    static func chat(_ session: String, _ event: String, minute: Int, second: Int = 0) -> String {
        let seconds = 36_000 + minute * 60 + second
        let time = String(format: "2026-11-20T%02d:%02d:%02dZ", seconds / 3600, seconds / 60 % 60, seconds % 60)
        return #"{"ts":"\#(time)","event":"\#(event)","session_id":"\#(session)","page":"/p"}"#
    }

    static let thirtyMinutes: StreamWindows = {
        var windows = StreamWindows()
        windows.chatIdleSeconds = 1800
        return windows
    }()

    struct Run {
        var lines: [String]
        var counts: AnonymizationCounts
    }

    /// Runs `lines` through a pipeline with `windows`; session ids are kept so the output reads.
    static func run(
        _ lines: [String], windows: StreamWindows = thirtyMinutes, workers: Int = 2, chunkSize: Int = 4_096, gzip: Bool = false
    ) throws -> Run {
        var options = AnonymizationOptions()
        options.pseudonymizeSessionIDs = false
        options.windows = windows
        let builder = LineRewriterBuilder(
            keys: KeyRecord(mode: .hmac, rotation: .none, epoch: 0, key: key), options: options, direction: .anonymize,
            now: 0, count: workers, gzipLevel: gzip ? 1 : nil)
        let rewriters = (0..<workers).map { _ in
            builder.rewriter({ (key) throws(AnonLogError) in try HMACPseudonymizer(epochKey: key, options: options) }, marksSessions: true)
        }
        let pipeline = try ChunkPipeline(workers: rewriters, gzipLevel: gzip ? 1 : nil, chunkSize: chunkSize, windows: windows, tallying: true)
        let sink = CollectingSink()
        let input = Array(lines.map { $0 + "\n" }.joined().utf8)
        try pipeline.run(ScriptedSource(input, readSizes: [333, 4_096]), into: sink)
        let bytes = gzip ? drain(try GzipInflatingSource(wrapping: MemorySource(sink.bytes))).bytes : sink.bytes
        #expect(pipeline.tally?.summary.bytes == bytes.count)
        #expect(pipeline.counts.bytesOut == bytes.count)
        let text = String(decoding: bytes, as: UTF8.self)
        return Run(lines: text.split(separator: "\n").map(String.init), counts: pipeline.counts)
    }

    // MARK: - The issue's two cases

    @Test func aSessionThatGainsAMessageAfterTwentyMinutesIsKeptWhole() throws {
        let lines = [
            Self.chat("A", "session_start", minute: 0),
            Self.chat("A", "page_view", minute: 5),
            Self.chat("A", "message", minute: 20),
            Self.chat("A", "session_end", minute: 25),
        ]
        let run = try Self.run(lines)
        #expect(run.lines == lines)
        #expect(run.counts.chatLinesDropped == 0 && run.counts.chatSessionsDropped == 0)
    }

    @Test func aSessionIdleForThirtyOneMinutesIsDropped() throws {
        let lines = [
            Self.chat("B", "session_start", minute: 0),
            Self.chat("B", "page_view", minute: 1),
            Self.chat("C", "message", minute: 32),  // another session's event moves the clock on
            Self.chat("B", "message", minute: 40),  // too late: a new session, written alone
        ]
        let run = try Self.run(lines)
        #expect(run.lines == [lines[2], lines[3]])
        #expect(run.counts.chatSessionsDropped == 1)
        #expect(run.counts.chatLinesDropped == 2)
    }

    @Test func aMessageAfterThirtyOneIdleMinutesStartsAfresh() throws {
        let lines = [
            Self.chat("B", "session_start", minute: 0),
            Self.chat("B", "message", minute: 31),
        ]
        #expect(try Self.run(lines).lines == [lines[1]])
    }

    @Test func idleForExactlyTheWindowIsNotYetIdleTooLong() throws {
        let lines = [
            Self.chat("B", "session_start", minute: 0),
            Self.chat("B", "message", minute: 30),
        ]
        #expect(try Self.run(lines).lines == lines)
    }

    // MARK: - Order

    @Test func heldEventsAreWrittenJustBeforeTheMessageAndOtherLinesAreNeverHeld() throws {
        let lines = [
            Self.chat("A", "session_start", minute: 0),
            "a web line",
            Self.chat("A", "page_view", minute: 2),
            Self.chat("A", "message", minute: 3),
            Self.chat("A", "page_view", minute: 4),
        ]
        let run = try Self.run(lines)
        #expect(run.lines == [lines[1], lines[0], lines[2], lines[3], lines[4]])
    }

    @Test func anEventNamedLikeAMessageCountsAsOne() throws {
        let lines = [Self.chat("A", "session_start", minute: 0), Self.chat("A", "visitor_message", minute: 1)]
        #expect(try Self.run(lines).lines == lines)
    }

    @Test func sessionsWithoutAMessageAtTheEndOfTheInputAreDropped() throws {
        let lines = [
            Self.chat("A", "session_start", minute: 0),
            Self.chat("B", "session_start", minute: 0),
            Self.chat("B", "message", minute: 1),
            Self.chat("A", "session_end", minute: 5),
        ]
        let run = try Self.run(lines)
        #expect(run.lines == [lines[1], lines[2]])
        #expect(run.counts.chatSessionsDropped == 1 && run.counts.chatLinesDropped == 2)
    }

    // MARK: - Bounds

    @Test func atTheCapTheLeastRecentlyActiveSessionIsEvictedAndCounted() throws {
        var windows = Self.thirtyMinutes
        windows.maximumOpenSessions = 2
        let lines = [
            Self.chat("X", "session_start", minute: 0),
            Self.chat("Y", "session_start", minute: 1),
            Self.chat("X", "page_view", minute: 2),  // X is now the most recently active
            Self.chat("Z", "session_start", minute: 3),  // evicts Y
            Self.chat("Y", "message", minute: 4),  // evicts X; Y starts afresh
            Self.chat("Z", "message", minute: 5),
        ]
        let run = try Self.run(lines, windows: windows)
        #expect(run.lines == [lines[4], lines[3], lines[5]])
        #expect(run.counts.chatSessionsEvicted == 2)
        #expect(run.counts.chatLinesDropped == 3)
    }

    @Test func theHeldBytesCapEvictsTheOldestSessions() throws {
        var windows = Self.thirtyMinutes
        windows.maximumHeldBytes = 300
        let lines = (0..<6).map { Self.chat("S\($0)", "session_start", minute: $0) } + [Self.chat("S5", "message", minute: 7)]
        let run = try Self.run(lines, windows: windows)
        #expect(run.lines.last == lines.last)
        #expect(run.counts.chatSessionsEvicted > 0)
        #expect(run.counts.chatSessionsEvicted + run.counts.chatSessionsDropped == 5)
    }

    @Test func memoryHoldsOnlyOpenSessions() {
        let window = ChatSessionWindow(idleSeconds: 60, maximumSessions: 10, maximumHeldBytes: 1 << 20)
        let output = OutputBuffer()
        for index in 0..<1_000 {
            let line = Array("line \(index)\n".utf8)
            line.withUnsafeBytes { bytes in
                let mark = SessionLineMark(start: 0, end: bytes.count, time: Int64(index * 30), session: index, isMessage: false)
                window.filter(bytes, marks: [mark], latestTime: nil, into: output)
            }
            #expect(window.openSessions <= 10)
        }
        #expect(output.count == 0)
        #expect(window.counts.chatSessionsDropped + window.counts.chatSessionsEvicted == 1_000 - window.openSessions)
    }

    // MARK: - Across chunks and workers

    @Test(arguments: [1, 3])
    func theWindowGivesTheSameOutputWhateverTheChunksAndWorkers(workers: Int) throws {
        var generator = SeededGenerator(seed: 77)
        var lines: [String] = []
        var messaged = Set<String>()
        for minute in 0..<600 {
            for _ in 0..<3 {
                let session = "s\(Int.random(in: 0..<40, using: &generator))-\(minute / 120)"
                let isMessage = Int.random(in: 0..<10, using: &generator) == 0
                if isMessage { messaged.insert(session) }
                lines.append(Self.chat(session, isMessage ? "message" : "page_view", minute: minute, second: lines.count % 60))
                if Int.random(in: 0..<4, using: &generator) == 0 { lines.append("web \(lines.count)") }
            }
        }
        var windows = StreamWindows()
        windows.chatIdleSeconds = 86_400  // nothing goes idle: every session with a message is kept whole
        let small = try Self.run(lines, windows: windows, workers: workers, chunkSize: 512, gzip: true)
        let large = try Self.run(lines, windows: windows, workers: 1, chunkSize: 1 << 20)
        #expect(small.lines == large.lines)
        let kept = lines.filter { line in
            guard let range = line.range(of: #""session_id":""#) else { return true }
            let session = line[range.upperBound...].prefix { $0 != "\"" }
            return messaged.contains(String(session))
        }
        #expect(small.lines.count == kept.count)
        #expect(Set(small.lines) == Set(kept))
        #expect(small.counts.chatLinesDropped == lines.count - kept.count)
    }

    // MARK: - Age

    @Test func recordsOlderThanTheCutoffAreDroppedAndCountedAndLinesWithoutATimeKept() throws {
        var windows = StreamWindows()
        windows.recordCutoff = Array("2026-11-20T10:00:00Z".utf8).withUnsafeBytes { LogTimestamp.parseISO8601($0) }
        let lines = [
            "192.0.2.1 - - [20/Nov/2026:09:59:59 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"a\"",
            "192.0.2.2 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"a\"",
            Self.chat("A", "message", minute: -1),
            Self.chat("A", "message", minute: 1),
            "no time at all",
        ]
        let run = try Self.run(lines, windows: windows, gzip: true)
        #expect(run.lines.count == 3)
        #expect(run.lines[0].hasSuffix("[20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"a\""))
        #expect(run.lines[1] == lines[3] && run.lines[2] == lines[4])
        #expect(run.counts.recordsDroppedByAge == 2)
        #expect(run.counts.lines == 5)
    }

    @Test func withoutWindowsNothingIsMarkedOrHeld() throws {
        let lines = [Self.chat("A", "session_start", minute: 0), Self.chat("A", "session_end", minute: 50)]
        let run = try Self.run(lines, windows: StreamWindows())
        #expect(run.lines == lines)
    }
}
