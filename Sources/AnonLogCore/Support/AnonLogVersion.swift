/// The version of anonlog.
public enum AnonLogVersion {
    /// The version string shown by `anonlog --version`.
    public static let current = "0.1.0"
}
