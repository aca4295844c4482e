extension KeyPurpose {
    /// Fingerprints of normalized chat message texts (the text itself is never stored).
    public static let messageFingerprint = KeyPurpose(label: "message-fingerprint")
    /// Identities of ingested log segments in the stats store's ledger.
    public static let ingestion = KeyPurpose(label: "ingestion")
}
