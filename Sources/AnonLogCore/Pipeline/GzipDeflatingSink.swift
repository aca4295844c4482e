internal import CAnonLogZlib

/// Output compressed into one gzip member with zlib, written to another sink.
///
/// The member has the plain header `gzip` writes for a stream (no name, modification time 0),
/// so its bytes depend only on the data and the level. ``flush()`` ends a deflate block on a
/// byte boundary (`Z_SYNC_FLUSH`), so a reader of a growing file can decompress every line
/// written so far; ``finish()`` writes the trailer. Memory is fixed: zlib's state and one
/// output buffer.
public final class GzipDeflatingSink: ByteSink {
    /// The size of the compressed-output buffer.
    public static let outputCapacity = 64 * 1024

    public var name: String { inner.name }
    /// The compression level, 0 (store) to 9 (smallest).
    public let level: Int
    /// The number of uncompressed bytes written so far.
    public private(set) var uncompressedBytesWritten = 0

    private let inner: any ByteSink
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer
    /// Whether data went in since the last flush; an empty sync flush would still add 5 bytes.
    private var hasUnflushedInput = false
    private var isFinished = false

    /// Starts a gzip member written to `inner`.
    ///
    /// - Parameters:
    ///   - inner: Where the compressed bytes go; finished by ``finish()``.
    ///   - level: The zlib compression level, 0 to 9; 6 is `gzip`'s default.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/usage`` for a level outside 0...9,
    ///   ``AnonLogError/Code/ioError`` when zlib cannot get memory.
    public init(wrapping inner: any ByteSink, level: Int = 6) throws(AnonLogError) {
        guard (0...9).contains(level) else {
            throw AnonLogError(.usage, "gzip level must be 0 to 9, not \(level)")
        }
        self.inner = inner
        self.level = level
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(byteCount: Self.outputCapacity, alignment: 16)
        // 16 + MAX_WBITS: gzip wrapper, largest window; memLevel 8 is zlib's default.
        let status = deflateInit2_(
            stream, Int32(level), Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            output.deallocate()
            throw AnonLogError(
                .ioError, "cannot start gzip compression (zlib status \(status))", location: .init(path: inner.name))
        }
        resetOutput()
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
        output.deallocate()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(AnonLogError) {
        precondition(!isFinished, "write after finish")
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        var offset = 0
        while offset < bytes.count {
            let chunk = min(bytes.count - offset, Int(UInt32.max))
            stream.pointee.next_in = UnsafeMutablePointer(mutating: (base + offset).assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = UInt32(chunk)
            while stream.pointee.avail_in > 0 {
                try deflateStep(Z_NO_FLUSH)
                if stream.pointee.avail_out == 0 { try writeOutput() }
            }
            offset += chunk
        }
        uncompressedBytesWritten += bytes.count
        hasUnflushedInput = true
    }

    public func flush() throws(AnonLogError) {
        guard !isFinished else { return }
        if hasUnflushedInput {
            // zlib wants the same flush repeated for as long as it fills the output buffer.
            repeat {
                if stream.pointee.avail_out == 0 { try writeOutput() }
                try deflateStep(Z_SYNC_FLUSH)
            } while stream.pointee.avail_out == 0
            hasUnflushedInput = false
        }
        try writeOutput()
        try inner.flush()
    }

    public func finish() throws(AnonLogError) {
        guard !isFinished else { return }
        while try deflateStep(Z_FINISH) != Z_STREAM_END {
            try writeOutput()
        }
        isFinished = true
        try writeOutput()
        try inner.finish()
    }

    @discardableResult
    private func deflateStep(_ flush: Int32) throws(AnonLogError) -> Int32 {
        let status = deflate(stream, flush)
        // Z_BUF_ERROR only means no progress was possible; the caller's loop makes room.
        guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
            throw AnonLogError(.ioError, "gzip compression failed (zlib status \(status))", location: .init(path: name))
        }
        return status
    }

    private func writeOutput() throws(AnonLogError) {
        let count = Self.outputCapacity - Int(stream.pointee.avail_out)
        guard count > 0 else { return }
        resetOutput()
        try inner.write(UnsafeRawBufferPointer(rebasing: output[..<count]))
    }

    private func resetOutput() {
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(Self.outputCapacity)
    }
}
