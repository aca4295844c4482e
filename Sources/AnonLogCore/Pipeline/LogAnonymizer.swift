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
    let lines: any LineRewriting

    /// Keys the anonymizer from a key file's contents.
    ///
    /// - Parameters:
    ///   - keys: The mode, the rotation and the key of the oldest retained epoch.
    ///   - options: Shapes, formats and the redaction marker.
    ///   - direction: Anonymize, or decrypt the pseudonyms of a reversible mode.
    /// - Throws: ``AnonLogError`` when the mode's ciphers cannot be set up, or a mode that
    ///   cannot be reversed is asked to decrypt.
    public init(
        keys: KeyRecord, options: AnonymizationOptions = AnonymizationOptions(), direction: TransformDirection = .anonymize
    ) throws(AnonLogError) {
        let builder = LineRewriterBuilder(
            keys: keys, options: options, direction: direction, now: Int64(time(nil)), count: 1, gzipLevel: nil)
        lines = try ModeDispatch.withFactory(mode: keys.mode, direction: direction, options: options, SingleRewriterBuilder(base: builder))
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

    /// Anonymizes `lines` and builds their statistics records into `events` without counting
    /// them: the part of recording a pipeline's workers do (for the stage benchmarks).
    ///
    /// - Parameters:
    ///   - lines: Whole lines, each ending in a line feed except perhaps the last.
    ///   - output: Receives the rewritten bytes.
    ///   - events: Emptied, then receives a record per line; ``statistics`` must be set (its
    ///     ``StatsRecorder/consume(_:lines:)`` counts them).
    @_spi(Benchmarks)
    public func anonymize(_ lines: UnsafeRawBufferPointer, into output: OutputBuffer, events: StatsEventBuffer) {
        precondition(statistics != nil, "building statistics records needs a recorder")
        events.removeAll()
        self.lines.anonymize(lines: lines, into: output, events: events)
    }
}
