#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// How far an archive run has got, for a progress bar.
public struct ArchiveProgress: Sendable {
    /// Raw logs finished (archived or failed), and all raw logs to archive.
    public var filesDone: Int
    public var filesTotal: Int
    /// Raw bytes (as stored) of the files done, and of all files to do.
    public var bytesDone: Int64
    public var bytesTotal: Int64
}

/// The nightly job: `anonlog archive SRC --out DST --policy P`.
///
/// In order, under the archive's lock (see ``ArchiveState``):
///
/// 1. Plan (``ArchivePlanner``): raw logs matching the policy's globs, not live, quiet for the
///    quiet period and not in the manifest are taken.
/// 2. Statistics left pending by an interrupted run are recorded (``PendingStatisticsReader``)
///    and ingested.
/// 3. The raw logs are archived in parallel (``ArchivedFileWriter``: staging name, sync,
///    read-back verification, rename), each job recording the statistics of its raw log as it
///    reads it, with a recorder of its own; each one is then recorded in the manifest, and its
///    statistics ingested and recorded as such. A damaged raw log is reported and kept; the
///    others go on.
/// 4. Retention (``RetentionEnforcer``): archived raw logs past their window are deleted,
///    anonymized files and statistics rows past theirs too, and expired key epochs shredded.
///
/// Every step is recorded durably before the next depends on it, so a run killed at any moment
/// leaves a state the next run finishes: an output not yet recorded is written again (and
/// replaces the one in place), a raw log is only deleted after its output is recorded and its
/// statistics ingested, and ingestion itself is idempotent per raw log (see
/// ``ArchiveStatsSink``).
public enum ArchiveJob {
    /// Runs the job.
    ///
    /// - Parameters:
    ///   - configuration: Directories, policy, key and time.
    ///   - statistics: Where statistics go (nowhere by default).
    ///   - dryRun: Only work out the plan: nothing is created, locked, written or deleted.
    ///   - progress: Called after each raw log, from a worker thread.
    /// - Returns: What was done, what failed and the exit status.
    public static func run(
        _ configuration: ArchiveConfiguration, statistics: any ArchiveStatsSink = NoStatisticsSink(), dryRun: Bool = false,
        progress: (@Sendable (ArchiveProgress) -> Void)? = nil
    ) -> ArchiveReport {
        execute(configuration, statistics: statistics, dryRun: dryRun, archiving: true, progress: progress)
    }

    /// Runs the job with or without archiving (retention alone is `anonlog retention apply`).
    static func execute(
        _ configuration: ArchiveConfiguration, statistics: any ArchiveStatsSink, dryRun: Bool, archiving: Bool,
        progress: (@Sendable (ArchiveProgress) -> Void)?
    ) -> ArchiveReport {
        var report = ArchiveReport()
        report.dryRun = dryRun
        if archiving && !dryRun && configuration.keys == nil {
            report.fatalError = AnonLogError(.usage, "archiving needs a key")
            return report
        }
        if dryRun {
            do throws(AnonLogError) {
                let manifest = try ArchiveManifest.load(from: ArchiveState.manifestPath(configuration))
                report.plan = try ArchivePlanner.plan(configuration, manifest: manifest, archiving: archiving).plan
            } catch {
                report.fatalError = error
            }
            return report
        }

        let state: ArchiveState
        let planned: ArchivePlanner.Result
        do throws(AnonLogError) {
            state = try ArchiveState(opening: configuration)
            planned = try ArchivePlanner.plan(configuration, manifest: state.manifest, archiving: archiving)
        } catch {
            report.fatalError = error
            return report
        }
        defer { state.close() }
        report.lockTakenOverFrom = state.lock.takenOverFrom
        report.plan = planned.plan
        let sink = StatisticsGate(statistics)

        for identity in planned.plan.pendingStatistics {
            if ShutdownRequest.isRequested { break }
            guard let entry = state.manifest.entry(for: identity), let file = planned.archivedOnDisk[identity] else { continue }
            let source = ArchivedSource(
                identity: identity, sourcePath: file.path, relativePath: file.relativePath,
                outputPath: ArchiveFileSystem.join(configuration.archiveDirectory, entry.output),
                counts: AnonymizationCounts(linesIn: entry.linesIn), written: entry.written)
            ingestPending(source, into: sink, state: state, report: &report)
        }
        if let signal = ShutdownRequest.signal {
            report.interruptingSignal = signal
            return report
        }

        let archived = archive(planned.plan.toArchive, configuration: configuration, state: state, sink: sink, progress: progress)
        report.files = archived.files
        report.statisticsIngested += archived.ingested
        report.statisticsAlreadyIngested += archived.alreadyIngested
        report.statisticsLinesCounted += archived.linesCounted
        report.problems += archived.problems
        if let signal = ShutdownRequest.signal {
            report.interruptingSignal = signal
            return report
        }

        var deletions = planned.plan.rawDeletions
        let done = Set(report.archived.map(\.source))
        for candidate in planned.plan.toArchive where candidate.deleteOnceArchived && done.contains(candidate.relativePath) {
            deletions.append(.init(sourcePath: candidate.sourcePath, relativePath: candidate.relativePath, identity: candidate.identity))
        }
        // Outputs planned to expire at once (raw logs older than the anonymized-logs window)
        // exist only if their raw log was archived.
        var plan = planned.plan
        let failed = Set(plan.toArchive.filter { !done.contains($0.relativePath) }.map(\.identity))
        plan.outputExpiries.removeAll { failed.contains($0.identity) }
        RetentionEnforcer.enforce(
            plan, rawDeletions: deletions, onDisk: Set(planned.files.map { SourceIdentity($0.status) }),
            state: state, statistics: sink, report: &report)
        report.interruptingSignal = ShutdownRequest.signal
        return report
    }

