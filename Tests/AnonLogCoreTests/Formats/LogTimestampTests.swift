import Foundation
import Testing
@testable import AnonLogCore

struct LogTimestampTests {
    func parse(_ text: String, _ parser: (UnsafeRawBufferPointer) -> Int64?) -> Int64? {
        Array(text.utf8).withUnsafeBytes { parser($0) }
    }

    // MARK: - Against Foundation's formatters

    @Test func commonLogTimesAgreeWithDateFormatter() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "dd/MMM/yyyy:HH:mm:ss Z"
        var generator = SeededGenerator(seed: 21)
        for _ in 0..<2_000 {
            let seconds = Int64.random(in: 0...4_102_444_800, using: &generator)  // 1970...2100
            let offsetMinutes = [0, 60, -420, 330, -150, 840].randomElement(using: &generator)!
            formatter.timeZone = TimeZone(secondsFromGMT: offsetMinutes * 60)
            let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(parse(text, LogTimestamp.parseCommonLog) == seconds, "\(text)")
        }
    }

    @Test func iso8601TimesAgreeWithFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var generator = SeededGenerator(seed: 22)
        for _ in 0..<2_000 {
            let seconds = Int64.random(in: -2_208_988_800...4_102_444_800, using: &generator)  // 1900...2100
            formatter.timeZone = TimeZone(secondsFromGMT: [0, 3600, -18_000, 19_800].randomElement(using: &generator)!)
            let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(parse(text, LogTimestamp.parseISO8601) == seconds, "\(text)")
            #expect(LogTimestamp.format(seconds) == { () -> String in
                let utc = ISO8601DateFormatter()
                return utc.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            }())
        }
    }

    // MARK: - Forms seen in logs

    @Test(arguments: [
        ("2026-11-20T00:25:56.767Z", Int64(1_795_134_356)),
        ("2026-11-20T01:25:56+01:00", 1_795_134_356),
        ("2026-11-20T01:25:56+0100", 1_795_134_356),
        ("2026-11-20 00:25:56", 1_795_134_356),
        ("2026-11-20T00:25Z", 1_795_134_300),
        ("2026-11-20", 1_795_132_800),
        ("1795134356.25", 1_795_134_356),
    ])
    func readsTheFormsLogsUse(text: String, expected: Int64) {
        #expect(parse(text, LogTimestamp.parseISO8601) == expected)
    }

    @Test func readsCommonLogTimesWithFractions() {
        #expect(parse("20/Nov/2026:00:25:56.123 +0000", LogTimestamp.parseCommonLog) == 1_795_134_356)
        #expect(parse("20/nov/2026:00:25:56", LogTimestamp.parseCommonLog) == 1_795_134_356)
    }

    @Test(arguments: ["", "2026-13-01", "2026-11-20X00:00", "32/Nov/2026:00:00:00 +0000", "20/Foo/2026:00:00:00 +0000", "12345"])
    func rejectsWhatIsNotATime(text: String) {
        #expect(parse(text, LogTimestamp.parseISO8601) == nil)
        #expect(parse(text, LogTimestamp.parseCommonLog) == nil)
    }
}
