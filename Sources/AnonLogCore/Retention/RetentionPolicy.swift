/// One policy file: which logs to take, how to anonymize them, and how long each kind of data
/// is kept.
///
/// The file is TOML (a strict subset, see ``TOMLDocument``); `SampleLogs/policy.toml` is a
/// commented example. Unknown tables and keys, values of the wrong type and impossible values
/// are errors naming the file and the line. Relative paths in the file are relative to the
/// directory the file is in.
///
/// ```toml
/// [sources]
/// include = ["access.log.*.gz"]
/// quiet_period = "10m"
///
/// [windows]
/// raw_logs = "7d"
/// anonymized_logs = "26 months"
/// ```
public struct RetentionPolicy: Sendable {
    /// The file the policy was read from (`-` when parsed from memory).
    public var path: String

    // MARK: [sources]

    /// Globs of the files to archive, relative to the source directory (`access.log.*.gz`;
    /// a glob without `/` matches file names in any subdirectory). Required to archive; the
    /// filter (`anonlog --policy`) only takes the windows.
    public var include: [String]
    /// Globs of files never to archive.
    public var exclude: [String] = []
    /// Globs of the live logs (still being written): never archived, whatever their age.
    public var live: [String] = []
    /// A file modified more recently than this is still being written and is not taken.
    public var quietPeriod = RetentionDuration(10, .minutes)
    /// The format of every line, or `nil` to recognise each line.
    public var format: LogFormat?

    // MARK: [anonymization]

    /// The mode the key file must have, if the policy names one.
    public var mode: AnonymizationMode?
    /// The rotation the key file must have, if the policy names one.
    public var rotation: KeyRotation?
    /// The key file, if the policy names one.
    public var keyFile: String?

    // MARK: [archive]

    /// The directory of raw logs, if the policy names it.
    public var sourceDirectory: String?
    /// The archive directory, if the policy names it.
    public var archiveDirectory: String?
    /// The gzip level of archived files, 1 to 9, as `--gzip-level` (see `GzipMemberEncoders`).
    public var gzipLevel = 3

    // MARK: [statistics]

    /// Whether the archive records statistics (and the retention job deletes their rows).
    public var statisticsEnabled = true
    /// The statistics store, if the policy names one; `nil` for the default store, the one the
    /// filter records into (``StatsStoreLocation/defaultPath(environment:)``).
    public var statisticsStore: String?

    // MARK: [windows] and [stream]

    /// How long each class is kept; a class without a window is kept until deleted by hand.
    public var windows: [RetentionClass: RetentionDuration] = [:]
    /// The most chat sessions the stream window tracks at once (see ``StreamWindows``).
    public var maximumOpenSessions = StreamWindows.defaultMaximumOpenSessions

    /// A policy that takes the files matching `include` and keeps everything.
    public init(include: [String], path: String = "-") {
        self.include = include
        self.path = path
    }

    /// The window of a class, if the policy sets one.
    public func window(_ retentionClass: RetentionClass) -> RetentionDuration? {
        windows[retentionClass]
    }

    /// The stream windows the policy asks for: records older than the anonymized-logs window
    /// are dropped, and chat sessions without messages are held for the chat window.
    ///
    /// - Parameter now: The moment ages are measured from (Unix time).
    public func streamWindows(now: Int64) -> StreamWindows {
        var stream = StreamWindows()
        stream.recordCutoff = window(.anonymizedLogs).map { $0.cutoff(before: now) }
        stream.chatIdleSeconds = window(.chatSessionsWithoutMessages).map(\.approximateSeconds)
        stream.maximumOpenSessions = maximumOpenSessions
        return stream
    }

    // MARK: - Reading

    /// Reads a policy file.
    ///
    /// - Parameter path: The TOML file.
    /// - Returns: The policy, with relative paths resolved against the file's directory.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/noInput`` when the file cannot
    ///   be read, ``AnonLogError/Code/configuration`` with the line for anything invalid.
    public static func load(from path: String) throws(AnonLogError) -> RetentionPolicy {
        let bytes = try ArchiveFileSystem.readFile(path, maximum: 1 << 20)
        return try RetentionPolicy(parsing: bytes, path: path)
    }

