import AnonLogCore
import ArgumentParser

/// Where the key comes from, shared by every command that pseudonymizes.
struct KeyOptions: ParsableArguments {
    @Option(
        name: .customLong("key-file"),
        help: ArgumentHelp(
            "The key file (64 hex characters, mode 0600).",
            discussion: """
                Without it, $ANONLOG_KEY_FILE names the key; without that, the key at \
                $XDG_STATE_HOME/anonlog/key (or ~/.local/state/anonlog/key) is used, and created \
                on first use.
                """,
            valueName: "path"
        )
    )
    var keyFile: String?

    /// Loads the key, telling the user on standard error when a new default key was created.
    ///
    /// - Parameter template: What a new default key is made for.
    func resolveRecord(creating template: KeyTemplate = KeyTemplate()) throws(AnonLogError) -> KeyRecord {
        let resolved = try KeyFile.resolve(explicitPath: keyFile, environment: ProcessEnvironment.current(), creating: template)
        if resolved.wasCreated {
            StandardError.print("anonlog: created a new key at \(resolved.path); back it up to keep pseudonyms stable")
        }
        return resolved.record
    }

    /// The key file to change: given, named by the environment, or the default; it must exist.
    func existingPath() throws(AnonLogError) -> String {
        let environment = ProcessEnvironment.current()
        if let keyFile { return keyFile }
        if let named = environment[KeyFile.environmentVariable], !named.isEmpty { return named }
        return try KeyFile.defaultPath(environment: environment)
    }

    /// Loads an existing key file (never creating one) and checks it fits `mode`.
    func loadExisting(mode: AnonymizationMode?) throws(AnonLogError) -> KeyRecord {
        let record = try KeyFile.load(from: try existingPath())
        try KeySettingsCheck.verify(record, mode: mode, rotation: nil)
        return record
    }
}
