import Testing
@testable import AnonLogCore

struct RetentionDurationTests {
    static func time(_ text: String) -> Int64 {
        Array(text.utf8).withUnsafeBytes { LogTimestamp.parseISO8601($0)! }
    }

    // MARK: - Parsing

    @Test func everyUnitIsReadInItsShortAndLongSpelling() {
        let cases: [(String, RetentionDuration)] = [
            ("90s", .init(90, .seconds)), ("30m", .init(30, .minutes)), ("30 minutes", .init(30, .minutes)),
            ("48h", .init(48, .hours)), ("7d", .init(7, .days)), ("7 days", .init(7, .days)), ("1 day", .init(1, .days)),
            ("2w", .init(2, .weeks)), ("26 months", .init(26, .months)), ("26mo", .init(26, .months)),
            ("1 month", .init(1, .months)), ("5y", .init(5, .years)), ("0d", .init(0, .days)),
        ]
        for (text, expected) in cases {
            #expect(RetentionDuration(parsing: text) == expected, "\(text)")
        }
    }

    @Test func mMeansMinutesAndMonthsMustBeSpelledOut() {
        #expect(RetentionDuration(parsing: "30m")?.unit == .minutes)
        #expect(RetentionDuration(parsing: "3mo")?.unit == .months)
    }

    @Test func negativeFractionalUnknownAndHugeDurationsAreRefused() {
        for text in ["", "d", "-7d", "7.5d", "7", "7 parsecs", "7D", " 7d", "7d ", "1001y", "99999999999999d", "13000 months"] {
            #expect(RetentionDuration(parsing: text) == nil, "\(text)")
        }
    }

    // MARK: - Cut-offs

    @Test func fixedUnitsStepBackBySeconds() {
        let now = Self.time("2026-11-22T12:00:00Z")
        #expect(RetentionDuration(48, .hours).cutoff(before: now) == Self.time("2026-11-20T12:00:00Z"))
        #expect(RetentionDuration(30, .minutes).cutoff(before: now) == Self.time("2026-11-22T11:30:00Z"))
        #expect(RetentionDuration(2, .weeks).cutoff(before: now) == Self.time("2026-11-08T12:00:00Z"))
    }

    @Test func monthsAndYearsStepBackThroughTheCalendar() {
        #expect(RetentionDuration(26, .months).cutoff(before: Self.time("2026-11-22T01:02:03Z")) == Self.time("2024-09-22T01:02:03Z"))
        #expect(RetentionDuration(1, .months).cutoff(before: Self.time("2026-03-31T00:00:00Z")) == Self.time("2026-02-28T00:00:00Z"))
        #expect(RetentionDuration(1, .years).cutoff(before: Self.time("2028-02-29T10:00:00Z")) == Self.time("2027-02-28T10:00:00Z"))
        #expect(RetentionDuration(5, .years).cutoff(before: Self.time("2026-01-15T00:00:00Z")) == Self.time("2021-01-15T00:00:00Z"))
        #expect(RetentionDuration(13, .months).cutoff(before: Self.time("2026-01-31T00:00:00Z")) == Self.time("2024-12-31T00:00:00Z"))
    }

    @Test func descriptionsReadBack() {
        for text in ["30m", "48h", "7d", "26 months", "5y", "2w", "90s"] {
            let duration = RetentionDuration(parsing: text)!
            #expect(RetentionDuration(parsing: duration.description) == duration)
        }
    }
}
