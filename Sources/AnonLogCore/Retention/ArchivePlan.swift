/// What an archive or retention run will do, worked out before anything is touched: `--dry-run`
/// prints it, a real run carries it out.
public struct ArchivePlan: Sendable {
    /// A raw log to anonymize into the archive.
    public struct Candidate: Sendable {
        public var sourcePath: String
        /// Relative to the source directory.
        public var relativePath: String
        public var identity: SourceIdentity
        public var outputPath: String
        /// Relative to the archive directory.
        public var outputRelativePath: String
        /// Where the output is written and verified before it is renamed into place.
        var stagingPath: String
        /// Whether the raw log is already older than its window, so it goes once archived.
        public var deleteOnceArchived: Bool
    }

    /// Why a file matching the globs is not taken.
    public enum SkipReason: Sendable, Equatable, CustomStringConvertible {
        /// It matches a `live` glob: it is being written.
        case liveLog
        /// It was modified this many seconds ago, within the quiet period.
        case quietPeriod(secondsAgo: Int64)
        /// It is in the manifest, archived as this output.
        case alreadyArchived(output: String)
        /// It was archived, then written to again: it is kept and not archived twice.
        case changedSinceArchived(output: String)
        /// Not a regular file (a symbolic link, a directory, a device).
        case notRegularFile

        public var description: String {
            switch self {
            case .liveLog: "live log"
            case .quietPeriod(let seconds): "modified \(seconds)s ago, within the quiet period"
            case .alreadyArchived(let output): "already archived as \(output)"
            case .changedSinceArchived(let output): "changed after it was archived as \(output); kept, not archived again"
            case .notRegularFile: "not a regular file"
            }
        }
    }

    /// A file not taken, and why.
    public struct Skip: Sendable, Equatable {
        /// Relative to the source directory.
        public var relativePath: String
        public var reason: SkipReason
    }

    /// A raw log archived earlier whose window has passed.
    public struct RawDeletion: Sendable {
        public var sourcePath: String
        public var relativePath: String
        public var identity: SourceIdentity
    }

    /// An anonymized file whose window has passed.
    public struct OutputExpiry: Sendable {
        public var outputPath: String
        public var outputRelativePath: String
        public var identity: SourceIdentity
    }

    /// Statistics rows of a class older than a moment.
    public struct RowExpiry: Sendable {
        public var statisticsClass: StatisticsClass
        public var cutoff: Int64
    }

    /// Key epochs to shred.
    public struct KeyShred: Sendable {
        public var keyFile: String
        /// Epochs ending before the epoch containing this moment go.
        public var before: Int64
        public var rotation: KeyRotation
        /// The oldest epoch held now, and the one that will be oldest after.
        public var fromEpoch: Int64
        public var toEpoch: Int64
    }

    public var toArchive: [Candidate] = []
    public var skipped: [Skip] = []
    /// Archived raw logs whose statistics an interrupted run did not ingest.
    public var pendingStatistics: [SourceIdentity] = []
    public var rawDeletions: [RawDeletion] = []
    public var outputExpiries: [OutputExpiry] = []
    public var rowExpiries: [RowExpiry] = []
    public var keyShred: KeyShred?
    /// Things that could not be checked (no source directory, an unreadable key file).
    public var notes: [String] = []

    /// Whether the run has nothing to do (statistics rows aside: the store knows whether any
    /// are old enough).
    public var isEmpty: Bool {
        toArchive.isEmpty && pendingStatistics.isEmpty && rawDeletions.isEmpty && outputExpiries.isEmpty && keyShred == nil
    }
}