    // MARK: - Archiving

    private struct Archived {
        var files: [ArchiveReport.FileReport] = []
        var ingested = 0
        var alreadyIngested = 0
        var linesCounted = 0
        var problems: [AnonLogError] = []
    }

    /// How raw logs are anonymized: the configuration's options with the policy's format, gzip
    /// level and stream windows, and the cores shared among `jobs`.
    static func archivingOptions(_ configuration: ArchiveConfiguration, jobs: Int) -> AnonymizationOptions {
        var options = configuration.options
        options.threads = max(1, (configuration.options.threads ?? ProcessorCount.online) / jobs)
        options.gzipLevel = configuration.policy.gzipLevel
        options.forcedFormat = configuration.policy.format ?? configuration.options.forcedFormat
        options.windows = configuration.policy.streamWindows(now: configuration.now)
        return options
    }

    /// Archives the candidates, `jobs` at a time.
    private static func archive(
        _ candidates: [ArchivePlan.Candidate], configuration: ArchiveConfiguration, state: ArchiveState, sink: StatisticsGate,
        progress: (@Sendable (ArchiveProgress) -> Void)?
    ) -> Archived {
        guard !candidates.isEmpty, let keys = configuration.keys else { return Archived() }
        let cores = ProcessorCount.online
        let jobs = max(1, min(configuration.jobs ?? cores, candidates.count))
        let options = archivingOptions(configuration, jobs: jobs)

        let queue = WorkQueue(candidates, bytesTotal: candidates.reduce(0) { $0 + $1.identity.size })
        let optionsBox = OptionsBox(options: options, keys: keys)
        let threads = (0..<jobs).map { _ in
            WorkerThread {
                WorkerThread.blockStopSignals()
                while let (index, candidate) = queue.next() {
                    let (file, outcome) = archiveOne(
                        candidate, options: optionsBox, configuration: configuration, state: state, sink: sink)
                    queue.finish(index, file, outcome, progress: progress)
                }
            }
        }
        for thread in threads { thread.join() }
        return queue.result
    }

