import AnonLogCore
import ArgumentParser

struct DecryptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decrypt",
        abstract: "Recover the addresses of a log anonymized in a reversible mode (for whoever holds the key).",
        discussion: """
            For a lawful-disclosure request: reads logs written with --mode cryptopan, ipcrypt-pfx, \
            ipcrypt-deterministic or ipcrypt-ndx and writes them with the original addresses. \
            hmac and mask cannot be reversed by anyone. With a rotating key each line is decrypted \
            with the key of its own time; lines of shredded epochs stay as they are.
            """
    )

    @Argument(help: ArgumentHelp("Anonymized logs; '-' or none for standard input.", valueName: "file"))
    var files: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output; '.gz' writes gzip.", valueName: "path"))
    var output: String?

    @Option(help: ArgumentHelp("The mode the log was written with (must match the key file).", valueName: "mode"))
    var mode: AnonymizationMode?

    @OptionGroup var key: KeyOptions

    @Flag(name: .shortAndLong, help: "Do not print the summary on standard error.")
    var quiet = false

    func run() throws {
        ShutdownRequest.installHandlers()
        let record = try reportingErrors { () throws(AnonLogError) -> KeyRecord in try key.loadExisting(mode: mode) }
        let destination: OutputDestination = output.map { .file(path: $0, append: false) } ?? .standardOutput
        let options = AnonymizationOptions()
        let report = AnonymizationJob.run(inputs: files, destination: destination, keys: record, options: options, direction: .decrypt)
        try Self.finish(report, quiet: quiet)
    }

    /// Prints what went wrong and the summary, and ends with the report's status.
    static func finish(_ report: AnonymizationReport, quiet: Bool) throws {
        for error in report.errors where error.code != .outputClosed {
            StandardError.report(error)
        }
        if !quiet && !report.inputs.isEmpty && report.fatalError?.code != .outputClosed {
            StandardError.print(report.summaryLine)
        }
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }
}
