/// The keys statistics use in one key epoch, each a subkey of the epoch's key.
final class StatsEpochKeys {
    let epoch: Int64
    /// Network pseudonyms: HMAC of the /24 or /48.
    let network: HMACSHA256
    /// Message fingerprints: HMAC of the normalized text.
    let fingerprint: HMACSHA256
    /// Session tokens, the same the anonymized log carries for `session_id`.
    let sessions: IdentifierPseudonymizer
    /// Ledger identities of segments that start in this epoch.
    let ingestion: HMACSHA256

    init(epoch: Int64, key: SecretKey) throws(AnonLogError) {
        self.epoch = epoch
        network = HMACSHA256(key: try key.subkey(purpose: .network))
        fingerprint = HMACSHA256(key: try key.subkey(purpose: .messageFingerprint))
        sessions = IdentifierPseudonymizer(key: try key.subkey(purpose: .sessionIdentifier))
        ingestion = HMACSHA256(key: try key.subkey(purpose: .ingestion))
    }
}

/// The statistics keys of each epoch, made when first needed from the key file's record.
///
/// Like the anonymizer's epochs: the few most recent are kept, the others derived through an
/// ``EpochKeyChain``, and a shredded epoch has no keys (its lines are not
/// counted: nothing about them can be pseudonymized any more).
final class StatsKeyring {
    private let record: KeyRecord
    private var recent: [StatsEpochKeys] = []
    private let chain: EpochKeyChain
    /// The first error met while deriving keys.
    private(set) var keyingError: AnonLogError?

    init(record: KeyRecord) {
        self.record = record
        chain = EpochKeyChain(record: record)
    }

    /// The rotation epochs follow.
    var rotation: KeyRotation { record.rotation }

    /// The keys of `epoch`, or `nil` when it is shredded.
    @inline(__always)
    func keys(forEpoch epoch: Int64) -> StatsEpochKeys? {
        if let first = recent.first, first.epoch == epoch { return first }
        return slowKeys(epoch)
    }

    private func slowKeys(_ epoch: Int64) -> StatsEpochKeys? {
        if let position = recent.firstIndex(where: { $0.epoch == epoch }) {
            let found = recent.remove(at: position)
            recent.insert(found, at: 0)
            return found
        }
        guard let key = chain.key(forEpoch: epoch) else { return nil }
        do throws(AnonLogError) {
            let made = try StatsEpochKeys(epoch: epoch, key: key)
            recent.insert(made, at: 0)
            if recent.count > 4 { recent.removeLast() }
            return made
        } catch {
            if keyingError == nil { keyingError = error }
            return nil
        }
    }
}
