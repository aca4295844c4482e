/// The rows of the statistics store that expire by their own window.
public enum StatisticsClass: String, Sendable, Hashable, CaseIterable {
    /// Rows about one actor (a client pseudonym, a session): 30 days in the sample policy.
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
