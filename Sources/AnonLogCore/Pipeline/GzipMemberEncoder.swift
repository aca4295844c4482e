internal import CAnonLogISAL
internal import CAnonLogZlib

/// Compresses one buffer into one complete gzip member.
///
/// Workers compress their chunks independently and the writer concatenates the members: a
/// concatenation of gzip members is a valid gzip file (RFC 1952), so compression spreads over
/// every core. One encoder per worker, made by ``make(level:)``.
protocol GzipMemberEncoding: AnyObject {
    /// Appends a gzip member holding `input` to `output`.
    func encode(_ input: UnsafeRawBufferPointer, into output: OutputBuffer)
}

/// How anonlog's gzip levels map onto the encoders: 1 to 3 are ISA-L's levels 1 to 3 (several
/// times faster than zlib at a slightly larger size), 4 to 9 are zlib's.
enum GzipMemberEncoders {
    /// The encoder for `level` (1 to 9).
    static func make(level: Int) throws(AnonLogError) -> any GzipMemberEncoding {
        if (1...3).contains(level) { return IsalGzipMemberEncoder(level: level) }
        return try GzipMemberEncoder(level: level)
    }
}

/// zlib's `deflate`; its state is reset, not rebuilt, per chunk.
final class GzipMemberEncoder: GzipMemberEncoding {
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

/// ISA-L's `isal_deflate` at levels 1 to 3.
final class IsalGzipMemberEncoder: GzipMemberEncoding {
    private let stream: UnsafeMutablePointer<isal_zstream>
    private let levelBuffer: UnsafeMutableRawBufferPointer
    let level: Int

    init(level: Int) {
        self.level = level
        stream = .allocate(capacity: 1)
        stream.initialize(to: isal_zstream())
        // ISAL_DEF_LVL3_DEFAULT is 348,160 bytes: the largest of the levels' defaults.
        levelBuffer = .allocate(byteCount: 348_160, alignment: 64)
    }

    deinit {
        stream.deallocate()
        levelBuffer.deallocate()
    }

    func encode(_ input: UnsafeRawBufferPointer, into output: OutputBuffer) {
        isal_deflate_init(stream)
        stream.pointee.level = UInt32(level)
        stream.pointee.level_buf = levelBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.pointee.level_buf_size = UInt32(levelBuffer.count)
        stream.pointee.gzip_flag = UInt16(IGZIP_GZIP)
        stream.pointee.end_of_stream = 1
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = UInt32(input.count)
        // Stored blocks bound the worst case: 5 bytes per 64 KiB block, plus header and trailer.
        var room = input.count + input.count / 8 + 1024
        while true {
            var finished = false
            output.appendWithin(room) { space in
                stream.pointee.next_out = space.baseAddress!.assumingMemoryBound(to: UInt8.self)
                stream.pointee.avail_out = UInt32(space.count)
                let status = isal_deflate(stream)
                precondition(status == COMP_OK, "isa-l deflate failed (status \(status))")
                finished = stream.pointee.internal_state.state == ZSTATE_END
                return space.count - Int(stream.pointee.avail_out)
            }
            if finished { return }
            room *= 2
        }
    }
}
