internal import CAnonLogSQLite

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// One connection to an SQLite database through the system C API.
///
/// Set up for several anonlog processes writing the same file: write-ahead logging (readers
/// never block the writer), a busy timeout, and write transactions that take the write lock
/// when they begin (`BEGIN IMMEDIATE`) and are retried while another writer holds it, so no
/// writer loses its rows. Prepared statements are cached per SQL text. One connection belongs
/// to one thread.
final class SQLiteDatabase {
    private var handle: OpaquePointer?
    let path: String
    private var statements: [String: SQLiteStatement] = [:]
    /// How long to keep retrying a busy database, in milliseconds.
    private let patience: Int

    /// Opens (and creates, unless `readOnly`) the database at `path`.
    ///
    /// - Throws: ``AnonLogError`` with ``AnonLogError/Code/cannotCreateOutput`` when the file
    ///   cannot be opened or created, ``AnonLogError/Code/noInput`` when a read-only database
    ///   does not exist.
    init(path: String, readOnly: Bool = false, patience: Int = 60_000) throws(AnonLogError) {
        _ = Self.configured
        self.path = path
        self.patience = patience
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let status = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            handle = nil
            let code: AnonLogError.Code = readOnly && status == SQLITE_CANTOPEN ? .noInput : .cannotCreateOutput
            throw AnonLogError(code, "cannot open the stats store: \(message)", location: .init(path: path))
        }
        sqlite3_busy_timeout(handle, Int32(min(patience, 10_000)))
        sqlite3_extended_result_codes(handle, 1)
        try SQLiteFunctions.register(on: handle!, path: path)
        if !readOnly {
            // Only a new, empty file takes a page size (an existing store keeps its own).
            try execute("PRAGMA page_size=\(Self.pageSize)")
            // WAL is persistent in the file; setting it again is cheap. NORMAL synchronous is
            // durable across process crashes in WAL mode (only a power loss can lose the last
            // transactions, never corrupt the file).
            _ = try? queryText("PRAGMA journal_mode=WAL")
            try execute("PRAGMA synchronous=NORMAL")
            // An hour's commit touches more pages than the default 2 MiB cache holds: with 32 MiB
            // they are neither spilled in the middle of the transaction nor read twice.
            try execute("PRAGMA cache_size=-32768")
        }
    }

    /// The page size of new stores, SQLite's largest. Most rows carry sketches of 1 to 8 KiB
    /// (a minute's uniques: two dense 4 KiB sketches), which spill into overflow pages of their
    /// own when they exceed a quarter of a page: at 64 KiB every one stays in its leaf (a store
    /// a fifth smaller than at 4 KiB, 32 KiB still spilled the uniques), and the commits write
    /// the same bytes in far fewer WAL frames (half the kernel time of a statistics run;
    /// Benchmarks/README.md has the measurements).
    static let pageSize = 65_536

    /// Process-wide settings, made once before the first connection opens (SQLite accepts them
    /// only before it initializes; if something else initialized it first, the defaults stay).
    private static let configured: Void = {
        _ = anonlog_sqlite_disable_memory_statistics()
    }()

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs SQL without results (several statements allowed).
    func execute(_ sql: String) throws(AnonLogError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let status = withRetry { sqlite3_exec(handle, sql, nil, nil, &errorMessage) }
        if status != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_free(errorMessage)
            throw error(message, status: status)
        }
    }

    /// The first column of the first row of a query, as text.
    func queryText(_ sql: String) throws(AnonLogError) -> String? {
        let statement = try prepare(sql)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return statement.text(0)
    }

    /// A prepared statement for `sql`, reused across calls (reset before it is returned).
    func prepare(_ sql: String) throws(AnonLogError) -> SQLiteStatement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var statement: OpaquePointer?
        let status = withRetry { sqlite3_prepare_v2(handle, sql, -1, &statement, nil) }
        guard status == SQLITE_OK, let statement else {
            throw error("cannot prepare a statement: \(String(cString: sqlite3_errmsg(handle)))", status: status)
        }
        let made = SQLiteStatement(statement, database: self)
        statements[sql] = made
        return made
    }

    /// Runs `body` in a write transaction, committed when it returns and rolled back when it
    /// throws. The transaction takes the write lock at its start and waits (retrying) while
    /// another process writes.
    func writeTransaction<Result>(_ body: () throws(AnonLogError) -> Result) throws(AnonLogError) -> Result {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
            throw error
        }
    }

    /// Runs `body` in a read transaction: one consistent snapshot for several queries. Nested
    /// calls join the outer transaction.
    func readTransaction<Result>(_ body: () throws(AnonLogError) -> Result) throws(AnonLogError) -> Result {
        if readDepth > 0 {
            readDepth += 1
            defer { readDepth -= 1 }
            return try body()
        }
        try execute("BEGIN")
        readDepth = 1
        defer {
            readDepth = 0
            _ = sqlite3_exec(handle, "COMMIT", nil, nil, nil)
        }
        return try body()
    }
    private var readDepth = 0

    /// Calls `operation` again while the database is busy or locked, with growing pauses, until
    /// it succeeds or the patience runs out.
    func withRetry(_ operation: () -> Int32) -> Int32 {
        var waited = 0
        var pause = 2
        while true {
            let status = operation()
            let primary = status & 0xFF
            guard primary == SQLITE_BUSY || primary == SQLITE_LOCKED, waited < patience else { return status }
            usleep(UInt32(pause * 1000))
            waited += pause
            pause = min(pause * 2, 200)
        }
    }

    /// An error for `status` with SQLite's message.
    func error(_ message: String, status: Int32) -> AnonLogError {
        let primary = status & 0xFF
        let code: AnonLogError.Code
        switch primary {
        case SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_SCHEMA: code = .dataError
        case SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN: code = .cannotCreateOutput
        default: code = .ioError
        }
        return AnonLogError(code, "stats store: \(message)", location: .init(path: path))
    }

    /// The rowid of the last insert.
    var lastInsertedRow: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last statement.
    var changes: Int { Int(sqlite3_changes(handle)) }
}

