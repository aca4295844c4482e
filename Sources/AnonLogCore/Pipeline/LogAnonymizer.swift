#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Anonymizes buffers of log lines in memory: the engine of the `anonlog` command, for programs
/// that embed it.
///
/// One instance belongs to one thread: it owns pseudonym caches and scanner scratch space.
/// Give it whole lines; it returns the same lines with every address replaced.
public final class LogAnonymizer {
    let lines: LineAnonymizer<HMACPseudonymizer>

    /// Keys the anonymizer from a key file's contents.
    ///
    /// - Parameters:
    ///   - keys: The mode, the rotation and the key of the oldest retained epoch.
    ///   - options: Shapes, formats and the redaction marker.
    /// - Throws: ``AnonLogError`` when the mode is not one this build can run.
    public init(keys: KeyRecord, options: AnonymizationOptions = AnonymizationOptions()) throws(AnonLogError) {
        guard keys.mode == .hmac else {
            throw AnonLogError(.usage, "mode \(keys.mode.rawValue) is not available in this build")
        }
        let shape = options.pseudonymShape
        let epochs = EpochPseudonyms<HMACPseudonymizer>(record: keys, pseudonymizeIdentifiers: options.pseudonymizeSessionIDs) {
            (key) throws(AnonLogError) in HMACPseudonymizer(key: try key.subkey(purpose: .address), shape: shape)
        }
        lines = LineAnonymizer(
            epochs: epochs,
            recognizer: FormatRecognizer(forcedFormat: options.forcedFormat),
            redactionMarker: Array(options.redactionMarker.utf8),
            now: Int64(time(nil))
        )
    }

    /// Keys the anonymizer with one HMAC key and no rotation.
    ///
    /// - Parameters:
    ///   - key: The master key; the address and identifier subkeys are derived from it.
    ///   - options: Shapes, formats and the redaction marker.
    public convenience init(key: SecretKey, options: AnonymizationOptions = AnonymizationOptions()) throws(AnonLogError) {
        try self.init(keys: KeyRecord(mode: .hmac, rotation: .none, epoch: 0, key: key), options: options)
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

    /// Records statistics from the lines anonymized, before their addresses are replaced
    /// (`nil`, the default, records none).
    public var statistics: StatsRecorder? {
        get { lines.statistics }
        set { lines.statistics = newValue }
    }
}
