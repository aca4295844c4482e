/// Record times for statistics: milliseconds (chat logs carry them, detectors need them) and
/// the record's day in its own time zone (GoAccess's visitor date).
enum StatsTime {
    /// The fraction of a second in ISO 8601 text (`…:07.250Z` → 250), or 0.
    static func millisecondFraction(_ text: UnsafeRawBufferPointer) -> Int64 {
        guard text.count > 20, text[19] == UInt8(ascii: ".") || text[19] == UInt8(ascii: ",") else { return 0 }
        var value: Int64 = 0
        var digits = 0
        var index = 20
        while index < text.count, digits < 3, text[index] &- UInt8(ascii: "0") < 10 {
            value = value * 10 + Int64(text[index] &- UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        while digits < 3 {
            value *= 10
            digits += 1
        }
        return value
    }

    /// The UTC offset written at the end of a time, in seconds east (0 when there is none).
    static func zoneOffset(_ text: UnsafeRawBufferPointer) -> Int64 {
        let count = text.count
        func digit(_ index: Int) -> Int64? {
            let value = text[index] &- UInt8(ascii: "0")
            return value < 10 ? Int64(value) : nil
        }
        // +hhmm or +hh:mm at the end.
        for (length, colon) in [(5, false), (6, true)] where count >= length {
            let start = count - length
            let sign = text[start]
            guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { continue }
            let minuteStart = colon ? start + 4 : start + 3
            if colon, text[start + 3] != UInt8(ascii: ":") { continue }
            guard let h1 = digit(start + 1), let h2 = digit(start + 2), let m1 = digit(minuteStart), let m2 = digit(minuteStart + 1) else { continue }
            let seconds = (h1 * 10 + h2) * 3600 + (m1 * 10 + m2) * 60
            return sign == UInt8(ascii: "-") ? -seconds : seconds
        }
        return 0
    }

    /// Floor division for times before 1970.
    @inline(__always)
    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }
}
