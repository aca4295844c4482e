/// How to anonymize: the choices a user makes on the command line.
public struct AnonymizationOptions: Sendable {
    /// How pseudonyms are written.
    public var pseudonymShape: HMACPseudonymizer.Shape = .address
    /// The format every line must have, or `nil` to recognise each line.
    public var forcedFormat: LogFormat?
    /// What replaces a token that might be an address but cannot be read as one.
    public var redactionMarker: String = "REDACTED"
    /// Whether chat `session_id` values are replaced by keyed tokens.
    public var pseudonymizeSessionIDs = true
    /// The longest line held whole; longer lines are anonymized in pieces.
    public var maximumLineLength = 64 << 20
    /// The zlib level for `.gz` output.
    public var gzipLevel = 6

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
        statistics: StatsRecorder? = nil
    ) -> AnonymizationReport {
        var report = AnonymizationReport()
        let inputs = inputs.isEmpty ? ["-"] : inputs
        let anonymizer: LogAnonymizer
        do {
            anonymizer = try LogAnonymizer(keys: keys, options: options)
        } catch {
            report.fatalError = error
            return report
        }
        let lines = anonymizer.lines
        lines.statistics = statistics
        let stream = StreamAnonymizer(lines: lines, maximumLineLength: options.maximumLineLength)

        let output: JobOutput
        do {
            output = try JobOutput(destination, gzipLevel: options.gzipLevel)
        } catch {
            report.fatalError = error
            return report
        }

        var readStandardInput = false
        for path in inputs {
            if ShutdownRequest.isRequested { break }
            let before = lines.counts
            var inputError: AnonLogError?
            do throws(AnonLogError) {
                let input = try OpenedInput.open(path: path)
                if path == "-" { readStandardInput = true }
                statistics?.beginInput(named: path, isLive: input.source.isLive)
                defer { statistics?.finishInput() }
                do throws(StreamFailure) {
                    try stream.run(input.source, into: output.sink)
                } catch {
                    switch error {
                    case .input(let damage):
                        // A gzip member cut short by SIGINT/SIGTERM is the interruption, not damage.
                        if !(ShutdownRequest.isRequested && damage.code == .dataError) { inputError = damage }
                    case .output(let failure):
                        report.fatalError = failure
                    }
                }
            } catch {
                inputError = error
            }
            var counts = lines.counts
            counts.subtract(before)
            report.inputs.append(InputReport(name: path, counts: counts, error: inputError))
            if report.fatalError != nil { break }
        }
        report.interruptingSignal = ShutdownRequest.signal
        report.keyingError = lines.keyingError

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

/// The output of a job: standard output or a file, gzip-compressed or not.
private struct JobOutput {
    let sink: any ByteSink
    let isAppending: Bool
    private let file: OutputFile?

    init(_ destination: OutputDestination, gzipLevel: Int) throws(AnonLogError) {
        switch destination {
        case .standardOutput:
            file = nil
            isAppending = false
            sink = FileDescriptorSink.standardOutput()
        case .file(let path, let append):
            let file = append ? try OutputFile.append(path: path) : try OutputFile.create(path: path)
            self.file = file
            isAppending = append
            if path.hasSuffix(".gz") {
                do {
                    sink = try GzipDeflatingSink(wrapping: file.sink, level: gzipLevel)
                } catch {
                    file.abandon()
                    throw error
                }
            } else {
                sink = file.sink
            }
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
