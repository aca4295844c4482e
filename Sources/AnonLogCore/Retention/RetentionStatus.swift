/// What an archive holds per retention class, the oldest item, and what is past its window:
/// `anonlog retention status`.
public struct RetentionStatus: Sendable {
    /// One class.
    public struct Entry: Sendable {
        public var retentionClass: RetentionClass
        /// The policy's window, if it sets one.
        public var window: RetentionDuration?
        /// Items held (files, epochs, rows), when known.
        public var held: Int?
        /// What the items are, for people: `files`, `epochs`, `rows`.
        public var unit: String
        /// Bytes held, for files.
        public var bytes: Int64?
        /// The time of the oldest item (Unix time).
        public var oldest: Int64?
        /// Items past the window and still held, when known.
        public var overdue: Int?
        /// More about the class (why something is not known, what is pending).
        public var note: String?
    }

    public var entries: [Entry] = []
    /// Things that could not be checked.
    public var notes: [String] = []

    init(_ configuration: ArchiveConfiguration, statistics: any ArchiveStatsSink) throws(AnonLogError) {
        let policy = configuration.policy
        let now = configuration.now
        let manifest = try ArchiveManifest.load(from: ArchiveState.manifestPath(configuration))
        let planned = try ArchivePlanner.plan(configuration, manifest: manifest, archiving: false)
        notes = planned.plan.notes
        func cutoff(_ retentionClass: RetentionClass) -> Int64? { policy.window(retentionClass)?.cutoff(before: now) }

        // Raw logs: what matches the globs, live logs aside.
        var raw = Entry(retentionClass: .rawLogs, window: policy.window(.rawLogs), unit: "files")
        if configuration.sourceDirectory != nil {
            let files = planned.files.filter { !SourceScanner.matches(policy.live, $0.relativePath) && $0.status.isRegularFile }
            raw.held = files.count
            raw.bytes = files.reduce(0) { $0 + $1.status.size }
            raw.oldest = files.map(\.status.modified).min()
            if let limit = cutoff(.rawLogs) {
                let old = files.filter { $0.status.modified < limit }
                let archived = old.filter { manifest.entry(for: SourceIdentity($0.status)) != nil }.count
                raw.overdue = old.count
                if !old.isEmpty { raw.note = "\(archived) archived and due for deletion, \(old.count - archived) not archived yet" }
            }
        } else {
            raw.note = "no source directory given"
        }
        entries.append(raw)

        // Anonymized logs: the manifest's outputs still in place.
        let outputs = manifest.entries.filter { $0.outputDeletedAt == nil }
        var anonymized = Entry(retentionClass: .anonymizedLogs, window: policy.window(.anonymizedLogs), unit: "files")
        anonymized.held = outputs.count
        anonymized.bytes = outputs.reduce(0) { $0 + $1.outputSize }
        anonymized.oldest = outputs.map(\.identity.modified).min()
        if let limit = cutoff(.anonymizedLogs) { anonymized.overdue = outputs.filter { $0.identity.modified < limit }.count }
        let pending = manifest.entries.filter { !$0.statisticsIngested }.count
        if pending > 0 { anonymized.note = "\(pending) with statistics not yet ingested" }
        entries.append(anonymized)

        // Key epochs: from the oldest the key file can still derive to now.
        var keys = Entry(retentionClass: .keyEpochs, window: policy.window(.keyEpochs), unit: "epochs")
        if let keyFile = configuration.keyFile {
            do throws(AnonLogError) {
                let record = try KeyFile.load(from: keyFile)
                if record.rotation == .none {
                    keys.note = "the key has no rotation: one epoch for all time"
                } else {
                    keys.held = Int(max(0, record.rotation.epoch(at: now) - record.epoch + 1))
                    keys.oldest = record.rotation.start(ofEpoch: record.epoch)
                    if let limit = cutoff(.keyEpochs) { keys.overdue = Int(max(0, record.rotation.epoch(at: limit) - record.epoch)) }
                    keys.note = "\(record.rotation.rawValue) rotation, oldest epoch \(record.rotation.describe(epoch: record.epoch))"
                }
            } catch {
                keys.note = "cannot read the key file: \(error)"
            }
        } else {
            keys.note = "no key file given"
        }
        entries.append(keys)

        // Statistics rows: from the store.
        for statisticsClass in StatisticsClass.allCases {
            let retentionClass = statisticsClass.retentionClass
            var entry = Entry(retentionClass: retentionClass, window: policy.window(retentionClass), unit: "rows")
            if let holding = try statistics.holdings(of: statisticsClass, olderThan: cutoff(retentionClass)) {
                entry.held = holding.rows
                entry.oldest = holding.oldest
                entry.overdue = holding.overdue
                if let overdue = holding.overdue, overdue > 0 { entry.note = "deleted by the next anonlog archive or retention apply" }
            } else {
                entry.note = policy.statisticsEnabled ? "no statistics store" : "statistics are off in the policy"
            }
            entries.append(entry)
        }

        var chat = Entry(retentionClass: .chatSessionsWithoutMessages, window: policy.window(.chatSessionsWithoutMessages), unit: "sessions")
        chat.note = "enforced in the stream: held in memory while the log is anonymized, never stored"
        entries.append(chat)
    }

    /// The status as JSON.
    public var json: String {
        let objects = entries.map { entry in
            JSONValue.object([
                ("class", .string(entry.retentionClass.rawValue)),
                ("window", .optional(entry.window?.description)),
                ("held", .optional(entry.held)), ("unit", .string(entry.unit)),
                ("bytes", .optional(entry.bytes.map(Int.init))),
                ("oldest", .optional(entry.oldest.map(LogTimestamp.format))),
                ("overdue", .optional(entry.overdue)),
                ("note", .optional(entry.note)),
            ])
        }
        return JSONValue.object([("classes", .array(objects)), ("notes", .array(notes.map(JSONValue.string)))]).text + "\n"
    }
}