    /// Archives, records and ingests one raw log.
    private static func archiveOne(
        _ candidate: ArchivePlan.Candidate, options: OptionsBox, configuration: ArchiveConfiguration, state: ArchiveState,
        sink: StatisticsGate
    ) -> (ArchiveReport.FileReport?, Outcome) {
        let start = monotonicSeconds()
        var file = ArchiveReport.FileReport(
            source: candidate.relativePath, output: candidate.outputRelativePath, counts: AnonymizationCounts(), written: nil,
            bytesRead: candidate.identity.size, bytesWritten: 0, seconds: 0, error: nil)
        var outcome = Outcome()
        // A recorder of this job's own; without one (the store cannot be opened) the raw log is
        // archived all the same, and its statistics are left pending for the next run.
        var recorder: StatsRecorder?
        var recording = true
        do throws(AnonLogError) {
            recorder = try sink.makeRecorder(keys: options.keys)
        } catch {
            outcome.problems.append(error)
            recording = false
        }
        let archived: Result<ArchivedFileWriter.Result, ArchivedFileWriter.Failure>
        do throws(ArchivedFileWriter.Failure) {
            archived = .success(try ArchivedFileWriter.archive(
                candidate, keys: options.keys, options: options.options, now: configuration.now, crashPoints: configuration.crashPoints,
                statistics: recorder))
        } catch {
            archived = .failure(error)
        }
        // What the recorder committed counts, whatever became of the output.
        file.statistics = recorder?.report
        outcome.linesCounted = recorder?.report.linesCounted ?? 0
        let result: ArchivedFileWriter.Result
        switch archived {
        case .success(let archived):
            result = archived
        case .failure(.interrupted):
            return (nil, outcome)
        case .failure(.failed(let failure, let counts)):
            file.counts = counts
            file.error = failure
            file.seconds = monotonicSeconds() - start
            return (file, outcome)
        }
        if let failure = recorder?.failure {
            outcome.problems.append(failure)
            recording = false
        }
        file.counts = result.counts
        file.written = result.written
        file.bytesWritten = result.outputSize
        let entry = ArchiveManifest.Entry(
            identity: candidate.identity, source: candidate.relativePath, output: candidate.outputRelativePath,
            linesIn: result.counts.lines, written: result.written, outputSize: result.outputSize,
            dropped: result.counts.recordsDroppedByAge + result.counts.chatLinesDropped, archivedAt: configuration.now,
            statisticsIngested: false, sourceDeletedAt: nil, outputDeletedAt: nil)
        do throws(AnonLogError) {
            try state.change { $0.record(entry) }
        } catch {
            // In place but not recorded: the next run archives it again over the same name.
            file.error = error
            file.seconds = monotonicSeconds() - start
            return (file, outcome)
        }
        configuration.crashPoints?.reach(.recorded)
        guard recording else {
            file.seconds = monotonicSeconds() - start
            return (file, outcome)
        }
        let source = ArchivedSource(
            identity: candidate.identity, sourcePath: candidate.sourcePath, relativePath: candidate.relativePath,
            outputPath: candidate.outputPath, counts: result.counts, written: result.written, recorded: recorder?.report)
        var report = ArchiveReport()
        ingest(source, into: sink, state: state, report: &report)
        outcome.ingested = report.statisticsIngested
        outcome.alreadyIngested = report.statisticsAlreadyIngested
        outcome.problems += report.problems
        file.seconds = monotonicSeconds() - start
        return (file, outcome)
    }

    /// Records the statistics of a raw log archived by an earlier run, reading it again, and
    /// ingests them. Without a key (`anonlog retention apply` that cannot read it) a sink that
    /// records is asked all the same, and says what is missing.
    private static func ingestPending(_ source: ArchivedSource, into sink: StatisticsGate, state: ArchiveState, report: inout ArchiveReport) {
        var source = source
        let configuration = state.configuration
        if let keys = configuration.keys {
            do throws(AnonLogError) {
                if let recorder = try sink.makeRecorder(keys: keys) {
                    // What the recorder committed counts, also when the raw log turns out damaged.
                    defer { report.statisticsLinesCounted += recorder.report.linesCounted }
                    try PendingStatisticsReader.record(
                        source.sourcePath, keys: keys, options: archivingOptions(configuration, jobs: 1), now: configuration.now,
                        into: recorder)
                    if ShutdownRequest.isRequested { return }
                    if let failure = recorder.failure { throw failure }
                    source.recorded = recorder.report
                }
            } catch {
                report.problems.append(error)
                return
            }
        }
        ingest(source, into: sink, state: state, report: &report)
    }

