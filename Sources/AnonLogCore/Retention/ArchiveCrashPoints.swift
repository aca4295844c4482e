#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The steps of an archive run where a crash must leave a state the next run can finish.
public enum ArchiveStep: String, Sendable, CaseIterable {
    /// An output is complete in its temporary file, not yet synced.
    case outputWritten = "output-written"
    /// An output is synced under its staging name.
    case staged
    /// An output was read back and matched what was written.
    case verified
    /// An output is in place, not yet in the manifest.
    case renamed
    /// An output is in the manifest; its statistics are not yet ingested.
    case recorded
    /// Statistics were ingested; the manifest does not say so yet.
    case statisticsIngested = "stats-ingested"
    /// A raw log was deleted; the manifest does not say so yet.
    case sourceDeleted = "source-deleted"
    /// An expired output was deleted; the manifest does not say so yet.
    case outputExpired = "output-expired"
    /// A new manifest is synced under its temporary name, not yet renamed over the old one.
    case manifestWritten = "manifest-written"
    /// Expired key epochs were shredded.
    case keysShredded = "keys-shredded"
}

/// A test hook: kills the process with SIGKILL the n-th time a run reaches a named step, so
/// that the crash test can stop a real `anonlog archive` exactly between two steps.
///
/// The command line reads it from `ANONLOG_TEST_CRASH_AT` (`renamed`, `recorded:3`, several
/// separated by commas). Never set in production.
public final class ArchiveCrashPoints: @unchecked Sendable {
    private let targets: [ArchiveStep: Int]
    private var reached: [ArchiveStep: Int] = [:]
    private let lock = ConditionLock()

    // @unchecked Sendable: `reached` is only touched with `lock` held.

    /// Reads `step[:n],...`; `nil` when the text names no known step.
    public init?(parsing text: String) {
        var targets: [ArchiveStep: Int] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: ":")
            guard let step = ArchiveStep(rawValue: String(parts[0])) else { return nil }
            let count = parts.count > 1 ? Int(parts[1]) : 1
            guard let count, count >= 1 else { return nil }
            targets[step] = count
        }
        guard !targets.isEmpty else { return nil }
        self.targets = targets
    }

    /// Counts an arrival at `step`, and kills the process if it is the one named.
    func reach(_ step: ArchiveStep) {
        guard let target = targets[step] else { return }
        let count = lock.withLock { () -> Int in
            reached[step, default: 0] += 1
            return reached[step]!
        }
        if count == target { kill(getpid(), SIGKILL) }
    }
}