/// A prepared statement: bind, step, read columns, reset.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private unowned let database: SQLiteDatabase

    init(_ statement: OpaquePointer, database: SQLiteDatabase) {
        self.statement = statement
        self.database = database
    }

    deinit { sqlite3_finalize(statement) }

    /// Binds values to the parameters `?1`, `?2`, ... in order.
    @discardableResult
    func bind(_ values: SQLiteValue...) -> SQLiteStatement {
        bind(values)
    }

    /// Binds values to the parameters `?1`, `?2`, ... in order.
    @discardableResult
    func bind(_ values: [SQLiteValue]) -> SQLiteStatement {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: sqlite3_bind_null(statement, index)
            case .integer(let number): sqlite3_bind_int64(statement, index, number)
            case .real(let number): sqlite3_bind_double(statement, index, number)
            case .text(let text):
                // withUTF8 reads a native string in place: no C string is made.
                var text = text
                _ = text.withUTF8 { utf8 in
                    guard let base = utf8.baseAddress, utf8.count > 0 else { return sqlite3_bind_text(statement, index, "", 0, nil) }
                    return UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: utf8.count) { characters in
                        sqlite3_bind_text(statement, index, characters, Int32(utf8.count), anonlog_sqlite_transient())
                    }
                }
            case .blob(let bytes):
                _ = bytes.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), anonlog_sqlite_transient()) }
            }
        }
        return self
    }

    /// Advances to the next row.
    ///
    /// - Returns: `true` when a row is available, `false` when the statement is done.
    @discardableResult
    func step() throws(AnonLogError) -> Bool {
        let status = database.withRetry { sqlite3_step(statement) }
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(statement)))
            sqlite3_reset(statement)
            throw database.error(message, status: status)
        }
    }

    /// Runs the statement to its end (for writes).
    func run() throws(AnonLogError) {
        while try step() {}
        reset()
    }

    /// Makes the statement ready to run again, with its bindings cleared.
    func reset() {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    /// The number of columns of the result.
    var columnCount: Int { Int(sqlite3_column_count(statement)) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }

    func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(statement, column) else { return nil }
        return String(cString: pointer)
    }

    func blob(_ column: Int32) -> [UInt8]? {
        guard sqlite3_column_type(statement, column) != SQLITE_NULL else { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let pointer = sqlite3_column_blob(statement, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

/// A value bound to a statement parameter.
enum SQLiteValue {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    static func int(_ value: Int) -> SQLiteValue { .integer(Int64(value)) }
    static func optionalText(_ value: String?) -> SQLiteValue { value.map { .text($0) } ?? .null }
    static func optionalBlob(_ value: [UInt8]?) -> SQLiteValue { value.map { .blob($0) } ?? .null }
}
