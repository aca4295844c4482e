extension IPCryptPFX: AddressPseudonymizer {
    public var maximumLength: Int { IPAddress.maximumTextLength }

    /// Writes the encryption in the family of the input: dotted decimal, `::ffff:a.b.c.d`, or
    /// IPv6 in RFC 5952 form.
    public func writePseudonym(for address: IPAddress, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        encrypt(address).format(into: buffer)
    }
}
