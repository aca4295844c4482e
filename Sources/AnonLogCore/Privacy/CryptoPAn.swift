/// Crypto-PAn, the prefix-preserving address anonymization of Fan, Xu, Ammar and Moon (2004).
///
/// Two addresses that share their first `n` bits get pseudonyms that share their first `n` bits,
/// and nothing more: networks stay recognisable as networks without being named. The key is 32
/// bytes: the first 16 are an AES-128 key, the last 16 are encrypted under it to form a 128-bit
/// pad. Bit `i` of the address (most significant first) is flipped by the first bit of the AES
/// encryption of a block made of the address's first `i` bits followed by the rest of the pad.
/// This is the reference implementation's walk over 32 bits for IPv4, and the same walk over
/// 128 bits for IPv6, as every port that handles IPv6 does; the published vectors of both hold.
///
/// An address written as IPv6 takes the 128-bit walk even when it is IPv4-mapped
/// (`::ffff:192.0.2.128`), as the published IPv6 vectors require, so its pseudonym is unrelated
/// to that of `192.0.2.128`.
///
/// All the blocks of an address are known before any is encrypted, so they go to AES in one
/// call; a ``PrefixPadCache`` keeps the pad bits of recently seen /16 and /24 (IPv4) and /32,
/// /48 and /64 (IPv6) networks, so a new host in a known network costs only its remaining bits.
/// The mapping is a permutation: ``decrypt(_:)`` recovers the address bit by bit.
///
/// An instance holds an AES context and the cache, and belongs to one thread; make one per
/// worker from the key.
public final class CryptoPAn {
    /// The length of a key, in bytes.
    public static let keyByteCount = 32
    /// The default number of slots per cached prefix length.
    public static let defaultPrefixCacheSlotCount = 4096

    private let cipher: AESBlockCipher
    /// The encrypted second half of the key.
    private let pad: UInt128
    private let ipv4Cache: PrefixPadCache
    private let ipv6Cache: PrefixPadCache
    /// Room for the 128 input blocks of an IPv6 address and their encryptions.
    private let blocks: UnsafeMutableRawPointer

    /// Keys Crypto-PAn with raw key bytes, such as a published test key or a key shared with
    /// another implementation.
    ///
    /// - Parameters:
    ///   - key: Exactly 32 bytes.
    ///   - prefixCacheSlotCount: Slots per cached prefix length (rounded up to a power of two);
    ///     0 turns the cache off. Each slot takes 24 bytes, five lengths are cached.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/configuration`` when the key is
    ///   not 32 bytes long or OpenSSL offers no AES-128.
    public convenience init(
        key: some Collection<UInt8>, prefixCacheSlotCount: Int = CryptoPAn.defaultPrefixCacheSlotCount
    ) throws(AnonLogError) {
        guard key.count == Self.keyByteCount else {
            throw AnonLogError(.configuration, "a crypto-pan key has \(Self.keyByteCount) bytes, not \(key.count)")
        }
        let (cipher, pad) = try Self.schedule(key)
        self.init(cipher: cipher, pad: pad, prefixCacheSlotCount: prefixCacheSlotCount)
    }

    /// Keys Crypto-PAn with a secret key.
    ///
    /// - Parameters:
    ///   - key: The subkey for ``KeyPurpose/cryptoPAn``; its 32 bytes are the Crypto-PAn key.
    ///   - prefixCacheSlotCount: Slots per cached prefix length; 0 turns the cache off.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/configuration`` when OpenSSL
    ///   offers no AES-128.
    public convenience init(
        key: SecretKey, prefixCacheSlotCount: Int = CryptoPAn.defaultPrefixCacheSlotCount
    ) throws(AnonLogError) {
        let (cipher, pad) = try key.withUnsafeBytes { bytes in
            Result { () throws(AnonLogError) in try Self.schedule(bytes) }
        }.get()
        self.init(cipher: cipher, pad: pad, prefixCacheSlotCount: prefixCacheSlotCount)
    }

    private init(cipher: AESBlockCipher, pad: UInt128, prefixCacheSlotCount: Int) {
        self.cipher = cipher
        self.pad = pad
        self.ipv4Cache = PrefixPadCache(lengths: [16, 24], slotCount: prefixCacheSlotCount)
        self.ipv6Cache = PrefixPadCache(lengths: [32, 48, 64], slotCount: prefixCacheSlotCount)
        self.blocks = UnsafeMutableRawPointer.allocate(byteCount: 2 * 128 * AESBlockCipher.blockByteCount, alignment: 64)
    }

