extension SQLiteStatsStore {
    /// One table's rows of a statistics class: where their time is and how long a bucket lasts.
    struct RetainedRows: Sendable {
        var table: String
        /// The column holding the start of the row's bucket (Unix seconds).
        var column: String
        /// How long the bucket lasts (0 for a row about one moment: an alert).
        var width: Int64
        /// The rows of the table that belong to the class (`granularity = 60`), if not all do.
        var granularity: Int64?

        /// `WHERE` text for the class's rows, `?1` being the cutoff when `olderThan`.
        func condition(olderThan: Bool) -> String {
            var parts: [String] = []
            if let granularity { parts.append("granularity = \(granularity)") }
            // The bucket ends at start + width: "ends before the cutoff" is start <= cutoff - width,
            // written on the column alone so that the primary key or index serves the range.
            if olderThan { parts.append(width > 0 ? "\(column) <= ?1 - \(width)" : "\(column) < ?1") }
            return parts.isEmpty ? "" : " WHERE " + parts.joined(separator: " AND ")
        }
    }

    /// The tables bucketed by minute, hour and day (one row per granularity).
    private static let bucketedTables = ["traffic", "statuses", "uniques", "class_clients", "chat"]

    /// The rows each statistics class holds.
    ///
    /// - Minute, hourly and daily buckets: the rows of that granularity in `traffic`, `statuses`,
    ///   `uniques`, `class_clients` and `chat`; hourly also `paths`; daily also `visitors`, `bots`
    ///   and `autonomous_systems` (about networks of thousands, not actors).
    /// - Per-actor rows name one subject: `actors` (a client per day), `networks` (a network
    ///   pseudonym per day), `fingerprints` (one message text per hour, with its sessions) and
    ///   `alerts` (a client, network or session the detectors flagged).
    ///
    /// The ingestion ledger is kept: it names no subject, and without it a log replayed after
    /// its rows expired would be counted again into the coarser buckets still held.
    static func retainedRows(of statisticsClass: StatisticsClass) -> [RetainedRows] {
        func bucketed(_ granularity: Int64) -> [RetainedRows] {
            bucketedTables.map { RetainedRows(table: $0, column: "bucket", width: granularity, granularity: granularity) }
        }
        switch statisticsClass {
        case .minuteBuckets:
            return bucketed(60)
        case .hourlyBuckets:
            return bucketed(3600) + [RetainedRows(table: "paths", column: "hour", width: 3600)]
        case .dailyAggregates:
            return bucketed(86_400) + ["visitors", "bots", "autonomous_systems"].map { RetainedRows(table: $0, column: "day", width: 86_400) }
        case .perActor:
            return [
                RetainedRows(table: "actors", column: "day", width: 86_400),
                RetainedRows(table: "networks", column: "day", width: 86_400),
                RetainedRows(table: "fingerprints", column: "hour", width: 3600),
                RetainedRows(table: "alerts", column: "time", width: 0),
            ]
        }
    }

    /// Deletes the rows of a class whose bucket ends before `cutoff`, in one transaction.
    ///
    /// - Parameters:
    ///   - cutoff: Unix seconds; a bucket ending at or before it goes (an alert: older than it).
    ///   - statisticsClass: Which rows (see ``retainedRows(of:)``).
    /// - Returns: The number of rows deleted.
    /// - Throws: ``AnonLogError`` when the store cannot be written; nothing is deleted then.
    public func deleteRows(olderThan cutoff: Int64, class statisticsClass: StatisticsClass) throws(AnonLogError) -> Int {
        try database.writeTransaction { () throws(AnonLogError) -> Int in
            var deleted = 0
            for rows in Self.retainedRows(of: statisticsClass) {
                try database.prepare("DELETE FROM \(rows.table)" + rows.condition(olderThan: true)).bind(.integer(cutoff)).run()
                deleted += database.changes
            }
            return deleted
        }
    }

    /// How many rows of a class the store holds, the start of the oldest one's bucket, and how
    /// many end before `cutoff`, read in one snapshot.
    ///
    /// - Parameters:
    ///   - statisticsClass: Which rows.
    ///   - cutoff: The class's window, measured back from now; `nil` counts nothing as overdue.
    /// - Throws: ``AnonLogError`` when the store cannot be read.
    public func holdings(of statisticsClass: StatisticsClass, olderThan cutoff: Int64?) throws(AnonLogError) -> StatisticsHolding {
        try database.readTransaction { () throws(AnonLogError) -> StatisticsHolding in
            var holding = StatisticsHolding(rows: 0, oldest: nil, overdue: cutoff == nil ? nil : 0)
            for rows in Self.retainedRows(of: statisticsClass) {
                let statement = try database.prepare("SELECT count(*), min(\(rows.column)) FROM \(rows.table)" + rows.condition(olderThan: false))
                guard try statement.step() else { continue }
                holding.rows += Int(statement.int64(0))
                if !statement.isNull(1) { holding.oldest = min(holding.oldest ?? .max, statement.int64(1)) }
                statement.reset()
                if let cutoff {
                    let overdue = try database.prepare("SELECT count(*) FROM \(rows.table)" + rows.condition(olderThan: true))
                    overdue.bind(.integer(cutoff))
                    if try overdue.step() { holding.overdue? += Int(overdue.int64(0)) }
                    overdue.reset()
                }
            }
            return holding
        }
    }
}
