/// What besides addresses a line rewrite replaces, and what it leaves: the policy half of
/// ``AnonymizationOptions`` that the per-line code reads.
struct LineRewritePolicy: Sendable {
    /// Identifier fields and parameters, replaced by keyed tokens.
    var identifiers: IdentifierLocator
    /// Whether chat message text is scrubbed of e-mail addresses, phone and card numbers.
    var scrubChatText: Bool
    /// Whether request URLs and referers are scrubbed too.
    var scrubURLs: Bool
    /// Addresses left unchanged.
    var keep: AddressKeepList
    /// What replaces an uncertain token, or a value whose epoch is shredded.
    var redactionMarker: [UInt8]
    /// Whether `ipcrypt-ndx` tokens (64 hex digits) are looked for, to be decrypted.
    var findsHexTokens: Bool

    init(options: AnonymizationOptions, direction: TransformDirection = .anonymize) {
        switch direction {
        case .anonymize:
            identifiers = IdentifierLocator(fieldNames: options.identifierFields, parameterNames: options.identifierParameters)
            scrubChatText = options.scrubChatText
            scrubURLs = options.scrubURLs
            keep = options.keep
            findsHexTokens = false
        case .decrypt:
            // Decryption restores addresses and touches nothing else.
            identifiers = IdentifierLocator(fieldNames: [], parameterNames: [])
            scrubChatText = false
            scrubURLs = false
            keep = AddressKeepList()
            findsHexTokens = true
        }
        redactionMarker = Array(options.redactionMarker.utf8)
    }
}

/// One non-address replacement in a line: an identifier value or a piece of free text.
struct LineReplacement {
    enum Kind {
        /// A keyed token from the identifier subkey.
        case identifier
        /// A typed marker for free text (`[email]`, `[phone]`, `[card]`).
        case text(TextScrubber.Kind)
        /// 64 hex digits that may be an `ipcrypt-ndx` pseudonym, to decrypt; inside a reverse-DNS
        /// name, the zone's family.
        case hexToken(reverseZone: IPAddress.Family?)
    }

    var range: Range<Int>
    var kind: Kind
}
