#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Keeps two runs (archive or retention) from working on one archive at the same time.
///
/// The lock is `flock(2)` on a file in the archive's state directory, which the kernel releases
/// when the holder dies, however it dies (SIGKILL included): a dead run can never block the next
/// one. The holder writes its process id into the file; a run that finds the file naming a
/// process that has ended (checked with `kill(pid, 0)`) reports it took over a stale lock. A
/// clean exit empties the file.
final class ArchiveLock {
    /// The lock file.
    let path: String
    /// The process named in a lock left behind by a run that did not end cleanly.
    let takenOverFrom: Int32?
    private var descriptor: Int32

    private init(path: String, descriptor: Int32, takenOverFrom: Int32?) {
        self.path = path
        self.descriptor = descriptor
        self.takenOverFrom = takenOverFrom
    }

    deinit { release() }

    /// Takes the lock, or fails at once when another live run holds it.
    ///
    /// - Parameter path: The lock file (created if missing).
    /// - Returns: The held lock.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/busy`` naming the holder when
    ///   another process holds the lock; ``AnonLogError/Code/cannotCreateOutput`` when the file
    ///   cannot be created.
    static func acquire(at path: String) throws(AnonLogError) -> ArchiveLock {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw AnonLogError(.cannotCreateOutput, "cannot create the lock file", location: .init(path: path), errno: errno)
        }
        let previous = holder(descriptor)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let code = errno
            close(descriptor)
            guard code == EWOULDBLOCK else {
                throw AnonLogError(.ioError, "cannot lock", location: .init(path: path), errno: code)
            }
            let who = previous.map { "process \($0)" } ?? "another process"
            throw AnonLogError(.busy, "another run (\(who)) is working on this archive", location: .init(path: path))
        }
        // The flock is ours, so whoever the file names no longer holds it: it died, or its pid
        // was reused. Either way its lock is stale.
        var stale: Int32?
        if let previous, previous != getpid() {
            stale = previous
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        _ = fsync(descriptor)
        return ArchiveLock(path: path, descriptor: descriptor, takenOverFrom: stale)
    }

    /// Whether a process with this id is running (or exists under another user).
    static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// The process a lock file names, if it names one.
    static func holder(at path: String) -> Int32? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return holder(descriptor)
    }

    private static func holder(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<count], as: UTF8.self).split(separator: "\n").first ?? ""
        return Int32(text).flatMap { $0 > 0 ? $0 : nil }
    }

    /// Empties the lock file and releases the lock. Calling it again does nothing.
    func release() {
        guard descriptor >= 0 else { return }
        _ = ftruncate(descriptor, 0)
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }
}
