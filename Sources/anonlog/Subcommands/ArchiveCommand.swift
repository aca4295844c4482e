import AnonLogCore
import ArgumentParser
import Foundation

struct ArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Anonymize rotated logs into an archive, exactly once, and enforce the retention windows.",
        discussion: """
            Takes the files under SRC that match the policy's [sources] include globs, except live \
            logs and files modified within the quiet period, and anonymizes several at once (one \
            per core by default). Each output (gzip) is written under a temporary name, synced, \
            read back and verified (line count and CRC-32), renamed into place and recorded in the \
            manifest (DST/.anonlog-archive/manifest); its statistics, recorded as it is read, go to \
            the policy's [statistics] store (default: the filter's), exactly once. Files \
            in the manifest are skipped, so a rerun changes nothing. Raw logs are deleted only \
            once archived, verified, ingested and older than raw_logs; anonymized logs, statistics \
            rows and key epochs past their windows are deleted or shredded in the same run. A lock \
            (DST/.anonlog-archive/lock) keeps two runs apart; the lock of a dead run is taken over. \
            Killed at any moment, the next run finishes the work. Silent under cron unless \
            something failed; a progress bar and a summary on a terminal.

            EXIT STATUS
              0    everything succeeded
              2    partial failure: something failed and was reported; the rest was done
                   (a raw log that failed is kept and tried again by the next run)
              3    nothing to do
              64   bad arguments
              65   the manifest is damaged
              66   the source directory or the policy cannot be read
              73   the archive directory cannot be created
              74   an i/o error stopped the run
              75   another run holds the archive's lock
              77, 78  the key file cannot be read, or it or the policy is invalid
              130, 143  interrupted (SIGINT, SIGTERM); finished files are recorded
            """
    )

    @Argument(help: ArgumentHelp("The directory of raw logs (default: the policy's [archive] source).", valueName: "src"))
    var source: String?

    @OptionGroup var settings: ArchivePolicyOptions

    @Flag(help: "Print the whole plan (what would be archived, skipped, deleted and shredded) and touch nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Raw logs processed at once (default: one per core).", valueName: "count"))
    var jobs: Int?

    @Option(help: ArgumentHelp(
        "Write the report as JSON: per file lines, addresses, drops, bytes, seconds; deletions; shredded epochs.",
        valueName: "path"))
    var reportJson: String?

    @Flag(name: .shortAndLong, help: "Print the summary even when not on a terminal and nothing failed.")
    var verbose = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        ShutdownRequest.installHandlers()
        let policy = try settings.loadPolicy()
        guard source != nil || policy.sourceDirectory != nil else {
            throw ValidationError("name the directory of raw logs (SRC) or set [archive] source in the policy")
        }
        var configuration = try settings.configuration(policy: policy, source: source, needsKey: !dryRun)
        configuration.jobs = jobs
        if dryRun {
            let report = ArchiveJob.run(configuration, dryRun: true)
            if report.fatalError == nil { ArchiveReportPrinter.printPlan(report.plan, configuration: configuration) }
            try ArchiveReportPrinter.finish(report, reportJSON: reportJson, verbose: verbose)
            return
        }
        var progress: (@Sendable (ArchiveProgress) -> Void)?
        let bar: ProgressBar? = isatty(2) == 1 ? ProgressBar() : nil
        if let bar {
            progress = { bar.show($0) }
        }
        let statistics = try settings.statisticsSink(policy: policy, creating: true)
        let report = ArchiveJob.run(configuration, statistics: statistics, progress: progress)
        bar?.clear()
        try ArchiveReportPrinter.finish(report, reportJSON: reportJson, verbose: verbose)
    }
}

/// A one-line progress bar on standard error, redrawn in place.
final class ProgressBar: Sendable {
    func show(_ progress: ArchiveProgress) {
        let width = 30
        let fraction = progress.bytesTotal > 0 ? Double(progress.bytesDone) / Double(progress.bytesTotal) : 1
        let filled = min(width, Int(fraction * Double(width)))
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        let megabytes = { (bytes: Int64) in String(format: "%.1f", Double(bytes) / 1_048_576) }
        let line = "\r[\(bar)] \(progress.filesDone)/\(progress.filesTotal) files, \(megabytes(progress.bytesDone))/\(megabytes(progress.bytesTotal)) MiB"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
