extension CryptoPAn: AddressPseudonymizer {
    public var maximumLength: Int { IPAddress.maximumTextLength }

    /// Writes the Crypto-PAn pseudonym as an address of the same family (IPv6 in RFC 5952 form).
    public func writePseudonym(for address: IPAddress, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        encrypt(address).format(into: buffer)
    }
}