    /// Parses a policy.
    ///
    /// - Parameters:
    ///   - text: The TOML text.
    ///   - path: The file's name, for messages and for resolving relative paths.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/configuration`` and the line.
    public init(parsing text: [UInt8], path: String) throws(AnonLogError) {
        let document = try TOMLDocument(parsing: text, path: path)
        let reader = Reader(document: document)
        self.init(include: [], path: path)
        let base = path == "-" ? "." : ArchiveFileSystem.parent(of: path)
        func resolve(_ value: String) -> String { value.hasPrefix("/") ? value : ArchiveFileSystem.join(base, value) }

        for (name, line) in document.tables where !Reader.knownTables.contains(name) {
            throw reader.error("unknown table [\(name)]; expected one of \(Reader.knownTables.map { "[\($0)]" }.joined(separator: ", "))", line)
        }

        for unknown in document.entries where !Reader.knownKeys.contains(unknown.key) {
            let table = unknown.key.split(separator: ".").dropLast().joined(separator: ".")
            let name = unknown.key.split(separator: ".").last.map(String.init) ?? unknown.key
            let expected = Reader.knownKeys.filter { $0.hasPrefix(table + ".") }.map { String($0.dropFirst(table.count + 1)) }
            let hint = expected.isEmpty ? "" : "; expected one of \(expected.joined(separator: ", "))"
            let place = table.isEmpty ? "outside any table" : "in [\(table)]"
            throw reader.error("unknown key '\(name)' \(place)\(hint)", unknown.entry.line)
        }

        let include = try reader.strings("sources.include")
        if let include {
            guard !include.value.isEmpty else { throw reader.error("include must name at least one glob", include.line) }
            for glob in include.value where glob.isEmpty || glob.hasPrefix("/") {
                throw reader.error("include globs are relative to the source directory and not empty", include.line)
            }
            self.include = include.value
        }
        exclude = try reader.strings("sources.exclude")?.value ?? []
        live = try reader.strings("sources.live")?.value ?? []
        if let quiet = try reader.duration("sources.quiet_period") { quietPeriod = quiet.value }
        if let format = try reader.string("sources.format"), format.value != "auto" {
            guard let known = LogFormat(rawValue: format.value) else {
                throw reader.error("unknown format '\(format.value)'; expected auto, \(LogFormat.allCases.map(\.rawValue).joined(separator: ", "))", format.line)
            }
            self.format = known
        }

        if let mode = try reader.string("anonymization.mode") {
            guard let known = AnonymizationMode(rawValue: mode.value) else {
                throw reader.error("unknown mode '\(mode.value)'; expected \(AnonymizationMode.allCases.map(\.rawValue).joined(separator: ", "))", mode.line)
            }
            self.mode = known
        }
        var rotationLine: Int?
        if let rotation = try reader.string("anonymization.rotation") {
            guard let known = KeyRotation(rawValue: rotation.value) else {
                throw reader.error("unknown rotation '\(rotation.value)'; expected \(KeyRotation.allCases.map(\.rawValue).joined(separator: ", "))", rotation.line)
            }
            self.rotation = known
            rotationLine = rotation.line
        }
        keyFile = try reader.string("anonymization.key_file").map { resolve($0.value) }

        sourceDirectory = try reader.string("archive.source").map { resolve($0.value) }
        archiveDirectory = try reader.string("archive.output").map { resolve($0.value) }
        if let level = try reader.integer("archive.gzip_level") {
            guard (1...9).contains(level.value) else { throw reader.error("gzip_level must be 1 to 9", level.line) }
            gzipLevel = Int(level.value)
        }

        if let enabled = try reader.boolean("statistics.enabled") { statisticsEnabled = enabled.value }
        if let store = try reader.string("statistics.store") {
            guard !store.value.isEmpty else { throw reader.error("store must name a file", store.line) }
            statisticsStore = resolve(store.value)
        }

        for retentionClass in RetentionClass.allCases {
            guard let window = try reader.duration("windows." + retentionClass.rawValue) else { continue }
            switch retentionClass {
            case .chatSessionsWithoutMessages:
                guard !window.value.isZero else { throw reader.error("\(retentionClass.rawValue) must be longer than zero", window.line) }
                guard window.value.approximateSeconds <= 7 * 86_400 else {
                    throw reader.error("\(retentionClass.rawValue) must be at most 7 days (sessions are held in memory)", window.line)
                }
            case .keyEpochs:
                if rotation == KeyRotation.none {
                    throw reader.error(
                        "key_epochs needs a rotating key, but rotation is \"none\" (line \(rotationLine ?? 0)): a key without rotation has a single epoch",
                        window.line)
                }
            default:
                break
            }
            windows[retentionClass] = window.value
        }
        if let sessions = try reader.integer("stream.max_open_sessions") {
            guard (1...100_000_000).contains(sessions.value) else { throw reader.error("max_open_sessions must be 1 to 100000000", sessions.line) }
            maximumOpenSessions = Int(sessions.value)
        }

    }

