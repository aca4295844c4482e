internal import CAnonLogCrypto

/// Random bytes from OpenSSL's cryptographically secure generator, for keys and nonces.
public enum SecureRandom {
    /// Fills a buffer with cryptographically secure random bytes.
    ///
    /// The bytes come from `RAND_bytes`, which OpenSSL seeds from the operating system.
    ///
    /// - Parameter buffer: The bytes to overwrite; may be empty.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/ioError`` when the generator
    ///   cannot deliver, for example because it could not be seeded.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(AnonLogError) {
        guard var start = buffer.baseAddress else { return }
        var remaining = buffer.count
        // RAND_bytes takes an `int` count, so very large buffers are filled in pieces.
        while remaining > 0 {
            let piece = min(remaining, Int(Int32.max))
            guard RAND_bytes(start.assumingMemoryBound(to: UInt8.self), Int32(piece)) == 1 else {
                throw AnonLogError(.ioError, "cannot get random bytes: \(OpenSSLErrorText.drain())")
            }
            start += piece
            remaining -= piece
        }
    }

    /// Returns cryptographically secure random bytes.
    ///
    /// - Parameter count: How many bytes to return.
    /// - Returns: `count` random bytes.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/ioError`` when the generator
    ///   cannot deliver.
    public static func bytes(count: Int) throws(AnonLogError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        try bytes.withUnsafeMutableBytes { buffer in Result { () throws(AnonLogError) in try fill(buffer) } }.get()
        return bytes
    }
}
