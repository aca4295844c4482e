/// `ipcrypt-ndx` of draft-denis-ipcrypt: AES-XTS over the 16-byte address with a random tweak.
///
/// The 32-byte key is `K1 ‖ K2`. With the tweak `T`, the single block is XTS's block 0:
/// `E = AES(K2, T)` and the ciphertext is `AES(K1, address ⊕ E) ⊕ E`. The output is
/// `T ‖ ciphertext`, 32 bytes, written as 64 lower-case hex digits. With a fresh uniformly random
/// tweak per encryption, the same address gives unrelated outputs every time (nothing links two
/// records of one client), yet the key holder can ``decrypt(_:)`` each one. The tweak is a
/// parameter here so that published vectors can be checked; ``IPCryptNDXPseudonymizer`` draws
/// random ones.
///
/// An instance holds three AES contexts and belongs to one thread; make one per worker.
public final class IPCryptNDX {
    /// The length of a key, in bytes.
    public static let keyByteCount = 32

    /// The 32 bytes of an ipcrypt-ndx output: the tweak, then the ciphertext.
    public struct Ciphertext: Hashable, Sendable, CustomStringConvertible {
        /// The length of the hex form.
        public static let hexLength = 64

        /// The tweak, its first byte most significant.
        public var tweak: UInt128
        /// The encrypted 16-byte address, its first byte most significant.
        public var block: UInt128

        /// An output from its two halves.
        public init(tweak: UInt128, block: UInt128) {
            self.tweak = tweak
            self.block = block
        }

        /// Reads the 64 hex digits of an output (either case).
        ///
        /// - Parameter hex: Exactly 64 hex digits.
        /// - Returns: `nil` when `hex` is anything else.
        public init?(hex: UnsafeRawBufferPointer) {
            guard hex.count == Self.hexLength else { return nil }
            var words = (UInt128(0), UInt128(0))
            for index in 0..<Self.hexLength {
                guard let nibble = HexDigit.value(of: hex[index]) else { return nil }
                if index < 32 {
                    words.0 = words.0 << 4 | UInt128(nibble)
                } else {
                    words.1 = words.1 << 4 | UInt128(nibble)
                }
            }
            self.init(tweak: words.0, block: words.1)
        }

        /// Reads the 64 hex digits of an output (either case).
        public init?(hex: String) {
            var hex = hex
            guard let parsed = hex.withUTF8({ Ciphertext(hex: UnsafeRawBufferPointer($0)) }) else { return nil }
            self = parsed
        }

        /// Writes the 64 lower-case hex digits and returns 64.
        ///
        /// - Parameter buffer: At least ``hexLength`` bytes.
        /// - Returns: The number of bytes written.
        public func writeHex(into buffer: UnsafeMutableRawBufferPointer) -> Int {
            for index in 0..<32 {
                buffer[index] = HexDigit.character(UInt8(truncatingIfNeeded: tweak >> (124 - index * 4)) & 0xF)
                buffer[32 + index] = HexDigit.character(UInt8(truncatingIfNeeded: block >> (124 - index * 4)) & 0xF)
            }
            return Self.hexLength
        }

        /// The 64 lower-case hex digits.
        public var description: String {
            String(unsafeUninitializedCapacity: Self.hexLength) { buffer in
                writeHex(into: UnsafeMutableRawBufferPointer(buffer))
            }
        }
    }

    private let dataEncryptor: AESBlockCipher
    private let dataDecryptor: AESBlockCipher
    private let tweakEncryptor: AESBlockCipher

    /// Keys the cipher with raw key bytes, such as a published test key.
    ///
    /// - Parameter key: Exactly 32 bytes.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/configuration`` when the key is
    ///   not 32 bytes long or OpenSSL offers no AES-128.
    public convenience init(key: some Collection<UInt8>) throws(AnonLogError) {
        guard key.count == Self.keyByteCount else {
            throw AnonLogError(.configuration, "an ipcrypt-ndx key has \(Self.keyByteCount) bytes, not \(key.count)")
        }
        let ciphers = try Self.schedule(key)
        self.init(ciphers)
    }

    /// Keys the cipher with a secret key.
    ///
    /// - Parameter key: The subkey for ``KeyPurpose/ipcryptNDX``.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/configuration`` when OpenSSL
    ///   offers no AES-128.
    public convenience init(key: SecretKey) throws(AnonLogError) {
        let ciphers = try key.withUnsafeBytes { bytes in
            Result { () throws(AnonLogError) in try Self.schedule(bytes) }
        }.get()
        self.init(ciphers)
    }

    private init(_ ciphers: (AESBlockCipher, AESBlockCipher, AESBlockCipher)) {
        (dataEncryptor, dataDecryptor, tweakEncryptor) = ciphers
    }

    private static func schedule(
        _ key: some Collection<UInt8>
    ) throws(AnonLogError) -> (AESBlockCipher, AESBlockCipher, AESBlockCipher) {
        (
            try AESBlockCipher(key: key.prefix(16), direction: .encrypt),
            try AESBlockCipher(key: key.prefix(16), direction: .decrypt),
            try AESBlockCipher(key: key.dropFirst(16), direction: .encrypt)
        )
    }

    /// Encrypts an address under a given tweak.
    ///
    /// - Parameters:
    ///   - address: Any address; IPv4 is taken in its mapped form.
    ///   - tweak: 16 bytes that must be uniformly random and fresh for every encryption.
    /// - Returns: The tweak and the ciphertext.
    public func encrypt(_ address: IPAddress, tweak: UInt128) -> Ciphertext {
        let mask = tweakEncryptor.process(tweak)
        return Ciphertext(tweak: tweak, block: dataEncryptor.process(address.bits ^ mask) ^ mask)
    }

    /// The address an output came from.
    ///
    /// - Parameter ciphertext: An output of ``encrypt(_:tweak:)`` under the same key.
    /// - Returns: The original address; IPv4 if it was IPv4 or IPv4-mapped.
    public func decrypt(_ ciphertext: Ciphertext) -> IPAddress {
        let mask = tweakEncryptor.process(ciphertext.tweak)
        return IPAddress(mappedOrIPv6Bits: dataDecryptor.process(ciphertext.block ^ mask) ^ mask)
    }
}
