internal import CAnonLogCrypto

/// AES-128 on whole 16-byte blocks (ECB), keyed once, through OpenSSL's EVP interface.
///
/// EVP reaches the AES-NI code; the low-level `AES_encrypt` does not (it is a table
/// implementation, four times slower per block here and not constant-time). The prefix-preserving
/// modes know every block of an address before they encrypt any, so they hand all of them to one
/// call, which pipelines at about a nanosecond per block.
///
/// The context is one heap object that a call uses as scratch, so an instance belongs to one
/// thread: the type is deliberately not `Sendable`, and each worker keys its own from the key.
final class AESBlockCipher {
    /// Which way the cipher runs.
    enum Direction {
        case encrypt
        case decrypt
    }

    /// The length of a key and of a block, in bytes.
    static let keyByteCount = 16
    static let blockByteCount = 16

    private let context: OpaquePointer

    /// Expands a key.
    ///
    /// - Parameters:
    ///   - key: Exactly 16 bytes; they are copied into the key schedule only.
    ///   - direction: Whether blocks are encrypted or decrypted.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/configuration`` when OpenSSL offers
    ///   no AES-128.
    init(key: some Collection<UInt8>, direction: Direction = .encrypt) throws(AnonLogError) {
        precondition(key.count == Self.keyByteCount, "an AES-128 key has 16 bytes")
        guard let context = EVP_CIPHER_CTX_new() else {
            throw AnonLogError(.configuration, "cannot make an aes context: \(OpenSSLErrorText.drain())")
        }
        var keyBlock = (UInt64(0), UInt64(0))
        let keyed = withUnsafeMutableBytes(of: &keyBlock) { buffer in
            defer { OPENSSL_cleanse(buffer.baseAddress, buffer.count) }
            for (index, byte) in key.enumerated() { buffer[index] = byte }
            return EVP_CipherInit_ex(
                context, EVP_aes_128_ecb(), nil, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), nil,
                direction == .encrypt ? 1 : 0) == 1
        }
        guard keyed, EVP_CIPHER_CTX_set_padding(context, 0) == 1 else {
            EVP_CIPHER_CTX_free(context)
            throw AnonLogError(.configuration, "openssl offers no aes-128: \(OpenSSLErrorText.drain())")
        }
        self.context = context
    }

    // The key schedule is cleansed by OpenSSL when the context is freed.
    deinit { EVP_CIPHER_CTX_free(context) }

    /// Runs the cipher over `blockCount` consecutive blocks.
    ///
    /// - Parameters:
    ///   - input: `16 * blockCount` bytes.
    ///   - output: Room for `16 * blockCount` bytes; may be `input` itself.
    ///   - blockCount: How many blocks; zero does nothing.
    @inline(__always)
    func process(_ input: UnsafeRawPointer, into output: UnsafeMutableRawPointer, blockCount: Int) {
        guard blockCount > 0 else { return }
        var written: Int32 = 0
        let result = EVP_CipherUpdate(
            context,
            output.assumingMemoryBound(to: UInt8.self),
            &written,
            input.assumingMemoryBound(to: UInt8.self),
            Int32(blockCount * Self.blockByteCount)
        )
        // With whole blocks and no padding ECB cannot fail or hold bytes back.
        precondition(result == 1 && Int(written) == blockCount * Self.blockByteCount, "aes-128-ecb failed")
    }

    /// Runs the cipher over one block held as a 128-bit big-endian number.
    @inline(__always)
    func process(_ block: UInt128) -> UInt128 {
        var bytes = block.bigEndian
        withUnsafeMutableBytes(of: &bytes) { buffer in
            process(buffer.baseAddress!, into: buffer.baseAddress!, blockCount: 1)
        }
        return UInt128(bigEndian: bytes)
    }
}
