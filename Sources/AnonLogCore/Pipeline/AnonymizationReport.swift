/// What one input of a job gave.
public struct InputReport: Sendable {
    /// The path, or `-` for standard input.
    public var name: String
    /// What was done with it.
    public var counts: AnonymizationCounts
    /// Why it could not be read to the end, if it could not.
    public var error: AnonLogError?
}

/// What an anonymization job did, and how it ended.
public struct AnonymizationReport: Sendable {
    /// One entry per input, in order.
    public var inputs: [InputReport] = []
    /// A failure that stopped the job: the output could not be written, or nothing could start.
    public var fatalError: AnonLogError?
    /// The signal (SIGINT, SIGTERM) that stopped the job early, if one did.
    public var interruptingSignal: Int32?
    /// A failure to key an epoch: the lines of that epoch had their addresses redacted.
    public var keyingError: AnonLogError?

    /// The counts of all inputs together.
    public var total: AnonymizationCounts {
        inputs.reduce(into: AnonymizationCounts()) { $0.add($1.counts) }
    }

    /// Every error, the fatal one last.
    public var errors: [AnonLogError] {
        inputs.compactMap(\.error) + (keyingError.map { [$0] } ?? []) + (fatalError.map { [$0] } ?? [])
    }

    /// The status to exit with: 0 when everything succeeded; else the failure's code (the
    /// fatal one first, then the first damaged input); 128 + signal when interrupted.
    public var exitStatus: Int32 {
        if let fatalError { return fatalError.code.exitStatus }
        if let signal = interruptingSignal { return 128 + signal }
        if let keyingError { return keyingError.code.exitStatus }
        if let error = inputs.lazy.compactMap(\.error).first { return error.code.exitStatus }
        return 0
    }

    /// One line for a person: `anonlog: 3 files, 10000 lines, ...`.
    public var summaryLine: String {
        let total = total
        var parts = [
            "\(total.lines) lines",
            "\(total.addressesReplaced) addresses replaced",
            "\(total.redactions) redacted",
        ]
        if total.identifiersReplaced > 0 { parts.append("\(total.identifiersReplaced) identifiers replaced") }
        if total.textScrubbed > 0 { parts.append("\(total.textScrubbed) e-mails/phones/cards scrubbed") }
        if total.addressesKept > 0 { parts.append("\(total.addressesKept) kept (--keep)") }
        parts.append("\(total.unknownFormatLines) in unknown format")
        if total.oversizedLines > 0 { parts.append("\(total.oversizedLines) oversized") }
        if total.linesInShreddedEpochs > 0 { parts.append("\(total.linesInShreddedEpochs) in shredded epochs (redacted)") }
        if total.linesWithoutTime > 0 { parts.append("\(total.linesWithoutTime) without a time") }
        if total.recordsDroppedByAge > 0 { parts.append("\(total.recordsDroppedByAge) older than the window dropped") }
        if total.chatLinesDropped > 0 || total.chatSessionsEvicted > 0 {
            parts.append("\(total.chatLinesDropped) chat lines of \(total.chatSessionsDropped) sessions without messages dropped")
            if total.chatSessionsEvicted > 0 { parts.append("\(total.chatSessionsEvicted) sessions evicted at the cap") }
        }
        parts.append("\(total.bytesIn) bytes in, \(total.bytesOut) out")
        let failed = inputs.filter { $0.error != nil }.count
        let inputsText = inputs.count == 1 ? "1 input" : "\(inputs.count) inputs"
        return "anonlog: \(inputsText)\(failed > 0 ? " (\(failed) failed)" : ""), " + parts.joined(separator: ", ")
    }

    /// The report as a JSON object, for `--summary-json`.
    public var json: String {
        let inputObjects = inputs.map { input in
            JSONValue.object([("name", .string(input.name))] + Self.members(of: input.counts) + [("error", .optional(input.error?.description))])
        }
        let report = JSONValue.object(
            [("exit_status", .int(Int(exitStatus))), ("interrupted_by_signal", .optional(interruptingSignal.map(Int.init)))]
                + Self.members(of: total)
                + [("inputs", .array(inputObjects)), ("error", .optional(fatalError?.description))]
        )
        return report.text + "\n"
    }

    static func members(of counts: AnonymizationCounts) -> [(String, JSONValue)] {
        [
            ("lines", .int(counts.lines)),
            ("addresses_replaced", .int(counts.addressesReplaced)),
            ("redactions", .int(counts.redactions)),
            ("identifiers_replaced", .int(counts.identifiersReplaced)),
            ("text_scrubbed", .int(counts.textScrubbed)),
            ("addresses_kept", .int(counts.addressesKept)),
            ("unknown_format_lines", .int(counts.unknownFormatLines)),
            ("oversized_lines", .int(counts.oversizedLines)),
            ("lines_without_time", .int(counts.linesWithoutTime)),
            ("lines_in_shredded_epochs", .int(counts.linesInShreddedEpochs)),
            ("records_dropped_by_age", .int(counts.recordsDroppedByAge)),
            ("chat_lines_dropped", .int(counts.chatLinesDropped)),
            ("chat_sessions_dropped", .int(counts.chatSessionsDropped)),
            ("chat_sessions_evicted", .int(counts.chatSessionsEvicted)),
            ("bytes_in", .int(counts.bytesIn)),
            ("bytes_out", .int(counts.bytesOut)),
            ("lines_by_format", .object(LogFormat.allCases.map { ($0.rawValue, .int(counts.linesByFormat[$0] ?? 0)) })),
        ]
    }
}
