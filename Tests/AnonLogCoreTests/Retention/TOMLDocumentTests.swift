import Testing
@testable import AnonLogCore

struct TOMLDocumentTests {
    static func parse(_ text: String) throws(AnonLogError) -> TOMLDocument {
        try TOMLDocument(parsing: Array(text.utf8), path: "policy.toml")
    }

    /// The error a text gives (its line and message).
    static func failure(_ text: String) -> AnonLogError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - The subset

    @Test func tablesKeysAndEveryValueKindAreRead() throws {
        let document = try Self.parse("""
            # a comment
            top = "level"

            [windows]   # trailing comment
            raw_logs = "7d"
            count = 1_000
            negative = -3
            enabled = true
            off = false
            literal = 'C:\\logs\\*.gz'
            escaped = "tab\\there \\"quoted\\" \\u00e9"

            [sources]
            include = [
                "access.log.*.gz",   # web
                'chat.jsonl.*.gz',
            ]
            empty = []
            dotted.key = "x"
            """)
        #expect(document["top"] == .init(value: .string("level"), line: 2))
        #expect(document["windows.raw_logs"] == .init(value: .string("7d"), line: 5))
        #expect(document["windows.count"]?.value == .integer(1000))
        #expect(document["windows.negative"]?.value == .integer(-3))
        #expect(document["windows.enabled"]?.value == .boolean(true))
        #expect(document["windows.off"]?.value == .boolean(false))
        #expect(document["windows.literal"]?.value == .string("C:\\logs\\*.gz"))
        #expect(document["windows.escaped"]?.value == .string("tab\there \"quoted\" é"))
        #expect(document["sources.include"] == .init(value: .strings(["access.log.*.gz", "chat.jsonl.*.gz"]), line: 14))
        #expect(document["sources.empty"]?.value == .strings([]))
        #expect(document["sources.dotted.key"]?.value == .string("x"))
        #expect(document.tables.map(\.name) == ["windows", "sources"])
    }

    @Test func carriageReturnLineEndingsAreAccepted() throws {
        let document = try Self.parse("[a]\r\nb = 1\r\n")
        #expect(document["a.b"]?.value == .integer(1))
    }

    // MARK: - Errors name the line

    @Test func everythingOutsideTheSubsetIsAnErrorOnItsLine() {
        let cases: [(String, Int, String)] = [
            ("a = 1.5", 1, "floats"),
            ("\n\na = 2026-11-20", 3, "dates"),
            ("a = {b = 1}", 1, "inline tables"),
            ("[[servers]]", 1, "arrays of tables"),
            ("a = \"\"\"x\"\"\"", 1, "multi-line strings"),
            ("\"quoted\" = 1", 1, "quoted keys"),
            ("a = [1, 2]", 1, "only arrays of strings"),
            ("a = \"open", 1, "not closed"),
            ("a = [\"x\"", 1, "not closed"),
            ("a = \"x\" b", 1, "unexpected text"),
            ("a", 1, "expected '='"),
            ("a = ", 1, "expected a value"),
            ("a = \"\\q\"", 1, "unknown escape"),
            ("a = 007", 1, "leading zeros"),
            ("a = 99999999999999999999", 1, "too large"),
            ("a = yes", 1, "expected a value"),
            ("[t\n", 1, "expected ']'"),
        ]
        for (text, line, message) in cases {
            let error = Self.failure(text)
            #expect(error?.code == .configuration, "\(text)")
            #expect(error?.location == .init(path: "policy.toml", line: line), "\(text): \(String(describing: error))")
            #expect(error?.message.contains(message) == true, "\(text): \(String(describing: error))")
        }
    }

    @Test func duplicatesAndKeysInsideValuesAreErrors() {
        #expect(Self.failure("a = 1\nb = 2\na = 3")?.location?.line == 3)
        #expect(Self.failure("a = 1\nb = 2\na = 3")?.message.contains("first on line 1") == true)
        #expect(Self.failure("[t]\n[u]\n[t]")?.location?.line == 3)
        #expect(Self.failure("a = 1\na.b = 2")?.location?.line == 2)
        #expect(Self.failure("a = 1\n[a]")?.location?.line == 2)
        #expect(Self.failure("a.b = 1\na = 2")?.location?.line == 2)
    }
}
