/// The archive's record of what it has done: one entry per raw log archived.
///
/// The manifest is what makes a rerun a no-op and a crash recoverable: a raw log is skipped when
/// its ``SourceIdentity`` is in it, and deleted only once its entry says the output is in place
/// and its statistics were ingested. It is a text file in the archive's state directory,
/// replaced atomically and durably on every change (written beside, synced, renamed, directory
/// synced), so it always holds either the state before a step or the state after it.
///
/// ```
/// anonlog-archive-manifest 1
/// id=2049:1234:5678:1763596800000000000	source=access.log.1.gz	output=access.log-20261120T000000Z.gz	...
/// ```
///
/// Values are percent-escaped (`%`, tab, line feed, carriage return, `=`).
struct ArchiveManifest: Sendable {
    /// What the archive knows about one raw log.
    struct Entry: Sendable, Equatable {
        /// The raw log's identity when it was archived.
        var identity: SourceIdentity
        /// Its path relative to the source directory, when it was last seen.
        var source: String
        /// The anonymized file, relative to the archive directory.
        var output: String
        /// Lines read from the raw log.
        var linesIn: Int
        /// What was written (uncompressed) and verified.
        var written: ContentTally.Summary
        /// The size of the output file as stored (compressed).
        var outputSize: Int64
        /// Records dropped by the stream windows.
        var dropped: Int
        /// When it was archived (Unix time).
        var archivedAt: Int64
        /// Whether its statistics were ingested.
        var statisticsIngested: Bool
        /// When this run's job deleted the raw log, if it did.
        var sourceDeletedAt: Int64?
        /// When the output was deleted at the end of its window, if it was.
        var outputDeletedAt: Int64?
    }

    static let header = "anonlog-archive-manifest 1"

    /// The entries, in the order they were archived.
    private(set) var entries: [Entry] = []
    private var byIdentity: [SourceIdentity: Int] = [:]

    init() {}

    /// The entry of a raw log whose identity is in the manifest, unless the archive itself
    /// deleted that file (its inode may have been reused since).
    func entry(for identity: SourceIdentity) -> Entry? {
        guard let index = byIdentity[identity], entries[index].sourceDeletedAt == nil else { return nil }
        return entries[index]
    }

    /// An entry of the same file (device and inode) with another size or time, not deleted.
    func changedEntry(for identity: SourceIdentity) -> Entry? {
        entries.last { $0.sourceDeletedAt == nil && $0.identity.isSameFile(as: identity) && $0.identity != identity }
    }

    /// Whether some entry's output has this relative path.
    func hasOutput(_ output: String) -> Bool { entries.contains { $0.output == output } }

    /// Adds an entry, or replaces the one with the same identity.
    mutating func record(_ entry: Entry) {
        if let index = byIdentity[entry.identity] {
            entries[index] = entry
        } else {
            byIdentity[entry.identity] = entries.count
            entries.append(entry)
        }
    }

    /// Changes the entry of `identity`.
    mutating func update(_ identity: SourceIdentity, _ change: (inout Entry) -> Void) {
        guard let index = byIdentity[identity] else { return }
        change(&entries[index])
    }

    /// Keeps only the entries `keep` accepts.
    mutating func removeAll(where remove: (Entry) -> Bool) {
        entries.removeAll(where: remove)
        byIdentity = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.identity, $0) })
    }

    // MARK: - Storage

    /// Reads a manifest; a missing file is an empty manifest.
    ///
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/dataError`` and the line for a
    ///   damaged manifest (it is never guessed at: a wrong manifest could delete a raw log).
    static func load(from path: String) throws(AnonLogError) -> ArchiveManifest {
        guard ArchiveFileSystem.exists(path) else { return ArchiveManifest() }
        let bytes = try ArchiveFileSystem.readFile(path)
        var manifest = ArchiveManifest()
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.first.map({ String(decoding: $0, as: UTF8.self) }) == header else {
            throw AnonLogError(.dataError, "not an archive manifest (expected '\(header)')", location: .init(path: path, line: 1))
        }
        for (number, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            guard let entry = Entry(line: String(decoding: line, as: UTF8.self)) else {
                throw AnonLogError(.dataError, "damaged manifest entry", location: .init(path: path, line: number + 1))
            }
            manifest.record(entry)
        }
        return manifest
    }

    /// The file's contents.
    var text: [UInt8] {
        var text = Self.header + "\n"
        for entry in entries { text += entry.line + "\n" }
        return Array(text.utf8)
    }

    /// Replaces the manifest file atomically and durably.
    ///
    /// - Parameters:
    ///   - path: The manifest file.
    ///   - beforeRename: Runs once the new contents are synced under the temporary name.
    func save(to path: String, beforeRename: () -> Void = {}) throws(AnonLogError) {
        try ArchiveFileSystem.replace(path, with: text, beforeRename: beforeRename)
    }
}

extension ArchiveManifest.Entry {
    fileprivate var line: String {
        var fields: [(String, String)] = [
            ("id", identity.description), ("source", source), ("output", output),
            ("lines_in", String(linesIn)), ("lines", String(written.lines)), ("bytes", String(written.bytes)),
            ("crc32", String(written.crc32, radix: 16)), ("output_size", String(outputSize)), ("dropped", String(dropped)),
            ("archived_at", String(archivedAt)), ("stats", statisticsIngested ? "1" : "0"),
        ]
        if let sourceDeletedAt { fields.append(("source_deleted_at", String(sourceDeletedAt))) }
        if let outputDeletedAt { fields.append(("output_deleted_at", String(outputDeletedAt))) }
        return fields.map { "\($0)=\(Self.escape($1))" }.joined(separator: "\t")
    }

    fileprivate init?(line: String) {
        var fields: [String: String] = [:]
        for field in line.split(separator: "\t") {
            guard let equals = field.firstIndex(of: "="), let value = Self.unescape(field[field.index(after: equals)...]) else { return nil }
            fields[String(field[..<equals])] = value
        }
        guard let id = fields["id"].flatMap(SourceIdentity.init(parsing:)), let source = fields["source"], let output = fields["output"],
            let linesIn = fields["lines_in"].flatMap({ Int($0) }), let lines = fields["lines"].flatMap({ Int($0) }),
            let bytes = fields["bytes"].flatMap({ Int($0) }), let crc = fields["crc32"].flatMap({ UInt32($0, radix: 16) }),
            let outputSize = fields["output_size"].flatMap({ Int64($0) }), let dropped = fields["dropped"].flatMap({ Int($0) }),
            let archivedAt = fields["archived_at"].flatMap({ Int64($0) }), let stats = fields["stats"], stats == "0" || stats == "1"
        else { return nil }
        self.init(
            identity: id, source: source, output: output, linesIn: linesIn,
            written: ContentTally.Summary(lines: lines, bytes: bytes, crc32: crc), outputSize: outputSize, dropped: dropped,
            archivedAt: archivedAt, statisticsIngested: stats == "1",
            sourceDeletedAt: fields["source_deleted_at"].flatMap { Int64($0) },
            outputDeletedAt: fields["output_deleted_at"].flatMap { Int64($0) })
    }

    private static func escape(_ value: String) -> String {
        var result = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "%": result += "%25"
            case "\t": result += "%09"
            case "\n": result += "%0A"
            case "\r": result += "%0D"
            case "=": result += "%3D"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func unescape(_ value: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = value.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(HexDigit.value(of:)), let low = iterator.next().flatMap(HexDigit.value(of:)) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
