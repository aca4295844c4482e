/// Turns an address into the text that replaces it in the output.
///
/// An implementation belongs to one worker thread: a value type, or a class that holds per-thread
/// state such as an AES context or a prefix cache (those are not `Sendable`, so each worker makes
/// its own from the key). It is keyed once when it is made and does no allocation per address.
/// Writing is non-mutating, so the pseudonym cache can hold it in a constant and call it without
/// a run-time exclusivity check; per-thread state lives in a class the value refers to.
public protocol AddressPseudonymizer: SendableMetatype {
    /// The most bytes ``writePseudonym(for:into:)`` ever writes.
    var maximumLength: Int { get }

    /// Writes the replacement for `address` and returns its length.
    ///
    /// - Parameters:
    ///   - address: The address found in the input.
    ///   - buffer: At least ``maximumLength`` bytes.
    /// - Returns: The number of bytes written.
    func writePseudonym(for address: IPAddress, into buffer: UnsafeMutableRawBufferPointer) -> Int

    /// Whether an address always gets the same text, so the text may be cached.
    ///
    /// False for randomized pseudonyms (`ipcrypt-ndx`), which must be computed for every
    /// occurrence: a cached one would link the records the randomness is there to separate.
    var isDeterministic: Bool { get }
}

extension AddressPseudonymizer {
    /// Pseudonyms are deterministic unless a pseudonymizer says otherwise.
    public var isDeterministic: Bool { true }
}
