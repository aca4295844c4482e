extension SQLiteStatsStore {
    /// A series `stats timeline` can show.
    public enum TimelineMetric: String, CaseIterable, Sendable {
        case requests, bytes
        case informational = "1xx", success = "2xx", redirection = "3xx", clientErrors = "4xx", serverErrors = "5xx"
        /// Distinct clients (HyperLogLog).
        case unique
        /// Distinct networks.
        case networks
        /// Requests from automated clients (every class but browser and other).
        case bots
        /// Alerts fired.
        case alerts
        /// Chat sessions started and visitor messages.
        case sessions, messages
    }

    /// `anonlog stats timeline --metric … --step …`: one row per step with data.
    ///
    /// Steps are sums of the finest stored buckets that divide the step (minutes, hours or
    /// days). Each row is about the clients seen in its step, so a step with fewer than k
    /// clients is folded like any other row.
    ///
    /// - Parameters:
    ///   - metrics: The series, in column order.
    ///   - step: Seconds per row, a multiple of 60.
    ///   - query: Range and k.
    /// - Returns: One table named `timeline`.
    /// - Throws: ``AnonLogError`` with ``AnonLogError/Code/usage`` for a step that is not a whole
    ///   number of minutes, or when the store cannot be read.
    public func timeline(_ metrics: [TimelineMetric], step: Int64, _ query: StatsQuery) throws(AnonLogError) -> [StatsTable] {
        guard step >= 60, step % 60 == 0 else { throw AnonLogError(.usage, "the step must be a whole number of minutes") }
        return try database.readTransaction { () throws(AnonLogError) -> [StatsTable] in
            var range = query.buckets(step: step)
            if step % range.granularity != 0 { range = query.touching(granularity: 60) }
            struct Step {
                var values = [Int64](repeating: 0, count: TimelineMetric.allCases.count)
                var clients: HyperLogLog?
                var networks: HyperLogLog?
                var hasData = false
            }
            var steps: [Int64: Step] = [:]
            func slot(_ bucket: Int64) -> Int64 { StatsTime.floorDivide(bucket, step) * step }
            func index(_ metric: TimelineMetric) -> Int { TimelineMetric.allCases.firstIndex(of: metric)! }

            let traffic = try database.prepare(
                """
                SELECT bucket, status_class, ua_class, sum(hits), total(bytes) FROM traffic
                WHERE granularity = ?1 AND bucket >= ?2 AND bucket < ?3 GROUP BY bucket, status_class, ua_class
                """)
            traffic.bind(range.bindings)
            while try traffic.step() {
                let key = slot(traffic.int64(0))
                var row = steps[key] ?? Step()
                let hits = traffic.int64(3)
                row.values[index(.requests)] += hits
                row.values[index(.bytes)] = row.values[index(.bytes)].addingSaturated(traffic.int64(4))
                let statusClasses: [TimelineMetric] = [.informational, .success, .redirection, .clientErrors, .serverErrors]
                let statusClass = Int(traffic.int64(1))
                if (1...5).contains(statusClass) { row.values[index(statusClasses[statusClass - 1])] += hits }
                if let userAgentClass = UserAgentClass(rawValue: traffic.text(2) ?? ""), userAgentClass.isAutomated {
                    row.values[index(.bots)] += hits
                }
                row.hasData = true
                steps[key] = row
            }
            traffic.reset()

            let uniques = try database.prepare("SELECT bucket, clients, networks FROM uniques WHERE granularity = ?1 AND bucket >= ?2 AND bucket < ?3")
            uniques.bind(range.bindings)
            while try uniques.step() {
                let key = slot(uniques.int64(0))
                var row = steps[key] ?? Step()
                row.clients = Self.union(row.clients, uniques.blob(1))
                row.networks = Self.union(row.networks, uniques.blob(2))
                row.hasData = true
                steps[key] = row
            }
            uniques.reset()

            let chat = try database.prepare("SELECT bucket, sessions, messages FROM chat WHERE granularity = ?1 AND bucket >= ?2 AND bucket < ?3")
            chat.bind(range.bindings)
            while try chat.step() {
                let key = slot(chat.int64(0))
                var row = steps[key] ?? Step()
                row.values[index(.sessions)] += chat.int64(1)
                row.values[index(.messages)] += chat.int64(2)
                row.hasData = true
                steps[key] = row
            }
            chat.reset()

            let alerts = try database.prepare("SELECT time FROM alerts WHERE time >= ?1 AND time < ?2")
            alerts.bind(.integer(query.since ?? .min), .integer(query.until ?? .max))
            while try alerts.step() {
                let key = slot(alerts.int64(0))
                if var row = steps[key] {
                    row.values[index(.alerts)] += 1
                    steps[key] = row
                }
            }
            alerts.reset()

            var table = StatsTable(
                name: "timeline",
                columns: [.init("time")] + metrics.map { StatsTable.Column($0.rawValue, additive: $0 != .unique && $0 != .networks) })
            let rows = steps.keys.sorted().compactMap { key -> KAnonymity.Row? in
                guard let row = steps[key], row.hasData else { return nil }
                let values: [StatsValue] = [.time(key)] + metrics.map { metric -> StatsValue in
                    switch metric {
                    case .unique: .integer(KAnonymity.count(row.clients))
                    case .networks: .integer(KAnonymity.count(row.networks))
                    default: .integer(row.values[index(metric)])
                    }
                }
                return KAnonymity.Row(values: values, clients: row.clients)
            }
            let clientsColumn = metrics.firstIndex(of: .unique).map { $0 + 1 }
            KAnonymity.fold(rows, into: &table, k: query.k, label: 0, clientsColumn: clientsColumn)
            return [table]
        }
    }
}
