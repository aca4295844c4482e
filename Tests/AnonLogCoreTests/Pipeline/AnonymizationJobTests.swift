#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import AnonLogCore

struct AnonymizationJobTests {
    static let key = AnonymizationOracle.standardKey

    static let combined = Array((0..<300).map {
        "198.51.100.\($0 % 250 + 1) - - [20/Nov/2026:10:00:00 +0000] \"GET /item/\($0)?ip=2001:db8::\($0) HTTP/1.1\" 200 \($0) \"-\" \"curl/8.0\"\n"
    }.joined().utf8)
    static let chat = Array((0..<40).map {
        #"{"ts":"2026-11-20T00:00:00Z","event":"message","session_id":"cs_\#($0 % 7)","visitor_ip":"192.0.2.\#($0 + 1)","text":"hi"}"# + "\n"
    }.joined().utf8)

    /// What the inputs give when anonymized one after the other by one ``LogAnonymizer``.
    static func expected(_ inputs: [[UInt8]]) throws -> [UInt8] {
        let anonymizer = try LogAnonymizer(key: key)
        return inputs.flatMap { anonymizer.anonymize($0) }
    }

    static func run(_ inputs: [String], to destination: OutputDestination, options: AnonymizationOptions = AnonymizationOptions()) -> AnonymizationReport {
        AnonymizationJob.run(inputs: inputs, destination: destination, keys: KeyRecord(mode: .hmac, rotation: .none, epoch: 0, key: key), options: options)
    }

    // MARK: - Output files

    @Test func everyInputGoesIntoOneNewFileInOrder() throws {
        let directory = try TemporaryDirectory()
        let first = try directory.file("access.log", Self.combined)
        let second = try directory.file("chat.jsonl.gz", try gzip(Self.chat))  // gzip, recognised by its magic bytes
        let report = Self.run([first, second], to: .file(path: directory.path + "/anon.log", append: false))
        #expect(report.exitStatus == 0 && report.errors.isEmpty)
        #expect(firstDifference(try directory.contents(of: "anon.log"), try Self.expected([Self.combined, Self.chat])) == nil)
        #expect(try directory.listing() == ["access.log", "anon.log", "chat.jsonl.gz"])
        #expect(report.inputs.map(\.name) == [first, second])
        #expect(report.inputs[0].counts.lines == 300 && report.inputs[0].counts.linesByFormat == [.combined: 300])
        #expect(report.inputs[1].counts.lines == 40 && report.inputs[1].counts.identifiersReplaced == 40)
        #expect(report.total.addressesReplaced == 640)
        #expect(report.total.bytesIn == Self.combined.count + Self.chat.count)
    }

