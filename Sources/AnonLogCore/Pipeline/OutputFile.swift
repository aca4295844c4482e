#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// An output file that either appears complete and durable, or not at all.
///
/// ``create(path:)`` writes to a temporary file next to the target
/// (`.<name>.anonlog-<pid>-<random>.tmp`); ``commit()`` syncs it, renames it over the target and
/// syncs the directory, so that a crash or kill at any moment leaves either the old target or
/// the complete new one. ``abandon()`` removes the temporary file and leaves the target alone.
/// ``append(path:)`` is for a log that grows (the piped-log case): bytes go to the end of the
/// file as they are flushed, and ``commit()`` only syncs.
///
/// A target that exists and is not a regular file (`/dev/null`, a named pipe, a terminal) is
/// written directly: renaming over it would replace the device or pipe with a plain file (as
/// root, `-o /dev/null` would have destroyed `/dev/null`).
///
/// An output file that goes away neither committed nor abandoned is abandoned.
public final class OutputFile {
    /// The target path.
    public let path: String
    /// Where to write; its name is the target path. Wrap it in a ``GzipDeflatingSink`` (or write gzip members) for
    /// compressed output. After ``commit()`` or ``abandon()`` its writes fail.
    public let sink: FileDescriptorSink
    /// The temporary file renamed over the target on commit; `nil` when appending or writing to
    /// a device or pipe.
    public let temporaryPath: String?

    private var isOpen = true

    private init(path: String, descriptor: Int32, temporaryPath: String?) {
        self.path = path
        self.temporaryPath = temporaryPath
        sink = FileDescriptorSink(descriptor: descriptor, name: path, ownsDescriptor: false)
    }

    deinit {
        if isOpen { abandon() }
    }

