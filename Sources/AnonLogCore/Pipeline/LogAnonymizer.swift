/// Anonymizes buffers of log lines in memory: the engine of the `anonlog` command, for programs
/// that embed it.
///
/// One instance belongs to one thread: it owns a pseudonym cache and scanner scratch space.
/// Give it whole lines; it returns the same lines with every address replaced.
public final class LogAnonymizer {
    let lines: LineAnonymizer<HMACPseudonymizer>

    /// Keys the anonymizer.
    ///
    /// - Parameters:
    ///   - key: The master key; the address and identifier subkeys are derived from it.
    ///   - options: Shapes, formats and the redaction marker.
    /// - Throws: ``AnonLogError`` when the subkeys cannot be derived.
    public init(key: SecretKey, options: AnonymizationOptions = AnonymizationOptions()) throws(AnonLogError) {
        let addressKey = try key.subkey(purpose: .address)
        let identifierKey = try key.subkey(purpose: .sessionIdentifier)
        lines = LineAnonymizer(
            pseudonymizer: HMACPseudonymizer(key: addressKey, shape: options.pseudonymShape),
            identifiers: options.pseudonymizeSessionIDs ? IdentifierPseudonymizer(key: identifierKey) : nil,
            recognizer: FormatRecognizer(forcedFormat: options.forcedFormat),
            redactionMarker: Array(options.redactionMarker.utf8)
        )
    }

    /// Appends the anonymized form of `lines` to `output`.
    ///
    /// - Parameters:
    ///   - lines: Whole lines, each ending in a line feed except perhaps the last.
    ///   - output: Receives the rewritten bytes.
    public func anonymize(_ lines: UnsafeRawBufferPointer, into output: OutputBuffer) {
        self.lines.anonymize(lines: lines, into: output)
    }

    /// What has been done so far.
    public var counts: AnonymizationCounts { lines.counts }
}
