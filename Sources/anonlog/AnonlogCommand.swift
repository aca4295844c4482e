import AnonLogCore
import ArgumentParser

@main
struct AnonlogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anonlog",
        abstract: "Replace every IP address in web and chat logs with a keyed pseudonym."
    )
    func run() throws {}
}
