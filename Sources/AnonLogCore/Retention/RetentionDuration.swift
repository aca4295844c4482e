/// A retention window as a person writes it in a policy: `7d`, `26 months`, `48h`, `30m`.
///
/// Seconds, minutes, hours, days and weeks are fixed lengths; months and years are calendar
/// units (UTC), so "26 months" before 2026-11-22 is 2024-09-22 whatever the month lengths.
/// `m` means minutes; months are written `mo`, `month` or `months`.
public struct RetentionDuration: Sendable, Hashable, CustomStringConvertible {
    /// The unit a duration was written in.
    public enum Unit: String, Sendable, Hashable, CaseIterable {
        case seconds, minutes, hours, days, weeks, months, years

        /// The fixed length of the unit in seconds; `nil` for the calendar units.
        var seconds: Int64? {
            switch self {
            case .seconds: 1
            case .minutes: 60
            case .hours: 3600
            case .days: 86_400
            case .weeks: 7 * 86_400
            case .months, .years: nil
            }
        }

        /// The shortest spelling, used when a duration is printed.
        var symbol: String {
            switch self {
            case .seconds: "s"
            case .minutes: "m"
            case .hours: "h"
            case .days: "d"
            case .weeks: "w"
            case .months: " months"
            case .years: "y"
            }
        }
    }

    /// How many units.
    public var value: Int64
    public var unit: Unit

    /// The longest window accepted: beyond it a cut-off would leave the calendar.
    static let maximumYears: Int64 = 1000

    public init(_ value: Int64, _ unit: Unit) {
        self.value = value
        self.unit = unit
    }

    /// Reads `7d`, `7 days`, `26 months`, `48h`, `30m`, `90s`, `2w`, `5y`.
    ///
    /// - Parameter text: A whole number, optional spaces, and a unit.
    /// - Returns: The duration, or `nil` when the text is not one (a negative or fractional
    ///   number, an unknown unit, or a window longer than a thousand years).
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        var value: Int64 = 0
        while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
            value = value * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
            index += 1
            if value > 1_000_000_000_000 { return nil }
        }
        guard index > 0 else { return nil }
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        let name = String(decoding: bytes[index...], as: UTF8.self)
        let unit: Unit
        switch name {
        case "s", "sec", "secs", "second", "seconds": unit = .seconds
        case "m", "min", "mins", "minute", "minutes": unit = .minutes
        case "h", "hr", "hrs", "hour", "hours": unit = .hours
        case "d", "day", "days": unit = .days
        case "w", "week", "weeks": unit = .weeks
        case "mo", "month", "months": unit = .months
        case "y", "year", "years": unit = .years
        default: return nil
        }
        self.init(value, unit)
        let days: Int64
        switch unit {
        case .months: days = value / 12 * 366
        case .years: days = value * 366
        default: days = value * unit.seconds! / 86_400
        }
        guard days <= Self.maximumYears * 366 else { return nil }
    }

    public var description: String { "\(value)\(unit.symbol)" }

    /// Whether the window is empty (`0d`): data may go as soon as nothing else holds it.
    public var isZero: Bool { value == 0 }

    /// The moment a window of this length reaches back to from `now`: data older than it is
    /// beyond the window.
    ///
    /// - Parameter now: Unix time.
    /// - Returns: `now` minus the duration; months and years step back through the UTC
    ///   calendar, a day that does not exist in the target month becoming its last day.
    public func cutoff(before now: Int64) -> Int64 {
        if let seconds = unit.seconds { return now - value * seconds }
        let months = unit == .years ? value * 12 : value
        let days = now >= 0 ? now / 86_400 : (now - 86_399) / 86_400
        let secondOfDay = now - days * 86_400
        let date = LogTimestamp.civilDate(daysSinceEpoch: Int(days))
        let monthIndex = Int64(date.year) * 12 + Int64(date.month - 1) - months
        let year = Int(monthIndex >= 0 ? monthIndex / 12 : (monthIndex - 11) / 12)
        let month = Int(monthIndex - Int64(year) * 12) + 1
        let day = min(date.day, Self.daysIn(month: month, year: year))
        return Int64(LogTimestamp.daysSinceEpoch(year: year, month: month, day: day)) * 86_400 + secondOfDay
    }

    /// An approximate length in seconds (months of 30.44 days), for comparing windows.
    public var approximateSeconds: Int64 {
        switch unit {
        case .months: value * 2_629_746
        case .years: value * 31_556_952
        default: value * unit.seconds!
        }
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
