/// What identifies a raw log file across runs: its device, inode, size and modification time.
///
/// logrotate renames files (`access.log.1.gz` becomes `access.log.2.gz`) without changing any of
/// these, so a renamed file is still recognised as archived; a file written to after it was
/// archived has a new size or time and is not. Nothing of the file's contents goes into it.
public struct SourceIdentity: Hashable, Sendable, CustomStringConvertible {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    /// Modification time, nanoseconds since 1970.
    public var modifiedNanoseconds: Int64

    public init(device: UInt64, inode: UInt64, size: Int64, modifiedNanoseconds: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
    }

    init(_ status: ArchiveFileSystem.Status) {
        self.init(device: status.device, inode: status.inode, size: status.size, modifiedNanoseconds: status.modifiedNanoseconds)
    }

    /// Reads the form ``description`` writes.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, let device = UInt64(parts[0]), let inode = UInt64(parts[1]),
            let size = Int64(parts[2]), let modified = Int64(parts[3])
        else { return nil }
        self.init(device: device, inode: inode, size: size, modifiedNanoseconds: modified)
    }

    /// `device:inode:size:mtime-ns`.
    public var description: String { "\(device):\(inode):\(size):\(modifiedNanoseconds)" }

    /// The modification time in whole seconds.
    public var modified: Int64 {
        modifiedNanoseconds >= 0 ? modifiedNanoseconds / 1_000_000_000 : (modifiedNanoseconds - 999_999_999) / 1_000_000_000
    }

    /// Whether `other` is the same file (device and inode), whatever its size and time.
    func isSameFile(as other: SourceIdentity) -> Bool { device == other.device && inode == other.inode }
}
