import Testing
@_spi(Benchmarks) @testable import AnonLogCore

struct LogAnonymizerTests {
    static let key = AnonymizationOracle.standardKey

    // MARK: - Keys

    @Test func addressesArePseudonymizedUnderTheAddressSubkey() throws {
        let oracle = try AnonymizationOracle()
        let anonymizer = try LogAnonymizer(key: Self.key)
        #expect(anonymizer.anonymize("192.0.2.1\n") == "\(oracle.pseudonym("192.0.2.1"))\n")

        // Not under the master key itself.
        let master = HMACPseudonymizer(key: Self.key)
        var buffer = [UInt8](repeating: 0, count: master.maximumLength)
        let length = buffer.withUnsafeMutableBytes { master.writePseudonym(for: IPAddress("192.0.2.1")!, into: $0) }
        #expect(oracle.pseudonym("192.0.2.1") != String(decoding: buffer[..<length], as: UTF8.self))
    }

    @Test func sessionIdentifiersAreTokenizedUnderTheirOwnSubkey() throws {
        let oracle = try AnonymizationOracle()
        let anonymizer = try LogAnonymizer(key: Self.key)
        #expect(anonymizer.anonymize(#"{"event":"x","session_id":"s1"}"#) == #"{"event":"x","session_id":"\#(oracle.sessionToken("s1"))"}"#)
        #expect(anonymizer.counts.identifiersReplaced == 1)
    }

    @Test func theSameKeyGivesTheSameOutputAndAnotherKeyAnother() throws {
        let input = "192.0.2.1 2001:db8::1\n"
        let first = try LogAnonymizer(key: Self.key).anonymize(input)
        #expect(try LogAnonymizer(key: Self.key).anonymize(input) == first)
        let other = try #require(SecretKey(bytes: [UInt8](repeating: 9, count: 32)))
        #expect(try LogAnonymizer(key: other).anonymize(input) != first)
    }

    // MARK: - Options

    @Test func theTokenShapeWritesSixteenHexDigits() throws {
        var options = AnonymizationOptions()
        options.pseudonymShape = .token
        let oracle = try AnonymizationOracle(shape: .token)
        let output = try LogAnonymizer(key: Self.key, options: options).anonymize("a 192.0.2.1:80 b\n")
        #expect(output == "a \(oracle.pseudonym("192.0.2.1")):80 b\n")
        #expect(oracle.pseudonym("192.0.2.1").count == 16)
    }

    @Test func keepingSessionIdentifiersLeavesThem() throws {
        var options = AnonymizationOptions()
        options.pseudonymizeSessionIDs = false
        let anonymizer = try LogAnonymizer(key: Self.key, options: options)
        #expect(anonymizer.anonymize(#"{"event":"x","session_id":"s1"}"#) == #"{"event":"x","session_id":"s1"}"#)
        #expect(anonymizer.counts.identifiersReplaced == 0)
        #expect(anonymizer.counts.linesByFormat == [.chatJSON: 1])
    }

    @Test func theRedactionMarkerIsConfigurable() throws {
        var options = AnonymizationOptions()
        options.redactionMarker = "<ip>"
        #expect(try LogAnonymizer(key: Self.key, options: options).anonymize("x 010.1.1.1\n") == "x <ip>\n")
        #expect(try LogAnonymizer(key: Self.key).anonymize("x 010.1.1.1\n") == "x REDACTED\n")
    }

    @Test func aForcedFormatCountsOtherLinesAsUnknownButStillAnonymizesThem() throws {
        var options = AnonymizationOptions()
        options.forcedFormat = .nginxJSON
        let oracle = try AnonymizationOracle()
        let anonymizer = try LogAnonymizer(key: Self.key, options: options)
        let output = anonymizer.anonymize(
            "192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"\n{\"remote_addr\":\"192.0.2.2\"}\n")
        #expect(output == "\(oracle.pseudonym("192.0.2.1")) - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"\n{\"remote_addr\":\"\(oracle.pseudonym("192.0.2.2"))\"}\n")
        #expect(anonymizer.counts.linesByFormat == [.nginxJSON: 1])
        #expect(anonymizer.counts.unknownFormatLines == 1)
    }

    // MARK: - Chunks

    @Test func lineByLineAndAllAtOnceGiveTheSameOutput() throws {
        let input = Array(try RealWorldCorpus.bytes("nielsbasjes-logparser/hackers-access.log").prefix(200_000))
        let whole = try LogAnonymizer(key: Self.key)
        let expected = whole.anonymize(input)
        let split = try LogAnonymizer(key: Self.key)
        var output: [UInt8] = []
        for line in input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
            output += split.anonymize(Array(line) + [UInt8(ascii: "\n")])
        }
        output += split.anonymize(Array(input.suffix(from: (input.lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1)))
        #expect(firstDifference(output, expected) == nil)
        #expect(split.counts == whole.counts)
    }

    @Test func theOutputIsAppendedToWhatTheBufferHolds() throws {
        let anonymizer = try LogAnonymizer(key: Self.key)
        let output = OutputBuffer()
        output.append(UInt8(ascii: "#"))
        Array("x\n".utf8).withUnsafeBytes { anonymizer.anonymize($0, into: output) }
        #expect(text(Array(output.bytes)) == "#x\n")
    }
}

extension LogAnonymizerTests {
    // MARK: - Statistics in two parts

    @Test func recordsBuiltAndCountedApartGiveWhatRecordingInOneGoGives() throws {
        let lines = StatsRecorderTests.lines
        let chunks = stride(from: 0, to: lines.count, by: 250).map { Array((lines[$0..<min($0 + 250, lines.count)].joined(separator: "\n") + "\n").utf8) }
        let together = try StatsHarness.record([lines]).report

        let anonymizer = try LogAnonymizer(keys: StatsHarness.keys)
        let store = MemoryStatsStore()
        let recorder = StatsRecorder(store: store, keys: StatsHarness.keys) { 0 }
        anonymizer.statistics = recorder
        recorder.beginInput(named: "input-0")
        let events = StatsEventBuffer()
        var outputs: [[UInt8]] = []
        for chunk in chunks {
            let output = OutputBuffer()
            chunk.withUnsafeBytes { anonymizer.anonymize($0, into: output, events: events) }
            #expect(events.count == chunk.filter { $0 == 0x0A }.count)
            chunk.withUnsafeBytes { recorder.consume(events, lines: $0) }
            outputs.append(Array(output.bytes))
        }
        recorder.finishInput()
        #expect(recorder.report == together)
        #expect(together.linesCounted == lines.count && together.alerts > 0)
        let reference = try LogAnonymizer(keys: StatsHarness.keys)
        #expect(outputs.flatMap { $0 } == Array(reference.anonymize(lines.joined(separator: "\n") + "\n").utf8))
    }
}
