import Foundation
import Testing

/// The README's first command on the shipped samples: it succeeds with the embedded defaults
/// (a key created on first use), and the shared leak checker finds no address in the output.
struct SampleLogsTests {
    static let samples = ProjectPaths.packageRoot.appendingPathComponent("SampleLogs")
    static let inputs = ["access.log.gz", "nginx-json.log", "chat.jsonl"].map { samples.appendingPathComponent($0).path }
    static let truth = samples.appendingPathComponent("truth.json").path
    static let leakcheck = ProjectPaths.shared.appendingPathComponent("tools/leakcheck.py").path

    /// `anonlog SampleLogs/access.log.gz SampleLogs/nginx-json.log SampleLogs/chat.jsonl -o <dir>/samples.anon.log.gz`
    /// with a fresh state directory, plus `extra` arguments.
    static func runReadmeCommand(in directory: TemporaryDirectory, extra: [String] = []) throws -> AnonlogBinary.Result {
        try AnonlogBinary.run(
            inputs + ["-o", directory.path("samples.anon.log.gz")] + extra,
            environment: ["XDG_STATE_HOME": directory.path("state")])
    }

    /// The three samples as one plain text, as the anonymizer reads them.
    static func plainInput() throws -> Data {
        var data = try gunzip(inputs[0])
        for path in inputs.dropFirst() { data.append(try Data(contentsOf: URL(fileURLWithPath: path))) }
        return data
    }

    // MARK: - The README command

    @Test func theReadmeCommandCreatesTheDefaultKeyAndLeaksNothing() throws {
        let directory = try TemporaryDirectory()
        let result = try Self.runReadmeCommand(in: directory)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.isEmpty)
        let keyPath = directory.path("state") + "/anonlog/key"
        #expect(result.error.contains("created a new key at \(keyPath)"), "\(result.error)")
        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(result.error.contains("anonlog: 3 inputs, 6753 lines, "), "\(result.error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() == ["samples.anon.log.gz", "state"])

        let input = directory.path("in.log")
        try Self.plainInput().write(to: URL(fileURLWithPath: input))
        let output = directory.path("out.log")
        let compressed = try Data(contentsOf: URL(fileURLWithPath: directory.path("samples.anon.log.gz")))
        #expect(compressed.starts(with: [0x1F, 0x8B]))
        try gunzip(directory.path("samples.anon.log.gz")).write(to: URL(fileURLWithPath: output))

        let check = try runPython([Self.leakcheck, Self.truth, output, input])
        #expect(check.status == 0, "\(check.output)")
        let counts = try #require(check.output.split(separator: "\n").first)
        #expect(counts.hasPrefix("leaks=0 of "), "\(check.output)")
        #expect(counts.contains(" decoys_damaged=0 of 5 "), "\(check.output)")
        #expect(counts.hasSuffix("lines_in=6753 lines_out=6753"), "\(check.output)")

        // leakcheck does not decode %3A: decode it here, so a percent-encoded survivor shows too.
        let decoded = directory.path("decoded.log")
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: output)), as: UTF8.self)
            .replacingOccurrences(of: "%3A", with: ":", options: .caseInsensitive)
            .replacingOccurrences(of: "%2E", with: ".", options: .caseInsensitive)
        try Data(text.utf8).write(to: URL(fileURLWithPath: decoded))
        let decodedCheck = try runPython([Self.leakcheck, Self.truth, decoded])
        #expect(decodedCheck.status == 0 && decodedCheck.output.hasPrefix("leaks=0 of "), "\(decodedCheck.output)")
    }

    @Test func theSameKeyGivesTheSameOutputOnTheNextRun() throws {
        let directory = try TemporaryDirectory()
        #expect(try Self.runReadmeCommand(in: directory).status == 0)
        let first = try gunzip(directory.path("samples.anon.log.gz"))
        let again = try Self.runReadmeCommand(in: directory)
        #expect(again.status == 0 && !again.error.contains("created a new key"), "\(again.error)")
        #expect(try gunzip(directory.path("samples.anon.log.gz")) == first)
    }

    // MARK: - Summary JSON

    @Test func summaryJSONDescribesTheRunAndEachInput() throws {
        let directory = try TemporaryDirectory()
        let summary = directory.path("summary.json")
        let result = try Self.runReadmeCommand(in: directory, extra: ["--quiet", "--summary-json", summary])
        #expect(result.status == 0, "\(result.error)")
        #expect(!result.error.contains("anonlog: 3 inputs"), "--quiet silences the summary on standard error")

        let data = try Data(contentsOf: URL(fileURLWithPath: summary))
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(report["exit_status"] as? Int == 0)
        #expect(report["interrupted_by_signal"] is NSNull && report["error"] is NSNull)
        #expect(report["lines"] as? Int == 6753)
        #expect(report["unknown_format_lines"] as? Int == 0)
        #expect(report["redactions"] as? Int == 0)
        #expect(report["identifiers_replaced"] as? Int == 1453)
        #expect((report["addresses_replaced"] as? Int ?? 0) >= 6753)
        #expect(report["bytes_in"] as? Int == (try Self.plainInput()).count)
        #expect(report["bytes_out"] as? Int == (try gunzip(directory.path("samples.anon.log.gz"))).count)
        #expect(report["lines_by_format"] as? [String: Int]
            == ["common": 0, "combined": 4840, "vhost_combined": 0, "nginx-json": 460, "chat-json": 1453])

        let inputs = try #require(report["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["name"] as? String } == Self.inputs)
        #expect(inputs.map { $0["lines"] as? Int } == [4840, 460, 1453])
        #expect(inputs.allSatisfy { $0["error"] is NSNull })
        let keys: Set = [
            "name", "error", "lines", "addresses_replaced", "redactions", "identifiers_replaced",
            "unknown_format_lines", "oversized_lines", "bytes_in", "bytes_out", "lines_by_format", "text_scrubbed",
            "addresses_kept", "lines_without_time", "lines_in_shredded_epochs",
            "records_dropped_by_age", "chat_lines_dropped", "chat_sessions_dropped", "chat_sessions_evicted",
        ]
        #expect(inputs.allSatisfy { Set($0.keys) == keys })
    }
}
