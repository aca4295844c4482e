/// An input file or standard input, opened and decoded according to its first bytes.
///
/// The format is recognised by magic bytes, never by name: a file that starts with `1f 8b` is
/// inflated as gzip, anything else (an empty file, a one-byte file, `x.gz` holding plain text)
/// is read as it is. Sniffing works on pipes too; the sniffed bytes are replayed.
public struct OpenedInput {
    /// The bytes to process: the decompressed stream, or the plain file.
    public let source: any ByteSource
    /// The underlying file, whose ``FileDescriptorSource/bytesRead`` counts the bytes as stored.
    public let file: FileDescriptorSource
    /// The inflater when the input is gzip, for its member and compressed-byte counts.
    public let gzip: GzipInflatingSource?

    /// Opens `path` (or standard input for `-`) and recognises its format.
    ///
    /// - Parameter path: The file to read, or `-` for standard input.
    /// - Returns: The input, ready to be read from ``source``.
    /// - Throws: ``AnonLogError`` from ``FileDescriptorSource/open(path:)``, or an
    ///   ``AnonLogError/Code/ioError`` when the first bytes cannot be read.
    public static func open(path: String) throws(AnonLogError) -> OpenedInput {
        try OpenedInput(detecting: FileDescriptorSource.open(path: path))
    }

    /// Recognises the format of an already open file from its first bytes.
    ///
    /// Reads one byte, and a second only when the first is `1f`, so that a live source never
    /// waits for more than the gzip magic needs.
    ///
    /// - Parameter file: A source positioned at its first byte.
    /// - Throws: ``AnonLogError`` when the first bytes cannot be read.
    public init(detecting file: FileDescriptorSource) throws(AnonLogError) {
        self.file = file
        let magic = UnsafeMutableRawBufferPointer.allocate(byteCount: 2, alignment: 1)
        defer { magic.deallocate() }
        var count = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: magic[0..<1]))
        if count == 1 && magic[0] == 0x1f {
            count += try file.read(into: UnsafeMutableRawBufferPointer(rebasing: magic[1..<2]))
        }
        let prefix = Array(magic[..<count])
        let replay: any ByteSource = prefix.isEmpty ? file : PrefixedSource(prefix: prefix, wrapping: file)
        if prefix == [0x1f, 0x8b] {
            // ISA-L for stored files; zlib for a live stream, because ISA-L may keep the last
            // bytes of a sync-flushed stream until more input arrives, and a live line must not wait.
            let gzip = try GzipInflatingSource(wrapping: replay, implementation: replay.isLive ? .zlib : .preferred)
            self.gzip = gzip
            source = gzip
        } else {
            gzip = nil
            source = replay
        }
    }
}
