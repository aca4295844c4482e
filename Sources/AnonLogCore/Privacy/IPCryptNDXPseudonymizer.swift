/// Writes the `ipcrypt-ndx` encryption of each address, under a fresh random tweak every time.
///
/// The text is the 64 hex digits of tweak and ciphertext. The same address gives a different
/// text on every line, so this pseudonymizer is not deterministic (``isDeterministic`` is false)
/// and the pseudonym cache computes each one anew.
///
/// Tweaks come from AES-128 in counter mode under a key drawn from the system's secure generator
/// when the pseudonymizer is made: a uniformly random stream (the core of NIST's CTR_DRBG) that
/// cannot fail once it is running, 256 tweaks per AES call. The tweaks are not secret; they only
/// have to be unpredictable and not repeat.
///
/// An instance belongs to one thread; make one per worker.
public final class IPCryptNDXPseudonymizer: AddressPseudonymizer {
    private let cipher: IPCryptNDX
    private let tweakCipher: AESBlockCipher
    private var counter: UInt128
    /// Unused tweaks, from `next` to the end.
    private let tweaks: UnsafeMutableRawPointer
    private var next: Int

    private static let tweaksPerRefill = 256

    /// - Parameter cipher: The keyed cipher (see ``IPCryptNDX``).
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/ioError`` when the system's
    ///   secure generator cannot deliver the tweak stream's key.
    public init(cipher: IPCryptNDX) throws(AnonLogError) {
        let seed = try SecureRandom.bytes(count: 32)
        self.cipher = cipher
        self.tweakCipher = try AESBlockCipher(key: seed.prefix(16))
        self.counter = seed.dropFirst(16).reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
        self.tweaks = UnsafeMutableRawPointer.allocate(byteCount: Self.tweaksPerRefill * 16, alignment: 64)
        self.next = Self.tweaksPerRefill
    }

    deinit { tweaks.deallocate() }

    public var maximumLength: Int { IPCryptNDX.Ciphertext.hexLength }
    public var isDeterministic: Bool { false }

    /// The next tweak of the stream.
    @inline(__always)
    private func nextTweak() -> UInt128 {
        if next == Self.tweaksPerRefill {
            for index in 0..<Self.tweaksPerRefill {
                tweaks.storeBytes(of: counter.bigEndian, toByteOffset: index * 16, as: UInt128.self)
                counter &+= 1
            }
            tweakCipher.process(tweaks, into: tweaks, blockCount: Self.tweaksPerRefill)
            next = 0
        }
        defer { next += 1 }
        return UInt128(bigEndian: tweaks.load(fromByteOffset: next * 16, as: UInt128.self))
    }

    /// Writes the 64 hex digits of tweak and ciphertext, with a new tweak.
    public func writePseudonym(for address: IPAddress, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        cipher.encrypt(address, tweak: nextTweak()).writeHex(into: buffer)
    }
}
