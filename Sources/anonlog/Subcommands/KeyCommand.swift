import AnonLogCore
import ArgumentParser

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Manage the pseudonymization key.",
        subcommands: [InitCommand.self]
    )

    struct InitCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create a new random key file (32 bytes as 64 hex characters, mode 0600).",
            discussion: "Refuses to overwrite an existing file: a lost key makes every old pseudonym unlinkable."
        )

        @Option(name: .customLong("key-file"), help: ArgumentHelp("Where to write the key.", valueName: "path"))
        var keyFile: String

        func run() throws {
            do {
                try KeyFile.create(at: keyFile)
            } catch {
                StandardError.report(error)
                throw ExitCode(error.code.exitStatus)
            }
            StandardError.print("anonlog: wrote a new key to \(keyFile)")
        }
    }
}
