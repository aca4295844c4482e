import AnonLogCore
import ArgumentParser

@main
struct AnonlogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anonlog",
        abstract: "Replace every IP address in web and chat logs with a keyed pseudonym.",
        discussion: """
            With no subcommand, anonlog anonymizes FILE... (or standard input) to standard output \
            or to -o PATH. Run 'anonlog help anonymize' for its options.
            """,
        version: AnonLogVersion.current,
        subcommands: [
            AnonymizeCommand.self, KeyCommand.self, LookupCommand.self, DecryptCommand.self, StatsCommand.self, ArchiveCommand.self,
            RetentionCommand.self,
        ],
        defaultSubcommand: AnonymizeCommand.self
    )
}
