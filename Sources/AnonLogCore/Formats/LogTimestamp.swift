/// Reads the timestamps log lines carry, as seconds since 1970-01-01T00:00:00Z.
///
/// Byte-level and allocation-free: it runs once per line when epochs or statistics need the
/// record's own time.
public enum LogTimestamp {
    /// Parses the NCSA form `10/Oct/2000:13:55:36 -0700` (fractions of a second are ignored).
    public static func parseCommonLog(_ text: UnsafeRawBufferPointer) -> Int64? {
        // dd/Mon/yyyy:HH:MM:SS +zzzz
        guard text.count >= 20,
            let day = digits(text, 0, 2), text[2] == UInt8(ascii: "/"),
            let month = monthNumber(text, 3), text[6] == UInt8(ascii: "/"),
            let year = digits(text, 7, 4), text[11] == UInt8(ascii: ":"),
            let hour = digits(text, 12, 2), text[14] == UInt8(ascii: ":"),
            let minute = digits(text, 15, 2), text[17] == UInt8(ascii: ":"),
            let second = digits(text, 18, 2)
        else { return nil }
        var index = 20
        if index < text.count, text[index] == UInt8(ascii: ".") {
            index += 1
            while index < text.count, isDigit(text[index]) { index += 1 }
        }
        var offset = 0
        if index + 5 <= text.count, text[index] == UInt8(ascii: " ") {
            guard let zone = zoneOffset(text, index + 1, colon: false) else { return nil }
            offset = zone
        }
        return seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset)
    }

    /// Parses RFC 3339 / ISO 8601 date-times: `2026-11-20T14:03:07Z`, with a fraction, with an
    /// offset (`+01:00`, `+0100`), with a space for the `T`; a date alone is midnight UTC, and a
    /// time without an offset is UTC. Numbers (`1732060800.25`, as Caddy writes) are Unix time.
    public static func parseISO8601(_ text: UnsafeRawBufferPointer) -> Int64? {
        guard text.count >= 10 else { return parseUnixTime(text) }
        guard let year = digits(text, 0, 4), text[4] == UInt8(ascii: "-"),
            let month = digits(text, 5, 2), text[7] == UInt8(ascii: "-"),
            let day = digits(text, 8, 2)
        else { return parseUnixTime(text) }
        guard text.count > 10 else {
            return seconds(year: year, month: month, day: day, hour: 0, minute: 0, second: 0, offset: 0)
        }
        guard text[10] == UInt8(ascii: "T") || text[10] == UInt8(ascii: "t") || text[10] == UInt8(ascii: " "),
            text.count >= 16, let hour = digits(text, 11, 2), text[13] == UInt8(ascii: ":"),
            let minute = digits(text, 14, 2)
        else { return nil }
        var index = 16
        var second = 0
        if index < text.count, text[index] == UInt8(ascii: ":") {
            guard let value = digits(text, index + 1, 2) else { return nil }
            second = value
            index += 3
            if index < text.count, text[index] == UInt8(ascii: ".") || text[index] == UInt8(ascii: ",") {
                index += 1
                while index < text.count, isDigit(text[index]) { index += 1 }
            }
        }
        var offset = 0
        if index < text.count {
            switch text[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                index += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard let zone = zoneOffset(text, index, colon: true) ?? zoneOffset(text, index, colon: false) else { return nil }
                offset = zone
                index = text.count
            default:
                return nil
            }
        }
        guard index == text.count else { return nil }
        return seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset)
    }

    /// Parses `1732060800` or `1732060800.123` as Unix time.
    static func parseUnixTime(_ text: UnsafeRawBufferPointer) -> Int64? {
        var value: Int64 = 0
        var index = 0
        while index < text.count, isDigit(text[index]), index < 12 {
            value = value * 10 + Int64(text[index] &- UInt8(ascii: "0"))
            index += 1
        }
        guard index >= 9 else { return nil }
        if index < text.count {
            guard text[index] == UInt8(ascii: ".") else { return nil }
            index += 1
            while index < text.count, isDigit(text[index]) { index += 1 }
        }
        return index == text.count ? value : nil
    }

    /// Seconds since the Unix epoch for a civil date and time in UTC minus `offset` seconds.
    static func seconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offset: Int) -> Int64? {
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count from 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `2026-11-20T14:03:07Z` for a Unix time.
    public static func format(_ seconds: Int64) -> String {
        let days = Int((seconds >= 0 ? seconds : seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let date = civilDate(daysSinceEpoch: days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(date.year)-\(two(date.month))-\(two(date.day))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
    }

    // MARK: - Pieces

    @inline(__always) private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private static func digits(_ text: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> Int? {
        guard start + count <= text.count else { return nil }
        var value = 0
        for index in start..<(start + count) {
            let digit = text[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// `+hhmm` or `+hh:mm` at `start`, as seconds east of UTC.
    private static func zoneOffset(_ text: UnsafeRawBufferPointer, _ start: Int, colon: Bool) -> Int? {
        let length = colon ? 6 : 5
        guard start + length <= text.count else { return nil }
        let sign: Int
        switch text[start] {
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        default: return nil
        }
        guard let hours = digits(text, start + 1, 2) else { return nil }
        let minuteStart = colon ? start + 4 : start + 3
        if colon { guard text[start + 3] == UInt8(ascii: ":") else { return nil } }
        guard let minutes = digits(text, minuteStart, 2), hours < 24, minutes < 60 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }

    private static func monthNumber(_ text: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        let key = (UInt32(text[start] | 0x20) << 16) | (UInt32(text[start + 1] | 0x20) << 8) | UInt32(text[start + 2] | 0x20)
        switch key {
        case 0x6A_616E: return 1  // jan
        case 0x66_6562: return 2  // feb
        case 0x6D_6172: return 3  // mar
        case 0x61_7072: return 4  // apr
        case 0x6D_6179: return 5  // may
        case 0x6A_756E: return 6  // jun
        case 0x6A_756C: return 7  // jul
        case 0x61_7567: return 8  // aug
        case 0x73_6570: return 9  // sep
        case 0x6F_6374: return 10  // oct
        case 0x6E_6F76: return 11  // nov
        case 0x64_6563: return 12  // dec
        default: return nil
        }
    }
}
