internal import CAnonLogCrypto

/// Key derivation with HKDF (RFC 5869), through OpenSSL's `EVP_KDF` interface.
public enum KeyDerivation {
    /// The longest output HKDF-SHA256 can give: 255 blocks of 32 bytes.
    public static let maximumSHA256Length = 255 * 32

    /// Derives key material with HKDF-SHA256 (extract, then expand).
    ///
    /// - Parameters:
    ///   - key: The input keying material; must not be empty.
    ///   - salt: The extract salt; empty means RFC 5869's default of 32 zero bytes.
    ///   - info: The context that binds the output to one use; may be empty.
    ///   - length: How many bytes to derive, from 1 to ``maximumSHA256Length``.
    /// - Returns: `length` bytes of derived key material.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/configuration`` when OpenSSL
    ///   refuses, for example because its configuration offers no HKDF or the arguments are out
    ///   of range.
    public static func hkdfSHA256(key: [UInt8], salt: [UInt8], info: [UInt8], length: Int) throws(AnonLogError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: length)
        // Array's closures rethrow untyped errors, so the typed error travels out in a Result.
        try key.withUnsafeBytes { key in
            salt.withUnsafeBytes { salt in
                info.withUnsafeBytes { info in
                    output.withUnsafeMutableBytes { output in
                        Result { () throws(AnonLogError) in try hkdfSHA256(key: key, salt: salt, info: info, into: output) }
                    }
                }
            }
        }.get()
        return output
    }

    /// Derives HKDF-SHA256 key material into a caller's buffer, so that it need not pass
    /// through an array.
    static func hkdfSHA256(
        key: UnsafeRawBufferPointer,
        salt: UnsafeRawBufferPointer,
        info: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws(AnonLogError) {
        guard (1...maximumSHA256Length).contains(output.count), !key.isEmpty else {
            throw AnonLogError(.configuration, "hkdf-sha256 needs a key and 1 to \(maximumSHA256Length) output bytes")
        }
        guard let kdf = EVP_KDF_fetch(nil, "HKDF", nil) else {
            throw AnonLogError(.configuration, "openssl offers no hkdf: \(OpenSSLErrorText.drain())")
        }
        defer { EVP_KDF_free(kdf) }
        guard let context = EVP_KDF_CTX_new(kdf) else {
            throw AnonLogError(.configuration, "cannot create an hkdf context: \(OpenSSLErrorText.drain())")
        }
        // EVP_KDF_CTX_free cleanses the key, salt and info copies the context took.
        defer { EVP_KDF_CTX_free(context) }

        // An OSSL_PARAM only points at its name and value, so every C string must stay alive
        // until EVP_KDF_derive returns: hence the nesting.
        let status = OSSL_KDF_PARAM_DIGEST.withCString { digestName in
            OSSL_KDF_PARAM_KEY.withCString { keyName in
                OSSL_KDF_PARAM_SALT.withCString { saltName in
                    OSSL_KDF_PARAM_INFO.withCString { infoName in
                        "SHA256".withCString { digest in
                            var parameters = [
                                OSSL_PARAM_construct_utf8_string(digestName, UnsafeMutablePointer(mutating: digest), 0),
                                OSSL_PARAM_construct_octet_string(keyName, UnsafeMutableRawPointer(mutating: key.baseAddress), key.count),
                            ]
                            // Empty salt and info are left out: OpenSSL then uses the RFC defaults.
                            if !salt.isEmpty {
                                parameters.append(OSSL_PARAM_construct_octet_string(saltName, UnsafeMutableRawPointer(mutating: salt.baseAddress), salt.count))
                            }
                            if !info.isEmpty {
                                parameters.append(OSSL_PARAM_construct_octet_string(infoName, UnsafeMutableRawPointer(mutating: info.baseAddress), info.count))
                            }
                            parameters.append(OSSL_PARAM_construct_end())
                            return EVP_KDF_derive(context, output.baseAddress!.assumingMemoryBound(to: UInt8.self), output.count, &parameters)
                        }
                    }
                }
            }
        }
        guard status == 1 else {
            throw AnonLogError(.configuration, "hkdf-sha256 failed: \(OpenSSLErrorText.drain())")
        }
    }
}
