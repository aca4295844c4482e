/// The stats store in an SQLite file: the default ``StatsStore``, and the queries of
/// `anonlog stats`.
///
/// Several processes may write one store at once: each segment is one `BEGIN IMMEDIATE`
/// transaction (retried while another writer holds the lock) that checks the ledger, adds its
/// rows and writes its ledger entry, so a segment is counted once and no writer's rows are lost.
/// Minute rows are rolled up into hour and day rows as they are written.
public final class SQLiteStatsStore: StatsStore {
    let database: SQLiteDatabase

    /// Opens the store at `path`, creating it and its directory if needed (the directory with
    /// mode 0700: statistics are pseudonymous data), and brings its schema up to date.
    ///
    /// - Parameters:
    ///   - path: The database file.
    ///   - readOnly: Open for queries only; the file must exist.
    /// - Throws: ``AnonLogError`` when the file cannot be opened or created, or holds a schema
    ///   from a newer anonlog.
    public init(path: String, readOnly: Bool = false) throws(AnonLogError) {
        if !readOnly { try StatsStoreLocation.createParentDirectory(of: path) }
        database = try SQLiteDatabase(path: path, readOnly: readOnly)
        if !readOnly {
            try StatsSchema.migrate(database)
        } else if let version = try database.queryText("PRAGMA user_version").flatMap({ Int($0) }), version != StatsSchema.version {
            throw AnonLogError(.dataError, "the stats store has schema version \(version), this anonlog reads \(StatsSchema.version)", location: .init(path: path))
        }
    }

    /// The file's path.
    public var path: String { database.path }

    // MARK: - Ledger

    public func ledgerEntry(for segment: [UInt8]) throws(AnonLogError) -> LedgerEntry? {
        let statement = try database.prepare(
            "SELECT lines, digest, complete, source, first_time, last_time, recognized, events, alerts, ingested_at FROM ingestion WHERE segment = ?1")
        defer { statement.reset() }
        statement.bind(.blob(segment))
        guard try statement.step() else { return nil }
        return LedgerEntry(
            segment: segment, lines: Int(statement.int64(0)), digest: statement.blob(1) ?? [], isComplete: statement.int64(2) != 0,
            source: statement.text(3) ?? "", firstTime: statement.isNull(4) ? nil : statement.int64(4),
            lastTime: statement.isNull(5) ? nil : statement.int64(5), recognizedLines: Int(statement.int64(6)),
            events: Int(statement.int64(7)), alerts: Int(statement.int64(8)), ingestedAt: statement.int64(9))
    }

    // MARK: - Writing

    public func commit(_ batch: StatsBatch, updates: [LedgerUpdate]) throws(AnonLogError) -> Bool {
        do {
            return try writeCommit(batch, updates: updates)
        } catch {
            // Another writer ingested one of the segments meanwhile: the transaction rolled back.
            if error.message == Self.conflict.message { return false }
            throw error
        }
    }

    private static let conflict = AnonLogError(.dataError, "stats store: the ledger changed under this transaction")

    private func writeCommit(_ batch: StatsBatch, updates: [LedgerUpdate]) throws(AnonLogError) -> Bool {
        try database.writeTransaction { () throws(AnonLogError) -> Bool in
            for update in updates {
                let entry = update.entry
                // Read inside the write transaction: it also sees entries written just above.
                let covered = try ledgerEntry(for: entry.segment)?.lines ?? 0
                guard covered == update.coveredBefore else { throw Self.conflict }
                try database.prepare(
                    """
                    INSERT OR REPLACE INTO ingestion (segment, lines, digest, complete, source, first_time, last_time, recognized,
                        events, alerts, ingested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                    """
                ).bind(
                    .blob(entry.segment), .int(entry.lines), .blob(entry.digest), .int(entry.isComplete ? 1 : 0), .text(entry.source),
                    entry.firstTime.map(SQLiteValue.integer) ?? .null, entry.lastTime.map(SQLiteValue.integer) ?? .null,
                    .int(entry.recognizedLines), .int(entry.events), .int(entry.alerts), .integer(entry.ingestedAt)
                ).run()
            }
            try write(batch, segment: updates.last?.entry.segment ?? [])
            return true
        }
    }

    private static let granularities: [Int64] = [60, 3600, 86_400]

