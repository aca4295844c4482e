import AnonLogCore
import ArgumentParser

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Query the abuse statistics recorded while anonymizing.",
        discussion: """
            Statistics are recorded by default by every 'anonlog FILE...' run, into \
            $XDG_STATE_HOME/anonlog/stats.db (or ~/.local/state/anonlog/stats.db; --stats PATH \
            to choose, --no-stats to skip). They hold pseudonyms, never addresses. Aggregate \
            queries fold every row that describes fewer than --k distinct clients (default 10) \
            into an "other" row and say how many rows they folded.
            """,
        subcommands: [
            StatsSummaryCommand.self, StatsAlertsCommand.self, StatsTopCommand.self, StatsBotsCommand.self,
            StatsSpamCommand.self, StatsTimelineCommand.self, StatsActorCommand.self, StatsRulesCommand.self,
        ]
    )
}

struct StatsSummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary", abstract: "Traffic, status classes, bot mix, alerts per rule, chat and sources.")

    @OptionGroup var options: StatsQueryOptions
    @OptionGroup var anonymity: KAnonymityOption

    func run() throws {
        let store = try options.openStore()
        let query = options.query(k: anonymity.k, limit: anonymity.limit)
        let tables = try reportingErrors { () throws(AnonLogError) in try store.summary(query) }
        options.print(tables, command: "summary", query: query, k: anonymity.k)
    }
}

struct StatsAlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "What the detections fired on, newest first (or grouped with --by).",
        discussion: "Alerts name pseudonymous subjects (clients, networks, sessions, message fingerprints) for the security team, like 'cscli alerts list'; they are not folded by k.")

    @OptionGroup var options: StatsQueryOptions

    @Option(help: ArgumentHelp("One row per alert, rule, subject or network.", valueName: "grouping"))
    var by: SQLiteStatsStore.AlertGrouping = .alert

    @Option(help: ArgumentHelp("Only this rule (repeatable; 'anonlog stats rules' lists them).", valueName: "rule"))
    var rule: [DetectionRule] = []

    @Option(help: ArgumentHelp("Only this scope: client, network, session, message, site.", valueName: "scope"))
    var scope: AlertScope?

    @Option(help: ArgumentHelp("Only rules of at least this confidence (1 to 3).", valueName: "n"))
    var minConfidence = 1

    @Option(help: ArgumentHelp("The most rows to show.", valueName: "n"))
    var limit = 50

    func run() throws {
        let store = try options.openStore()
        let query = options.query(limit: limit)
        let tables = try reportingErrors { () throws(AnonLogError) in
            try store.alerts(query, grouping: by, rules: rule, scope: scope, minimumConfidence: minConfidence)
        }
        options.print(tables, command: "alerts", query: query, k: nil)
    }
}

struct StatsTopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top", abstract: "Rank paths, networks, statuses, bots, classes or rules.",
        discussion: """
            --by path|network|status|bot|class|rule|asn|country, --metric requests|4xx|5xx|bytes|clients|flagged|alerts \
            (flagged: distinct alerted clients). Per-client rankings are not offered: per-client data \
            is only shown one subject at a time ('stats actor').
            """)

    @OptionGroup var options: StatsQueryOptions
    @OptionGroup var anonymity: KAnonymityOption

    @Option(help: ArgumentHelp("What to rank: path, network, status, bot, class, rule, asn, country.", valueName: "dimension"))
    var by: SQLiteStatsStore.TopDimension = .path

    @Option(help: ArgumentHelp("What to rank by: requests, 4xx, 5xx, bytes, clients, flagged, alerts.", valueName: "metric"))
    var metric: SQLiteStatsStore.TopMetric = .requests

    func run() throws {
        let store = try options.openStore()
        let query = options.query(k: anonymity.k, limit: anonymity.limit)
        let tables = try reportingErrors { () throws(AnonLogError) in try store.top(by: by, metric: metric, query) }
        options.print(tables, command: "top", query: query, k: by == .rule ? nil : anonymity.k)
    }
}

struct StatsBotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bots", abstract: "Requests and clients per bot (or per class), with crawler checks.",
        discussion: "'checked' is 'verified' for a crawler whose operator's published addresses it came from, 'fake' for a claim from elsewhere.")

    @OptionGroup var options: StatsQueryOptions
    @OptionGroup var anonymity: KAnonymityOption

    @Option(help: ArgumentHelp("One row per bot or per class.", valueName: "bot|class"))
    var by = "bot"

    func validate() throws {
        guard by == "bot" || by == "class" else { throw ValidationError("--by takes bot or class") }
    }

    func run() throws {
        let store = try options.openStore()
        let query = options.query(k: anonymity.k, limit: anonymity.limit)
        let tables = try reportingErrors { () throws(AnonLogError) in try store.bots(byClass: by == "class", query) }
        options.print(tables, command: "bots", query: query, k: anonymity.k)
    }
}

