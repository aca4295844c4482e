/// `ipcrypt-deterministic` of draft-denis-ipcrypt: one AES-128 block over the 16-byte address.
///
/// IPv4 is encrypted in its IPv4-mapped form (`::ffff:a.b.c.d`), so an address and its mapped
/// spelling get the same result. The 16 result bytes are shown as an address: IPv4 when they fall
/// in `::ffff:0:0/96` (one time in 2^96), IPv6 in RFC 5952 form otherwise, so the output is
/// interchangeable with other implementations (libsodium, ipcrypt2, Vector's `encrypt_ip`).
/// The same address always gives the same result; ``decrypt(_:)`` reverses it with the key.
///
/// An instance holds two AES contexts and belongs to one thread; make one per worker.
public final class IPCryptDeterministic {
    /// The length of a raw key, in bytes.
    public static let keyByteCount = 16

    private let encryptor: AESBlockCipher
    private let decryptor: AESBlockCipher

    /// Keys the cipher with raw key bytes, such as a published test key.
    ///
    /// - Parameter key: Exactly 16 bytes.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/configuration`` when the key is
    ///   not 16 bytes long or OpenSSL offers no AES-128.
    public init(key: some Collection<UInt8>) throws(AnonLogError) {
        guard key.count == Self.keyByteCount else {
            throw AnonLogError(.configuration, "an ipcrypt-deterministic key has \(Self.keyByteCount) bytes, not \(key.count)")
        }
        encryptor = try AESBlockCipher(key: key, direction: .encrypt)
        decryptor = try AESBlockCipher(key: key, direction: .decrypt)
    }

    /// Keys the cipher with the first 16 bytes of a secret key.
    ///
    /// The first 16 bytes of a 32-byte HKDF-SHA256 subkey are exactly the 16-byte output of the
    /// same derivation, so this is the 16-byte subkey for ``KeyPurpose/ipcryptDeterministic``.
    ///
    /// - Parameter key: The subkey for ``KeyPurpose/ipcryptDeterministic``.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/configuration`` when OpenSSL
    ///   offers no AES-128.
    public convenience init(key: SecretKey) throws(AnonLogError) {
        let (encryptor, decryptor) = try key.withUnsafeBytes { bytes in
            Result { () throws(AnonLogError) in
                let half = UnsafeRawBufferPointer(rebasing: bytes[..<Self.keyByteCount])
                return (try AESBlockCipher(key: half, direction: .encrypt), try AESBlockCipher(key: half, direction: .decrypt))
            }
        }.get()
        self.init(encryptor: encryptor, decryptor: decryptor)
    }

    private init(encryptor: AESBlockCipher, decryptor: AESBlockCipher) {
        self.encryptor = encryptor
        self.decryptor = decryptor
    }

    /// The encryption of an address.
    ///
    /// - Parameter address: Any address; IPv4 is taken in its mapped form.
    /// - Returns: The 16 result bytes as an address (IPv4 if they are IPv4-mapped).
    public func encrypt(_ address: IPAddress) -> IPAddress {
        IPAddress(mappedOrIPv6Bits: encryptor.process(address.bits))
    }

    /// The address an encryption came from.
    ///
    /// - Parameter encrypted: A result of ``encrypt(_:)`` under the same key.
    /// - Returns: The original address; IPv4 if it was IPv4 or IPv4-mapped (the 16-byte form
    ///   does not remember which).
    public func decrypt(_ encrypted: IPAddress) -> IPAddress {
        IPAddress(mappedOrIPv6Bits: decryptor.process(encrypted.bits))
    }
}
