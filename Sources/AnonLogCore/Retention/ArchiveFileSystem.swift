#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The file operations the archive job relies on, each durable when it returns: a name added,
/// moved or removed is on disk once the directory holding it has been synced.
enum ArchiveFileSystem {
    /// What `lstat` says about a path.
    struct Status: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        /// Modification time, in nanoseconds since 1970.
        var modifiedNanoseconds: Int64
        var isRegularFile: Bool
        var isDirectory: Bool

        /// Modification time in whole seconds.
        var modified: Int64 { modifiedNanoseconds >= 0 ? modifiedNanoseconds / 1_000_000_000 : (modifiedNanoseconds - 999_999_999) / 1_000_000_000 }
    }

    /// The status of `path` itself (a symbolic link is not followed), or `nil` when nothing has
    /// that name.
    static func status(_ path: String) -> Status? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        let kind = info.st_mode & S_IFMT
        // Nanoseconds in 64 bits end in 2262 (and begin in 1677); a file dated outside is held at
        // the last whole second inside instead of overflowing (one such file once stopped every
        // archive run).
        let bound: Int64 = 9_223_372_035
        let modified = min(max(Int64(info.st_mtim.tv_sec), -bound), bound) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return Status(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size), modifiedNanoseconds: modified,
            isRegularFile: kind == S_IFREG, isDirectory: kind == S_IFDIR)
    }

    /// The absolute path with symbolic links resolved, or `nil` when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether anything has the name `path`.
    static func exists(_ path: String) -> Bool { status(path) != nil }

    /// The names in a directory, without `.` and `..`, sorted.
    static func listDirectory(_ path: String) throws(AnonLogError) -> [String] {
        guard let directory = opendir(path) else {
            throw AnonLogError(errno == ENOENT ? .noInput : .ioError, "cannot read the directory", location: .init(path: path), errno: errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Reads a whole file of at most `maximum` bytes.
    static func readFile(_ path: String, maximum: Int = 256 << 20) throws(AnonLogError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw AnonLogError(errno == ENOENT ? .noInput : .ioError, "cannot open", location: .init(path: path), errno: errno)
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw AnonLogError(.ioError, "cannot read", location: .init(path: path), errno: errno)
            }
            bytes += buffer[..<count]
            if bytes.count > maximum { throw AnonLogError(.dataError, "the file is too large", location: .init(path: path)) }
        }
    }

    /// Replaces `path` with `bytes` atomically and durably: a temporary file beside it is
    /// written and synced, `beforeRename` runs, the temporary file is renamed over `path`, and
    /// the directory is synced. A crash leaves the old file or the new one, never a mixture.
    static func replace(_ path: String, with bytes: [UInt8], mode: mode_t = 0o644, beforeRename: () -> Void = {}) throws(AnonLogError) {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw AnonLogError(.cannotCreateOutput, "cannot create", location: .init(path: temporary), errno: errno)
        }
        var failure: AnonLogError?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = AnonLogError(.ioError, "cannot write", location: .init(path: temporary), errno: errno)
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 {
            failure = AnonLogError(.ioError, "cannot sync", location: .init(path: temporary), errno: errno)
        }
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw failure
        }
        beforeRename()
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw AnonLogError(.ioError, "cannot rename into place", location: .init(path: path), errno: code)
        }
        try syncDirectory(parent(of: path))
    }

    /// Renames `source` to `target` (on one file system) and syncs both directories.
    static func move(_ source: String, to target: String) throws(AnonLogError) {
        guard rename(source, target) == 0 else {
            throw AnonLogError(.ioError, "cannot rename \(source) into place", location: .init(path: target), errno: errno)
        }
        try syncDirectory(parent(of: target))
        if parent(of: source) != parent(of: target) { try syncDirectory(parent(of: source)) }
    }

    /// Removes a file and syncs its directory; a file already gone is not an error.
    static func remove(_ path: String) throws(AnonLogError) {
        if unlink(path) != 0 && errno != ENOENT {
            throw AnonLogError(errno == EACCES || errno == EPERM ? .permission : .ioError, "cannot delete", location: .init(path: path), errno: errno)
        }
        try syncDirectory(parent(of: path))
    }

    /// Creates a directory and its missing ancestors, syncing each parent.
    static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(AnonLogError) {
        if let status = status(path) {
            guard status.isDirectory else {
                throw AnonLogError(.cannotCreateOutput, "not a directory", location: .init(path: path), errno: ENOTDIR)
            }
            return
        }
        let parent = parent(of: path)
        if parent != path { try makeDirectories(parent, mode: mode) }
        if mkdir(path, mode) != 0 && errno != EEXIST {
            throw AnonLogError(.cannotCreateOutput, "cannot create the directory", location: .init(path: path), errno: errno)
        }
        try syncDirectory(parent)
    }

    /// Syncs a directory, so that names added to or removed from it survive a crash.
    static func syncDirectory(_ path: String) throws(AnonLogError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw AnonLogError(.ioError, "cannot open the directory to sync it", location: .init(path: path), errno: errno)
        }
        defer { close(descriptor) }
        if fsync(descriptor) != 0 && errno != EINVAL && errno != EROFS {
            throw AnonLogError(.ioError, "cannot sync the directory", location: .init(path: path), errno: errno)
        }
    }

    /// The directory part of a path (`.` when there is none).
    static func parent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }

    /// The last component of a path.
    static func baseName(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    /// `directory/name`, without doubling a slash.
    static func join(_ directory: String, _ name: String) -> String {
        if name.isEmpty { return directory }
        if directory.isEmpty || directory == "." { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// Whether `pattern` (fnmatch, `*` not crossing `/`) matches `path`.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        fnmatch(pattern, path, FNM_PATHNAME | FNM_PERIOD) == 0
    }
}
