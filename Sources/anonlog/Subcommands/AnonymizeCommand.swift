import AnonLogCore
import ArgumentParser
import Foundation

struct AnonymizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anonymize",
        abstract: "Anonymize logs: every IP address becomes a keyed pseudonym (the default command).",
        discussion: """
            Reads each FILE (gzip recognised by its magic bytes, concatenated members included) or \
            standard input ('-', or no FILE), finds every IPv4 and IPv6 address anywhere in each \
            line, replaces it with HMAC-SHA256 pseudonym under the key, and writes everything else \
            byte for byte. Lines from a pipe or terminal are written as soon as they arrive.

            EXIT STATUS
              0    everything was anonymized
              64   bad arguments
              65   an input is damaged (corrupt or truncated gzip); all data before the damage was written
              66   an input cannot be opened or read; the other inputs were processed
              73   the output file cannot be created
              74   writing the output failed (for example a full disk); a new output file is not left behind
              77   the key file is readable by others or cannot be accessed
              78   the key file is malformed
              130  interrupted (SIGINT) / 143 terminated (SIGTERM), after writing every complete line read
              141  the reader of the output went away (closed pipe); nothing is printed
            """
    )

    @Argument(help: ArgumentHelp("Log files to anonymize; '-' or none for standard input.", valueName: "file"))
    var files: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "Write to this file instead of standard output; '.gz' at the end writes gzip.",
        discussion: "The file is written under a temporary name and renamed into place when complete.",
        valueName: "path"))
    var output: String?

    @Flag(help: "Append to the -o file instead of replacing it (for piped logs such as Apache's CustomLog \"|anonlog ...\").")
    var append = false

    @OptionGroup var key: KeyOptions

    @Option(help: ArgumentHelp(
        "How addresses are transformed: \(AnonymizationMode.allCases.map(\.rawValue).joined(separator: ", ")) (default: the key file's mode, hmac for a new key).",
        valueName: "mode"))
    var mode: AnonymizationMode?

    @Option(help: ArgumentHelp(
        "Key rotation by each record's own UTC time: none, daily, weekly, monthly (default: the key file's; none for a new key).",
        valueName: "period"))
    var rotate: KeyRotation?

    @Option(help: ArgumentHelp(
        "How pseudonyms look: 'address' (an fd00::/8 IPv6 address, the default) or 'token' (16 hex digits).",
        valueName: "shape"))
    var pseudonymFormat: HMACPseudonymizer.Shape = .address

    @Option(help: ArgumentHelp(
        "The log format, instead of recognising each line: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")).",
        valueName: "format"))
    var format: LogFormat?

    @Option(help: ArgumentHelp("What replaces a token that may be an address but cannot be read as one.", valueName: "text"))
    var redactionMarker = "REDACTED"

    @Flag(help: "Leave chat session_id values as they are (they are replaced by keyed tokens by default).")
    var keepSessionIds = false

    @Option(
        parsing: .singleValue,
        help: ArgumentHelp("JSON fields whose values are identifiers to replace by keyed tokens, comma-separated (session_id by default).", valueName: "names"))
    var pseudonymizeField: [String] = []

    @Option(
        parsing: .singleValue,
        help: ArgumentHelp("Query-string, path and cookie parameters whose values are identifiers (e.g. sid,token,PHPSESSID), comma-separated.", valueName: "names"))
    var pseudonymizeParam: [String] = []

    @OptionGroup var networks: NetworkLinkingOptions

    @Option(help: ArgumentHelp("With --mode mask: IPv4 bits to zero (anonip's -4; default 12).", valueName: "bits"))
    var ipv4Mask = AddressMasker.defaultIPv4Mask

    @Option(help: ArgumentHelp("With --mode mask: IPv6 bits to zero (anonip's -6; default 84).", valueName: "bits"))
    var ipv6Mask = AddressMasker.defaultIPv6Mask

    @Option(
        parsing: .singleValue,
        help: ArgumentHelp("Leave addresses in this network unchanged (your own load balancers, health checks); repeatable.", valueName: "cidr"))
    var keep: [String] = []

    @Option(help: ArgumentHelp(
        "Where e-mail addresses, phone and card numbers become [email], [phone], [card]: chat-text (default), urls, both, or none.",
        valueName: "where"))
    var scrub: ScrubScope = .chatText

    @Option(help: ArgumentHelp("Worker threads (default: one per core).", valueName: "count"))
    var threads: Int?

    @Option(help: ArgumentHelp(
        "The gzip level for a .gz output: 1-2 ISA-L (fastest), 3 (the default) ISA-L blended with libdeflate (about 18% larger than gzip -6, several times faster), 4-9 libdeflate (smaller, slower).",
        valueName: "level"))
    var gzipLevel = 3

    @Flag(name: .shortAndLong, help: "Do not print the summary on standard error.")
    var quiet = false

    @Option(help: ArgumentHelp("Also write the summary as JSON to this file.", valueName: "path"))
    var summaryJson: String?

    @OptionGroup(title: "Statistics") var statistics: StatsRecordingOptions

    @OptionGroup(title: "Retention windows") var windows: StreamWindowOptions

    func validate() throws {
        if append && output == nil {
            throw ValidationError("--append needs -o PATH")
        }
        if !(0...32).contains(ipv4Mask) || !(0...128).contains(ipv6Mask) {
            throw ValidationError("--ipv4-mask must be 0 to 32 and --ipv6-mask 0 to 128")
        }
        if let threads, !(1...256).contains(threads) {
            // Each worker holds chunks and caches of several MiB: thousands would exhaust memory.
            throw ValidationError("--threads must be from 1 to 256")
        }
        if !(1...9).contains(gzipLevel) {
            throw ValidationError("--gzip-level must be 1 to 9")
        }
        if redactionMarker.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
            throw ValidationError("--redaction-marker must not contain line breaks")
        }
    }

    func run() throws {
        ShutdownRequest.installHandlers()
        let record = try reportingErrors { () throws(AnonLogError) -> KeyRecord in
            let record = try key.resolveRecord(creating: KeyTemplate(mode: mode ?? .hmac, rotation: rotate ?? .none))
            return try KeySettingsCheck.settle(record, mode: mode, rotation: rotate)
        }
        var options = AnonymizationOptions()
        options.pseudonymShape = pseudonymFormat
        options.forcedFormat = format
        options.redactionMarker = redactionMarker
        let fields = pseudonymizeField.flatMap { $0.split(separator: ",").map(String.init) }
        options.identifierFields = (fields.isEmpty ? ["session_id"] : fields).filter { !(keepSessionIds && $0 == "session_id") }
        options.identifierParameters = pseudonymizeParam.flatMap { $0.split(separator: ",").map(String.init) }
        networks.apply(to: &options)
        options.threads = threads
        options.maskBits = (ipv4Mask, ipv6Mask)
        options.gzipLevel = gzipLevel
        options.scrubChatText = scrub == .chatText || scrub == .both
        options.scrubURLs = scrub == .urls || scrub == .both
        for network in keep {
            try reportingErrors { () throws(AnonLogError) in try options.keep.add(network) }
        }
        let policy = try reportingErrors { () throws(AnonLogError) in try windows.loadPolicy() }
        windows.apply(to: &options, policy: policy, now: Int64(Date().timeIntervalSince1970))
        let destination: OutputDestination = output.map { .file(path: $0, append: append) } ?? .standardOutput

        let recording = try statistics.makeRecorder(keys: record, policy: policy)
        let report = AnonymizationJob.run(inputs: files, destination: destination, keys: record, options: options, statistics: recording?.recorder)

        let closedPipe = report.fatalError?.code == .outputClosed
        let statisticsStatus = recording.map { statistics.finish($0.recorder, path: $0.path, quiet: quiet || closedPipe) } ?? 0
        for error in report.errors where error.code != .outputClosed {
            StandardError.report(error)
        }
        if !quiet && !closedPipe && !report.inputs.isEmpty {
            StandardError.print(report.summaryLine)
        }
        if let summaryJson {
            do {
                try OutputFile.write(report.json, to: summaryJson)
            } catch {
                StandardError.report(error)
                throw ExitCode(error.code.exitStatus)
            }
        }
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
        if statisticsStatus != 0 { throw ExitCode(statisticsStatus) }
    }
}

/// Where free-text scrubbing applies.
enum ScrubScope: String, ExpressibleByArgument, CaseIterable {
    case chatText = "chat-text"
    case urls
    case both
    case none
}