    @Test func anOutputPathEndingInGzIsCompressed() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.file("access.log", Self.combined)
        let report = Self.run([input], to: .file(path: directory.path + "/anon.log.gz", append: false))
        #expect(report.exitStatus == 0)
        let stored = try directory.contents(of: "anon.log.gz")
        #expect(stored.starts(with: [0x1F, 0x8B]))
        let plain = try gunzip(stored)
        #expect(plain.valid)
        #expect(firstDifference(plain.output, try Self.expected([Self.combined])) == nil)
        #expect(report.total.bytesOut == plain.output.count)
    }

    @Test func aNewFileReplacesTheOldTargetWhenComplete() throws {
        let directory = try TemporaryDirectory()
        try directory.file("anon.log", Array("old\n".utf8))
        let input = try directory.file("access.log", Self.combined)
        #expect(Self.run([input], to: .file(path: directory.path + "/anon.log", append: false)).exitStatus == 0)
        #expect(firstDifference(try directory.contents(of: "anon.log"), try Self.expected([Self.combined])) == nil)
        #expect(try directory.listing() == ["access.log", "anon.log"])
    }

    @Test func appendingAddsToTheEndOfTheTarget() throws {
        let directory = try TemporaryDirectory()
        try directory.file("anon.log", Array("old\n".utf8))
        let input = try directory.file("chat.jsonl", Self.chat)
        #expect(Self.run([input], to: .file(path: directory.path + "/anon.log", append: true)).exitStatus == 0)
        #expect(firstDifference(try directory.contents(of: "anon.log"), Array("old\n".utf8) + (try Self.expected([Self.chat]))) == nil)
        #expect(try directory.listing() == ["anon.log", "chat.jsonl"])
    }

    @Test func optionsReachTheAnonymizer() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.file("chat.jsonl", Array(#"{"event":"x","session_id":"s1","ip":"010.1.1.1"}"#.utf8))
        var options = AnonymizationOptions()
        options.pseudonymizeSessionIDs = false
        options.redactionMarker = "<?>"
        let report = Self.run([input], to: .file(path: directory.path + "/out", append: false), options: options)
        #expect(report.exitStatus == 0)
        #expect(text(try directory.contents(of: "out")) == #"{"event":"x","session_id":"s1","ip":"<?>"}"#)
        #expect(report.total.redactions == 1)
    }

    // MARK: - Failing inputs

    @Test func aMissingInputIsReportedAndTheOthersAreProcessed() throws {
        let directory = try TemporaryDirectory()
        let first = try directory.file("a.log", Self.combined)
        let missing = directory.path + "/missing.log"
        let last = try directory.file("b.log", Self.chat)
        let report = Self.run([first, missing, last, directory.path], to: .file(path: directory.path + "/anon.log", append: false))
        #expect(report.exitStatus == 66)
        #expect(report.fatalError == nil)
        #expect(report.inputs.map { $0.error?.code } == [nil, .noInput, nil, .noInput])
        #expect(report.inputs[1].error?.description == "\(missing): cannot open: no such file or directory")
        #expect(report.inputs[1].counts == AnonymizationCounts())
        #expect(firstDifference(try directory.contents(of: "anon.log"), try Self.expected([Self.combined, Self.chat])) == nil)
        #expect(report.summaryLine.hasPrefix("anonlog: 4 inputs (2 failed), 340 lines, "))
    }

    @Test func aTruncatedGzipInputHasEverythingBeforeTheDamageWritten() throws {
        let directory = try TemporaryDirectory()
        let compressed = try gzip(Self.combined)
        let input = try directory.file("cut.log.gz", Array(compressed.prefix(compressed.count - 12)))
        let after = try directory.file("after.log", Array("192.0.2.200 after\n".utf8))
        let report = Self.run([input, after], to: .file(path: directory.path + "/anon.log", append: false))
        #expect(report.exitStatus == 65)
        let damage = try #require(report.inputs[0].error)
        #expect(damage.code == .dataError && damage.location?.path == input)
        let output = try directory.contents(of: "anon.log")
        let lines = splitLines(output)
        #expect(lines.last.map(text) == "\(try AnonymizationOracle().pseudonym("192.0.2.200")) after")
        // Every line of the damaged input that came out is whole and ends in a line feed.
        let reference = splitLines(try Self.expected([Self.combined]))
        #expect(lines.count - 1 == report.inputs[0].counts.lines)
        #expect(lines.dropLast().dropLast().allSatisfy { reference.contains($0) })
        #expect(lines.count > 250)
    }

    // MARK: - Failing outputs

    @Test func anOutputInAMissingDirectoryCannotBeCreated() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.file("a.log", Self.combined)
        let report = Self.run([input], to: .file(path: directory.path + "/missing/anon.log", append: false))
        #expect(report.exitStatus == 73)
        #expect(report.fatalError?.code == .cannotCreateOutput)
        #expect(report.inputs.isEmpty)
        #expect(try directory.listing() == ["a.log"])
    }

    @Test func aFullDeviceStopsTheJobWithAnOutputError() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.file("a.log", Self.combined)
        let report = Self.run([input, input], to: .file(path: "/dev/full", append: true))
        #expect(report.exitStatus == 74)
        #expect(report.fatalError?.code == .ioError && report.fatalError?.errno == ENOSPC)
        #expect(report.inputs.count == 1, "a failing output stops the job")
    }

    @Test func anOutputFailureLeavesTheOldTargetAndNoTemporaryFile() async throws {
        let directory = try TemporaryDirectory()
        try directory.file("anon.log", Array("old\n".utf8))
        let big = Array(repeating: Self.combined, count: 40).flatMap { $0 }  // about 4 MB of output
        let input = try directory.file("access.log", big)
        let target = directory.path + "/anon.log"
        // In a child process: writes past 256 KiB fail with EFBIG, as on a full disk.
        await #expect(processExitsWith: .exitCode(74)) { [input = input as String, target = target as String] in
            var limit = rlimit(rlim_cur: 256 << 10, rlim_max: 256 << 10)
            setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit)
            signal(SIGXFSZ, SIG_IGN)
            let report = AnonymizationJob.run(
                inputs: [input], destination: .file(path: target, append: false), keys: KeyRecord(mode: .hmac, rotation: .none, epoch: 0, key: AnonymizationJobTests.key))
            exit(report.fatalError?.errno == EFBIG ? report.exitStatus : 1)
        }
        #expect(try directory.contents(of: "anon.log") == Array("old\n".utf8))
        #expect(try directory.listing() == ["access.log", "anon.log"])
    }

    @Test func anInterruptionWhileReadingFilesLeavesTheOldTargetAndNoTemporaryFile() async throws {
        let directory = try TemporaryDirectory()
        try directory.file("anon.log", Array("old\n".utf8))
        let first = try directory.file("first.log", Self.combined)
        let fifo = directory.path + "/second.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let path = directory.path
        await #expect(processExitsWith: .exitCode(128 + SIGTERM)) { [path = path as String, first = first as String, fifo = fifo as String] in
            ShutdownRequest.installHandlers()
            // SIGTERM arrives only once the job has opened the second input (a FIFO) for
            // reading, so the interruption always falls inside it, whatever the machine's load:
            // a non-blocking open for writing fails with ENXIO until the FIFO has a reader.
            // Then the late line is written and the FIFO closed.
            Thread.detachNewThread {
                var writer = open(fifo, O_WRONLY | O_NONBLOCK)
                while writer < 0 && errno == ENXIO {
                    usleep(1_000)
                    writer = open(fifo, O_WRONLY | O_NONBLOCK)
                }
                guard writer >= 0 else { exit(2) }
                kill(getpid(), SIGTERM)
                while !ShutdownRequest.isRequested { usleep(1_000) }
                _ = write(writer, "192.0.2.9 late\n", 15)
                close(writer)
            }
            let report = AnonymizationJob.run(
                inputs: [first, fifo], destination: .file(path: path + "/anon.log", append: false), keys: KeyRecord(mode: .hmac, rotation: .none, epoch: 0, key: AnonymizationJobTests.key))
            exit(report.interruptingSignal == SIGTERM && report.inputs.count == 2 ? report.exitStatus : 1)
        }
        #expect(try directory.contents(of: "anon.log") == Array("old\n".utf8))
        #expect(try directory.listing() == ["anon.log", "first.log", "second.fifo"])
    }

    // MARK: - Report

    @Test func theSummaryJSONHasTheDocumentedMembers() throws {
        let directory = try TemporaryDirectory()
        let first = try directory.file("a.log", Self.combined + Array("unknown 010.1.1.1\n".utf8))
        let missing = directory.path + "/missing \"quoted\".log"
        let last = try directory.file("b.log", Self.chat)
        let report = Self.run([first, missing, last], to: .file(path: directory.path + "/anon.log", append: false))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        #expect(report.json.hasSuffix("}\n"))

        let countKeys: Set = [
            "lines", "addresses_replaced", "redactions", "identifiers_replaced", "unknown_format_lines",
            "oversized_lines", "bytes_in", "bytes_out", "lines_by_format", "text_scrubbed", "addresses_kept",
            "lines_without_time", "lines_in_shredded_epochs",
            "records_dropped_by_age", "chat_lines_dropped", "chat_sessions_dropped", "chat_sessions_evicted",
        ]
        #expect(Set(object.keys) == countKeys.union(["exit_status", "interrupted_by_signal", "inputs", "error"]))
        #expect(object["exit_status"] as? Int == 66)
        #expect(object["interrupted_by_signal"] is NSNull && object["error"] is NSNull)
        #expect(object["lines"] as? Int == 341)
        #expect(object["addresses_replaced"] as? Int == 640)
        #expect(object["redactions"] as? Int == 1)
        #expect(object["identifiers_replaced"] as? Int == 40)
        #expect(object["unknown_format_lines"] as? Int == 1)
        #expect(object["oversized_lines"] as? Int == 0)
        #expect(object["bytes_in"] as? Int == Self.combined.count + 18 + Self.chat.count)
        #expect(object["bytes_out"] as? Int == (try directory.contents(of: "anon.log")).count)
        let byFormat = try #require(object["lines_by_format"] as? [String: Int])
        #expect(byFormat == ["common": 0, "combined": 300, "vhost_combined": 0, "nginx-json": 0, "chat-json": 40])

        let inputs = try #require(object["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["name"] as? String } == [first, missing, last])
        for input in inputs {
            #expect(Set(input.keys) == countKeys.union(["name", "error"]))
        }
        #expect(inputs[0]["error"] is NSNull && inputs[2]["error"] is NSNull)
        #expect(inputs[1]["error"] as? String == "\(missing): cannot open: no such file or directory")
        #expect(inputs[0]["lines"] as? Int == 301 && inputs[2]["lines"] as? Int == 40)
    }

    @Test func theSummaryLineNamesTheTotals() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.file("b.log", Self.chat)
        let report = Self.run([input], to: .file(path: directory.path + "/anon.log", append: false))
        #expect(report.summaryLine == "anonlog: 1 input, 40 lines, 40 addresses replaced, 0 redacted, 40 identifiers replaced, "
            + "0 in unknown format, \(Self.chat.count) bytes in, \(report.total.bytesOut) out")
    }

    @Test func theExitStatusPrefersTheFatalErrorThenTheSignalThenTheFirstDamagedInput() {
        var report = AnonymizationReport()
        #expect(report.exitStatus == 0)
        report.inputs = [
            InputReport(name: "a", counts: AnonymizationCounts(), error: AnonLogError(.noInput, "cannot open")),
            InputReport(name: "b", counts: AnonymizationCounts(), error: AnonLogError(.dataError, "damaged")),
        ]
        #expect(report.exitStatus == 66)
        report.interruptingSignal = SIGINT
        #expect(report.exitStatus == 130)
        report.fatalError = AnonLogError(.outputClosed, "the reader of the output has gone")
        #expect(report.exitStatus == 141)
        #expect(report.errors.map(\.code) == [.noInput, .dataError, .outputClosed])
    }
}
