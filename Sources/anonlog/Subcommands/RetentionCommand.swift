import AnonLogCore
import ArgumentParser
import Foundation

struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Show or enforce the retention windows of a policy.",
        subcommands: [StatusCommand.self, ApplyCommand.self]
    )

    struct StatusCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Per class: what is held, the oldest item, and what is past its window. Touches nothing."
        )

        @OptionGroup var settings: ArchivePolicyOptions

        @Option(help: ArgumentHelp("The directory of raw logs (default: the policy's [archive] source).", valueName: "dir"))
        var source: String?

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() throws {
            let policy = try settings.loadPolicy()
            let configuration = try settings.configuration(policy: policy, source: source, needsKey: false)
            let statistics = try settings.statisticsSink(policy: policy, creating: false)
            let status = try reportingErrors { () throws(AnonLogError) -> RetentionStatus in
                try RetentionJob.status(configuration, statistics: statistics)
            }
            if json {
                print(status.json, terminator: "")
                return
            }
            let rows = status.entries.map { entry -> [String] in
                var held = entry.held.map { "\($0) \(entry.unit)" } ?? "-"
                if let bytes = entry.bytes { held += String(format: " (%.1f MiB)", Double(bytes) / 1_048_576) }
                let overdue = entry.overdue.map { $0 == 0 ? "none" : "\($0) \(entry.unit)" } ?? "-"
                return [
                    entry.retentionClass.title, entry.window?.description ?? "keep", held,
                    entry.oldest.map(LogTimestamp.format) ?? "-", overdue, entry.note ?? "",
                ]
            }
            let header = ["class", "window", "held", "oldest", "overdue", "note"]
            let widths = (0..<header.count).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
            for row in [header] + rows {
                print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
            }
            for note in status.notes { print("note: \(note)") }
        }
    }

    struct ApplyCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Delete and shred whatever is past its window now (anonlog archive does this too).",
            discussion: """
                Deletes archived raw logs older than raw_logs (only those the manifest records as \
                archived and ingested), anonymized logs older than anonymized_logs, statistics rows \
                past their windows (in the policy's [statistics] store), and shreds key epochs older \
                than key_epochs. Exit status as for \
                anonlog archive (0 done, 2 partial failure, 3 nothing to do, 75 locked).
                """
        )

        @OptionGroup var settings: ArchivePolicyOptions

        @Option(help: ArgumentHelp("The directory of raw logs (default: the policy's [archive] source).", valueName: "dir"))
        var source: String?

        @Flag(help: "Print what would be deleted and shredded, and touch nothing.")
        var dryRun = false

        @Option(help: ArgumentHelp("Write the report as JSON to this file.", valueName: "path"))
        var reportJson: String?

        @Flag(name: .shortAndLong, help: "Print the summary even when not on a terminal and nothing failed.")
        var verbose = false

        func run() throws {
            ShutdownRequest.installHandlers()
            let policy = try settings.loadPolicy()
            var configuration = try settings.configuration(policy: policy, source: source, needsKey: false)
            configuration.keys = settings.existingKey(configuration)
            let statistics: any ArchiveStatsSink = dryRun ? NoStatisticsSink() : try settings.statisticsSink(policy: policy, creating: false)
            let report = RetentionJob.apply(configuration, statistics: statistics, dryRun: dryRun)
            if dryRun, report.fatalError == nil { ArchiveReportPrinter.printPlan(report.plan, configuration: configuration) }
            try ArchiveReportPrinter.finish(report, reportJSON: reportJson, verbose: verbose)
        }
    }
}
