/// How addresses are transformed: the trade-off between privacy and what analysts can still see.
public enum AnonymizationMode: String, Sendable, CaseIterable, Hashable {
    /// HMAC-SHA256 pseudonyms (the default): unlinkable without the key, not reversible.
    case hmac
    /// Truncation: the low bits are zeroed (anonip's semantics); needs no key.
    case mask
    /// Crypto-PAn prefix-preserving encryption (32-byte key).
    case cryptopan
    /// ipcrypt-pfx prefix-preserving encryption (draft-denis-ipcrypt, 32-byte key).
    case ipcryptPFX = "ipcrypt-pfx"
    /// ipcrypt-deterministic: AES-128 of the address (16-byte key), reversible by the key holder.
    case ipcryptDeterministic = "ipcrypt-deterministic"
    /// ipcrypt-ndx: AES-XTS with a random tweak (32-byte key), unlinkable but reversible.
    case ipcryptNDX = "ipcrypt-ndx"

    /// The length of this mode's key in bytes.
    public var keyByteCount: Int {
        switch self {
        case .ipcryptDeterministic: 16
        case .hmac, .mask, .cryptopan, .ipcryptPFX, .ipcryptNDX: 32
        }
    }

    /// Whether `anonlog decrypt` can recover addresses in this mode.
    public var isReversible: Bool {
        switch self {
        case .cryptopan, .ipcryptPFX, .ipcryptDeterministic, .ipcryptNDX: true
        case .hmac, .mask: false
        }
    }
}
