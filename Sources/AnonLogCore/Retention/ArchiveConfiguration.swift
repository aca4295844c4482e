/// Everything an archive or retention run needs to know.
public struct ArchiveConfiguration: Sendable {
    /// The directory of raw logs (`nil` for a retention run that does not look at them).
    public var sourceDirectory: String?
    /// The archive: anonymized files, and the state directory with the manifest and the lock.
    public var archiveDirectory: String
    /// What to take and how long to keep everything.
    public var policy: RetentionPolicy
    /// The key to anonymize with (needed to archive, not for retention alone).
    public var keys: KeyRecord?
    /// The key file whose expired epochs are shredded (`nil`: none is).
    public var keyFile: String?
    /// How to anonymize (the format and gzip level come from the policy).
    public var options = AnonymizationOptions()
    /// Raw logs processed at once; `nil` for one per core.
    public var jobs: Int?
    /// The moment every age is measured from (Unix time).
    public var now: Int64
    /// The test hook that stops the process at a named step.
    public var crashPoints: ArchiveCrashPoints?

    public init(sourceDirectory: String?, archiveDirectory: String, policy: RetentionPolicy, now: Int64) {
        self.sourceDirectory = sourceDirectory
        self.archiveDirectory = archiveDirectory
        self.policy = policy
        self.now = now
    }

    /// The archive's own directory: manifest, lock, staging area.
    public var stateDirectory: String { ArchiveFileSystem.join(archiveDirectory, Self.stateDirectoryName) }

    /// The name of ``stateDirectory`` inside the archive.
    public static let stateDirectoryName = ".anonlog-archive"
}
