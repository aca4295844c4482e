/// A kind of data a retention policy keeps for a while, each with its own window.
public enum RetentionClass: String, Sendable, Hashable, CaseIterable {
    /// Raw logs, with real addresses: deleted once archived and older than the window.
    case rawLogs = "raw_logs"
    /// Anonymized logs in the archive.
    case anonymizedLogs = "anonymized_logs"
    /// Key epochs: how long pseudonyms stay linkable (and reversible with the key).
    case keyEpochs = "key_epochs"
    /// Statistics rows about single actors (a pseudonym, a session).
    case perActorStatistics = "per_actor_statistics"
    /// Statistics in one-minute buckets.
    case minuteBuckets = "minute_buckets"
    /// Statistics in one-hour buckets.
    case hourlyBuckets = "hourly_buckets"
    /// Statistics in one-day buckets.
    case dailyAggregates = "daily_aggregates"
    /// Chat sessions that never carried a message: dropped after this long idle.
    case chatSessionsWithoutMessages = "chat_sessions_without_messages"

    /// The statistics rows of this class, if it is one.
    public var statistics: StatisticsClass? {
        switch self {
        case .perActorStatistics: .perActor
        case .minuteBuckets: .minuteBuckets
        case .hourlyBuckets: .hourlyBuckets
        case .dailyAggregates: .dailyAggregates
        case .rawLogs, .anonymizedLogs, .keyEpochs, .chatSessionsWithoutMessages: nil
        }
    }

    /// A person's name for the class.
    public var title: String {
        switch self {
        case .rawLogs: "raw logs"
        case .anonymizedLogs: "anonymized logs"
        case .keyEpochs: "key epochs"
        case .perActorStatistics: "per-actor statistics"
        case .minuteBuckets: "minute buckets"
        case .hourlyBuckets: "hourly buckets"
        case .dailyAggregates: "daily aggregates"
        case .chatSessionsWithoutMessages: "chat sessions without messages"
        }
    }
}
