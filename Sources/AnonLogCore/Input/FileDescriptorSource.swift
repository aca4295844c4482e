#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The raw bytes of a file, standard input or a pipe, read with `read(2)`.
///
/// No decoding and no buffering of its own: each ``read(into:)`` is one system call into the
/// caller's buffer. ``bytesRead`` counts the bytes as stored, for summaries and error offsets.
public final class FileDescriptorSource: ByteSource {
    public let name: String
    public let isLive: Bool
    /// The number of bytes read from the descriptor so far.
    public private(set) var bytesRead = 0

    private let descriptor: Int32
    private let ownsDescriptor: Bool

    /// Wraps an open descriptor.
    ///
    /// The source is live when `fstat(2)` says the descriptor is not a regular file (a pipe,
    /// terminal, socket or FIFO), or cannot say.
    ///
    /// - Parameters:
    ///   - descriptor: A descriptor open for reading.
    ///   - name: The path, or `-` for standard input.
    ///   - ownsDescriptor: Whether to close the descriptor when the source goes away.
    public init(descriptor: Int32, name: String, ownsDescriptor: Bool) {
        self.descriptor = descriptor
        self.name = name
        self.ownsDescriptor = ownsDescriptor
        var status = stat()
        isLive = fstat(descriptor, &status) != 0 || (status.st_mode & S_IFMT) != S_IFREG
    }

    deinit {
        if ownsDescriptor { _ = close(descriptor) }
    }

    /// Opens a file for reading, or standard input for `-`.
    ///
    /// - Parameter path: The file to read, or `-` for standard input (which is not closed).
    /// - Returns: A source positioned at the start of the file.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/noInput`` when the file does not
    ///   exist, cannot be read or is a directory; ``AnonLogError/Code/ioError`` when the system
    ///   is out of descriptors or memory.
    public static func open(path: String) throws(AnonLogError) -> FileDescriptorSource {
        if path == "-" { return FileDescriptorSource(descriptor: 0, name: "-", ownsDescriptor: false) }
        let descriptor = openForReading(path)
        guard descriptor >= 0 else {
            let code = errno
            let kind: AnonLogError.Code = [EMFILE, ENFILE, ENOMEM, EIO].contains(code) ? .ioError : .noInput
            throw AnonLogError(kind, "cannot open", location: .init(path: path), errno: code)
        }
        var status = stat()
        if fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
            _ = close(descriptor)
            throw AnonLogError(.noInput, "cannot open", location: .init(path: path), errno: EISDIR)
        }
        return FileDescriptorSource(descriptor: descriptor, name: path, ownsDescriptor: true)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(AnonLogError) -> Int {
        precondition(!buffer.isEmpty, "read(into:) needs room for at least one byte")
        while true {
            let count = systemRead(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 {
                bytesRead += count
                return count
            }
            switch errno {
            case EINTR:
                // SIGINT/SIGTERM interrupt a blocked read: end the input so that every complete
                // line read so far is written before the process stops.
                if ShutdownRequest.isRequested { return 0 }
                continue
            case EAGAIN, EWOULDBLOCK:
                // Standard input left non-blocking by whoever started us: wait instead of failing.
                waitUntilReady(descriptor, for: Int16(POLLIN))
            case let code:
                throw AnonLogError(
                    .ioError, "cannot read", location: .init(path: name, byteOffset: bytesRead), errno: code)
            }
        }
    }
}

// File-scope wrappers, because inside the classes `read`, `write` and `open` name their methods.

private func openForReading(_ path: String) -> Int32 {
    while true {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 || errno != EINTR { return descriptor }
    }
}

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

/// Blocks until `descriptor` is ready for `events` (or reports an error, which the next call sees).
func waitUntilReady(_ descriptor: Int32, for events: Int16) {
    var request = pollfd(fd: descriptor, events: events, revents: 0)
    _ = poll(&request, 1, -1)
}
