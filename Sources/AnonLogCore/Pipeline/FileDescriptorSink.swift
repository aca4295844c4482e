#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Buffered output to standard output, a file or a pipe, written with `write(2)`.
///
/// Small writes are gathered in a fixed buffer; writes at least as large as the buffer go
/// straight to the descriptor. Nothing reaches the descriptor until the buffer fills or
/// ``flush()`` is called, and nothing is flushed on deinit: a caller that stops early has
/// decided not to keep the output. The process is expected to ignore `SIGPIPE`, so that a
/// closed pipe shows up as `EPIPE` here.
public final class FileDescriptorSink: ByteSink {
    /// The default size of the write buffer.
    public static let defaultBufferCapacity = 256 * 1024

    public let name: String
    /// The size of the write buffer; memory use does not grow beyond it.
    public let bufferCapacity: Int
    /// The number of bytes handed to the descriptor so far.
    public private(set) var bytesWritten = 0

    /// The descriptor written to; -1 once closed, so that a late write fails instead of
    /// landing in whatever file reuses the number.
    private(set) var descriptor: Int32
    private let ownsDescriptor: Bool
    private let buffer: UnsafeMutableRawBufferPointer
    private var buffered = 0

    /// Wraps a descriptor open for writing.
    ///
    /// - Parameters:
    ///   - descriptor: A descriptor open for writing.
    ///   - name: The path, or `-` for standard output.
    ///   - ownsDescriptor: Whether to close the descriptor when the sink goes away.
    ///   - bufferCapacity: The size of the write buffer, at least one byte.
    public init(descriptor: Int32, name: String, ownsDescriptor: Bool, bufferCapacity: Int = defaultBufferCapacity) {
        precondition(bufferCapacity > 0, "a sink needs a buffer")
        self.descriptor = descriptor
        self.name = name
        self.ownsDescriptor = ownsDescriptor
        self.bufferCapacity = bufferCapacity
        buffer = .allocate(byteCount: bufferCapacity, alignment: 16)
    }

    /// A sink for standard output, named `-`, that leaves the descriptor open.
    public static func standardOutput() -> FileDescriptorSink {
        FileDescriptorSink(descriptor: 1, name: "-", ownsDescriptor: false)
    }

    deinit {
        buffer.deallocate()
        if ownsDescriptor && descriptor >= 0 { _ = close(descriptor) }
    }

    /// Closes the descriptor without flushing (for the owner of a descriptor it does not own).
    ///
    /// - Returns: The result of `close(2)`; `errno` holds the reason when it is -1.
    func closeDescriptor() -> Int32 {
        let result = close(descriptor)
        descriptor = -1
        return result
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(AnonLogError) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if bytes.count <= bufferCapacity - buffered {
            (buffer.baseAddress! + buffered).copyMemory(from: source, byteCount: bytes.count)
            buffered += bytes.count
            return
        }
        try flush()
        if bytes.count >= bufferCapacity {
            try writeAll(bytes)
        } else {
            buffer.baseAddress!.copyMemory(from: source, byteCount: bytes.count)
            buffered = bytes.count
        }
    }

    public func flush() throws(AnonLogError) {
        guard buffered > 0 else { return }
        let pending = UnsafeRawBufferPointer(rebasing: buffer[..<buffered])
        // After a failure the buffered bytes are dropped: part of them may have been written.
        buffered = 0
        try writeAll(pending)
    }

    /// Flushes; the descriptor stays open. Calling it more than once is harmless.
    public func finish() throws(AnonLogError) {
        try flush()
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(AnonLogError) {
        var offset = 0
        while offset < bytes.count {
            let count = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if count > 0 {
                offset += count
                bytesWritten += count
                continue
            }
            let code = count < 0 ? errno : EIO
            switch code {
            case EINTR:
                continue
            case EAGAIN, EWOULDBLOCK:
                // Standard output left non-blocking by whoever started us: wait instead of failing.
                waitUntilReady(descriptor, for: Int16(POLLOUT))
            case EPIPE:
                throw AnonLogError(
                    .outputClosed, "the reader of the output has gone", location: .init(path: name), errno: code)
            default:
                throw AnonLogError(.ioError, "cannot write", location: .init(path: name), errno: code)
            }
        }
    }
}

/// `write(2)`, callable from inside a type whose method is named `write`.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
