internal import CAnonLogDeflate

/// libdeflate's whole-buffer gzip compressor: a chunk is already whole in memory, so the
/// streaming machinery of zlib buys nothing, and libdeflate's matchers are both faster and
/// denser than zlib's at the same level.
final class LibdeflateGzipMemberEncoder: GzipMemberEncoding {
    private let compressor: OpaquePointer
    let level: Int

    /// - Parameter level: libdeflate's level, 1 to 12.
    init(level: Int) throws(AnonLogError) {
        guard let compressor = libdeflate_alloc_compressor(Int32(level)) else {
            throw AnonLogError(.ioError, "cannot start gzip compression at level \(level) (libdeflate)")
        }
        self.compressor = compressor
        self.level = level
    }

    deinit { libdeflate_free_compressor(compressor) }

    func encode(_ input: UnsafeRawBufferPointer, member: Int, into output: OutputBuffer) {
        let bound = libdeflate_gzip_compress_bound(compressor, input.count)
        output.appendWithin(bound) { space in
            let written = libdeflate_gzip_compress(compressor, input.baseAddress, input.count, space.baseAddress, space.count)
            // The bound guarantees room for any input.
            precondition(written > 0, "gzip member did not fit its bound (libdeflate)")
            return written
        }
    }
}
