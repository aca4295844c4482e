internal import CAnonLogCrypto

/// HMAC-SHA256 (RFC 2104) keyed once and computed many times without allocating.
///
/// Keying absorbs the padded key into two SHA-256 states, the inner (`key ⊕ ipad`) and the
/// outer (`key ⊕ opad`); each MAC then copies both states by value and hashes only the message
/// and the inner digest. For 16-byte addresses that skips two of the four compression-function
/// calls and every allocation that the one-shot `HMAC()` or an `EVP_MAC_CTX` would make.
///
/// The value holds no references: each worker thread keeps its own copy. The precomputed
/// states are as secret as the key (they let anyone compute the MAC), so a copy must not be
/// written anywhere the key could not be.
public struct HMACSHA256: Sendable {
    /// The length of a MAC, in bytes.
    public static let byteCount = 32
    /// SHA-256's block length: keys longer than this are hashed first.
    static let blockByteCount = 64

    private var inner = SHA256_CTX()
    private var outer = SHA256_CTX()

    /// Precomputes the keyed states for a key.
    ///
    /// A key longer than 64 bytes is replaced by its SHA-256 digest, as RFC 2104 asks. The
    /// padded key blocks are overwritten before this returns.
    ///
    /// - Parameter key: The key bytes; any length, including empty.
    public init(key: some Collection<UInt8>) {
        withUnsafeTemporaryAllocation(byteCount: Self.blockByteCount, alignment: 8) { block in
            block.initializeMemory(as: UInt8.self, repeating: 0)
            defer { OPENSSL_cleanse(block.baseAddress, block.count) }

            if key.count > Self.blockByteCount {
                // Stream the key through the block buffer so it is never copied to the heap.
                var keyHash = SHA256_CTX()
                defer { withUnsafeMutableBytes(of: &keyHash) { OPENSSL_cleanse($0.baseAddress, $0.count) } }
                SHA256_Init(&keyHash)
                var filled = 0
                for byte in key {
                    block[filled] = byte
                    filled += 1
                    if filled == Self.blockByteCount {
                        SHA256_Update(&keyHash, block.baseAddress, filled)
                        filled = 0
                    }
                }
                SHA256_Update(&keyHash, block.baseAddress, filled)
                OPENSSL_cleanse(block.baseAddress, block.count)
                SHA256_Final(block.baseAddress!.assumingMemoryBound(to: UInt8.self), &keyHash)
            } else {
                for (index, byte) in key.enumerated() { block[index] = byte }
            }

            for index in block.indices { block[index] ^= 0x36 }
            SHA256_Init(&inner)
            SHA256_Update(&inner, block.baseAddress, block.count)
            // (key ⊕ 0x36) ⊕ (0x36 ⊕ 0x5c) = key ⊕ 0x5c: the outer pad without a second copy.
            for index in block.indices { block[index] ^= 0x36 ^ 0x5c }
            SHA256_Init(&outer)
            SHA256_Update(&outer, block.baseAddress, block.count)
        }
    }

    /// Precomputes the keyed states for a secret key.
    ///
    /// - Parameter key: The key; its 32 bytes are the HMAC key.
    public init(key: SecretKey) {
        self = key.withUnsafeBytes { HMACSHA256(key: $0) }
    }

    /// Computes the MAC of a message into a caller's buffer.
    ///
    /// This is the hot path: it copies the two precomputed states on the stack and neither
    /// allocates nor takes a lock.
    ///
    /// - Parameters:
    ///   - message: The bytes to authenticate; may be empty.
    ///   - digest: Where the 32-byte MAC goes; must hold at least ``byteCount`` bytes. Only the
    ///     first 32 bytes are written.
    public func authenticate(_ message: UnsafeRawBufferPointer, into digest: UnsafeMutableRawBufferPointer) {
        precondition(digest.count >= Self.byteCount, "an HMAC-SHA256 digest needs 32 bytes")
        var context = inner
        SHA256_Update(&context, message.baseAddress, message.count)
        // The inner digest goes straight into the output buffer, then the outer hash replaces it.
        let output = digest.baseAddress!.assumingMemoryBound(to: UInt8.self)
        SHA256_Final(output, &context)
        context = outer
        SHA256_Update(&context, output, Self.byteCount)
        SHA256_Final(output, &context)
    }

    /// Returns the MAC of a message.
    ///
    /// For tests and cold paths; the hot path is ``authenticate(_:into:)``.
    ///
    /// - Parameter message: The bytes to authenticate.
    /// - Returns: The 32-byte MAC.
    public func authenticate(_ message: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.byteCount) { digest, initializedCount in
            message.withUnsafeBytes { authenticate($0, into: UnsafeMutableRawBufferPointer(digest)) }
            initializedCount = Self.byteCount
        }
    }
}
