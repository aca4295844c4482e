/// Turns an address into the text that replaces it in the output.
///
/// Implementations are value types owned by one worker thread; they are keyed once when they
/// are made and do no allocation per address.
public protocol AddressPseudonymizer: SendableMetatype {
    /// The most bytes ``writePseudonym(for:into:)`` ever writes.
    var maximumLength: Int { get }

    /// Writes the replacement for `address` and returns its length.
    ///
    /// - Parameters:
    ///   - address: The address found in the input.
    ///   - buffer: At least ``maximumLength`` bytes.
    /// - Returns: The number of bytes written.
    mutating func writePseudonym(for address: IPAddress, into buffer: UnsafeMutableRawBufferPointer) -> Int
}
