/// What a new key file is made for.
public struct KeyTemplate: Sendable {
    /// The mode; it sets the key length.
    public var mode: AnonymizationMode
    /// How often the key changes.
    public var rotation: KeyRotation
    /// An existing key to store (`anonlog key import`), or `nil` for a new random one.
    public var key: SecretKey?

    public init(mode: AnonymizationMode = .hmac, rotation: KeyRotation = .none, key: SecretKey? = nil) {
        self.mode = mode
        self.rotation = rotation
        self.key = key
    }
}