    private func write(_ batch: StatsBatch, segment: [UInt8]) throws(AnonLogError) {
        // Roll minute rows up into hour and day rows in memory first: one upsert per row and
        // granularity, however many minutes the segment spans.
        var traffic: [TrafficKey: (hits: Int64, bytes: Int64)] = [:]
        for row in batch.traffic {
            for granularity in Self.granularities {
                let key = TrafficKey(
                    granularity: granularity, bucket: floor(row.minute, granularity), userAgentClass: row.userAgentClass,
                    statusClass: row.statusClass, isStatic: row.isStatic)
                traffic[key, default: (0, 0)].hits += row.hits
                traffic[key, default: (0, 0)].bytes = traffic[key, default: (0, 0)].bytes.addingSaturated(row.bytes)
            }
        }
        let trafficStatement = try database.prepare(
            """
            INSERT INTO traffic (granularity, bucket, ua_class, status_class, static, hits, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT DO UPDATE SET hits = hits + excluded.hits, bytes = bytes + excluded.bytes
            """)
        for (key, value) in traffic {
            try trafficStatement.bind(
                .integer(key.granularity), .integer(key.bucket), .text(key.userAgentClass.rawValue), .int(key.statusClass),
                .int(key.isStatic ? 1 : 0), .integer(value.hits), .integer(value.bytes)
            ).run()
        }

        var statuses: [BucketKey<Int>: (hits: Int64, clients: HyperLogLog?)] = [:]
        for row in batch.statuses {
            for granularity in Self.granularities {
                let key = BucketKey(granularity: granularity, bucket: floor(row.minute, granularity), value: row.status)
                var value = statuses[key] ?? (0, nil)
                value.hits += row.hits
                value.clients = Self.union(value.clients, row.clients)
                statuses[key] = value
            }
        }
        let statusStatement = try database.prepare(
            """
            INSERT INTO statuses (granularity, bucket, status, hits, clients) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT DO UPDATE SET hits = hits + excluded.hits, clients = hll_merge(clients, excluded.clients)
            """)
        for (key, value) in statuses {
            try statusStatement.bind(
                .integer(key.granularity), .integer(key.bucket), .int(key.value), .integer(value.hits),
                .optionalBlob(value.clients?.serialized())
            ).run()
        }

        var uniques: [BucketKey<Int>: (clients: HyperLogLog?, networks: HyperLogLog?)] = [:]
        for row in batch.uniques {
            for granularity in Self.granularities {
                let key = BucketKey(granularity: granularity, bucket: floor(row.minute, granularity), value: 0)
                var value = uniques[key] ?? (nil, nil)
                value.clients = Self.union(value.clients, row.clients)
                value.networks = Self.union(value.networks, row.networks)
                uniques[key] = value
            }
        }
        let uniquesStatement = try database.prepare(
            """
            INSERT INTO uniques (granularity, bucket, clients, networks) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT DO UPDATE SET clients = hll_merge(clients, excluded.clients), networks = hll_merge(networks, excluded.networks)
            """)
        for (key, value) in uniques {
            try uniquesStatement.bind(
                .integer(key.granularity), .integer(key.bucket), .optionalBlob(value.clients?.serialized()),
                .optionalBlob(value.networks?.serialized())
            ).run()
        }

        var classClients: [BucketKey<UserAgentClass>: HyperLogLog] = [:]
        for row in batch.classClients {
            for granularity in Self.granularities {
                let key = BucketKey(granularity: granularity, bucket: floor(row.minute, granularity), value: row.userAgentClass)
                classClients[key] = Self.union(classClients[key], row.clients)
            }
        }
        let classStatement = try database.prepare(
            """
            INSERT INTO class_clients (granularity, bucket, ua_class, clients) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT DO UPDATE SET clients = hll_merge(clients, excluded.clients)
            """)
        for (key, sketch) in classClients {
            try classStatement.bind(.integer(key.granularity), .integer(key.bucket), .text(key.value.rawValue), .blob(sketch.serialized())).run()
        }

        var chat: [BucketKey<Int>: (row: StatsBatch.Chat, clients: HyperLogLog?)] = [:]
        for row in batch.chat {
            for granularity in Self.granularities {
                let key = BucketKey(granularity: granularity, bucket: floor(row.minute, granularity), value: 0)
                var value = chat[key] ?? (StatsBatch.Chat(minute: key.bucket, clients: []), nil)
                value.row.sessions += row.sessions
                value.row.sessionsWithMessages += row.sessionsWithMessages
                value.row.messages += row.messages
                value.row.operatorMessages += row.operatorMessages
                value.row.duplicates += row.duplicates
                value.row.messagesWithLinks += row.messagesWithLinks
                for bin in 0..<7 { value.row.firstMessageDelays[bin] += row.firstMessageDelays[bin] }
                value.clients = Self.union(value.clients, row.clients)
                chat[key] = value
            }
        }
        let chatStatement = try database.prepare(
            """
            INSERT INTO chat (granularity, bucket, sessions, sessions_with_messages, messages, operator_messages, duplicates,
                messages_with_links, ttfm_3s, ttfm_10s, ttfm_30s, ttfm_1m, ttfm_5m, ttfm_30m, ttfm_longer, clients)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
            ON CONFLICT DO UPDATE SET sessions = sessions + excluded.sessions,
                sessions_with_messages = sessions_with_messages + excluded.sessions_with_messages,
                messages = messages + excluded.messages, operator_messages = operator_messages + excluded.operator_messages,
                duplicates = duplicates + excluded.duplicates, messages_with_links = messages_with_links + excluded.messages_with_links,
                ttfm_3s = ttfm_3s + excluded.ttfm_3s, ttfm_10s = ttfm_10s + excluded.ttfm_10s, ttfm_30s = ttfm_30s + excluded.ttfm_30s,
                ttfm_1m = ttfm_1m + excluded.ttfm_1m, ttfm_5m = ttfm_5m + excluded.ttfm_5m, ttfm_30m = ttfm_30m + excluded.ttfm_30m,
                ttfm_longer = ttfm_longer + excluded.ttfm_longer, clients = hll_merge(clients, excluded.clients)
            """)
        for (key, value) in chat {
            let row = value.row
            var values: [SQLiteValue] = [
                .integer(key.granularity), .integer(key.bucket), .integer(row.sessions), .integer(row.sessionsWithMessages),
                .integer(row.messages), .integer(row.operatorMessages), .integer(row.duplicates), .integer(row.messagesWithLinks),
            ]
            values += row.firstMessageDelays.map(SQLiteValue.integer)
            values.append(.optionalBlob(value.clients?.serialized()))
            try chatStatement.bind(values).run()
        }

        let visitorStatement = try database.prepare(
            "INSERT INTO visitors (day, sketch) VALUES (?1, ?2) ON CONFLICT DO UPDATE SET sketch = hll_merge(sketch, excluded.sketch)")
        for row in batch.visitors {
            try visitorStatement.bind(.integer(row.day * 86_400), .blob(row.sketch)).run()
        }

        let pathStatement = try database.prepare(
            """
            INSERT INTO paths (hour, status_class, template, hits, error, clients) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT DO UPDATE SET hits = hits + excluded.hits, error = error + excluded.error,
                clients = hll_merge(clients, excluded.clients)
            """)
        for row in batch.paths {
            try pathStatement.bind(
                .integer(row.hour), .int(row.statusClass), .text(row.template), .integer(row.hits), .integer(row.error), .blob(row.clients)
            ).run()
        }

        let networkStatement = try database.prepare(
            """
            INSERT INTO networks (day, network, hits, bytes, client_errors, server_errors, clients) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT DO UPDATE SET hits = hits + excluded.hits, bytes = bytes + excluded.bytes,
                client_errors = client_errors + excluded.client_errors, server_errors = server_errors + excluded.server_errors,
                clients = hll_merge(clients, excluded.clients)
            """)
        for row in batch.networks {
            try networkStatement.bind(
                .integer(row.day), .text(row.network), .integer(row.hits), .integer(row.bytes), .integer(row.clientErrors),
                .integer(row.serverErrors), .blob(row.clients)
            ).run()
        }

        let actorStatement = try database.prepare(
            """
            INSERT INTO actors (day, client, network, hits, bytes, client_errors, server_errors, classes, chat_sessions,
                chat_messages, first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
            ON CONFLICT DO UPDATE SET network = coalesce(network, excluded.network), hits = hits + excluded.hits,
                bytes = bytes + excluded.bytes, client_errors = client_errors + excluded.client_errors,
                server_errors = server_errors + excluded.server_errors, classes = classes | excluded.classes,
                chat_sessions = chat_sessions + excluded.chat_sessions, chat_messages = chat_messages + excluded.chat_messages,
                first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)
            """)
        for row in batch.actors {
            try actorStatement.bind(
                .integer(row.day), .text(row.client), .optionalText(row.network), .integer(row.hits), .integer(row.bytes),
                .integer(row.clientErrors), .integer(row.serverErrors), .integer(row.classes), .integer(row.chatSessions),
                .integer(row.chatMessages), .integer(row.firstSeen), .integer(row.lastSeen)
            ).run()
        }

        let botStatement = try database.prepare(
            """
            INSERT INTO bots (day, ua_class, bot, category, hits, bytes, clients) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT DO UPDATE SET hits = hits + excluded.hits, bytes = bytes + excluded.bytes,
                clients = hll_merge(clients, excluded.clients)
            """)
        for row in batch.bots {
            try botStatement.bind(
                .integer(row.day), .text(row.userAgentClass.rawValue), .text(row.bot), .text(row.category), .integer(row.hits),
                .integer(row.bytes), .blob(row.clients)
            ).run()
        }

        let fingerprintStatement = try database.prepare(
            """
            INSERT INTO fingerprints (hour, fingerprint, messages, sessions, clients, networks, link_host, messages_with_links,
                first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            ON CONFLICT DO UPDATE SET messages = messages + excluded.messages, sessions = hll_merge(sessions, excluded.sessions),
                clients = hll_merge(clients, excluded.clients), networks = hll_merge(networks, excluded.networks),
                link_host = coalesce(link_host, excluded.link_host),
                messages_with_links = messages_with_links + excluded.messages_with_links,
                first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)
            """)
        for row in batch.fingerprints {
            try fingerprintStatement.bind(
                .integer(row.hour), .text(row.fingerprint), .integer(row.messages), .blob(row.sessions), .blob(row.clients),
                .blob(row.networks), .optionalText(row.linkHost), .integer(row.messagesWithLinks), .integer(row.firstSeen),
                .integer(row.lastSeen)
            ).run()
        }

        let asnStatement = try database.prepare(
            """
            INSERT INTO autonomous_systems (day, asn, country, organization, hits, client_errors, clients) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT DO UPDATE SET organization = coalesce(organization, excluded.organization), hits = hits + excluded.hits,
                client_errors = client_errors + excluded.client_errors, clients = hll_merge(clients, excluded.clients)
            """)
        for row in batch.autonomousSystems {
            try asnStatement.bind(
                .integer(row.day), .integer(Int64(row.asn)), .text(row.country ?? ""), .optionalText(row.organization), .integer(row.hits),
                .integer(row.clientErrors), .blob(row.clients)
            ).run()
        }

        let alertStatement = try database.prepare(
            """
            INSERT INTO alerts (time, rule, scope, subject, network, events, distinct_values, confidence, detail, evidence,
                first_seen, segment, asn, country) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
            """)
        for alert in batch.alerts {
            try alertStatement.bind(
                .integer(alert.time), .text(alert.rule.rawValue), .text(alert.scope.rawValue), .text(alert.subject),
                .optionalText(alert.network), .int(alert.events), .int(alert.distinctValues), .int(alert.confidence),
                .optionalText(alert.detail), .text(alert.evidence.joined(separator: "\n")), .integer(alert.firstSeen), .blob(segment),
                alert.asn.map { .integer(Int64($0)) } ?? .null, .optionalText(alert.country)
            ).run()
        }
    }

    // MARK: - Pieces

    private struct TrafficKey: Hashable {
        var granularity: Int64
        var bucket: Int64
        var userAgentClass: UserAgentClass
        var statusClass: Int
        var isStatic: Bool
    }

    private struct BucketKey<Value: Hashable>: Hashable {
        var granularity: Int64
        var bucket: Int64
        var value: Value
    }

    private func floor(_ time: Int64, _ granularity: Int64) -> Int64 {
        StatsTime.floorDivide(time, granularity) * granularity
    }

    /// The union of a sketch and stored sketch bytes (either may be missing).
    static func union(_ sketch: HyperLogLog?, _ bytes: [UInt8]?) -> HyperLogLog? {
        guard let bytes, let other = HyperLogLog(serialized: bytes) else { return sketch }
        guard var sketch, sketch.precision == other.precision else { return sketch ?? other }
        sketch.merge(other)
        return sketch
    }
}
