extension SQLiteStatsStore {
    /// `anonlog stats summary`: traffic, status classes, the bot mix, alerts per rule, chat, and
    /// what was ingested from where.
    ///
    /// - Parameter query: The range and k.
    /// - Returns: The tables `traffic`, `classes`, `alerts`, `chat`, `sources`.
    /// - Throws: ``AnonLogError`` when the store cannot be read.
    public func summary(_ query: StatsQuery) throws(AnonLogError) -> [StatsTable] {
        try database.readTransaction { () throws(AnonLogError) -> [StatsTable] in
            let range = query.buckets()
            var tables = [try trafficSummary(query, range)]
            tables.append(try classSummary(query, range))
            tables.append(try alertSummary(query))
            tables.append(try chatSummary(query, range))
            tables.append(try sourceSummary(query))
            return tables
        }
    }

    private func trafficSummary(_ query: StatsQuery, _ range: BucketRange) throws(AnonLogError) -> StatsTable {
        var byClass = [Int64](repeating: 0, count: 6)
        var requests: Int64 = 0
        var bytes: Int64 = 0
        var staticRequests: Int64 = 0
        let traffic = try database.prepare(
            "SELECT status_class, static, sum(hits), total(bytes) FROM traffic WHERE granularity = ?1 AND bucket >= ?2 AND bucket < ?3 GROUP BY status_class, static")
        traffic.bind(range.bindings)
        while try traffic.step() {
            let hits = traffic.int64(2)
            // anonlog writes 0 to 5; a store edited by other hands may hold anything.
            let statusClass = Int(traffic.int64(0))
            if byClass.indices.contains(statusClass) { byClass[statusClass] += hits }
            requests += hits
            bytes = bytes.addingSaturated(traffic.int64(3))
            if traffic.int64(1) != 0 { staticRequests += hits }
        }
        traffic.reset()
        var clients: HyperLogLog?
        var networks: HyperLogLog?
        let uniques = try database.prepare("SELECT clients, networks FROM uniques WHERE granularity = ?1 AND bucket >= ?2 AND bucket < ?3")
        uniques.bind(range.bindings)
        while try uniques.step() {
            clients = Self.union(clients, uniques.blob(0))
            networks = Self.union(networks, uniques.blob(1))
        }
        uniques.reset()
        var statusClients = [HyperLogLog?](repeating: nil, count: 6)
        let statuses = try database.prepare("SELECT status, clients FROM statuses WHERE granularity = ?1 AND bucket >= ?2 AND bucket < ?3")
        statuses.bind(range.bindings)
        while try statuses.step() {
            let statusClass = (100..<600).contains(statuses.int64(0)) ? Int(statuses.int64(0) / 100) : 0
            statusClients[statusClass] = Self.union(statusClients[statusClass], statuses.blob(1))
        }
        statuses.reset()
        // GoAccess's unique visitors: client + date + user agent, 4xx excluded, summed over days.
        var visitors: Int64 = 0
        let days = query.touching(granularity: 86_400)
        let visitorStatement = try database.prepare("SELECT sketch FROM visitors WHERE day >= ?1 AND day < ?2")
        visitorStatement.bind(.integer(days.low), .integer(days.high))
        while try visitorStatement.step() {
            visitors += KAnonymity.count(visitorStatement.blob(0).flatMap { HyperLogLog(serialized: $0) })
        }
        visitorStatement.reset()

        var table = StatsTable(name: "traffic", columns: [.init("metric"), .init("value", additive: true), .init("clients")])
        var rows: [KAnonymity.Row] = [
            .init(values: [.text("requests"), .integer(requests), .null], clients: clients),
            .init(values: [.text("bytes"), .integer(bytes), .null], clients: clients),
            .init(values: [.text("static requests"), .integer(staticRequests), .null], clients: clients),
            .init(values: [.text("unique clients"), .integer(KAnonymity.count(clients)), .null], clients: clients),
            .init(values: [.text("unique networks"), .integer(KAnonymity.count(networks)), .null], clients: clients),
            .init(values: [.text("unique visitors (GoAccess)"), .integer(visitors), .null], clients: clients),
        ]
        for statusClass in 1...5 where byClass[statusClass] > 0 {
            rows.append(.init(values: [.text("\(statusClass)xx"), .integer(byClass[statusClass]), .null], clients: statusClients[statusClass]))
        }
        if requests == 0 { rows.removeAll() }
        KAnonymity.fold(rows, into: &table, k: query.k, label: 0, clientsColumn: 2)
        return table
    }

    private func classSummary(_ query: StatsQuery, _ range: BucketRange) throws(AnonLogError) -> StatsTable {
        var hits: [String: Int64] = [:]
        var total: Int64 = 0
        let traffic = try database.prepare(
            "SELECT ua_class, sum(hits) FROM traffic WHERE granularity = ?1 AND bucket >= ?2 AND bucket < ?3 GROUP BY ua_class")
        traffic.bind(range.bindings)
        while try traffic.step() {
            hits[traffic.text(0) ?? "", default: 0] += traffic.int64(1)
            total += traffic.int64(1)
        }
        traffic.reset()
        var clients: [String: HyperLogLog] = [:]
        let classClients = try database.prepare(
            "SELECT ua_class, clients FROM class_clients WHERE granularity = ?1 AND bucket >= ?2 AND bucket < ?3")
        classClients.bind(range.bindings)
        while try classClients.step() {
            let name = classClients.text(0) ?? ""
            clients[name] = Self.union(clients[name], classClients.blob(1))
        }
        classClients.reset()
        var table = StatsTable(
            name: "classes", columns: [.init("class"), .init("requests", additive: true), .init("share %", additive: true), .init("clients")])
        let rows = UserAgentClass.allCases.compactMap { userAgentClass -> KAnonymity.Row? in
            guard let count = hits[userAgentClass.rawValue], count > 0 else { return nil }
            return .init(
                values: [.text(userAgentClass.rawValue), .integer(count), .number(Double(count) * 100 / Double(max(total, 1))), .null],
                clients: clients[userAgentClass.rawValue])
        }.sorted { Self.integer($0.values[1]) > Self.integer($1.values[1]) }
        KAnonymity.fold(rows, into: &table, k: query.k, label: 0, clientsColumn: 3)
        return table
    }

