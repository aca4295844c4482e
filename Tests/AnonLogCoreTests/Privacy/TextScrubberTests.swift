import Testing
@testable import AnonLogCore

struct TextScrubberTests {
    func scrub(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var found: [(Range<Int>, TextScrubber.Kind)] = []
        bytes.withUnsafeBytes { TextScrubber().scrub($0, in: 0..<bytes.count, into: &found) }
        var output = ""
        var position = 0
        for (range, kind) in found {
            output += String(decoding: bytes[position..<range.lowerBound], as: UTF8.self) + kind.marker.description
            position = range.upperBound
        }
        return output + String(decoding: bytes[position...], as: UTF8.self)
    }

    @Test(arguments: [
        ("write to jane.doe+shop@mail.example.org.", "write to [email]."),
        ("call +49 30 1234567 or (030) 123-4567", "call [phone] or [phone]"),
        ("card 4111 1111 1111 1111 / 4111-1111-1111-1111", "card [card] / [card]"),
        ("mobile 0171 2345678", "mobile [phone]"),
    ])
    func replacesPersonalDataWithTypedMarkers(input: String, expected: String) {
        #expect(scrub(input) == expected)
    }

    @Test(arguments: [
        "order 2026-11-20 at 12:30",
        "version 1.2.3 and 3.14159",
        "4111 1111 1111 1112 fails Luhn but 16 digits",
        "costs 1234 EUR",
        "model X2000 and abc1234567",
        "see @channel and user@localhost",
    ])
    func leavesOtherTextAlone(input: String) {
        // The 16-digit non-Luhn number is long enough to be a phone number only if grouped as one.
        let output = scrub(input)
        #expect(!output.contains("[email]") && !output.contains("[card]"))
        if !input.hasPrefix("4111") { #expect(output == input) }
    }

    @Test func luhnChecksKnownNumbers() {
        #expect(TextScrubber.passesLuhn([4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]))
        #expect(!TextScrubber.passesLuhn([4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]))
        #expect(TextScrubber.passesLuhn([7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3]))
    }
}
