import Foundation
import Testing
@testable import AnonLogCore

/// A source directory of raw logs and an archive directory, with helpers to build and inspect them.
final class ArchiveFixture {
    static let key = SecretKey(bytes: (0..<32).map { UInt8(($0 * 13 + 5) & 0xFF) })!
    static let keys = KeyRecord(mode: .hmac, rotation: .none, epoch: 0, key: key)

    let directory: TemporaryDirectory
    let now = Int64(Date().timeIntervalSince1970)
    var source: String { directory.path + "/src" }
    var archive: String { directory.path + "/dst" }

    init() throws {
        directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
    }

    /// Yesterday, as NCSA logs write times (records stay inside every window the tests set).
    static let yesterday: String = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "dd/MMM/yyyy:HH:mm:ss"
        return formatter.string(from: Date().addingTimeInterval(-86_400)) + " +0000"
    }()

    /// Web log lines with an address each, unique per `tag`, written yesterday.
    static func webLines(_ tag: String, count: Int) -> [String] {
        (0..<count).map { "198.51.100.\($0 % 200 + 1) - - [\(yesterday)] \"GET /\(tag)/\($0) HTTP/1.1\" 200 \($0) \"-\" \"curl/8\"" }
    }

    /// Writes a raw log (gzip'd unless the name does not end in .gz) modified `age` seconds ago.
    @discardableResult
    func addRawLog(_ name: String, lines: [String], age: Int64) throws -> String {
        let text = Array(lines.map { $0 + "\n" }.joined().utf8)
        let path = source + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(name.hasSuffix(".gz") ? try gzip(text) : text).write(to: URL(fileURLWithPath: path))
        try setAge(path, age)
        return path
    }

    func setAge(_ path: String, _ age: Int64) throws {
        let date = Date(timeIntervalSince1970: TimeInterval(now - age))
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path)
    }

    func policy(_ text: String) throws -> RetentionPolicy {
        try RetentionPolicy(parsing: Array(text.utf8), path: directory.path + "/policy.toml")
    }

    func configuration(_ policyText: String, jobs: Int? = 2) throws -> ArchiveConfiguration {
        var configuration = ArchiveConfiguration(sourceDirectory: source, archiveDirectory: archive, policy: try policy(policyText), now: now)
        configuration.keys = Self.keys
        configuration.jobs = jobs
        return configuration
    }

    /// The lines of every archived file, by path relative to the archive (state directory aside),
    /// inflated by the system's gzip.
    func outputs() throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for relative in try files(under: archive) where !relative.hasPrefix(ArchiveConfiguration.stateDirectoryName) {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: archive + "/" + relative)))
            let inflated = try gunzip(bytes)
            #expect(inflated.valid, "\(relative) is not valid gzip")
            result[relative] = String(decoding: inflated.output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
        return result
    }

    /// Every file under `root`, relative, sorted.
    func files(under root: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var result: [String] = []
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                result.append(relative)
            }
        }
        return result.sorted()
    }

    /// Names, sizes, times, inodes and contents of everything in the fixture (the lock file's
    /// time aside: a run that takes the lock touches it).
    func snapshot() throws -> [String: String] {
        var result: [String: String] = [:]
        for relative in try files(under: directory.path) {
            let path = directory.path + "/" + relative
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let contents = try Data(contentsOf: URL(fileURLWithPath: path))
            let time = relative.hasSuffix("/lock") ? "" : "\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
            result[relative] = "\(contents.count) \(time) \(attributes[.systemFileNumber] ?? 0) \(contents.hashValue)"
        }
        return result
    }

    /// What the anonymizer makes of `lines` under the fixture's key.
    static func anonymized(_ lines: [String]) throws -> [String] {
        let anonymizer = try LogAnonymizer(keys: keys)
        let output = OutputBuffer()
        Array(lines.map { $0 + "\n" }.joined().utf8).withUnsafeBytes { anonymizer.anonymize($0, into: output) }
        return String(decoding: output.bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    var manifest: ArchiveManifest {
        get throws { try ArchiveManifest.load(from: archive + "/.anonlog-archive/manifest") }
    }
}

/// A statistics sink in memory that remembers every ingestion, and can be told to fail.
final class MemoryStatsSink: ArchiveStatsSink {
    private(set) var ingested: [SourceIdentity: Int] = [:]
    private(set) var calls = 0
    private(set) var deletions: [(StatisticsClass, Int64)] = []
    var failing = false

    func ingest(_ source: ArchivedSource) throws(AnonLogError) -> StatsIngestion {
        calls += 1
        if failing { throw AnonLogError(.ioError, "the store is down") }
        if ingested[source.identity] != nil { return .alreadyIngested }
        ingested[source.identity] = source.counts.lines
        return .ingested
    }

    func deleteRows(olderThan cutoff: Int64, class statisticsClass: StatisticsClass) throws(AnonLogError) -> Int {
        deletions.append((statisticsClass, cutoff))
        return 1
    }

    func holdings(of class: StatisticsClass, olderThan cutoff: Int64?) throws(AnonLogError) -> StatisticsHolding? {
        StatisticsHolding(rows: ingested.count, oldest: nil)
    }
}
