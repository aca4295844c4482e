/// `anonlog retention`: the retention half of the archive job, on its own.
public enum RetentionJob {
    /// Deletes and shreds whatever is past its window now, as ``ArchiveJob/run(_:statistics:dryRun:progress:)``
    /// does after archiving, without archiving anything.
    ///
    /// - Parameters:
    ///   - configuration: The archive (and, to delete raw logs, the source directory).
    ///   - statistics: The statistics store.
    ///   - dryRun: Only work out what would be done.
    /// - Returns: What was done; its exit status follows ``ArchiveReport/exitStatus``.
    public static func apply(
        _ configuration: ArchiveConfiguration, statistics: any ArchiveStatsSink = NoStatisticsSink(), dryRun: Bool = false
    ) -> ArchiveReport {
        ArchiveJob.execute(configuration, statistics: statistics, dryRun: dryRun, archiving: false, progress: nil)
    }

    /// What is held per class, the oldest of it and what is overdue; touches nothing.
    public static func status(
        _ configuration: ArchiveConfiguration, statistics: any ArchiveStatsSink = NoStatisticsSink()
    ) throws(AnonLogError) -> RetentionStatus {
        try RetentionStatus(configuration, statistics: statistics)
    }
}