    private func alertSummary(_ query: StatsQuery) throws(AnonLogError) -> StatsTable {
        var table = StatsTable(
            name: "alerts", columns: [.init("rule"), .init("scope"), .init("alerts"), .init("subjects"), .init("first"), .init("last")])
        let statement = try database.prepare(
            """
            SELECT rule, scope, count(*), count(DISTINCT subject), min(time), max(time) FROM alerts
            WHERE time >= ?1 AND time < ?2 GROUP BY rule, scope ORDER BY count(*) DESC, rule
            """)
        statement.bind(.integer(query.since ?? .min), .integer(query.until ?? .max))
        while try statement.step() {
            table.rows.append([
                .optionalText(statement.text(0)), .optionalText(statement.text(1)), .integer(statement.int64(2)),
                .integer(statement.int64(3)), .time(statement.int64(4)), .time(statement.int64(5)),
            ])
        }
        statement.reset()
        table.note = table.rows.isEmpty ? nil : "Alerts name pseudonymous subjects for the security team; they are not folded (see 'stats alerts')."
        return table
    }

    private func chatSummary(_ query: StatsQuery, _ range: BucketRange) throws(AnonLogError) -> StatsTable {
        let statement = try database.prepare(
            """
            SELECT sum(sessions), sum(sessions_with_messages), sum(messages), sum(operator_messages), sum(duplicates),
                sum(messages_with_links), sum(ttfm_3s), sum(ttfm_10s), sum(ttfm_30s), sum(ttfm_1m), sum(ttfm_5m), sum(ttfm_30m),
                sum(ttfm_longer) FROM chat WHERE granularity = ?1 AND bucket >= ?2 AND bucket < ?3
            """)
        statement.bind(range.bindings)
        var values = [Int64](repeating: 0, count: 13)
        if try statement.step() {
            for index in 0..<13 { values[index] = statement.int64(Int32(index)) }
        }
        statement.reset()
        var clients: HyperLogLog?
        let sketches = try database.prepare("SELECT clients FROM chat WHERE granularity = ?1 AND bucket >= ?2 AND bucket < ?3")
        sketches.bind(range.bindings)
        while try sketches.step() { clients = Self.union(clients, sketches.blob(0)) }
        sketches.reset()
        var table = StatsTable(name: "chat", columns: [.init("metric"), .init("value", additive: true), .init("clients")])
        guard values[0] > 0 || values[2] > 0 else { return table }
        let bins = ["< 3 s", "< 10 s", "< 30 s", "< 1 min", "< 5 min", "< 30 min", "30 min or more"]
        let delays = Array(values[6..<13])
        let answered = delays.reduce(0, +)
        var median = "-"
        var seen: Int64 = 0
        for (index, count) in delays.enumerated() {
            seen += count
            if answered > 0, seen * 2 >= answered {
                median = bins[index]
                break
            }
        }
        let rows: [KAnonymity.Row] = [
            .init(values: [.text("sessions started"), .integer(values[0]), .null], clients: clients),
            .init(values: [.text("sessions with visitor messages"), .integer(values[1]), .null], clients: clients),
            .init(values: [.text("visitor messages"), .integer(values[2]), .null], clients: clients),
            .init(values: [.text("operator messages"), .integer(values[3]), .null], clients: clients),
            .init(values: [.text("repeated messages"), .integer(values[4]), .null], clients: clients),
            .init(values: [.text("messages with links"), .integer(values[5]), .null], clients: clients),
            .init(values: [.text("median time to first message"), .text(median), .null], clients: clients),
        ]
        KAnonymity.fold(rows, into: &table, k: query.k, label: 0, clientsColumn: 2)
        return table
    }

    private func sourceSummary(_ query: StatsQuery) throws(AnonLogError) -> StatsTable {
        var table = StatsTable(
            name: "sources",
            columns: [
                .init("source", mayShorten: true), .init("segments", additive: true), .init("lines", additive: true),
                .init("recognized", additive: true), .init("events", additive: true, placement: .hidden), .init("alerts", additive: true),
                .init("first"), .init("last"),
            ])
        let statement = try database.prepare(
            """
            SELECT source, count(*), sum(lines), sum(recognized), sum(events), sum(alerts), min(first_time), max(last_time)
            FROM ingestion WHERE coalesce(last_time, 0) >= ?1 AND coalesce(first_time, 0) < ?2
            GROUP BY source ORDER BY min(first_time)
            """)
        statement.bind(.integer(query.since ?? .min), .integer(query.until ?? .max))
        while try statement.step() {
            table.rows.append([
                .optionalText(statement.text(0)), .integer(statement.int64(1)), .integer(statement.int64(2)), .integer(statement.int64(3)),
                .integer(statement.int64(4)), .integer(statement.int64(5)),
                statement.isNull(6) ? .null : .time(statement.int64(6)), statement.isNull(7) ? .null : .time(statement.int64(7)),
            ])
        }
        statement.reset()
        return table
    }

    // MARK: - Pieces

    static func integer(_ value: StatsValue) -> Int64 {
        switch value {
        case .integer(let number): number
        case .number(let number): Int64(number)
        default: 0
        }
    }
}
