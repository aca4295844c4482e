/// The pseudonymizers of each key epoch, made from the epoch's key when first needed.
///
/// Logs are in time order, so a worker needs one or two epochs at a time (two around a UTC
/// midnight); the few most recent are kept, each with its own bounded cache. An epoch older than
/// the key file's oldest retained epoch has been shredded: it has no pseudonymizer at all.
final class EpochPseudonyms<Pseudonymizer: AddressPseudonymizer> {
    /// What one epoch pseudonymizes with; both `nil` when the epoch is shredded.
    final class Epoch {
        let index: Int64
        let addresses: PseudonymCache<Pseudonymizer>?
        let identifiers: IdentifierPseudonymizer?

        init(index: Int64, addresses: PseudonymCache<Pseudonymizer>?, identifiers: IdentifierPseudonymizer?) {
            self.index = index
            self.addresses = addresses
            self.identifiers = identifiers
        }
    }

    /// Makes the address pseudonymizer of an epoch from that epoch's key.
    typealias Factory = (SecretKey) throws(AnonLogError) -> Pseudonymizer

    let record: KeyRecord
    /// Whether identifier values (chat session ids) are replaced by tokens.
    let pseudonymizesIdentifiers: Bool
    private let makePseudonymizer: Factory
    private let retainedEpochs = 4
    /// Most recently used first.
    private var recent: [Epoch] = []
    private let keys: EpochKeyChain
    /// The first error met while keying an epoch (the line is then redacted, not leaked).
    private(set) var keyingError: AnonLogError?

    /// - Parameters:
    ///   - record: The key file's contents.
    ///   - pseudonymizeIdentifiers: Whether identifier tokens are wanted.
    ///   - makePseudonymizer: Builds an epoch's address pseudonymizer from its key.
    init(record: KeyRecord, pseudonymizeIdentifiers: Bool, makePseudonymizer: @escaping Factory) {
        self.record = record
        self.pseudonymizesIdentifiers = pseudonymizeIdentifiers
        self.makePseudonymizer = makePseudonymizer
        keys = EpochKeyChain(record: record)
    }

    /// The pseudonymizers of `index`, made on first use.
    @inline(__always)
    func epoch(_ index: Int64) -> Epoch {
        if let first = recent.first, first.index == index { return first }
        return slowEpoch(index)
    }

    private func slowEpoch(_ index: Int64) -> Epoch {
        if let position = recent.firstIndex(where: { $0.index == index }) {
            let found = recent.remove(at: position)
            recent.insert(found, at: 0)
            return found
        }
        let made = make(index)
        recent.insert(made, at: 0)
        if recent.count > retainedEpochs { recent.removeLast() }
        return made
    }

    private func make(_ index: Int64) -> Epoch {
        guard let key = keys.key(forEpoch: index) else {
            return Epoch(index: index, addresses: nil, identifiers: nil)
        }
        do throws(AnonLogError) {
            let addresses = PseudonymCache(try makePseudonymizer(key))
            let identifiers = pseudonymizesIdentifiers
                ? IdentifierPseudonymizer(key: try key.subkey(purpose: .sessionIdentifier)) : nil
            return Epoch(index: index, addresses: addresses, identifiers: identifiers)
        } catch {
            if keyingError == nil { keyingError = error }
            return Epoch(index: index, addresses: nil, identifiers: nil)
        }
    }
}
