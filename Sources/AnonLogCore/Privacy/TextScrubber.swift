/// Finds personal data in free text (chat messages, URLs): e-mail addresses, phone numbers and
/// payment card numbers, which are replaced by typed markers (`[email]`, `[phone]`, `[card]`).
///
/// Deliberately simple byte rules that err toward removing: a chat message that loses an
/// order number which looked like a phone number is a smaller harm than a phone number kept.
struct TextScrubber: Sendable {
    /// What was found.
    enum Kind: Sendable {
        case email, phone, card

        var marker: StaticString {
            switch self {
            case .email: "[email]"
            case .phone: "[phone]"
            case .card: "[card]"
            }
        }
    }

    /// Appends what `range` of `text` holds to `found`, in order and without overlaps.
    func scrub(_ text: UnsafeRawBufferPointer, in range: Range<Int>, into found: inout [(Range<Int>, Kind)]) {
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = text[index]
            if byte == UInt8(ascii: "@"), let email = emailAround(text, at: index, in: range) {
                // An e-mail's local part was stepped over byte by byte; drop numbers found in it.
                while let last = found.last, last.0.upperBound > email.lowerBound { found.removeLast() }
                found.append((email, .email))
                index = email.upperBound
            } else if Self.startsNumber(byte), index == range.lowerBound || !Self.isWordByte(text[index - 1]),
                let (number, kind) = numberAt(text, index, in: range)
            {
                found.append((number, kind))
                index = number.upperBound
            } else {
                index += 1
            }
        }
    }

    // MARK: - E-mail

    private func emailAround(_ text: UnsafeRawBufferPointer, at: Int, in range: Range<Int>) -> Range<Int>? {
        var start = at
        while start > range.lowerBound, Self.isLocalPartByte(text[start - 1]) { start -= 1 }
        guard start < at else { return nil }
        var end = at + 1
        var dots = 0
        var lastDot = -1
        while end < range.upperBound, Self.isDomainByte(text[end]) {
            if text[end] == UInt8(ascii: ".") {
                dots += 1
                lastDot = end
            }
            end += 1
        }
        // A domain ends in a label after a dot; a trailing sentence dot is not part of it.
        while end > at + 1, text[end - 1] == UInt8(ascii: ".") {
            end -= 1
            dots -= 1
            lastDot = -1
            for index in (at + 1)..<end where text[index] == UInt8(ascii: ".") { lastDot = index }
        }
        guard dots >= 1, lastDot > at + 1, end - lastDot > 2 else { return nil }
        return start..<end
    }

    // MARK: - Numbers

    /// A run of digits with single spaces, dashes, slashes or parentheses between them.
    private func numberAt(_ text: UnsafeRawBufferPointer, _ start: Int, in range: Range<Int>) -> (Range<Int>, Kind)? {
        var index = start
        var digits = 0
        var lastDigitEnd = start
        var separators = 0
        var luhnDigits: [UInt8] = []
        if text[index] == UInt8(ascii: "+") { index += 1 }
        while index < range.upperBound {
            let byte = text[index]
            if byte &- UInt8(ascii: "0") < 10 {
                digits += 1
                luhnDigits.append(byte &- UInt8(ascii: "0"))
                index += 1
                lastDigitEnd = index
            } else if Self.isNumberSeparator(byte), index + 1 < range.upperBound,
                text[index + 1] &- UInt8(ascii: "0") < 10 || text[index + 1] == UInt8(ascii: "(")
                    || (byte == UInt8(ascii: ")") && text[index + 1] == UInt8(ascii: " "))
            {
                separators += 1
                index += 1
            } else {
                break
            }
            if digits > 19 { return nil }
        }
        // Glued to a word or a decimal point: a version, an amount, an identifier.
        if lastDigitEnd < range.upperBound, Self.isWordByte(text[lastDigitEnd]) || text[lastDigitEnd] == UInt8(ascii: ".") && lastDigitEnd + 1 < range.upperBound && text[lastDigitEnd + 1] &- UInt8(ascii: "0") < 10 {
            return nil
        }
        let span = start..<lastDigitEnd
        if digits >= 13, Self.passesLuhn(luhnDigits) { return (span, .card) }
        guard digits >= 7, digits <= 15, !Self.looksLikeDate(text, span) else { return nil }
        let plus = text[start] == UInt8(ascii: "+")
        let leadingZero = text[start] == UInt8(ascii: "0") || text[start] == UInt8(ascii: "(")
        guard plus || leadingZero || separators > 0 || digits >= 10 else { return nil }
        return (span, .phone)
    }

    static func passesLuhn(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (position, digit) in digits.reversed().enumerated() {
            var value = Int(digit)
            if position % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }

    /// `2026-11-20`, `20/11/2026`, `2026/11/20`: dates, not phones.
    private static func looksLikeDate(_ text: UnsafeRawBufferPointer, _ span: Range<Int>) -> Bool {
        var groups: [Int] = []
        var length = 0
        for index in span {
            if text[index] &- UInt8(ascii: "0") < 10 {
                length += 1
            } else {
                groups.append(length)
                length = 0
            }
        }
        groups.append(length)
        return groups == [4, 2, 2] || groups == [2, 2, 4]
    }

    @inline(__always) private static func startsNumber(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "(")
    }

    @inline(__always) private static func isNumberSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/")
            || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")")
    }

    @inline(__always) private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    @inline(__always) private static func isLocalPartByte(_ byte: UInt8) -> Bool {
        isWordByte(byte) && byte < 0x80 || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "%")
    }

    @inline(__always) private static func isDomainByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
