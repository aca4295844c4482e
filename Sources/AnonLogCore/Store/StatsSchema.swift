/// The stats store's tables, as numbered migrations.
///
/// `PRAGMA user_version` holds the number of migrations applied; opening a store applies the
/// missing ones in one write transaction, so two processes opening a new store at once create it
/// once. A store written by a newer anonlog (a higher version) is refused rather than misread.
/// Time-bucketed tables carry a `granularity` (60, 3600 or 86400 seconds) and the bucket's
/// start in Unix seconds; sketches are serialized ``HyperLogLog`` bytes.
enum StatsSchema {
    /// Migration `n` (1-based) brings the schema from version `n - 1` to `n`.
    static let migrations: [String] = [
        """
        CREATE TABLE ingestion (
            segment BLOB PRIMARY KEY,
            lines INTEGER NOT NULL,
            digest BLOB NOT NULL,
            complete INTEGER NOT NULL,
            source TEXT NOT NULL,
            first_time INTEGER,
            last_time INTEGER,
            recognized INTEGER NOT NULL,
            events INTEGER NOT NULL,
            alerts INTEGER NOT NULL,
            ingested_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE traffic (
            granularity INTEGER NOT NULL, bucket INTEGER NOT NULL, ua_class TEXT NOT NULL,
            status_class INTEGER NOT NULL, static INTEGER NOT NULL,
            hits INTEGER NOT NULL, bytes INTEGER NOT NULL,
            PRIMARY KEY (granularity, bucket, ua_class, status_class, static)
        ) WITHOUT ROWID;
        CREATE TABLE statuses (
            granularity INTEGER NOT NULL, bucket INTEGER NOT NULL, status INTEGER NOT NULL,
            hits INTEGER NOT NULL, clients BLOB,
            PRIMARY KEY (granularity, bucket, status)
        ) WITHOUT ROWID;
        CREATE TABLE uniques (
            granularity INTEGER NOT NULL, bucket INTEGER NOT NULL, clients BLOB, networks BLOB,
            PRIMARY KEY (granularity, bucket)
        ) WITHOUT ROWID;
        CREATE TABLE class_clients (
            granularity INTEGER NOT NULL, bucket INTEGER NOT NULL, ua_class TEXT NOT NULL, clients BLOB,
            PRIMARY KEY (granularity, bucket, ua_class)
        ) WITHOUT ROWID;
        CREATE TABLE chat (
            granularity INTEGER NOT NULL, bucket INTEGER NOT NULL,
            sessions INTEGER NOT NULL, sessions_with_messages INTEGER NOT NULL, messages INTEGER NOT NULL,
            operator_messages INTEGER NOT NULL, duplicates INTEGER NOT NULL, messages_with_links INTEGER NOT NULL,
            ttfm_3s INTEGER NOT NULL, ttfm_10s INTEGER NOT NULL, ttfm_30s INTEGER NOT NULL, ttfm_1m INTEGER NOT NULL,
            ttfm_5m INTEGER NOT NULL, ttfm_30m INTEGER NOT NULL, ttfm_longer INTEGER NOT NULL,
            clients BLOB,
            PRIMARY KEY (granularity, bucket)
        ) WITHOUT ROWID;
        CREATE TABLE visitors (
            day INTEGER PRIMARY KEY, sketch BLOB
        );
        CREATE TABLE paths (
            hour INTEGER NOT NULL, status_class INTEGER NOT NULL, template TEXT NOT NULL,
            hits INTEGER NOT NULL, error INTEGER NOT NULL, clients BLOB,
            PRIMARY KEY (hour, status_class, template)
        ) WITHOUT ROWID;
        CREATE TABLE networks (
            day INTEGER NOT NULL, network TEXT NOT NULL, hits INTEGER NOT NULL, bytes INTEGER NOT NULL,
            client_errors INTEGER NOT NULL, server_errors INTEGER NOT NULL, clients BLOB,
            PRIMARY KEY (day, network)
        ) WITHOUT ROWID;
        CREATE TABLE actors (
            day INTEGER NOT NULL, client TEXT NOT NULL, network TEXT, hits INTEGER NOT NULL, bytes INTEGER NOT NULL,
            client_errors INTEGER NOT NULL, server_errors INTEGER NOT NULL, classes INTEGER NOT NULL,
            chat_sessions INTEGER NOT NULL, chat_messages INTEGER NOT NULL,
            first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
            PRIMARY KEY (day, client)
        ) WITHOUT ROWID;
        CREATE INDEX actors_client ON actors (client);
        CREATE INDEX actors_network ON actors (network, day);
        CREATE TABLE bots (
            day INTEGER NOT NULL, ua_class TEXT NOT NULL, bot TEXT NOT NULL, category TEXT NOT NULL,
            hits INTEGER NOT NULL, bytes INTEGER NOT NULL, clients BLOB,
            PRIMARY KEY (day, ua_class, bot)
        ) WITHOUT ROWID;
        CREATE TABLE fingerprints (
            hour INTEGER NOT NULL, fingerprint TEXT NOT NULL, messages INTEGER NOT NULL,
            sessions BLOB, clients BLOB, networks BLOB, link_host TEXT, messages_with_links INTEGER NOT NULL,
            first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
            PRIMARY KEY (hour, fingerprint)
        ) WITHOUT ROWID;
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            time INTEGER NOT NULL, rule TEXT NOT NULL, scope TEXT NOT NULL, subject TEXT NOT NULL, network TEXT,
            events INTEGER NOT NULL, distinct_values INTEGER NOT NULL, confidence INTEGER NOT NULL,
            detail TEXT, evidence TEXT NOT NULL, first_seen INTEGER NOT NULL, segment BLOB NOT NULL
        );
        CREATE INDEX alerts_time ON alerts (time);
        CREATE INDEX alerts_subject ON alerts (subject, time);
        CREATE INDEX alerts_network ON alerts (network, time);
        """,
        // 2: autonomous systems and countries (--geoip-db).
        """
        CREATE TABLE autonomous_systems (
            day INTEGER NOT NULL, asn INTEGER NOT NULL, country TEXT NOT NULL, organization TEXT,
            hits INTEGER NOT NULL, client_errors INTEGER NOT NULL, clients BLOB,
            PRIMARY KEY (day, asn, country)
        ) WITHOUT ROWID;
        ALTER TABLE alerts ADD COLUMN asn INTEGER;
        ALTER TABLE alerts ADD COLUMN country TEXT;
        """,
    ]

    /// The schema version this build writes.
    static var version: Int { migrations.count }

    /// Brings the database to ``version``.
    ///
    /// - Throws: ``AnonLogError`` with ``AnonLogError/Code/dataError`` for a store from a newer
    ///   anonlog.
    static func migrate(_ database: SQLiteDatabase) throws(AnonLogError) {
        if let current = try currentVersion(database), current == version { return }
        try database.writeTransaction { () throws(AnonLogError) in
            let current = try currentVersion(database) ?? 0
            guard current <= version else {
                throw AnonLogError(
                    .dataError, "the stats store has schema version \(current), newer than this anonlog's \(version)",
                    location: .init(path: database.path))
            }
            for migration in migrations[current...] { try database.execute(migration) }
            try database.execute("PRAGMA user_version = \(version)")
        }
    }

    private static func currentVersion(_ database: SQLiteDatabase) throws(AnonLogError) -> Int? {
        try database.queryText("PRAGMA user_version").flatMap { Int($0) }
    }
}
