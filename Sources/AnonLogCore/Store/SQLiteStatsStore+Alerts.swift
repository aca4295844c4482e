extension SQLiteStatsStore {
    /// How `stats alerts` groups its rows.
    public enum AlertGrouping: String, CaseIterable, Sendable {
        /// One row per alert, newest first.
        case alert
        /// One row per rule: alerts, subjects, first and last.
        case rule
        /// One row per subject: alerts, rules, first and last.
        case subject
        /// One row per network: alerted clients and alerts.
        case network
    }

    /// `anonlog stats alerts`: what fired, newest first (or grouped).
    ///
    /// Alerts are the security team's list of detections on pseudonyms, like `cscli alerts
    /// list`: each row names its subject, so they are not folded by k.
    ///
    /// - Parameters:
    ///   - query: The range and the row limit.
    ///   - grouping: One row per alert, rule, subject or network.
    ///   - rules: Only these rules (all when empty).
    ///   - scope: Only this scope.
    ///   - minimumConfidence: Only rules of at least this confidence.
    /// - Returns: One table, `alerts`.
    /// - Throws: ``AnonLogError`` when the store cannot be read.
    public func alerts(
        _ query: StatsQuery, grouping: AlertGrouping = .alert, rules: [DetectionRule] = [], scope: AlertScope? = nil,
        minimumConfidence: Int = 1
    ) throws(AnonLogError) -> [StatsTable] {
        var conditions = ["time >= ?1", "time < ?2", "confidence >= ?3"]
        var bindings: [SQLiteValue] = [.integer(query.since ?? .min), .integer(query.until ?? .max), .int(minimumConfidence)]
        if let scope {
            bindings.append(.text(scope.rawValue))
            conditions.append("scope = ?\(bindings.count)")
        }
        if !rules.isEmpty {
            var placeholders: [String] = []
            for rule in rules {
                bindings.append(.text(rule.rawValue))
                placeholders.append("?\(bindings.count)")
            }
            conditions.append("rule IN (\(placeholders.joined(separator: ", ")))")
        }
        bindings.append(.int(query.limit))
        let limit = "?\(bindings.count)"
        let filter = conditions.joined(separator: " AND ")
        var table: StatsTable
        let sql: String
        switch grouping {
        case .alert:
            table = StatsTable(
                name: "alerts",
                columns: [
                    .init("time"), .init("rule"), .init("subject"), .init("events"), .init("distinct", placement: .hidden),
                    .init("evidence", placement: .below), .init("scope", placement: .hidden), .init("network", placement: .hidden),
                    .init("confidence", placement: .hidden), .init("detail", placement: .below), .init("first_seen", placement: .hidden),
                    .init("asn", placement: .hidden), .init("country", placement: .hidden),
                ])
            sql = """
                SELECT time, rule, subject, events, distinct_values, evidence, scope, network, confidence, detail, first_seen, asn, country
                FROM alerts WHERE \(filter) ORDER BY time DESC, id DESC LIMIT \(limit)
                """
        case .rule:
            table = StatsTable(
                name: "alerts", columns: [.init("rule"), .init("alerts"), .init("subjects"), .init("first"), .init("last"), .init("scope"), .init("confidence")])
            sql = """
                SELECT rule, count(*), count(DISTINCT subject), min(time), max(time), scope, confidence FROM alerts
                WHERE \(filter) GROUP BY rule ORDER BY count(*) DESC, rule LIMIT \(limit)
                """
        case .subject:
            table = StatsTable(
                name: "alerts",
                columns: [
                    .init("subject"), .init("alerts"), .init("rules", placement: .below), .init("first"), .init("last", placement: .hidden),
                    .init("scope"), .init("network", placement: .hidden),
                ])
            sql = """
                SELECT subject, count(*), group_concat(DISTINCT rule), min(time), max(time), scope, max(network) FROM alerts
                WHERE \(filter) GROUP BY subject ORDER BY count(*) DESC, max(time) DESC LIMIT \(limit)
                """
        case .network:
            table = StatsTable(
                name: "alerts",
                columns: [
                    .init("network"), .init("alerted clients"), .init("alerts"), .init("rules", placement: .below), .init("first"), .init("last"),
                ])
            sql = """
                SELECT coalesce(network, subject), count(DISTINCT CASE WHEN scope = 'client' THEN subject END), count(*),
                    group_concat(DISTINCT rule), min(time), max(time) FROM alerts
                WHERE \(filter) AND (network IS NOT NULL OR scope = 'network') GROUP BY coalesce(network, subject)
                ORDER BY 2 DESC, 3 DESC LIMIT \(limit)
                """
        }
        let statement = try database.prepare(sql)
        statement.bind(bindings)
        while try statement.step() {
            switch grouping {
            case .alert:
                let evidence = (statement.text(5) ?? "").split(separator: "\n").map(String.init)
                table.rows.append([
                    .time(statement.int64(0)), .optionalText(statement.text(1)), .optionalText(statement.text(2)), .integer(statement.int64(3)),
                    .integer(statement.int64(4)), .list(evidence), .optionalText(statement.text(6)), .optionalText(statement.text(7)),
                    .integer(statement.int64(8)), .optionalText(statement.text(9)), .time(statement.int64(10)),
                    statement.isNull(11) ? .null : .integer(statement.int64(11)), .optionalText(statement.text(12)),
                ])
            case .rule:
                table.rows.append([
                    .optionalText(statement.text(0)), .integer(statement.int64(1)), .integer(statement.int64(2)), .time(statement.int64(3)),
                    .time(statement.int64(4)), .optionalText(statement.text(5)), .integer(statement.int64(6)),
                ])
            case .subject:
                table.rows.append([
                    .optionalText(statement.text(0)), .integer(statement.int64(1)), .optionalText(statement.text(2)), .time(statement.int64(3)),
                    .time(statement.int64(4)), .optionalText(statement.text(5)), .optionalText(statement.text(6)),
                ])
            case .network:
                table.rows.append([
                    .optionalText(statement.text(0)), .integer(statement.int64(1)), .integer(statement.int64(2)), .optionalText(statement.text(3)),
                    .time(statement.int64(4)), .time(statement.int64(5)),
                ])
            }
        }
        statement.reset()
        return [table]
    }

    /// `anonlog stats actor SUBJECT`: everything about one subject: a client pseudonym, a network
    /// (`net-…`), a chat session token or a message fingerprint (`msg-…`).
    ///
    /// Per-subject data is never listed in bulk: this answers for the one subject asked about.
    ///
    /// - Parameters:
    ///   - subject: The pseudonym, as the anonymized log or an alert shows it.
    ///   - query: The range and the row limit.
    /// - Returns: The tables `activity` (per day or hour) and `alerts`.
    /// - Throws: ``AnonLogError`` when the store cannot be read.
    public func actor(_ subject: String, _ query: StatsQuery) throws(AnonLogError) -> [StatsTable] {
        try database.readTransaction { () throws(AnonLogError) -> [StatsTable] in
            var tables: [StatsTable] = []
            let days = query.touching(granularity: 86_400)
            if subject.hasPrefix("net-") {
                var activity = StatsTable(
                    name: "activity",
                    columns: [.init("day"), .init("requests"), .init("bytes"), .init("4xx"), .init("5xx"), .init("clients"), .init("alerted clients")])
                let statement = try database.prepare(
                    "SELECT day, hits, bytes, client_errors, server_errors, clients FROM networks WHERE network = ?1 AND day >= ?2 AND day < ?3 ORDER BY day")
                statement.bind(.text(subject), .integer(days.low), .integer(days.high))
                var rows: [[StatsValue]] = []
                while try statement.step() {
                    rows.append([
                        .date(statement.int64(0)), .integer(statement.int64(1)), .integer(statement.int64(2)), .integer(statement.int64(3)),
                        .integer(statement.int64(4)), .integer(KAnonymity.count(statement.blob(5).flatMap { HyperLogLog(serialized: $0) })), .null,
                    ])
                }
                statement.reset()
                let flagged = try database.prepare(
                    "SELECT count(DISTINCT subject) FROM alerts WHERE network = ?1 AND scope = 'client' AND time >= ?2 AND time < ?3")
                for index in rows.indices {
                    guard case .date(let day) = rows[index][0] else { continue }
                    flagged.bind(.text(subject), .integer(day), .integer(day + 86_400))
                    if try flagged.step() { rows[index][6] = .integer(flagged.int64(0)) }
                    flagged.reset()
                }
                activity.rows = rows
                tables.append(activity)
            } else if subject.hasPrefix("msg-") {
                var activity = StatsTable(
                    name: "activity",
                    columns: [.init("hour"), .init("messages"), .init("sessions"), .init("clients"), .init("networks"), .init("link host"), .init("first"), .init("last")])
                let hours = query.touching(granularity: 3600)
                let statement = try database.prepare(
                    """
                    SELECT hour, messages, sessions, clients, networks, link_host, first_seen, last_seen FROM fingerprints
                    WHERE fingerprint = ?1 AND hour >= ?2 AND hour < ?3 ORDER BY hour
                    """)
                statement.bind(.text(subject), .integer(hours.low), .integer(hours.high))
                while try statement.step() {
                    func count(_ column: Int32) -> StatsValue { .integer(KAnonymity.count(statement.blob(column).flatMap { HyperLogLog(serialized: $0) })) }
                    activity.rows.append([
                        .time(statement.int64(0)), .integer(statement.int64(1)), count(2), count(3), count(4), .optionalText(statement.text(5)),
                        .time(statement.int64(6)), .time(statement.int64(7)),
                    ])
                }
                statement.reset()
                tables.append(activity)
            } else {
                var activity = StatsTable(
                    name: "activity",
                    columns: [
                        .init("day"), .init("requests"), .init("bytes", placement: .hidden), .init("4xx"), .init("5xx"),
                        .init("classes", mayShorten: true), .init("sessions"), .init("messages"), .init("first", placement: .hidden),
                        .init("last"), .init("network", placement: .hidden),
                    ])
                let statement = try database.prepare(
                    """
                    SELECT day, hits, bytes, client_errors, server_errors, classes, chat_sessions, chat_messages, first_seen, last_seen, network
                    FROM actors WHERE client = ?1 AND day >= ?2 AND day < ?3 ORDER BY day
                    """)
                statement.bind(.text(subject), .integer(days.low), .integer(days.high))
                while try statement.step() {
                    let mask = statement.int64(5)
                    let classes = UserAgentClass.allCases.filter { mask & (1 << Int64($0.index)) != 0 }.map(\.rawValue).joined(separator: ",")
                    activity.rows.append([
                        .date(statement.int64(0)), .integer(statement.int64(1)), .integer(statement.int64(2)), .integer(statement.int64(3)),
                        .integer(statement.int64(4)), .text(classes.isEmpty ? "-" : classes), .integer(statement.int64(6)),
                        .integer(statement.int64(7)), .time(statement.int64(8)), .time(statement.int64(9)), .optionalText(statement.text(10)),
                    ])
                }
                statement.reset()
                if !activity.rows.isEmpty || !subject.allSatisfy(\.isHexDigit) { tables.append(activity) }
            }
            var alerts = StatsTable(
                name: "alerts",
                columns: [
                    .init("time"), .init("rule"), .init("events"), .init("distinct"), .init("subject"), .init("evidence", placement: .below),
                    .init("detail", placement: .below),
                ])
            let statement = try database.prepare(
                """
                SELECT time, rule, events, distinct_values, evidence, detail, subject FROM alerts
                WHERE (subject = ?1 OR network = ?1) AND time >= ?2 AND time < ?3 ORDER BY time LIMIT ?4
                """)
            statement.bind(.text(subject), .integer(query.since ?? .min), .integer(query.until ?? .max), .int(query.limit))
            while try statement.step() {
                alerts.rows.append([
                    .time(statement.int64(0)), .optionalText(statement.text(1)), .integer(statement.int64(2)), .integer(statement.int64(3)),
                    .optionalText(statement.text(6)), .list((statement.text(4) ?? "").split(separator: "\n").map(String.init)),
                    .optionalText(statement.text(5)),
                ])
            }
            statement.reset()
            tables.append(alerts)
            return tables
        }
    }
}
