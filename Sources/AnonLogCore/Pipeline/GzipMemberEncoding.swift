/// Compresses one buffer into one complete gzip member.
///
/// Workers compress their chunks independently and the writer concatenates the members: a
/// concatenation of gzip members is a valid gzip file (RFC 1952), so compression spreads over
/// every core. One encoder per worker, made by ``GzipMemberEncoders/make(level:)``.
@_spi(Benchmarks)
public protocol GzipMemberEncoding: AnyObject {
    /// Appends a gzip member holding `input` to `output`.
    ///
    /// - Parameter member: The member's position in the output, counted from 0. An encoder may
    ///   choose its method by position; the output's bytes then depend on the input alone, not
    ///   on which worker compressed which chunk.
    func encode(_ input: UnsafeRawBufferPointer, member: Int, into output: OutputBuffer)
}

/// How anonlog's gzip levels map onto the encoders, chosen by measurement on the benchmark
/// corpus (Benchmarks/README.md, "gzip output"):
///
/// - 1 and 2: ISA-L's levels 1 and 2, the fastest (about 1.4 GB/s a core), +22% and +21% against
///   `gzip -6`.
/// - 3, the default: ISA-L level 2 with every eighth member at libdeflate level 5 (+18%, about
///   1 GB/s a core). ISA-L's own level 3 is as large and half as fast, so it is not used. Of the
///   blends measured (libdeflate 1, 4, 5 or 6, one member in 3 to 12) this one costs the least
///   time for its size.
/// - 4 to 9: libdeflate's levels 4 to 9, 7–8% smaller than zlib's same level and faster (twice
///   as fast at 6, 1.15 times at 9).
@_spi(Benchmarks)
public enum GzipMemberEncoders {
    /// In the default blend, one member in this many is compressed by libdeflate …
    static let blendPeriod = 8
    /// … at this level.
    static let blendDenseLevel = 5

    /// The encoder for `level` (1 to 9).
    public static func make(level: Int) throws(AnonLogError) -> any GzipMemberEncoding {
        switch level {
        case 1, 2:
            return IsalGzipMemberEncoder(level: level)
        case 3:
            return BlendedGzipMemberEncoder(
                fast: IsalGzipMemberEncoder(level: 2), dense: try LibdeflateGzipMemberEncoder(level: blendDenseLevel), period: blendPeriod)
        case 4...9:
            return try LibdeflateGzipMemberEncoder(level: level)
        default:
            throw AnonLogError(.usage, "gzip level \(level) is not 1 to 9")
        }
    }
}
