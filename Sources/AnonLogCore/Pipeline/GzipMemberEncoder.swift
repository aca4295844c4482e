internal import CAnonLogZlib

/// Compresses one buffer into one complete gzip member.
///
/// Workers compress their chunks independently and the writer concatenates the members: a
/// concatenation of gzip members is a valid gzip file (RFC 1952), so compression spreads over
/// every core. One encoder per worker; its zlib state is reset, not rebuilt, per chunk.
final class GzipMemberEncoder {
    private var stream = z_stream()
    let level: Int

    /// - Parameter level: The zlib level, 0 to 9.
    init(level: Int) throws(AnonLogError) {
        self.level = level
        let status = deflateInit2_(
            &stream, Int32(level), Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw AnonLogError(.ioError, "cannot start gzip compression (zlib status \(status))")
        }
    }

    deinit { deflateEnd(&stream) }

    /// Appends a gzip member holding `input` to `output`.
    func encode(_ input: UnsafeRawBufferPointer, into output: OutputBuffer) {
        deflateReset(&stream)
        let bound = Int(deflateBound(&stream, UInt(input.count))) + 32
        output.appendWithin(bound) { space in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = UInt32(input.count)
            stream.next_out = space.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = UInt32(space.count)
            let status = deflate(&stream, Z_FINISH)
            // deflateBound guarantees room for the whole member in one call.
            precondition(status == Z_STREAM_END, "gzip member did not fit its bound (zlib status \(status))")
            return space.count - Int(stream.avail_out)
        }
    }
}
