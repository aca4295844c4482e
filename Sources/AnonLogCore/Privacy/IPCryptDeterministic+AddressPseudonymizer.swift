extension IPCryptDeterministic: AddressPseudonymizer {
    public var maximumLength: Int { IPAddress.maximumTextLength }

    /// Writes the encryption as an address: IPv6 in RFC 5952 form (IPv4 in the rare case the
    /// result is IPv4-mapped), whatever the family of the input.
    public func writePseudonym(for address: IPAddress, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        encrypt(address).format(into: buffer)
    }
}
