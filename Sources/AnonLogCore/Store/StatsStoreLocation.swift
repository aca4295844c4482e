#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Where the stats store lives when no `--stats PATH` is given.
public enum StatsStoreLocation {
    /// `$XDG_STATE_HOME/anonlog/stats.db`, or `~/.local/state/anonlog/stats.db`.
    ///
    /// - Parameter environment: The process environment (``ProcessEnvironment/current()``).
    /// - Throws: ``AnonLogError`` with ``AnonLogError/Code/usage`` when neither
    ///   `XDG_STATE_HOME` nor `HOME` is set.
    public static func defaultPath(environment: [String: String]) throws(AnonLogError) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/anonlog/stats.db"
        }
        guard let home = environment["HOME"], !home.isEmpty else {
            throw AnonLogError(.usage, "cannot find the default stats store: set HOME or XDG_STATE_HOME, or give --stats PATH")
        }
        return home + "/.local/state/anonlog/stats.db"
    }

    /// Creates the directories above `path` that are missing, with mode 0700.
    static func createParentDirectory(of path: String) throws(AnonLogError) {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        let directory = String(path[..<slash])
        var current = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                throw AnonLogError(.cannotCreateOutput, "cannot create the directory of the stats store", location: .init(path: current), errno: errno)
            }
        }
    }
}