    /// Typed access to a document's keys.
    private struct Reader {
        static let knownTables = ["sources", "anonymization", "archive", "statistics", "windows", "stream"]
        static let knownKeys: [String] = [
            "sources.include", "sources.exclude", "sources.live", "sources.quiet_period", "sources.format",
            "anonymization.mode", "anonymization.rotation", "anonymization.key_file",
            "archive.source", "archive.output", "archive.gzip_level",
            "statistics.enabled", "statistics.store",
            "stream.max_open_sessions",
        ] + RetentionClass.allCases.map { "windows." + $0.rawValue }

        let document: TOMLDocument

        init(document: TOMLDocument) {
            self.document = document
        }

        func error(_ message: String, _ line: Int) -> AnonLogError {
            AnonLogError(.configuration, message, location: .init(path: document.path, line: line))
        }

        private func entry(_ key: String) -> TOMLDocument.Entry? {
            document[key]
        }

        private func mismatch(_ key: String, _ entry: TOMLDocument.Entry, expected: String) -> AnonLogError {
            let name = key.split(separator: ".").last.map(String.init) ?? key
            return error("\(name) must be \(expected), not \(entry.value.kind)", entry.line)
        }

        func string(_ key: String) throws(AnonLogError) -> (value: String, line: Int)? {
            guard let entry = entry(key) else { return nil }
            guard case .string(let value) = entry.value else { throw mismatch(key, entry, expected: "a string") }
            return (value, entry.line)
        }

        func strings(_ key: String) throws(AnonLogError) -> (value: [String], line: Int)? {
            guard let entry = entry(key) else { return nil }
            guard case .strings(let value) = entry.value else { throw mismatch(key, entry, expected: "an array of strings") }
            return (value, entry.line)
        }

        func boolean(_ key: String) throws(AnonLogError) -> (value: Bool, line: Int)? {
            guard let entry = entry(key) else { return nil }
            guard case .boolean(let value) = entry.value else { throw mismatch(key, entry, expected: "true or false") }
            return (value, entry.line)
        }

        func integer(_ key: String) throws(AnonLogError) -> (value: Int64, line: Int)? {
            guard let entry = entry(key) else { return nil }
            guard case .integer(let value) = entry.value else { throw mismatch(key, entry, expected: "an integer") }
            return (value, entry.line)
        }

        func duration(_ key: String) throws(AnonLogError) -> (value: RetentionDuration, line: Int)? {
            guard let entry = entry(key) else { return nil }
            let name = key.split(separator: ".").last.map(String.init) ?? key
            guard case .string(let text) = entry.value else {
                throw error("\(name) must be a duration string such as \"7d\", \"48h\", \"30m\" or \"26 months\", not \(entry.value.kind)", entry.line)
            }
            guard let duration = RetentionDuration(parsing: text) else {
                throw error(
                    "\(name) = \"\(text)\" is not a duration: a whole number of s, m (minutes), h, d, w, months or y, at most 1000 years",
                    entry.line)
            }
            return (duration, entry.line)
        }
    }
}
