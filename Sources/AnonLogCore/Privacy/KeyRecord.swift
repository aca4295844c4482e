/// What a key file holds: how the key is used, and the key of the oldest epoch still retained.
///
/// Keys of later epochs are derived forward from it with ``KeyRatchet``; keys of earlier epochs
/// cannot be derived by anyone, which is what makes shredding final.
public struct KeyRecord: Sendable {
    /// How addresses are transformed with this key.
    public var mode: AnonymizationMode
    /// How often the key changes.
    public var rotation: KeyRotation
    /// The index of the oldest epoch whose key can still be derived.
    public var epoch: Int64
    /// The key of ``epoch``.
    public var key: SecretKey

    public init(mode: AnonymizationMode, rotation: KeyRotation, epoch: Int64, key: SecretKey) {
        self.mode = mode
        self.rotation = rotation
        self.epoch = epoch
        self.key = key
    }

    /// The key of a later (or the same) epoch.
    ///
    /// - Parameter target: The epoch wanted.
    /// - Returns: Its key, or `nil` when the epoch is older than ``epoch``: shredded.
    public func key(forEpoch target: Int64) -> SecretKey? {
        guard target >= epoch else { return nil }
        return KeyRatchet.advance(key, steps: target - epoch)
    }
}

/// The one-way step from the key of one epoch to the key of the next.
///
/// `K(e+1) = HMAC-SHA256(K(e), "anonlog/v1/ratchet")`, cut to the key's length. Going forward
/// costs one MAC per epoch; going back would mean inverting HMAC-SHA256.
public enum KeyRatchet {
    private static let label = Array("anonlog/v1/ratchet".utf8)

    /// The key `steps` epochs after `key`.
    public static func advance(_ key: SecretKey, steps: Int64) -> SecretKey {
        var current = key
        var remaining = steps
        while remaining > 0 {
            let mac = HMACSHA256(key: current)
            current = SecretKey(byteCount: current.count) { (output: UnsafeMutableRawBufferPointer) in
                withUnsafeTemporaryAllocation(byteCount: HMACSHA256.byteCount, alignment: 8) { digest in
                    label.withUnsafeBytes { mac.authenticate($0, into: digest) }
                    output.copyMemory(from: UnsafeRawBufferPointer(rebasing: digest[..<output.count]))
                    digest.initializeMemory(as: UInt8.self, repeating: 0)
                }
            }
            remaining -= 1
        }
        return current
    }
}
