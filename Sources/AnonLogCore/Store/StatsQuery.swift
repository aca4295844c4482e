/// What a statistics query covers and how much it shows.
public struct StatsQuery: Sendable {
    /// The first second included (Unix seconds), or `nil` for everything held.
    public var since: Int64?
    /// The first second no longer included, or `nil` for up to the newest data.
    public var until: Int64?
    /// Rows describing fewer distinct clients are folded into "other" (1 folds nothing).
    public var k = 10
    /// The most rows a ranking shows.
    public var limit = 20

    public init(since: Int64? = nil, until: Int64? = nil, k: Int = 10, limit: Int = 20) {
        self.since = since
        self.until = until
        self.k = k
        self.limit = limit
    }

    /// The buckets of the coarsest granularity (day, hour, minute) whose boundaries match the
    /// range's ends and `step`, so that a query adds up whole buckets and nothing outside.
    func buckets(step: Int64? = nil) -> BucketRange {
        for granularity: Int64 in [86_400, 3600, 60] {
            let aligned = [since, until, step].allSatisfy { value in value.map { $0 % granularity == 0 } ?? true }
            if aligned { return BucketRange(granularity: granularity, low: since ?? .min, high: until ?? .max) }
        }
        // Ends inside a minute: the minutes they touch.
        return touching(granularity: 60)
    }

    /// The buckets of `granularity` that overlap the range (for tables kept only by hour or day).
    func touching(granularity: Int64) -> BucketRange {
        let low = since.map { StatsTime.floorDivide($0, granularity) * granularity } ?? .min
        let high = until.map { StatsTime.floorDivide($0 + granularity - 1, granularity) * granularity } ?? .max
        return BucketRange(granularity: granularity, low: low, high: high)
    }

    /// Whether a time lies in the range.
    func contains(_ time: Int64) -> Bool {
        (since.map { time >= $0 } ?? true) && (until.map { time < $0 } ?? true)
    }

    /// Parses `24h`, `7d`, `30m`, `90s`, `2w` (before `now`) or an ISO 8601 date or time.
    ///
    /// - Parameters:
    ///   - text: What the user typed.
    ///   - now: The current Unix time.
    /// - Returns: Unix seconds, or `nil` when the text is neither.
    public static func time(_ text: String, now: Int64) -> Int64? {
        if let duration = duration(text) { return now - duration }
        var copy = text
        return copy.withUTF8 { LogTimestamp.parseISO8601(UnsafeRawBufferPointer($0)) }
    }

    /// Parses a duration: a number followed by `s`, `m`, `h`, `d` or `w`, in seconds; at most
    /// 10,000 years (longer ones are `nil`: they would overflow times computed from them).
    public static func duration(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        guard let unit = text.last, let factor = units[unit], let number = Int64(text.dropLast()), number > 0 else { return nil }
        let (seconds, overflow) = number.multipliedReportingOverflow(by: factor)
        guard !overflow, seconds <= 10_000 * 366 * 86_400 else { return nil }
        return seconds
    }
}

/// A range of buckets of one granularity: `low <= bucket < high`.
struct BucketRange {
    var granularity: Int64
    var low: Int64
    var high: Int64

    /// SQL bindings for the range.
    var bindings: [SQLiteValue] { [.integer(granularity), .integer(low), .integer(high)] }
}
