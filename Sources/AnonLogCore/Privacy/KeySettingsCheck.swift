/// Checks that a key file fits what the command line asks for.
public enum KeySettingsCheck {
    /// The key record to run a mode with: `mask` truncates without a key, so any key file
    /// serves it (for the identifier tokens); every other mode needs a key made for it.
    ///
    /// - Throws: As ``verify(_:mode:rotation:)``.
    public static func settle(_ record: KeyRecord, mode: AnonymizationMode?, rotation: KeyRotation?) throws(AnonLogError) -> KeyRecord {
        var record = record
        if mode == .mask { record.mode = .mask }
        try verify(record, mode: mode, rotation: rotation)
        return record
    }

    /// Refuses a key made for another mode or rotation than the one asked for.
    ///
    /// The key file is the authority (every host sharing it must agree), so a flag that
    /// contradicts it is an error rather than a silent override.
    ///
    /// - Throws: ``AnonLogError`` with code ``AnonLogError/Code/configuration`` saying how to
    ///   make a key of the right kind.
    public static func verify(_ record: KeyRecord, mode: AnonymizationMode?, rotation: KeyRotation?) throws(AnonLogError) {
        if let mode, mode != record.mode {
            throw AnonLogError(
                .configuration,
                "the key file is for mode \(record.mode.rawValue), not \(mode.rawValue); make a key for it with: anonlog key init --mode \(mode.rawValue) --key-file PATH")
        }
        if let rotation, rotation != record.rotation {
            throw AnonLogError(
                .configuration,
                "the key file rotates \(record.rotation.rawValue), not \(rotation.rawValue); make a key for it with: anonlog key init --rotate \(rotation.rawValue) --key-file PATH")
        }
    }
}