struct StatsSpamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spam", abstract: "Chat overview and spam campaigns: one message in many sessions.")

    @OptionGroup var options: StatsQueryOptions
    @OptionGroup var anonymity: KAnonymityOption

    @Option(help: ArgumentHelp("Messages seen in fewer sessions are not campaigns.", valueName: "n"))
    var minSessions = 3

    @Flag(help: "List every text repeated in enough sessions, not only those with links or alerts.")
    var all = false

    func run() throws {
        let store = try options.openStore()
        let query = options.query(k: anonymity.k, limit: anonymity.limit)
        let tables = try reportingErrors { () throws(AnonLogError) in try store.spam(query, minimumSessions: minSessions, includeAll: all) }
        options.print(tables, command: "spam", query: query, k: anonymity.k)
    }
}

struct StatsTimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline", abstract: "Series per time step: requests, status classes, unique clients, alerts, chat.")

    @OptionGroup var options: StatsQueryOptions
    @OptionGroup var anonymity: KAnonymityOption

    @Option(help: ArgumentHelp(
        "Comma-separated: \(SQLiteStatsStore.TimelineMetric.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "metrics"))
    var metric = "requests,4xx,unique"

    @Option(help: ArgumentHelp("Time per row: 5m, 1h, 1d (whole minutes).", valueName: "duration"))
    var step = "1h"

    func validate() throws {
        _ = try metrics()
        guard let seconds = StatsQuery.duration(step), seconds % 60 == 0 else {
            throw ValidationError("--step takes whole minutes, such as 5m, 1h, 1d")
        }
    }

    func metrics() throws -> [SQLiteStatsStore.TimelineMetric] {
        try metric.split(separator: ",").map { name in
            guard let parsed = SQLiteStatsStore.TimelineMetric(rawValue: String(name)) else {
                throw ValidationError("'\(name)' is not a metric: \(SQLiteStatsStore.TimelineMetric.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return parsed
        }
    }

    func run() throws {
        let store = try options.openStore()
        let query = options.query(k: anonymity.k, limit: anonymity.limit)
        let metrics = try metrics()
        let seconds = StatsQuery.duration(step)!
        let tables = try reportingErrors { () throws(AnonLogError) in try store.timeline(metrics, step: seconds, query) }
        options.print(tables, command: "timeline", query: query, k: anonymity.k)
    }
}

struct StatsActorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actor", abstract: "Everything about one pseudonym: a client, a network (net-…), a session or a message (msg-…).",
        discussion: "Answers for one subject at a time; per-subject data is never exported in bulk.")

    @Argument(help: ArgumentHelp("The pseudonym, as the anonymized log or an alert shows it.", valueName: "subject"))
    var subject: String

    @OptionGroup var options: StatsQueryOptions

    @Option(help: ArgumentHelp("The most alerts to show.", valueName: "n"))
    var limit = 50

    func run() throws {
        let store = try options.openStore()
        let query = options.query(limit: limit)
        let tables = try reportingErrors { () throws(AnonLogError) in try store.actor(subject, query) }
        options.print(tables, command: "actor", query: query, k: nil)
    }
}

struct StatsRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "List the detection rules with their default parameters (change them with --threshold).")

    @Option(help: ArgumentHelp("Output: table, json or csv.", valueName: "format"))
    var format: StatsFormat = .table

    func run() {
        var table = StatsTable(
            name: "rules",
            columns: [
                .init("rule"), .init("scope"), .init("capacity"), .init("interval"), .init("blackhole"), .init("confidence", placement: .hidden),
                .init("fires on", placement: .below),
            ])
        for rule in DetectionRule.allCases {
            let parameters = rule.defaultParameters
            table.rows.append([
                .text(rule.rawValue), .text(rule.scope.rawValue), .integer(Int64(parameters.capacity)), .text(Self.duration(parameters.interval)),
                .text(Self.duration(parameters.blackhole)), .integer(Int64(rule.confidence)), .text(rule.summary),
            ])
        }
        Swift.print(StatsRendering.render([table], format: format, command: "rules", since: nil, until: nil, k: nil), terminator: "")
    }

    static func duration(_ milliseconds: Int64) -> String {
        if milliseconds == 0 { return "-" }
        if milliseconds % 3_600_000 == 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds % 60_000 == 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }
}