    deinit { blocks.deallocate() }

    /// The AES key schedule of the first half and the encrypted second half.
    private static func schedule(_ key: some Collection<UInt8>) throws(AnonLogError) -> (AESBlockCipher, UInt128) {
        let cipher = try AESBlockCipher(key: key.prefix(16))
        var seed: UInt128 = 0
        for byte in key.dropFirst(16) { seed = seed << 8 | UInt128(byte) }
        return (cipher, cipher.process(seed))
    }

    /// The memory the prefix cache takes, in bytes.
    public var prefixCacheByteCount: Int { ipv4Cache.byteCount + ipv6Cache.byteCount }

    // MARK: - Encryption

    /// The pseudonym of an address.
    ///
    /// - Parameter address: An IPv4 address (32-bit walk) or an address written as IPv6
    ///   (128-bit walk).
    /// - Returns: An address of the same family.
    public func encrypt(_ address: IPAddress) -> IPAddress {
        switch address.family {
        case .v4:
            let bits = UInt128(address.ipv4Bits ?? 0) << 96
            let result = bits ^ walkPad(bits, width: 32, cache: ipv4Cache)
            return IPAddress(ipv4: UInt32(truncatingIfNeeded: result >> 96))
        case .v6:
            let bits = address.bits
            return IPAddress(ipv6Bits: bits ^ walkPad(bits, width: 128, cache: ipv6Cache))
        }
    }

    /// The pad bits that flip the first `width` bits of `address` (left-aligned).
    @inline(__always)
    private func walkPad(_ address: UInt128, width: Int, cache: PrefixPadCache) -> UInt128 {
        let (known, cached) = cache.lookup(address)
        let count = width - known
        let input = blocks
        let output = blocks + 128 * AESBlockCipher.blockByteCount
        // The block of position p is the first p bits of the address and the rest of the pad:
        // each next block takes one more address bit. Halves and masking shifts keep it cheap.
        let addressMask = known == 0 ? 0 : ~UInt128(0) &<< (128 - known)
        var block = Bits128((address & addressMask) | (pad & ~addressMask))
        let addressWords = Bits128(address)
        for index in 0..<count {
            input.storeBytes(of: block.high.bigEndian, toByteOffset: index &* 16, as: UInt64.self)
            input.storeBytes(of: block.low.bigEndian, toByteOffset: index &* 16 &+ 8, as: UInt64.self)
            block.copyBit(known &+ index, from: addressWords)
        }
        cipher.process(input, into: output, blockCount: count)
        var result = Bits128(cached)
        for index in 0..<count {
            // The first bit of each encrypted block.
            result.setBit(known &+ index, to: output.load(fromByteOffset: index &* 16, as: UInt8.self) &>> 7)
        }
        cache.store(address, pad: result.value, above: known)
        return result.value
    }

    // MARK: - Decryption

    /// The address whose pseudonym this is.
    ///
    /// Each pad bit depends on the address bits before it, so they are recovered one at a time:
    /// 32 or 128 AES calls, without the cache. Meant for lookups, not for whole logs.
    ///
    /// - Parameter pseudonym: A pseudonym made by ``encrypt(_:)`` under the same key.
    /// - Returns: The original address, in the same family.
    public func decrypt(_ pseudonym: IPAddress) -> IPAddress {
        switch pseudonym.family {
        case .v4:
            let bits = unwalk(UInt128(pseudonym.ipv4Bits ?? 0) << 96, width: 32)
            return IPAddress(ipv4: UInt32(truncatingIfNeeded: bits >> 96))
        case .v6:
            return IPAddress(ipv6Bits: unwalk(pseudonym.bits, width: 128))
        }
    }

    private func unwalk(_ pseudonym: UInt128, width: Int) -> UInt128 {
        var address: UInt128 = 0
        for position in 0..<width {
            let addressMask = ~UInt128(0) << (128 - position)
            let padBit = cipher.process((address & addressMask) | (pad & ~addressMask)) >> 127
            address |= (((pseudonym >> (127 - position)) & 1) ^ padBit) << (127 - position)
        }
        return address
    }
}
