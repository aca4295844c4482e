/// What a key derived from the master key is for.
///
/// Every use of the master key gets its own subkey (see ``SecretKey/subkey(purpose:)``), so a
/// pseudonym of one kind can never be matched against a pseudonym of another. A new use adds
/// one `static let` here with a label that is never reused; changing a label changes every
/// pseudonym made with it.
public struct KeyPurpose: Hashable, Sendable, CustomStringConvertible {
    /// The name in the HKDF `info` string, `anonlog/v1/<label>`.
    public let label: String

    init(label: String) {
        self.label = label
    }

    /// Pseudonyms of IP addresses.
    public static let address = KeyPurpose(label: "address")
    /// Network MACs: the leading bits of network-linked pseudonyms, and network pseudonyms in
    /// statistics.
    public static let network = KeyPurpose(label: "network")
    /// Pseudonyms of chat session identifiers.
    public static let sessionIdentifier = KeyPurpose(label: "session-identifier")
    /// Crypto-PAn pseudonyms of addresses (``CryptoPAn``; all 32 bytes).
    public static let cryptoPAn = KeyPurpose(label: "cryptopan")
    /// `ipcrypt-deterministic` encryption of addresses (``IPCryptDeterministic``; the first 16 bytes).
    public static let ipcryptDeterministic = KeyPurpose(label: "ipcrypt-deterministic")
    /// `ipcrypt-pfx` encryption of addresses (``IPCryptPFX``; all 32 bytes).
    public static let ipcryptPFX = KeyPurpose(label: "ipcrypt-pfx")
    /// `ipcrypt-ndx` encryption of addresses (``IPCryptNDX``; all 32 bytes).
    public static let ipcryptNDX = KeyPurpose(label: "ipcrypt-ndx")

    /// The HKDF `info` bytes that bind a subkey to this purpose.
    var derivationInfo: [UInt8] {
        Array("anonlog/v1/\(label)".utf8)
    }

    public var description: String { label }
}
