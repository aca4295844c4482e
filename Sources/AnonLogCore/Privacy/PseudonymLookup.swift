/// Which pseudonym did an address get at a given time: for matching an abuse report about a
/// raw address against anonymized logs and statistics.
public enum PseudonymLookup {
    /// The pseudonym `address` receives in the epoch that contains `time`.
    ///
    /// - Parameters:
    ///   - address: The raw address.
    ///   - time: A Unix time inside the epoch of interest.
    ///   - keys: The key file's contents.
    ///   - options: The pseudonym shape (and mode parameters) the logs were written with.
    /// - Returns: The pseudonym as it appears in the logs.
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/configuration`` when that epoch
    ///   was shredded (its pseudonyms cannot be made again by anyone), or when the mode has no
    ///   stable pseudonym to look up.
    public static func pseudonym(
        of address: IPAddress, at time: Int64, keys: KeyRecord, options: AnonymizationOptions = AnonymizationOptions()
    ) throws(AnonLogError) -> String {
        let epoch = keys.rotation.epoch(at: time)
        guard let key = keys.key(forEpoch: epoch) else {
            throw AnonLogError(
                .configuration,
                "the key epoch of \(keys.rotation.describe(epoch: epoch)) was shredded; its pseudonyms cannot be made again")
        }
        guard keys.mode != .ipcryptNDX else {
            throw AnonLogError(
                .usage,
                "ipcrypt-ndx gives every occurrence of an address a different random pseudonym; there is none to look up (use anonlog decrypt on the log instead)")
        }
        return try ModeDispatch.withFactory(mode: keys.mode, direction: .anonymize, options: options, OnePseudonym(address: address, key: key))
    }

    /// Makes the epoch's pseudonymizer for the mode and writes one address's pseudonym.
    private struct OnePseudonym: PseudonymizerConsumer {
        let address: IPAddress
        let key: SecretKey

        func consume<Pseudonymizer: AddressPseudonymizer>(
            _ factory: @escaping EpochPseudonyms<Pseudonymizer>.Factory
        ) throws(AnonLogError) -> String {
            let pseudonymizer = try factory(key)
            let capacity = pseudonymizer.maximumLength
            return withUnsafeTemporaryAllocation(byteCount: capacity, alignment: 1) { buffer in
                let length = pseudonymizer.writePseudonym(for: address, into: buffer)
                return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[..<length]), as: UTF8.self)
            }
        }
    }
}
