internal import CAnonLogCrypto

/// The text of the errors OpenSSL queued on this thread, without Foundation.
enum OpenSSLErrorText {
    /// Takes every queued error off this thread's OpenSSL error queue and joins their texts.
    ///
    /// The queue is emptied so that a later failure does not report this one's causes.
    static func drain() -> String {
        var texts: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            // 256 bytes is OpenSSL's own buffer size for ERR_error_string.
            let text = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
                ERR_error_string_n(code, buffer.baseAddress, buffer.count)
                return String(cString: buffer.baseAddress!)
            }
            texts.append(text)
        }
        return texts.isEmpty ? "no detail from openssl" : texts.joined(separator: "; ")
    }
}
