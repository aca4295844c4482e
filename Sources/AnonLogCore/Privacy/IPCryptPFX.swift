/// `ipcrypt-pfx` of draft-denis-ipcrypt: prefix-preserving encryption that keeps the address size.
///
/// The 32-byte key is two AES-128 keys `K1 ‖ K2`, which must differ (equal halves cancel out and
/// leave every address unchanged). Bit by bit from the most significant, the address's prefix
/// so far is padded to a block as `zeros ‖ 1 ‖ prefix` and the bit is flipped by the last bit of
/// `AES(K1, block) ⊕ AES(K2, block)`. IPv4 addresses are walked from bit 96 of their mapped form,
/// which separates them from IPv6 addresses that start with the same 32 bits, and stay IPv4.
/// An address written as `::ffff:a.b.c.d` is taken as the IPv4 address it is, as the 16-byte
/// implementations (libsodium, ipcrypt2) do, and is written back in that form.
///
/// As in ``CryptoPAn``, every block is known before any is encrypted, so each key gets one AES
/// call per address, and a ``PrefixPadCache`` of the /16 and /24 (IPv4) and /32, /48 and /64
/// (IPv6) prefixes seen lately spares the blocks of a known network's prefix. ``decrypt(_:)``
/// recovers the address bit by bit.
///
/// An instance holds two AES contexts and the cache, and belongs to one thread; make one per
/// worker from the key.
public final class IPCryptPFX {
    /// The length of a key, in bytes.
    public static let keyByteCount = 32
    /// The default number of slots per cached prefix length.
    public static let defaultPrefixCacheSlotCount = 4096

    private let first: AESBlockCipher
    private let second: AESBlockCipher
    private let ipv4Cache: PrefixPadCache
    private let ipv6Cache: PrefixPadCache
    /// Room for the 128 padded prefixes of an IPv6 address and their two encryptions.
    private let blocks: UnsafeMutableRawPointer

    /// Keys the cipher with raw key bytes, such as a published test key.
    ///
    /// - Parameters:
    ///   - key: Exactly 32 bytes whose two halves differ.
    ///   - prefixCacheSlotCount: Slots per cached prefix length (rounded up to a power of two);
    ///     0 turns the cache off. Each slot takes 24 bytes, five lengths are cached.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/configuration`` when the key is
    ///   not 32 bytes long, its halves are equal, or OpenSSL offers no AES-128.
    public convenience init(
        key: some Collection<UInt8>, prefixCacheSlotCount: Int = IPCryptPFX.defaultPrefixCacheSlotCount
    ) throws(AnonLogError) {
        guard key.count == Self.keyByteCount else {
            throw AnonLogError(.configuration, "an ipcrypt-pfx key has \(Self.keyByteCount) bytes, not \(key.count)")
        }
        let (first, second) = try Self.schedule(key)
        self.init(first: first, second: second, prefixCacheSlotCount: prefixCacheSlotCount)
    }

    /// Keys the cipher with a secret key.
    ///
    /// - Parameters:
    ///   - key: The subkey for ``KeyPurpose/ipcryptPFX``.
    ///   - prefixCacheSlotCount: Slots per cached prefix length; 0 turns the cache off.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/configuration`` when the key's
    ///   halves are equal or OpenSSL offers no AES-128.
    public convenience init(
        key: SecretKey, prefixCacheSlotCount: Int = IPCryptPFX.defaultPrefixCacheSlotCount
    ) throws(AnonLogError) {
        let (first, second) = try key.withUnsafeBytes { bytes in
            Result { () throws(AnonLogError) in try Self.schedule(bytes) }
        }.get()
        self.init(first: first, second: second, prefixCacheSlotCount: prefixCacheSlotCount)
    }

    private init(first: AESBlockCipher, second: AESBlockCipher, prefixCacheSlotCount: Int) {
        self.first = first
        self.second = second
        self.ipv4Cache = PrefixPadCache(lengths: [16, 24], slotCount: prefixCacheSlotCount)
        self.ipv6Cache = PrefixPadCache(lengths: [32, 48, 64], slotCount: prefixCacheSlotCount)
        self.blocks = UnsafeMutableRawPointer.allocate(byteCount: 3 * 128 * AESBlockCipher.blockByteCount, alignment: 64)
    }

    deinit { blocks.deallocate() }

    private static func schedule(_ key: some Collection<UInt8>) throws(AnonLogError) -> (AESBlockCipher, AESBlockCipher) {
        guard !key.prefix(16).elementsEqual(key.dropFirst(16)) else {
            throw AnonLogError(.configuration, "the two halves of an ipcrypt-pfx key must differ")
        }
        return (try AESBlockCipher(key: key.prefix(16)), try AESBlockCipher(key: key.dropFirst(16)))
    }

