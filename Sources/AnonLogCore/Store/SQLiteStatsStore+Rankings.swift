extension SQLiteStatsStore {
    /// What `stats top` ranks.
    public enum TopDimension: String, CaseIterable, Sendable {
        /// Path templates (query strings dropped, ids collapsed).
        case path
        /// Network pseudonyms (`net-…`, /24 or /48).
        case network
        /// Response status codes.
        case status
        /// Named bots.
        case bot
        /// User-agent classes.
        case `class`
        /// Detection rules.
        case rule
        /// Autonomous systems (recorded with `--geoip-db`).
        case asn
        /// Countries (recorded with `--geoip-db`).
        case country
    }

    /// What `stats top` ranks by.
    public enum TopMetric: String, CaseIterable, Sendable {
        case requests
        case clientErrors = "4xx"
        case serverErrors = "5xx"
        case bytes
        case clients
        /// Distinct alerted clients (networks and rules).
        case flagged
        /// Alerts.
        case alerts
    }

    /// `anonlog stats top --by DIMENSION --metric METRIC`.
    ///
    /// - Parameters:
    ///   - dimension: What to rank.
    ///   - metric: What to rank by.
    ///   - query: Range, k and limit.
    /// - Returns: One table named `top`.
    /// - Throws: ``AnonLogError`` with ``AnonLogError/Code/usage`` for a metric the dimension has
    ///   no data for, or when the store cannot be read.
    public func top(by dimension: TopDimension, metric: TopMetric, _ query: StatsQuery) throws(AnonLogError) -> [StatsTable] {
        try database.readTransaction { () throws(AnonLogError) -> [StatsTable] in
            switch dimension {
            case .path: return [try topPaths(metric, query)]
            case .network: return [try topNetworks(metric, query)]
            case .status: return [try topStatuses(metric, query)]
            case .bot, .class:
                guard [.requests, .clients, .bytes].contains(metric) else {
                    throw AnonLogError(.usage, "bots and classes are ranked by requests, bytes or clients")
                }
                return [try botTable(byClass: dimension == .class, metric: metric, query, name: "top")]
            case .rule:
                var tables = try alerts(query, grouping: .rule)
                tables[0].name = "top"
                return tables
            case .asn, .country:
                return [try topAutonomousSystems(byCountry: dimension == .country, metric, query)]
            }
        }
    }

    private func topPaths(_ metric: TopMetric, _ query: StatsQuery) throws(AnonLogError) -> StatsTable {
        guard [.requests, .clientErrors, .serverErrors, .clients].contains(metric) else {
            throw AnonLogError(.usage, "paths are ranked by requests, 4xx, 5xx or clients")
        }
        let hours = query.touching(granularity: 3600)
        var rows: [String: (hits: Int64, clients: HyperLogLog?)] = [:]
        var total: Int64 = 0
        let statement = try database.prepare("SELECT template, status_class, hits, clients FROM paths WHERE hour >= ?1 AND hour < ?2")
        statement.bind(.integer(hours.low), .integer(hours.high))
        while try statement.step() {
            let statusClass = statement.int64(1)
            if metric == .clientErrors && statusClass != 4 { continue }
            if metric == .serverErrors && statusClass != 5 { continue }
            let template = statement.text(0) ?? ""
            var row = rows[template] ?? (0, nil)
            row.hits += statement.int64(2)
            row.clients = Self.union(row.clients, statement.blob(3))
            rows[template] = row
            total += statement.int64(2)
        }
        statement.reset()
        let metricName = metric == .clients ? "requests" : metric.rawValue
        var table = StatsTable(
            name: "top",
            columns: [.init("path", mayShorten: true), .init(metricName, additive: true), .init("share %", additive: true), .init("clients")])
        let ranked = rows.map { template, value in
            KAnonymity.Row(
                values: [.text(template), .integer(value.hits), .number(Double(value.hits) * 100 / Double(max(total, 1))), .null],
                clients: value.clients)
        }
        try finish(ranked, into: &table, metric: metric, metricColumn: 1, clientsColumn: 3, query: query)
        return table
    }

    private func topNetworks(_ metric: TopMetric, _ query: StatsQuery) throws(AnonLogError) -> StatsTable {
        let days = query.touching(granularity: 86_400)
        struct Network {
            var hits: Int64 = 0
            var bytes: Int64 = 0
            var clientErrors: Int64 = 0
            var serverErrors: Int64 = 0
            var flagged: Int64 = 0
            var alerts: Int64 = 0
            var clients: HyperLogLog?
        }
        var networks: [String: Network] = [:]
        let statement = try database.prepare(
            "SELECT network, hits, bytes, client_errors, server_errors, clients FROM networks WHERE day >= ?1 AND day < ?2")
        statement.bind(.integer(days.low), .integer(days.high))
        while try statement.step() {
            let name = statement.text(0) ?? ""
            var network = networks[name] ?? Network()
            network.hits += statement.int64(1)
            network.bytes = network.bytes.addingSaturated(statement.int64(2))
            network.clientErrors += statement.int64(3)
            network.serverErrors += statement.int64(4)
            network.clients = Self.union(network.clients, statement.blob(5))
            networks[name] = network
        }
        statement.reset()
        let alerts = try database.prepare(
            """
            SELECT coalesce(network, subject), count(DISTINCT CASE WHEN scope = 'client' THEN subject END), count(*) FROM alerts
            WHERE time >= ?1 AND time < ?2 AND (network IS NOT NULL OR scope = 'network') GROUP BY coalesce(network, subject)
            """)
        alerts.bind(.integer(query.since ?? .min), .integer(query.until ?? .max))
        while try alerts.step() {
            let name = alerts.text(0) ?? ""
            var network = networks[name] ?? Network()
            network.flagged = alerts.int64(1)
            network.alerts = alerts.int64(2)
            networks[name] = network
        }
        alerts.reset()
        var table = StatsTable(
            name: "top",
            columns: [
                .init("network"), .init("requests", additive: true), .init("4xx", additive: true), .init("5xx", additive: true),
                .init("bytes", additive: true, placement: .hidden), .init("flagged", additive: true), .init("alerts", additive: true),
                .init("clients"),
            ])
        let rows = networks.compactMap { name, value -> KAnonymity.Row? in
            if metric == .flagged && value.flagged == 0 { return nil }
            if metric == .alerts && value.alerts == 0 { return nil }
            return KAnonymity.Row(
                values: [
                    .text(name), .integer(value.hits), .integer(value.clientErrors), .integer(value.serverErrors), .integer(value.bytes),
                    .integer(value.flagged), .integer(value.alerts), .null,
                ],
                clients: value.clients)
        }
        let metricColumn: Int
        switch metric {
        case .requests, .clients: metricColumn = 1
        case .clientErrors: metricColumn = 2
        case .serverErrors: metricColumn = 3
        case .bytes: metricColumn = 4
        case .flagged: metricColumn = 5
        case .alerts: metricColumn = 6
        }
        try finish(rows, into: &table, metric: metric, metricColumn: metricColumn, clientsColumn: 7, query: query)
        return table
    }

    private func topAutonomousSystems(byCountry: Bool, _ metric: TopMetric, _ query: StatsQuery) throws(AnonLogError) -> StatsTable {
        guard [.requests, .clientErrors, .clients, .flagged, .alerts].contains(metric) else {
            throw AnonLogError(.usage, "autonomous systems and countries are ranked by requests, 4xx, clients, flagged or alerts")
        }
        let days = query.touching(granularity: 86_400)
        struct Group {
            var organization: String?
            var country: String?
            var hits: Int64 = 0
            var clientErrors: Int64 = 0
            var flagged: Int64 = 0
            var alerts: Int64 = 0
            var clients: HyperLogLog?
        }
        var groups: [String: Group] = [:]
        let statement = try database.prepare(
            "SELECT asn, country, organization, hits, client_errors, clients FROM autonomous_systems WHERE day >= ?1 AND day < ?2")
        statement.bind(.integer(days.low), .integer(days.high))
        while try statement.step() {
            let country = statement.text(1).flatMap { $0.isEmpty ? nil : $0 }
            let key = byCountry ? (country ?? "-") : "AS\(statement.int64(0))"
            var group = groups[key] ?? Group()
            group.organization = group.organization ?? statement.text(2)
            group.country = group.country ?? country
            group.hits += statement.int64(3)
            group.clientErrors += statement.int64(4)
            group.clients = Self.union(group.clients, statement.blob(5))
            groups[key] = group
        }
        statement.reset()
        let column = byCountry ? "country" : "'AS' || asn"
        let alerts = try database.prepare(
            """
            SELECT \(column), count(DISTINCT CASE WHEN scope = 'client' THEN subject END), count(*) FROM alerts
            WHERE time >= ?1 AND time < ?2 AND \(byCountry ? "country" : "asn") IS NOT NULL GROUP BY 1
            """)
        alerts.bind(.integer(query.since ?? .min), .integer(query.until ?? .max))
        while try alerts.step() {
            let key = alerts.text(0) ?? "-"
            var group = groups[key] ?? Group()
            group.flagged = alerts.int64(1)
            group.alerts = alerts.int64(2)
            groups[key] = group
        }
        alerts.reset()
        var columns: [StatsTable.Column] = [.init(byCountry ? "country" : "asn")]
        if !byCountry { columns += [.init("organization", mayShorten: true), .init("country")] }
        columns += [
            .init("requests", additive: true), .init("4xx", additive: true), .init("flagged", additive: true), .init("alerts", additive: true),
            .init("clients"),
        ]
        var table = StatsTable(name: "top", columns: columns)
        let rows = groups.compactMap { key, group -> KAnonymity.Row? in
            if metric == .flagged && group.flagged == 0 { return nil }
            if metric == .alerts && group.alerts == 0 { return nil }
            var values: [StatsValue] = [.text(key)]
            if !byCountry { values += [.optionalText(group.organization), .optionalText(group.country)] }
            values += [.integer(group.hits), .integer(group.clientErrors), .integer(group.flagged), .integer(group.alerts), .null]
            return KAnonymity.Row(values: values, clients: group.clients)
        }
        let offset = byCountry ? 1 : 3
        let metricColumn: Int
        switch metric {
        case .clientErrors: metricColumn = offset + 1
        case .flagged: metricColumn = offset + 2
        case .alerts: metricColumn = offset + 3
        default: metricColumn = offset
        }
        try finish(rows, into: &table, metric: metric, metricColumn: metricColumn, clientsColumn: offset + 4, query: query)
        if groups.isEmpty { table.note = "No autonomous systems or countries recorded: record with --geoip-db PATH (a MaxMind database)." }
        return table
    }

    private func topStatuses(_ metric: TopMetric, _ query: StatsQuery) throws(AnonLogError) -> StatsTable {
        guard metric == .requests || metric == .clients else {
            throw AnonLogError(.usage, "statuses are ranked by requests or clients")
        }
        let range = query.buckets()
        var statuses: [Int64: (hits: Int64, clients: HyperLogLog?, unknown: Bool)] = [:]
        var total: Int64 = 0
        let statement = try database.prepare("SELECT status, hits, clients FROM statuses WHERE granularity = ?1 AND bucket >= ?2 AND bucket < ?3")
        statement.bind(range.bindings)
        while try statement.step() {
            var row = statuses[statement.int64(0)] ?? (0, nil, false)
            row.hits += statement.int64(1)
            if statement.isNull(2) { row.unknown = true }
            row.clients = Self.union(row.clients, statement.blob(2))
            statuses[statement.int64(0)] = row
            total += statement.int64(1)
        }
        statement.reset()
        var table = StatsTable(
            name: "top", columns: [.init("status"), .init("requests", additive: true), .init("share %", additive: true), .init("clients")])
        let rows = statuses.map { status, value in
            KAnonymity.Row(
                values: [.text(status == 0 ? "-" : String(status)), .integer(value.hits), .number(Double(value.hits) * 100 / Double(max(total, 1))), .null],
                clients: value.clients)
        }
        try finish(rows, into: &table, metric: metric, metricColumn: 1, clientsColumn: 3, query: query)
        return table
    }

    /// `anonlog stats bots`: requests and clients per bot (or per class), with the crawler check.
    ///
    /// - Parameters:
    ///   - byClass: One row per user-agent class instead of per bot.
    ///   - query: Range, k and limit.
    /// - Returns: One table named `bots`.
    /// - Throws: ``AnonLogError`` when the store cannot be read.
    public func bots(byClass: Bool, _ query: StatsQuery) throws(AnonLogError) -> [StatsTable] {
        try database.readTransaction { () throws(AnonLogError) -> [StatsTable] in
            [try botTable(byClass: byClass, metric: .requests, query, name: "bots")]
        }
    }

    private func botTable(byClass: Bool, metric: TopMetric, _ query: StatsQuery, name: String) throws(AnonLogError) -> StatsTable {
        let days = query.touching(granularity: 86_400)
        var total: Int64 = 0
        let totals = try database.prepare("SELECT sum(hits) FROM traffic WHERE granularity = 86400 AND bucket >= ?1 AND bucket < ?2")
        totals.bind(.integer(days.low), .integer(days.high))
        if try totals.step() { total = totals.int64(0) }
        totals.reset()
        if byClass {
            var classes: [String: (hits: Int64, bytes: Int64, clients: HyperLogLog?)] = [:]
            let traffic = try database.prepare(
                "SELECT ua_class, sum(hits), total(bytes) FROM traffic WHERE granularity = 86400 AND bucket >= ?1 AND bucket < ?2 GROUP BY ua_class")
            traffic.bind(.integer(days.low), .integer(days.high))
            while try traffic.step() {
                let name = traffic.text(0) ?? ""
                var entry = classes[name, default: (0, 0, nil)]
                entry.hits += traffic.int64(1)
                entry.bytes = entry.bytes.addingSaturated(traffic.int64(2))
                classes[name] = entry
            }
            traffic.reset()
            let sketches = try database.prepare(
                "SELECT ua_class, clients FROM class_clients WHERE granularity = 86400 AND bucket >= ?1 AND bucket < ?2")
            sketches.bind(.integer(days.low), .integer(days.high))
            while try sketches.step() {
                let key = sketches.text(0) ?? ""
                classes[key, default: (0, 0, nil)].clients = Self.union(classes[key]?.clients, sketches.blob(1))
            }
            sketches.reset()
            var table = StatsTable(
                name: name,
                columns: [
                    .init("class"), .init("requests", additive: true), .init("share %", additive: true),
                    .init("bytes", additive: true, placement: .hidden), .init("clients"),
                ])
            let rows = classes.map { key, value in
                KAnonymity.Row(
                    values: [.text(key), .integer(value.hits), .number(Double(value.hits) * 100 / Double(max(total, 1))), .integer(value.bytes), .null],
                    clients: value.clients)
            }
            try finish(rows, into: &table, metric: metric, metricColumn: metric == .bytes ? 3 : 1, clientsColumn: 4, query: query)
            return table
        }
        struct Bot {
            var category = ""
            var hits: Int64 = 0
            var bytes: Int64 = 0
            var clients: HyperLogLog?
        }
        var bots: [String: Bot] = [:]
        let statement = try database.prepare("SELECT ua_class, bot, category, hits, bytes, clients FROM bots WHERE day >= ?1 AND day < ?2")
        statement.bind(.integer(days.low), .integer(days.high))
        while try statement.step() {
            let key = (statement.text(0) ?? "") + "\u{1F}" + (statement.text(1) ?? "")
            var bot = bots[key] ?? Bot()
            bot.category = statement.text(2) ?? ""
            bot.hits += statement.int64(3)
            bot.bytes = bot.bytes.addingSaturated(statement.int64(4))
            bot.clients = Self.union(bot.clients, statement.blob(5))
            bots[key] = bot
        }
        statement.reset()
        var table = StatsTable(
            name: name,
            columns: [
                .init("bot", mayShorten: true), .init("class"), .init("category", mayShorten: true), .init("requests", additive: true),
                .init("share %", additive: true), .init("bytes", additive: true, placement: .hidden), .init("clients"), .init("checked"),
            ])
        let rows = bots.map { key, value -> KAnonymity.Row in
            let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            let checked: String
            if parts[0] == UserAgentClass.fakeCrawler.rawValue {
                checked = "fake"
            } else if CrawlerNetworks.checkedOperator(forCrawlerNamed: parts[1]) != nil {
                checked = "verified"
            } else {
                checked = "-"
            }
            return KAnonymity.Row(
                values: [
                    .text(parts[1]), .text(parts[0]), .text(value.category), .integer(value.hits),
                    .number(Double(value.hits) * 100 / Double(max(total, 1))), .integer(value.bytes), .null, .text(checked),
                ],
                clients: value.clients)
        }
        try finish(rows, into: &table, metric: metric, metricColumn: metric == .bytes ? 5 : 3, clientsColumn: 6, query: query)
        return table
    }

    /// `anonlog stats spam`: chat overview and message campaigns (one fingerprint in many
    /// sessions), with their link hosts and spread.
    ///
    /// A campaign carries a link or fired `chat-spam-campaign`; with `includeAll`, every text
    /// repeated in enough sessions is listed (frequent questions and greetings too).
    ///
    /// - Parameters:
    ///   - query: Range, k and limit.
    ///   - minimumSessions: Fingerprints seen in fewer sessions are not campaigns (default 3).
    ///   - includeAll: List repeated texts without links or alerts too.
    /// - Returns: The tables `chat` and `campaigns`.
    /// - Throws: ``AnonLogError`` when the store cannot be read.
    public func spam(_ query: StatsQuery, minimumSessions: Int = 3, includeAll: Bool = false) throws(AnonLogError) -> [StatsTable] {
        try database.readTransaction { () throws(AnonLogError) -> [StatsTable] in
            let overview = try summary(query).first { $0.name == "chat" }!
            let hours = query.touching(granularity: 3600)
            struct Campaign {
                var messages: Int64 = 0
                var sessions: HyperLogLog?
                var clients: HyperLogLog?
                var networks: HyperLogLog?
                var linkHost: String?
                var first = Int64.max
                var last = Int64.min
            }
            var campaigns: [String: Campaign] = [:]
            var alerted: Set<String> = []
            let alerts = try database.prepare("SELECT DISTINCT subject FROM alerts WHERE rule = ?1 AND time >= ?2 AND time < ?3")
            alerts.bind(.text(DetectionRule.chatSpamCampaign.rawValue), .integer(query.since ?? .min), .integer(query.until ?? .max))
            while try alerts.step() { alerted.insert(alerts.text(0) ?? "") }
            alerts.reset()
            let statement = try database.prepare(
                "SELECT fingerprint, messages, sessions, clients, networks, link_host, first_seen, last_seen FROM fingerprints WHERE hour >= ?1 AND hour < ?2")
            statement.bind(.integer(hours.low), .integer(hours.high))
            while try statement.step() {
                let key = statement.text(0) ?? ""
                var campaign = campaigns[key] ?? Campaign()
                campaign.messages += statement.int64(1)
                campaign.sessions = Self.union(campaign.sessions, statement.blob(2))
                campaign.clients = Self.union(campaign.clients, statement.blob(3))
                campaign.networks = Self.union(campaign.networks, statement.blob(4))
                campaign.linkHost = campaign.linkHost ?? statement.text(5)
                campaign.first = min(campaign.first, statement.int64(6))
                campaign.last = max(campaign.last, statement.int64(7))
                campaigns[key] = campaign
            }
            statement.reset()
            var table = StatsTable(
                name: "campaigns",
                columns: [
                    .init("fingerprint"), .init("sessions", additive: true), .init("messages", additive: true, placement: .hidden), .init("clients"),
                    .init("networks"), .init("link host", mayShorten: true), .init("alerted"), .init("first"),
                    .init("last", placement: .hidden),
                ])
            let rows = campaigns.compactMap { key, value -> KAnonymity.Row? in
                let sessions = KAnonymity.count(value.sessions)
                guard sessions >= Int64(minimumSessions), includeAll || value.linkHost != nil || alerted.contains(key) else { return nil }
                return KAnonymity.Row(
                    values: [
                        .text(key), .integer(sessions), .integer(value.messages), .null, .integer(KAnonymity.count(value.networks)),
                        .optionalText(value.linkHost), .text(alerted.contains(key) ? "yes" : "no"), .time(value.first), .time(value.last),
                    ],
                    clients: value.clients)
            }
            try finish(rows, into: &table, metric: .requests, metricColumn: 1, clientsColumn: 3, query: query)
            table.note = "A campaign: one normalized message text (a keyed fingerprint; texts are never stored) in \(minimumSessions) or more sessions, "
                + (includeAll ? "links or not." : "with a link or a chat-spam-campaign alert (--all lists every repeated text).")
            return [overview, table]
        }
    }

    // MARK: - Ranking

    /// Sorts by the metric, folds rows under k, keeps the limit, and notes what was cut.
    private func finish(
        _ rows: [KAnonymity.Row], into table: inout StatsTable, metric: TopMetric, metricColumn: Int, clientsColumn: Int, query: StatsQuery
    ) throws(AnonLogError) {
        let sorted = rows.sorted { left, right in
            let leftValue = metric == .clients ? KAnonymity.count(left.clients) : Self.integer(left.values[metricColumn])
            let rightValue = metric == .clients ? KAnonymity.count(right.clients) : Self.integer(right.values[metricColumn])
            if leftValue != rightValue { return leftValue > rightValue }
            return StatsRendering.csvText(left.values[0]) < StatsRendering.csvText(right.values[0])
        }
        KAnonymity.fold(sorted, into: &table, k: query.k, label: 0, clientsColumn: clientsColumn)
        let hasOther = table.foldedRows > 0
        let kept = hasOther ? table.rows.count - 1 : table.rows.count
        if kept > query.limit {
            let other = hasOther ? table.rows.last : nil
            table.rows = Array(table.rows.prefix(query.limit)) + (other.map { [$0] } ?? [])
            table.note = "(\(kept - query.limit) more rows; --limit shows more)"
        }
    }
}
