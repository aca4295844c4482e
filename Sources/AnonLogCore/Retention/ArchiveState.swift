/// An archive opened for a run: its lock held, its staging area emptied, its manifest loaded
/// and changed only through ``change(_:)``, which makes each change durable before it counts.
///
/// Layout, inside the archive directory:
///
/// ```
/// .anonlog-archive/lock          flock(2) + the holder's pid
/// .anonlog-archive/manifest      ArchiveManifest
/// .anonlog-archive/staging/      outputs being written and verified
/// ```
///
/// Outputs are written under the staging directory and renamed into place from there (one file
/// system), so no partial file ever appears among the archived ones. Whatever a killed run
/// left in the staging directory is incomplete or unrecorded by definition, and is removed
/// when the next run opens the archive.
final class ArchiveState: @unchecked Sendable {
    let configuration: ArchiveConfiguration
    let lock: ArchiveLock
    private let mutex = ConditionLock()
    private var current: ArchiveManifest

    // @unchecked Sendable: `current` is only touched with `mutex` held.

    static func manifestPath(_ configuration: ArchiveConfiguration) -> String {
        ArchiveFileSystem.join(configuration.stateDirectory, "manifest")
    }

    static func stagingDirectory(_ configuration: ArchiveConfiguration) -> String {
        ArchiveFileSystem.join(configuration.stateDirectory, "staging")
    }

    static func lockPath(_ configuration: ArchiveConfiguration) -> String {
        ArchiveFileSystem.join(configuration.stateDirectory, "lock")
    }

    /// Creates the archive's directories if needed, takes the lock, clears the staging area and
    /// loads the manifest.
    ///
    /// - Throws: ``AnonLogError``: ``AnonLogError/Code/busy`` when another run holds the lock,
    ///   ``AnonLogError/Code/cannotCreateOutput`` when the directories cannot be made,
    ///   ``AnonLogError/Code/dataError`` for a damaged manifest.
    init(opening configuration: ArchiveConfiguration) throws(AnonLogError) {
        self.configuration = configuration
        try ArchiveFileSystem.makeDirectories(configuration.stateDirectory)
        lock = try ArchiveLock.acquire(at: Self.lockPath(configuration))
        let staging = Self.stagingDirectory(configuration)
        try ArchiveFileSystem.makeDirectories(staging)
        for name in try ArchiveFileSystem.listDirectory(staging) {
            try ArchiveFileSystem.remove(ArchiveFileSystem.join(staging, name))
        }
        let manifestPath = Self.manifestPath(configuration)
        if ArchiveFileSystem.exists(manifestPath + ".tmp") { try ArchiveFileSystem.remove(manifestPath + ".tmp") }
        current = try ArchiveManifest.load(from: manifestPath)
    }

    /// The manifest as it is on disk now.
    var manifest: ArchiveManifest { mutex.withLock { current } }

    /// Changes the manifest and makes the change durable; on failure nothing changes.
    func change(_ body: (inout ArchiveManifest) -> Void) throws(AnonLogError) {
        mutex.lock()
        defer { mutex.unlock() }
        var next = current
        body(&next)
        try next.save(to: Self.manifestPath(configuration)) { configuration.crashPoints?.reach(.manifestWritten) }
        current = next
    }

    /// Releases the lock.
    func close() { lock.release() }
}
