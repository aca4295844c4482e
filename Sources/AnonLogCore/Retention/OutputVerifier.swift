/// Reads an archived file back and checks it holds exactly what was written.
///
/// The file is inflated in full (so zlib checks every gzip member's CRC and length) and its
/// lines, size and CRC-32 are compared with the tally the writer kept of the bytes it handed
/// to the file. This catches a torn or short write, a bad block and a wrong file.
enum OutputVerifier {
    /// The tally of what `path` holds (inflated when it is gzip).
    ///
    /// - Throws: ``AnonLogError`` when the file cannot be read or its gzip data is damaged.
    static func tally(of path: String) throws(AnonLogError) -> ContentTally {
        let input = try OpenedInput.open(path: path)
        var tally = ContentTally()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try input.source.read(into: buffer)
            if count == 0 { return tally }
            tally.add(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// Checks that `path` holds what was written.
    ///
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/ioError`` naming both tallies
    ///   when they differ, or the error that kept the file from being read.
    static func verify(_ path: String, wrote expected: ContentTally.Summary) throws(AnonLogError) {
        let found = try tally(of: path).summary
        guard found == expected else {
            throw AnonLogError(.ioError, "verification failed: wrote \(expected), read back \(found)", location: .init(path: path))
        }
    }
}
