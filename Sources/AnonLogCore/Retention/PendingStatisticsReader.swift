/// Reads a raw log archived by an earlier run again, only for its statistics: that run died, or
/// its store failed, before they were all in.
///
/// The lines go through the same pipeline, with the same options, as when the raw log was
/// archived, so they form the same segments: those the earlier run committed are recognised by
/// the store's ledger and not counted again; the rest are. The rewritten lines are discarded.
enum PendingStatisticsReader {
    /// - Parameters:
    ///   - path: The raw log.
    ///   - keys: The key it was archived with.
    ///   - options: The options it was archived with.
    ///   - now: The run's time, for lines before the first timestamp.
    ///   - recorder: Records the lines as one input.
    /// - Throws: ``AnonLogError`` when the raw log cannot be read whole.
    static func record(
        _ path: String, keys: KeyRecord, options: AnonymizationOptions, now: Int64, into recorder: StatsRecorder
    ) throws(AnonLogError) {
        let builder = LineRewriterBuilder(
            keys: keys, options: options, direction: .anonymize, now: now, count: 1, gzipLevel: nil, statistics: recorder)
        let pipeline = try ModeDispatch.withFactory(mode: keys.mode, direction: .anonymize, options: options, builder)
        let input = try OpenedInput.open(path: path)
        recorder.beginInput(named: path)
        do throws(StreamFailure) {
            try pipeline.run(input.source, into: DiscardingSink())
        } catch {
            // Damage (the raw log changed since it was archived): nothing more is committed, as
            // when archiving (see ``ArchivedFileWriter``); what was handed over is written first.
            recorder.abandonInput()
            switch error {
            case .input(let damage), .output(let damage): throw damage
            }
        }
        recorder.finishInput()
    }

    /// Takes the rewritten lines and keeps nothing.
    private final class DiscardingSink: ByteSink {
        var name: String { "/dev/null" }
        func write(_ bytes: UnsafeRawBufferPointer) throws(AnonLogError) {}
        func flush() throws(AnonLogError) {}
        func finish() throws(AnonLogError) {}
    }
}