    /// Starts writing a new version of `path` in a temporary file beside it, or, when `path`
    /// is a device, a named pipe or a socket, starts writing to it directly.
    ///
    /// - Parameter path: The file to create or replace on ``commit()``.
    /// - Returns: An output file whose ``sink`` writes to the temporary file (or to `path`).
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/cannotCreateOutput`` when the
    ///   directory does not exist or cannot be written, or `path` is a directory.
    public static func create(path: String) throws(AnonLogError) -> OutputFile {
        var status = stat()
        if stat(path, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                throw AnonLogError(.cannotCreateOutput, "cannot create", location: .init(path: path), errno: EISDIR)
            case S_IFREG:
                break
            default:
                let descriptor = openFile(path, O_WRONLY | O_CLOEXEC)
                guard descriptor >= 0 else {
                    throw AnonLogError(.cannotCreateOutput, "cannot open for writing", location: .init(path: path), errno: errno)
                }
                return OutputFile(path: path, descriptor: descriptor, temporaryPath: nil)
            }
        }
        let (directory, base) = split(path)
        guard !base.isEmpty else {
            let code = path.isEmpty ? ENOENT : EISDIR
            throw AnonLogError(.cannotCreateOutput, "cannot create", location: .init(path: path), errno: code)
        }
        var attempts = 0
        while true {
            let random = UInt64.random(in: .min ... .max)
            let temporary = directory + "/." + base + ".anonlog-\(getpid())-" + String(random, radix: 16) + ".tmp"
            let descriptor = openFile(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC)
            if descriptor >= 0 {
                return OutputFile(path: path, descriptor: descriptor, temporaryPath: temporary)
            }
            let code = errno
            attempts += 1
            // Another writer's temporary file with the same name is all but impossible; retry a little.
            if code == EEXIST && attempts < 8 { continue }
            throw AnonLogError(.cannotCreateOutput, "cannot create", location: .init(path: path), errno: code)
        }
    }

    /// Opens `path` for appending, creating it if needed.
    ///
    /// - Parameter path: The file to append to.
    /// - Returns: An output file whose ``sink`` appends to `path`.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/cannotCreateOutput`` when the file
    ///   cannot be opened or created.
    public static func append(path: String) throws(AnonLogError) -> OutputFile {
        let descriptor = openFile(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw AnonLogError(
                .cannotCreateOutput, "cannot open for appending", location: .init(path: path), errno: errno)
        }
        return OutputFile(path: path, descriptor: descriptor, temporaryPath: nil)
    }

    /// Flushes the sink and makes the output durable: syncs and closes the file and, for a
    /// created file, renames it over the target and syncs the directory.
    ///
    /// Finish any encoder wrapped around ``sink`` first. On failure the temporary file is
    /// removed and the target is left as it was (unless only the directory sync failed, after
    /// the rename).
    ///
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/ioError`` (or that of the final
    ///   write) when the data cannot be written, synced or renamed into place.
    public func commit() throws(AnonLogError) {
        precondition(isOpen, "commit after commit or abandon")
        do {
            try sink.flush()
            try check(syncDescriptor(sink.descriptor), "cannot sync")
        } catch {
            abandon()
            throw error
        }
        isOpen = false
        let closed = sink.closeDescriptor()
        guard let temporaryPath else {
            try check(closed, "cannot close")
            return
        }
        do {
            try check(closed, "cannot close")
            try check(rename(temporaryPath, path), "cannot rename the temporary file into place")
        } catch {
            _ = unlink(temporaryPath)
            throw error
        }
        try syncDirectory(of: path)
    }

    /// Writes `text` as the whole of `path`: a regular file is replaced only once the text is
    /// durable, a device or pipe is written directly (never replaced, as an atomic
    /// `Data.write` would replace `/dev/full` when run as root). For small reports.
    ///
    /// - Throws: ``AnonLogError`` as ``create(path:)`` and ``commit()`` do.
    public static func write(_ text: String, to path: String) throws(AnonLogError) {
        let file = try create(path: path)
        var failure: AnonLogError?
        Array(text.utf8).withUnsafeBytes { buffer in
            do throws(AnonLogError) { try file.sink.write(buffer) } catch { failure = error }
        }
        if let failure {
            file.abandon()
            throw failure
        }
        try file.commit()
    }

    /// Closes and removes the temporary file, leaving the target untouched; when appending,
    /// just closes (what was flushed stays). Calling it more than once is harmless.
    public func abandon() {
        guard isOpen else { return }
        isOpen = false
        _ = sink.closeDescriptor()
        if let temporaryPath { _ = unlink(temporaryPath) }
    }

    private func check(_ result: Int32, _ message: String) throws(AnonLogError) {
        if result != 0 { throw AnonLogError(.ioError, message, location: .init(path: path), errno: errno) }
    }

    /// Makes the rename durable: a directory entry is only on disk once the directory is synced.
    private func syncDirectory(of path: String) throws(AnonLogError) {
        let directory = Self.split(path).directory
        let descriptor = openFile(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw AnonLogError(
                .ioError, "cannot open the directory to sync it", location: .init(path: directory), errno: errno)
        }
        defer { _ = close(descriptor) }
        if syncDescriptor(descriptor) != 0 {
            throw AnonLogError(.ioError, "cannot sync the directory", location: .init(path: directory), errno: errno)
        }
    }

    /// The directory part (`.` when there is none) and the last component of a path.
    static func split(_ path: String) -> (directory: String, base: String) {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}

private func openFile(_ path: String, _ flags: Int32) -> Int32 {
    while true {
        let descriptor = open(path, flags, 0o666)
        if descriptor >= 0 || errno != EINTR { return descriptor }
    }
}

/// `fsync(2)`, treating "this kind of file cannot be synced" (a pipe, `/dev/null`) as done.
private func syncDescriptor(_ descriptor: Int32) -> Int32 {
    let result = fsync(descriptor)
    return result != 0 && (errno == EINVAL || errno == EROFS) ? 0 : result
}
