import AnonLogCore
import ArgumentParser
import Foundation

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Manage the pseudonymization key: create, import, show, shred expired epochs.",
        subcommands: [InitCommand.self, ImportCommand.self, ShowCommand.self, ShredCommand.self]
    )

    struct InitCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create a new random key file (mode 0600) for a mode and a rotation.",
            discussion: """
                The key has the size the mode needs (16 bytes for ipcrypt-deterministic, 32 for the \
                others), written as hex in a self-describing file. Refuses to overwrite an existing \
                file: a lost key makes every old pseudonym unlinkable.
                """
        )

        @Option(name: .customLong("key-file"), help: ArgumentHelp("Where to write the key.", valueName: "path"))
        var keyFile: String

        @OptionGroup var settings: KeySettingsOptions

        func run() throws {
            let template = KeyTemplate(mode: settings.mode ?? .hmac, rotation: settings.rotate ?? .none)
            try reportingErrors { () throws(AnonLogError) in try KeyFile.create(at: keyFile, template: template) }
            StandardError.print("anonlog: wrote a new \(template.mode.rawValue) key (rotation \(template.rotation.rawValue)) to \(keyFile)")
        }
    }

    struct ImportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Store an existing raw key, read as hex from standard input, in a new key file.",
            discussion: """
                For sharing a key with another tool (for example Vector's encrypt_ip) or checking \
                published test vectors. The key is read from standard input, never from the command \
                line, where other users could see it.
                """
        )

        @Option(name: .customLong("key-file"), help: ArgumentHelp("Where to write the key.", valueName: "path"))
        var keyFile: String

        @OptionGroup var settings: KeySettingsOptions

        func run() throws {
            let mode = settings.mode ?? .hmac
            var input = FileHandle.standardInput.readDataToEndOfFile()
            defer { input.resetBytes(in: 0..<input.count) }
            let key = try reportingErrors { () throws(AnonLogError) -> SecretKey in
                try KeyFile.decodeImportedKey(input, mode: mode)
            }
            let template = KeyTemplate(mode: mode, rotation: settings.rotate ?? .none, key: key)
            try reportingErrors { () throws(AnonLogError) in try KeyFile.create(at: keyFile, template: template) }
            StandardError.print("anonlog: stored the \(mode.rawValue) key in \(keyFile)")
        }
    }

    struct ShowCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Describe a key file (mode, rotation, oldest epoch still derivable); never the key."
        )

        @OptionGroup var key: KeyOptions

        func run() throws {
            let record = try reportingErrors { () throws(AnonLogError) in try key.resolveRecord() }
            print("mode: \(record.mode.rawValue)")
            print("rotation: \(record.rotation.rawValue)")
            if record.rotation != .none {
                print("oldest epoch: \(record.rotation.describe(epoch: record.epoch)) (index \(record.epoch))")
            }
        }
    }

    struct ShredCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "shred",
            abstract: "Make every epoch before a date unlinkable forever.",
            discussion: """
                Ratchets the stored key forward to the epoch containing DATE and overwrites the old \
                one. Afterwards nothing (not lookup, not decrypt, not the operator) can produce the \
                pseudonyms of the earlier epochs again. Hosts sharing the key file must get the new file.
                """
        )

        @Option(help: ArgumentHelp("Shred the epochs that end before the epoch containing this time (2026-10-21 or 2026-10-21T00:00Z).", valueName: "date"))
        var before: TimeArgument

        @OptionGroup var key: KeyOptions

        func run() throws {
            let path = try reportingErrors { () throws(AnonLogError) in try key.existingPath() }
            let result = try reportingErrors { () throws(AnonLogError) in try KeyFile.shred(at: path, before: before.seconds) }
            if result.shredAny {
                let first = result.rotation.describe(epoch: result.previousEpoch)
                let last = result.rotation.describe(epoch: result.retainedEpoch - 1)
                StandardError.print("anonlog: shredded \(result.retainedEpoch - result.previousEpoch) epochs (\(first) to \(last)); the oldest epoch left is \(result.rotation.describe(epoch: result.retainedEpoch))")
            } else {
                StandardError.print("anonlog: nothing to shred; the oldest epoch left is \(result.rotation.describe(epoch: result.retainedEpoch))")
            }
        }
    }
}

/// Mode and rotation for a new key.
struct KeySettingsOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The mode the key is for: \(AnonymizationMode.allCases.map(\.rawValue).joined(separator: ", ")) (default hmac).", valueName: "mode"))
    var mode: AnonymizationMode?

    @Option(help: ArgumentHelp("How often the key changes, by each record's own UTC time: none, daily, weekly, monthly (default none).", valueName: "period"))
    var rotate: KeyRotation?
}

/// Runs `body`; an ``AnonLogError`` is printed and becomes the process's exit status.
@discardableResult
func reportingErrors<Result>(_ body: () throws(AnonLogError) -> Result) throws(ExitCode) -> Result {
    do {
        return try body()
    } catch {
        StandardError.report(error)
        throw ExitCode(error.code.exitStatus)
    }
}
