internal import CAnonLogCrypto

/// 32 bytes of secret key material that never show up in a message, a log or a dump.
///
/// The description, debug description and mirror are all `<secret key>`. The bytes live in
/// one heap buffer shared by all copies of the value, which OpenSSL overwrites when the last
/// copy goes away. Code in the library reaches the bytes through `withUnsafeBytes`; code
/// outside it cannot read them at all.
public struct SecretKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The length of a master key, in bytes (modes may use 16-byte keys; see ``allowedByteCounts``).
    public static let byteCount = 32
    /// The key lengths anonlog uses: AES-128 keys (16 bytes) and 256-bit keys (32 bytes).
    public static let allowedByteCounts: Set<Int> = [16, 32]

    private let storage: Storage

    /// The length of this key in bytes.
    public var count: Int { storage.bytes.count }

    /// Makes a key whose bytes are written by `initialize` straight into the key's buffer.
    init<E: Error>(
        byteCount: Int = SecretKey.byteCount, initializingWith initialize: (UnsafeMutableRawBufferPointer) throws(E) -> Void
    ) throws(E) {
        let storage = Storage(byteCount: byteCount)
        try initialize(storage.bytes)
        self.storage = storage
    }

    /// Makes a key from its bytes.
    ///
    /// - Parameter bytes: 16 or 32 bytes.
    /// - Returns: `nil` when `bytes` is not one of the ``allowedByteCounts``.
    public init?(bytes: some Collection<UInt8>) {
        guard Self.allowedByteCounts.contains(bytes.count) else { return nil }
        self.init(byteCount: bytes.count) { (buffer: UnsafeMutableRawBufferPointer) in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
    }

    /// Returns a new key of random bytes.
    ///
    /// - Parameter byteCount: The key length; 32 unless a mode needs 16.
    /// - Returns: A key from OpenSSL's secure random generator.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/ioError`` when the generator
    ///   cannot deliver.
    public static func random(byteCount: Int = SecretKey.byteCount) throws(AnonLogError) -> SecretKey {
        try SecretKey(byteCount: byteCount) { (buffer: UnsafeMutableRawBufferPointer) throws(AnonLogError) in try SecureRandom.fill(buffer) }
    }

    /// Derives the key for one purpose from this key.
    ///
    /// HKDF-SHA256 with this key as input keying material, no salt (the key is already uniformly
    /// random) and the info `anonlog/v1/<purpose label>`. The same key and purpose always give
    /// the same subkey; different purposes give unrelated subkeys.
    ///
    /// - Parameter purpose: What the subkey will be used for.
    /// - Returns: The 32-byte subkey.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/configuration`` when OpenSSL
    ///   offers no HKDF.
    public func subkey(purpose: KeyPurpose) throws(AnonLogError) -> SecretKey {
        let info = purpose.derivationInfo
        return try SecretKey { (output: UnsafeMutableRawBufferPointer) throws(AnonLogError) in
            try withUnsafeBytes { key in
                info.withUnsafeBytes { info in
                    Result { () throws(AnonLogError) in
                        try KeyDerivation.hkdfSHA256(key: key, salt: UnsafeRawBufferPointer(start: nil, count: 0), info: info, into: output)
                    }
                }
            }.get()
        }
    }

    /// Calls `body` with the key's bytes; the pointer must not escape.
    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        body(UnsafeRawBufferPointer(storage.bytes))
    }

    public var description: String { "<secret key>" }
    public var debugDescription: String { "<secret key>" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// The key bytes, overwritten when the last copy of the key is gone.
    ///
    /// `@unchecked Sendable` is sound because the bytes are written only while the key is
    /// being made, before the storage is shared, and read-only afterwards.
    private final class Storage: @unchecked Sendable {
        let bytes: UnsafeMutableRawBufferPointer

        init(byteCount: Int) {
            bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: byteCount, alignment: 8)
            bytes.initializeMemory(as: UInt8.self, repeating: 0)
        }

        deinit {
            OPENSSL_cleanse(bytes.baseAddress, bytes.count)
            bytes.deallocate()
        }
    }
}
