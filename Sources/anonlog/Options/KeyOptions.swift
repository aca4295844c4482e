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
    func resolve() throws(AnonLogError) -> SecretKey {
        let resolved = try KeyFile.resolve(explicitPath: keyFile, environment: ProcessEnvironment.current())
        if resolved.wasCreated {
            StandardError.print("anonlog: created a new key at \(resolved.path); back it up to keep pseudonyms stable")
        }
        return resolved.key
    }
}