    /// Ingests one raw log's statistics and records that it was.
    private static func ingest(_ source: ArchivedSource, into sink: StatisticsGate, state: ArchiveState, report: inout ArchiveReport) {
        do throws(AnonLogError) {
            switch try sink.ingest(source) {
            case .ingested: report.statisticsIngested += 1
            case .alreadyIngested: report.statisticsAlreadyIngested += 1
            }
            state.configuration.crashPoints?.reach(.statisticsIngested)
            try state.change { $0.update(source.identity) { $0.statisticsIngested = true } }
        } catch {
            report.problems.append(error)
        }
    }

    private static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    // MARK: - Sharing between the worker threads

    /// Statistics counted for one raw log.
    private struct Outcome {
        var ingested = 0
        var alreadyIngested = 0
        var linesCounted = 0
        var problems: [AnonLogError] = []
    }

    /// What every worker needs, read-only.
    private final class OptionsBox: @unchecked Sendable {
        let options: AnonymizationOptions
        let keys: KeyRecord
        init(options: AnonymizationOptions, keys: KeyRecord) {
            self.options = options
            self.keys = keys
        }
        // @unchecked Sendable: immutable after init.
    }

    /// Hands out candidates and collects results, under one lock.
    private final class WorkQueue: @unchecked Sendable {
        private let lock = ConditionLock()
        private let candidates: [ArchivePlan.Candidate]
        private var nextIndex = 0
        private var files: [Int: ArchiveReport.FileReport] = [:]
        private var archived = Archived()
        private var progress: ArchiveProgress

        // @unchecked Sendable: all state is touched with `lock` held.

        init(_ candidates: [ArchivePlan.Candidate], bytesTotal: Int64) {
            self.candidates = candidates
            progress = ArchiveProgress(filesDone: 0, filesTotal: candidates.count, bytesDone: 0, bytesTotal: bytesTotal)
        }

        /// The next candidate, or `nil` when all are taken or a stop was requested.
        func next() -> (Int, ArchivePlan.Candidate)? {
            lock.withLock {
                guard nextIndex < candidates.count, !ShutdownRequest.isRequested else { return nil }
                nextIndex += 1
                return (nextIndex - 1, candidates[nextIndex - 1])
            }
        }

        func finish(_ index: Int, _ file: ArchiveReport.FileReport?, _ outcome: Outcome, progress report: (@Sendable (ArchiveProgress) -> Void)?) {
            let snapshot = lock.withLock { () -> ArchiveProgress in
                files[index] = file
                archived.ingested += outcome.ingested
                archived.alreadyIngested += outcome.alreadyIngested
                archived.linesCounted += outcome.linesCounted
                archived.problems += outcome.problems
                progress.filesDone += 1
                progress.bytesDone += candidates[index].identity.size
                return progress
            }
            report?(snapshot)
        }

        /// The results in plan order.
        var result: Archived {
            lock.withLock {
                var result = archived
                result.files = files.keys.sorted().compactMap { files[$0] }
                return result
            }
        }
    }
}

/// Serializes calls to the statistics sink, which may be used from any worker thread.
final class StatisticsGate: @unchecked Sendable {
    private let sink: any ArchiveStatsSink
    private let lock = ConditionLock()

    // @unchecked Sendable: the sink is only used with `lock` held.

    init(_ sink: any ArchiveStatsSink) {
        self.sink = sink
    }

    func makeRecorder(keys: KeyRecord) throws(AnonLogError) -> StatsRecorder? {
        lock.lock()
        defer { lock.unlock() }
        return try sink.makeRecorder(keys: keys)
    }

    func ingest(_ source: ArchivedSource) throws(AnonLogError) -> StatsIngestion {
        lock.lock()
        defer { lock.unlock() }
        return try sink.ingest(source)
    }

    func deleteRows(olderThan cutoff: Int64, class statisticsClass: StatisticsClass) throws(AnonLogError) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return try sink.deleteRows(olderThan: cutoff, class: statisticsClass)
    }
}

extension AnonymizationCounts {
    /// Counts that only know the lines read (for a raw log archived by an earlier run).
    init(linesIn: Int) {
        self.init()
        lines = linesIn
    }
}
