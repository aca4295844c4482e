/// How often the pseudonymization key changes, in UTC calendar units.
///
/// An epoch is one such unit; every record is pseudonymized with the key of the epoch its own
/// timestamp falls in, so the same address gets unrelated pseudonyms in different epochs and
/// nobody can link them. Epoch indexes count from 1970-01-01.
public enum KeyRotation: String, Sendable, CaseIterable, Hashable {
    /// One key for all time (epoch 0).
    case none
    /// A new key every UTC day.
    case daily
    /// A new key every ISO week (Monday 00:00 UTC).
    case weekly
    /// A new key every UTC calendar month.
    case monthly

    /// The epoch a Unix time falls in.
    public func epoch(at seconds: Int64) -> Int64 {
        let days = Self.floorDivide(seconds, 86_400)
        switch self {
        case .none: return 0
        case .daily: return days
        case .weekly: return Self.floorDivide(days + 3, 7)  // 1970-01-01 was a Thursday
        case .monthly:
            let date = LogTimestamp.civilDate(daysSinceEpoch: Int(days))
            return Int64((date.year - 1970) * 12 + date.month - 1)
        }
    }

    /// The epoch of the last day of the year 9999, the latest a log timestamp can name (and so
    /// the latest a key file may start at).
    public var latestEpoch: Int64 { epoch(at: 253_402_300_799) }

    /// The first second of an epoch.
    public func start(ofEpoch epoch: Int64) -> Int64 {
        switch self {
        case .none: return Int64.min
        case .daily: return epoch * 86_400
        case .weekly: return (epoch * 7 - 3) * 86_400
        case .monthly:
            let months = Int(epoch)
            let year = 1970 + Self.floorDivide(Int64(months), 12)
            let month = months - Int(year - 1970) * 12 + 1
            return Int64(LogTimestamp.daysSinceEpoch(year: Int(year), month: month, day: 1)) * 86_400
        }
    }

    /// A person's name for an epoch: `2026-11-20`, `2026-11-16 (week)`, `2026-11`, or `all time`.
    public func describe(epoch: Int64) -> String {
        switch self {
        case .none: return "all time"
        case .daily: return Self.date(start(ofEpoch: epoch))
        case .weekly: return "week of " + Self.date(start(ofEpoch: epoch))
        case .monthly: return String(Self.date(start(ofEpoch: epoch)).dropLast(3))
        }
    }

    /// `2026-11-20` for a time that day (years past 9999 keep all their digits).
    private static func date(_ seconds: Int64) -> String {
        String(LogTimestamp.format(seconds).prefix { $0 != "T" })
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }
}
