import AnonLogCore
import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// Where the store is, the time range and the output format: shared by every `stats` query.
struct StatsQueryOptions: ParsableArguments {
    @Option(
        name: .customLong("stats"),
        help: ArgumentHelp("The stats store (default: $XDG_STATE_HOME/anonlog/stats.db or ~/.local/state/anonlog/stats.db).", valueName: "path"))
    var path: String?

    @Option(help: ArgumentHelp("Start of the range: 24h, 7d, 30m (ago) or a time such as 2026-11-20 or 2026-11-20T14:00Z (default: everything).", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("End of the range, excluded (same forms; default: now).", valueName: "time"))
    var until: String?

    @Option(help: ArgumentHelp("Output: table (fits 100 columns), json or csv.", valueName: "format"))
    var format: StatsFormat = .table

    func validate() throws {
        let now = Int64(time(nil))
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, StatsQuery.time(value, now: now) == nil {
                throw ValidationError("\(name) '\(value)' is neither a duration (24h, 7d) nor a time (2026-11-20T14:00Z)")
            }
        }
    }

    /// The query's range (and k and limit, set by the command).
    func query(k: Int = 1, limit: Int = 20) -> StatsQuery {
        let now = Int64(time(nil))
        return StatsQuery(
            since: since.flatMap { StatsQuery.time($0, now: now) }, until: until.flatMap { StatsQuery.time($0, now: now) }, k: k, limit: limit)
    }

    /// Opens the store; it must exist.
    func openStore() throws -> SQLiteStatsStore {
        try reportingErrors { () throws(AnonLogError) -> SQLiteStatsStore in
            let path: String
            if let given = self.path {
                path = given
            } else {
                path = try StatsStoreLocation.defaultPath(environment: ProcessEnvironment.current())
            }
            guard access(path, F_OK) == 0 else {
                throw AnonLogError(.noInput, "no statistics yet: anonymize a log first (statistics are recorded by default)", location: .init(path: path))
            }
            return try SQLiteStatsStore(path: path)
        }
    }

    /// Prints the tables of `command`.
    func print(_ tables: [StatsTable], command: String, query: StatsQuery, k: Int?) {
        let text = StatsRendering.render(tables, format: format, command: command, since: query.since, until: query.until, k: k)
        Swift.print(text, terminator: "")
    }
}

/// The k-anonymity threshold of the aggregate queries.
struct KAnonymityOption: ParsableArguments {
    @Option(
        name: .customLong("k"),
        help: ArgumentHelp("Fold rows that describe fewer than K distinct clients into \"other\" (1 folds nothing).", valueName: "K"))
    var k = 10

    @Option(help: ArgumentHelp("The most rows to show.", valueName: "n"))
    var limit = 20

    func validate() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
    }
}
