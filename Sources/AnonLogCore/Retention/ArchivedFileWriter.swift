#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Anonymizes one raw log into the archive: written under a staging name, synced, read back and
/// verified, then renamed into place (and the directory synced).
///
/// Until the rename nothing is visible among the archived files; after it, the file there is
/// complete and verified. The raw log is only read, once: a statistics recorder, if given, sees
/// its lines in the same pass, and commits them before the output is placed.
enum ArchivedFileWriter {
    /// What archiving one raw log gave.
    struct Result {
        var counts: AnonymizationCounts
        var written: ContentTally.Summary
        /// The output's size as stored (compressed).
        var outputSize: Int64
    }

    /// Why a raw log was not archived.
    enum Failure: Error {
        /// Anonymizing, writing or verifying failed; nothing was placed.
        case failed(AnonLogError, counts: AnonymizationCounts)
        /// A stop was requested (SIGINT, SIGTERM); nothing was placed.
        case interrupted
    }

    /// - Parameters:
    ///   - candidate: The raw log and where its output goes.
    ///   - keys: The key.
    ///   - options: How to anonymize (format, windows, gzip level, threads).
    ///   - now: The run's time, for lines before the first timestamp.
    ///   - crashPoints: The test hook.
    ///   - statistics: Records the raw log's lines as one input (its failure, if any, is the
    ///     caller's to look at).
    static func archive(
        _ candidate: ArchivePlan.Candidate, keys: KeyRecord, options: AnonymizationOptions, now: Int64,
        crashPoints: ArchiveCrashPoints?, statistics: StatsRecorder? = nil
    ) throws(Failure) -> Result {
        var builder = LineRewriterBuilder(
            keys: keys, options: options, direction: .anonymize, now: now,
            count: options.threads ?? 1, gzipLevel: options.gzipLevel, statistics: statistics)
        builder.tallying = true
        let pipeline: any PipelineRunning
        let file: OutputFile
        do throws(AnonLogError) {
            pipeline = try ModeDispatch.withFactory(mode: keys.mode, direction: .anonymize, options: options, builder)
            file = try OutputFile.create(path: candidate.stagingPath)
        } catch {
            throw .failed(error, counts: AnonymizationCounts())
        }
        let result: Result?
        do throws(AnonLogError) {
            result = try write(
                candidate, pipeline: pipeline, file: file, gzipLevel: options.gzipLevel, crashPoints: crashPoints, statistics: statistics)
        } catch {
            file.abandon()
            unlink(candidate.stagingPath)
            throw .failed(error, counts: pipeline.counts)
        }
        guard let result else {
            file.abandon()
            throw .interrupted
        }
        return result
    }

    /// The steps after setting up; `nil` when interrupted before the output was complete.
    private static func write(
        _ candidate: ArchivePlan.Candidate, pipeline: any PipelineRunning, file: OutputFile, gzipLevel: Int,
        crashPoints: ArchiveCrashPoints?, statistics: StatsRecorder?
    ) throws(AnonLogError) -> Result? {
        let input = try OpenedInput.open(path: candidate.sourcePath)
        statistics?.beginInput(named: candidate.sourcePath)
        var failure: StreamFailure?
        do throws(StreamFailure) {
            try pipeline.run(input.source, into: file.sink)
        } catch {
            failure = error
        }
        // What was read is committed, also before a stop: the ledger lets the next run, which
        // reads the raw log again, skip those lines. Not after damage: the last line read may be
        // cut short, and counted so it would never be counted whole. The segments committed at
        // earlier hours hold whole lines; the rest waits for the raw log to be whole.
        if case .input = failure { statistics?.abandonInput() } else { statistics?.finishInput() }
        if let failure {
            switch failure {
            case .input(let damage), .output(let damage): throw damage
            }
        }
        if ShutdownRequest.isRequested { return nil }
        if let keyingError = pipeline.keyingError { throw keyingError }
        guard let tally = pipeline.tally else { preconditionFailure("an archive pipeline tallies its output") }
        if tally.bytes == 0 {
            // An empty gzip member, so that the archived file is valid gzip.
            let empty = OutputBuffer(capacity: 64)
            try GzipMemberEncoders.make(level: gzipLevel).encode(UnsafeRawBufferPointer(start: nil, count: 0), member: 0, into: empty)
            try file.sink.write(empty.bytes)
        }
        crashPoints?.reach(.outputWritten)
        try file.sink.finish()
        try file.commit()
        crashPoints?.reach(.staged)
        try OutputVerifier.verify(candidate.stagingPath, wrote: tally.summary)
        crashPoints?.reach(.verified)
        guard let stored = ArchiveFileSystem.status(candidate.stagingPath) else {
            throw AnonLogError(.ioError, "the verified file is gone", location: .init(path: candidate.stagingPath))
        }
        try ArchiveFileSystem.makeDirectories(ArchiveFileSystem.parent(of: candidate.outputPath))
        try ArchiveFileSystem.move(candidate.stagingPath, to: candidate.outputPath)
        crashPoints?.reach(.renamed)
        return Result(counts: pipeline.counts, written: tally.summary, outputSize: stored.size)
    }
}
