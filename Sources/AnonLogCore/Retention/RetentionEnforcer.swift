/// Deletes what is past its window, in the order that keeps every step recoverable.
///
/// - A raw log goes only when the manifest records its output and its statistics, the output
///   is still in place with the size recorded, and the file on disk is still the one archived
///   (same identity). It is unlinked (directory synced) before the manifest notes it; a crash
///   in between leaves an entry whose raw log is simply gone.
/// - An anonymized file goes when its raw log's time is past the anonymized-logs window.
/// - Statistics rows are deleted by the store, per class.
/// - Key epochs are shredded with ``KeyFile/shred(at:before:)``, which replaces the key file
///   durably.
/// - Entries whose output and raw log are both gone are dropped from the manifest.
enum RetentionEnforcer {
    static func enforce(
        _ plan: ArchivePlan, rawDeletions: [ArchivePlan.RawDeletion], onDisk: Set<SourceIdentity>, state: ArchiveState,
        statistics: StatisticsGate, report: inout ArchiveReport
    ) {
        let configuration = state.configuration
        let now = configuration.now
        for deletion in rawDeletions {
            if ShutdownRequest.isRequested { return }
            var failure: AnonLogError?
            do throws(AnonLogError) {
                try deleteRawLog(deletion, state: state)
            } catch {
                failure = error
            }
            report.deletions.append(.init(kind: .rawLog, path: deletion.sourcePath, error: failure))
        }
        for expiry in plan.outputExpiries {
            if ShutdownRequest.isRequested { return }
            var failure: AnonLogError?
            do throws(AnonLogError) {
                try ArchiveFileSystem.remove(expiry.outputPath)
                configuration.crashPoints?.reach(.outputExpired)
                try state.change { $0.update(expiry.identity) { $0.outputDeletedAt = now } }
            } catch {
                failure = error
            }
            report.deletions.append(.init(kind: .anonymizedLog, path: expiry.outputPath, error: failure))
        }
        for expiry in plan.rowExpiries {
            do throws(AnonLogError) {
                report.statisticsRowsDeleted[expiry.statisticsClass] = try statistics.deleteRows(
                    olderThan: expiry.cutoff, class: expiry.statisticsClass)
            } catch {
                report.problems.append(error)
            }
        }
        if let shred = plan.keyShred {
            do throws(AnonLogError) {
                report.shredded = try KeyFile.shred(at: shred.keyFile, before: shred.before)
                configuration.crashPoints?.reach(.keysShredded)
            } catch {
                report.problems.append(error)
            }
        }
        let manifest = state.manifest
        let finished = manifest.entries.contains { $0.outputDeletedAt != nil && ($0.sourceDeletedAt != nil || !onDisk.contains($0.identity)) }
        if finished {
            do throws(AnonLogError) {
                try state.change { manifest in
                    manifest.removeAll { $0.outputDeletedAt != nil && ($0.sourceDeletedAt != nil || !onDisk.contains($0.identity)) }
                }
            } catch {
                report.problems.append(error)
            }
        }
    }

    /// Deletes one archived raw log after checking, again, everything its deletion rests on.
    private static func deleteRawLog(_ deletion: ArchivePlan.RawDeletion, state: ArchiveState) throws(AnonLogError) {
        let configuration = state.configuration
        let location = AnonLogError.Location(path: deletion.sourcePath)
        guard let entry = state.manifest.entry(for: deletion.identity) else {
            throw AnonLogError(.ioError, "not deleted: the manifest does not record it", location: location)
        }
        guard entry.statisticsIngested else {
            throw AnonLogError(.ioError, "not deleted: its statistics are not ingested yet", location: location)
        }
        if entry.outputDeletedAt == nil {
            let output = ArchiveFileSystem.join(configuration.archiveDirectory, entry.output)
            guard let status = ArchiveFileSystem.status(output), status.size == entry.outputSize else {
                throw AnonLogError(.ioError, "not deleted: its archived copy \(output) is missing or has changed", location: location)
            }
        }
        guard let status = ArchiveFileSystem.status(deletion.sourcePath), SourceIdentity(status) == deletion.identity else {
            throw AnonLogError(.ioError, "not deleted: the file changed since it was archived", location: location)
        }
        try ArchiveFileSystem.remove(deletion.sourcePath)
        configuration.crashPoints?.reach(.sourceDeleted)
        try state.change { $0.update(deletion.identity) { $0.sourceDeletedAt = configuration.now } }
    }
}
