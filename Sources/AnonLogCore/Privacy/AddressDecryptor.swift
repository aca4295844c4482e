/// The reverse of a reversible mode, for `anonlog decrypt`: addresses in an anonymized log (or
/// `ipcrypt-ndx` hex tokens) become the addresses they were made from.
///
/// It runs through the same line rewriter as anonymization, as the "pseudonymizer" of each
/// epoch, so decryption finds pseudonyms wherever anonymization could have put them.
final class AddressDecryptor: AddressPseudonymizer {
    private enum Cipher {
        case cryptoPAn(CryptoPAn)
        case pfx(IPCryptPFX)
        case deterministic(IPCryptDeterministic)
        case ndx(IPCryptNDX)
    }

    private let cipher: Cipher

    /// - Parameters:
    ///   - mode: A reversible mode.
    ///   - key: The epoch's key.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/usage`` for a mode that cannot
    ///   be reversed (`hmac`, `mask`).
    init(mode: AnonymizationMode, key: SecretKey) throws(AnonLogError) {
        switch mode {
        case .cryptopan: cipher = .cryptoPAn(try CryptoPAn(key: key))
        case .ipcryptPFX: cipher = .pfx(try IPCryptPFX(key: key))
        case .ipcryptDeterministic: cipher = .deterministic(try IPCryptDeterministic(key: key))
        case .ipcryptNDX: cipher = .ndx(try IPCryptNDX(key: key))
        case .hmac, .mask:
            throw AnonLogError(.usage, "mode \(mode.rawValue) cannot be reversed: nobody, the key holder included, can recover its addresses")
        }
    }

    var maximumLength: Int { IPAddress.maximumTextLength }

    /// Whether the mode writes hex tokens rather than addresses.
    var decryptsTokens: Bool {
        if case .ndx = cipher { return true }
        return false
    }

    func writePseudonym(for address: IPAddress, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let original: IPAddress
        switch cipher {
        case .cryptoPAn(let cipher): original = cipher.decrypt(address)
        case .pfx(let cipher): original = cipher.decrypt(address)
        case .deterministic(let cipher): original = cipher.decrypt(address)
        case .ndx: original = address  // ndx writes tokens, not addresses: leave addresses be
        }
        return original.format(into: buffer)
    }

    /// The address an `ipcrypt-ndx` token stands for, written into `buffer`; `nil` when the
    /// token is not one.
    func writeDecryptedToken(_ token: UnsafeRawBufferPointer, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        guard case .ndx(let cipher) = cipher, let ciphertext = IPCryptNDX.Ciphertext(hex: token) else { return nil }
        return cipher.decrypt(ciphertext).format(into: buffer)
    }
}
