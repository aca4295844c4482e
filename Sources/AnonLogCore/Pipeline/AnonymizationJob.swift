#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// How to anonymize: the choices a user makes on the command line.
public struct AnonymizationOptions: Sendable {
    /// How pseudonyms are written.
    public var pseudonymShape: HMACPseudonymizer.Shape = .address
    /// The format every line must have, or `nil` to recognise each line.
    public var forcedFormat: LogFormat?
    /// What replaces a token that might be an address but cannot be read as one.
    public var redactionMarker: String = "REDACTED"
    /// JSON members whose string values are identifiers, replaced by keyed tokens (the chat
    /// format's `session_id` by default).
    public var identifierFields: [String] = ["session_id"]
    /// Query-string, path and cookie parameters whose values are identifiers (`sid`, `PHPSESSID`).
    public var identifierParameters: [String] = []
    /// Whether chat `session_id` values are replaced by keyed tokens.
    public var pseudonymizeSessionIDs: Bool {
        get { identifierFields.contains("session_id") }
        set {
            identifierFields.removeAll { $0 == "session_id" }
            if newValue { identifierFields.append("session_id") }
        }
    }
    /// Whether e-mail addresses, phone and card numbers in chat message text become markers.
    public var scrubChatText = true
    /// Whether they are also scrubbed from request URLs and referers.
    public var scrubURLs = false
    /// Whether HMAC pseudonyms begin with bits of a MAC of the client's network.
    public var linkNetworks = false
    /// The network prefix lengths for linked pseudonyms (and network statistics).
    public var networkPrefixLengths = (ipv4: 24, ipv6: 48)
    /// Bits zeroed by the `mask` mode (anonip's defaults).
    public var maskBits = (ipv4: AddressMasker.defaultIPv4Mask, ipv6: AddressMasker.defaultIPv6Mask)
    /// Networks whose addresses are left unchanged (`--keep`); empty by default.
    public var keep = AddressKeepList()
    /// The longest line held whole; longer lines are anonymized in pieces.
    public var maximumLineLength = 64 << 20
    /// The gzip level for `.gz` output: 1 to 3 compress with ISA-L (fast), 4 to 9 with zlib
    /// (smaller). 3 by default: about 5 times gzip -6's speed at about 18% more bytes.
    public var gzipLevel = 3
    /// Worker threads; `nil` for one per core.
    public var threads: Int?
    /// Retention windows applied to the stream: records too old, chat sessions without messages.
    public var windows = StreamWindows()

    public init() {}
}

/// Where the anonymized lines go.
public enum OutputDestination: Sendable, Equatable {
    /// Standard output.
    case standardOutput
    /// A file: written to a temporary name and renamed into place when complete, or appended
    /// to. A path ending in `.gz` is written gzip-compressed.
    case file(path: String, append: Bool)
}

/// Anonymizes inputs into one output: the `anonlog [FILE...]` command.
public enum AnonymizationJob {
    /// Anonymizes each input in turn into `destination`.
    ///
    /// A damaged or unreadable input is reported and the others are still processed; everything
    /// read from a damaged input before the damage is written. A failing output stops the job.
    /// A new output file replaces the old one only when complete; if the job fails, or is
    /// interrupted while reading only files (which still hold the data), the old file stays.
    ///
    /// - Parameters:
    ///   - inputs: Paths, or `-` for standard input; empty means standard input.
    ///   - destination: Where the lines go.
    ///   - keys: The key file's contents: mode, rotation and the oldest retained epoch's key.
    ///   - options: Formats, shapes and limits.
    ///   - statistics: Records statistics from the same pass, or `nil`.
    /// - Returns: What was done and what failed.
    public static func run(
        inputs: [String],
        destination: OutputDestination,
        keys: KeyRecord,
        options: AnonymizationOptions = AnonymizationOptions(),
        direction: TransformDirection = .anonymize,
        statistics: StatsRecorder? = nil
    ) -> AnonymizationReport {
        var report = AnonymizationReport()
        let inputs = inputs.isEmpty ? ["-"] : inputs
        let output: JobOutput
        let pipeline: any PipelineRunning
        do {
            output = try JobOutput(destination)
            let builder = LineRewriterBuilder(
                keys: keys, options: options, direction: direction, now: Int64(time(nil)),
                count: options.threads ?? ProcessorCount.online, gzipLevel: output.isCompressed ? options.gzipLevel : nil,
                statistics: direction == .anonymize ? statistics : nil)
            pipeline = try ModeDispatch.withFactory(mode: keys.mode, direction: direction, options: options, builder)
        } catch {
            report.fatalError = error
            return report
        }

        var readStandardInput = false
        for path in inputs {
            if ShutdownRequest.isRequested { break }
            let before = pipeline.counts
            var inputError: AnonLogError?
            do throws(AnonLogError) {
                let input = try OpenedInput.open(path: path)
                if path == "-" { readStandardInput = true }
                statistics?.beginInput(named: path, isLive: input.source.isLive)
                do throws(StreamFailure) {
                    try pipeline.run(input.source, into: output.sink)
                } catch {
                    switch error {
                    case .input(let damage):
                        // A gzip member cut short by SIGINT/SIGTERM is the interruption, not damage.
                        if !(ShutdownRequest.isRequested && damage.code == .dataError) { inputError = damage }
                    case .output(let failure):
                        report.fatalError = failure
                    }
                }
                // After damage the last line read may be cut short: keep the statistics already
                // written and drop the rest, which a whole copy of the input counts later.
                if inputError != nil { statistics?.abandonInput() } else { statistics?.finishInput() }
            } catch {
                inputError = error
            }
            var counts = pipeline.counts
            counts.subtract(before)
            report.inputs.append(InputReport(name: path, counts: counts, error: inputError))
            if report.fatalError != nil { break }
        }
        report.interruptingSignal = ShutdownRequest.signal
        report.keyingError = pipeline.keyingError

        // Keep the new output unless it failed, or an interruption cut short inputs that are
        // files and still hold everything. Appended lines are in the file already: keep them.
        let keep = report.fatalError == nil
            && (report.interruptingSignal == nil || readStandardInput || output.isAppending)
        do {
            try output.close(keep: keep)
        } catch {
            if report.fatalError == nil { report.fatalError = error }
        }
        return report
    }
}

/// The output of a job: standard output or a file. For a `.gz` path the pipeline writes gzip
/// members itself (one per chunk, compressed by the workers in parallel).
private struct JobOutput {
    let sink: any ByteSink
    let isAppending: Bool
    let isCompressed: Bool
    private let file: OutputFile?

    init(_ destination: OutputDestination) throws(AnonLogError) {
        switch destination {
        case .standardOutput:
            file = nil
            isAppending = false
            isCompressed = false
            sink = FileDescriptorSink.standardOutput()
        case .file(let path, let append):
            let file = append ? try OutputFile.append(path: path) : try OutputFile.create(path: path)
            self.file = file
            isAppending = append
            isCompressed = path.hasSuffix(".gz")
            sink = file.sink
        }
    }

    /// Finishes the output; a file is committed when `keep` is true and abandoned otherwise.
    func close(keep: Bool) throws(AnonLogError) {
        guard let file else {
            try sink.finish()
            return
        }
        guard keep else {
            file.abandon()
            return
        }
        do {
            try sink.finish()
            try file.commit()
        } catch {
            file.abandon()
            throw error
        }
    }
}