    /// The memory the prefix cache takes, in bytes.
    public var prefixCacheByteCount: Int { ipv4Cache.byteCount + ipv6Cache.byteCount }

    // MARK: - Encryption

    /// The encryption of an address, of the same size and family.
    ///
    /// - Parameter address: Any address; an IPv4-mapped one is encrypted as IPv4.
    /// - Returns: IPv4 for IPv4 (mapped again if it was written mapped), IPv6 for IPv6.
    public func encrypt(_ address: IPAddress) -> IPAddress {
        if let ipv4 = address.ipv4Bits {
            let bits = UInt128(ipv4) << 96
            let result = UInt32(truncatingIfNeeded: (bits ^ walkPad(bits, isIPv4: true)) >> 96)
            var encrypted = IPAddress(ipv4: result)
            encrypted.family = address.family
            return encrypted
        }
        let bits = address.bits
        return IPAddress(ipv6Bits: bits ^ walkPad(bits, isIPv4: false))
    }

    /// The draft's padded prefix for the first `length` bits of `address` (left-aligned).
    ///
    /// `zeros ‖ 1 ‖ prefix`, where the prefix of an IPv4 address is that of its mapped form
    /// from bit 96 on: the walk starts with the 96 bits `0…0ffff` already taken.
    @inline(__always)
    private static func paddedPrefix(_ address: UInt128, length: Int, isIPv4: Bool) -> UInt128 {
        // A shift by 128 gives 0: the empty prefix.
        let prefix = address >> (128 - length)
        return isIPv4 ? UInt128(1) << (96 + length) | UInt128(0xFFFF) << length | prefix : UInt128(1) << length | prefix
    }

    /// The pad bits that flip the address (left-aligned, 32 or 128 bits).
    @inline(__always)
    private func walkPad(_ address: UInt128, isIPv4: Bool) -> UInt128 {
        let cache = isIPv4 ? ipv4Cache : ipv6Cache
        let (known, cached) = cache.lookup(address)
        let count = (isIPv4 ? 32 : 128) &- known
        let input = blocks
        let output1 = blocks + 128 * AESBlockCipher.blockByteCount
        let output2 = blocks + 256 * AESBlockCipher.blockByteCount
        // Each next padded prefix is the last one shifted left with the next address bit.
        var block = Bits128(Self.paddedPrefix(address, length: known, isIPv4: isIPv4))
        let addressBits = Bits128(address)
        for index in 0..<count {
            input.storeBytes(of: block.high.bigEndian, toByteOffset: index &* 16, as: UInt64.self)
            input.storeBytes(of: block.low.bigEndian, toByteOffset: index &* 16 &+ 8, as: UInt64.self)
            block.shiftIn(addressBits.bit(known &+ index))
        }
        first.process(input, into: output1, blockCount: count)
        second.process(input, into: output2, blockCount: count)
        var result = Bits128(cached)
        for index in 0..<count {
            // The least significant bit of e1 ⊕ e2: the last bit of the last byte.
            let last = index &* 16 &+ 15
            let bit = (output1.load(fromByteOffset: last, as: UInt8.self) ^ output2.load(fromByteOffset: last, as: UInt8.self)) & 1
            result.setBit(known &+ index, to: bit)
        }
        cache.store(address, pad: result.value, above: known)
        return result.value
    }

    // MARK: - Decryption

    /// The address an encryption came from.
    ///
    /// Each pad bit depends on the address bits before it, so they are recovered one at a time:
    /// 64 or 256 AES calls, without the cache. Meant for lookups, not for whole logs.
    ///
    /// - Parameter encrypted: A result of ``encrypt(_:)`` under the same key.
    /// - Returns: The original address, in the family the encryption was written in.
    public func decrypt(_ encrypted: IPAddress) -> IPAddress {
        if let ipv4 = encrypted.ipv4Bits {
            let bits = unwalk(UInt128(ipv4) << 96, isIPv4: true)
            var decrypted = IPAddress(ipv4: UInt32(truncatingIfNeeded: bits >> 96))
            decrypted.family = encrypted.family
            return decrypted
        }
        return IPAddress(ipv6Bits: unwalk(encrypted.bits, isIPv4: false))
    }

    private func unwalk(_ encrypted: UInt128, isIPv4: Bool) -> UInt128 {
        var address: UInt128 = 0
        for position in 0..<(isIPv4 ? 32 : 128) {
            let block = Self.paddedPrefix(address, length: position, isIPv4: isIPv4)
            let padBit = (first.process(block) ^ second.process(block)) & 1
            address |= (((encrypted >> (127 - position)) & 1) ^ padBit) << (127 - position)
        }
        return address
    }
}
