internal import CAnonLogSQLite

/// SQL functions the stats store needs: `hll_merge(a, b)`, the union of two stored
/// ``HyperLogLog`` sketches, so an upsert can merge a new minute's sketch into an hour's.
enum SQLiteFunctions {
    static func register(on handle: OpaquePointer, path: String) throws(AnonLogError) {
        let status = sqlite3_create_function_v2(
            handle, "hll_merge", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, mergeSketches, nil, nil, nil)
        guard status == SQLITE_OK else {
            throw AnonLogError(.ioError, "stats store: cannot register hll_merge", location: .init(path: path))
        }
    }

    private static let mergeSketches: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = {
        context, count, values in
        guard let values, count == 2 else {
            sqlite3_result_null(context)
            return
        }
        func sketch(_ value: OpaquePointer?) -> HyperLogLog? {
            guard sqlite3_value_type(value) == SQLITE_BLOB, let pointer = sqlite3_value_blob(value) else { return nil }
            return HyperLogLog(serialized: UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_value_bytes(value))))
        }
        let first = sketch(values[0])
        let second = sketch(values[1])
        var merged: HyperLogLog
        switch (first, second) {
        case (nil, nil):
            sqlite3_result_null(context)
            return
        case (let sketch?, nil), (nil, let sketch?):
            merged = sketch
        case (var left?, let right?):
            if left.precision == right.precision { left.merge(right) }
            merged = left
        }
        let bytes = merged.serialized()
        bytes.withUnsafeBytes { sqlite3_result_blob(context, $0.baseAddress, Int32($0.count), anonlog_sqlite_transient()) }
    }
}
