/// The rows of the statistics store that expire by their own window (the tables of each are
/// listed by `SQLiteStatsStore.retainedRows(of:)`).
public enum StatisticsClass: String, Sendable, Hashable, CaseIterable {
    /// Rows that name one subject (a client or network pseudonym per day, a message fingerprint,
    /// an alert): 30 days in the sample policy.
    case perActor = "per_actor"
    /// One-minute buckets: 48 hours.
    case minuteBuckets = "minute"
    /// One-hour buckets: 90 days.
    case hourlyBuckets = "hourly"
    /// One-day aggregates: 5 years.
    case dailyAggregates = "daily"

    /// The policy class whose window applies.
    public var retentionClass: RetentionClass {
        switch self {
        case .perActor: .perActorStatistics
        case .minuteBuckets: .minuteBuckets
        case .hourlyBuckets: .hourlyBuckets
        case .dailyAggregates: .dailyAggregates
        }
    }
}
