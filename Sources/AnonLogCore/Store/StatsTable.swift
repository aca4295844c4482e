/// One value in a statistics table.
public enum StatsValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case number(Double)
    case text(String)
    /// A Unix time in seconds.
    case time(Int64)
    /// The start of a UTC day, in Unix seconds (a terminal shows only the date).
    case date(Int64)
    /// Several texts (alert evidence).
    case list([String])

    static func int(_ value: Int) -> StatsValue { .integer(Int64(value)) }
    static func optionalText(_ value: String?) -> StatsValue { value.map(StatsValue.text) ?? .null }
}

/// The result of a statistics query: named columns and rows, and how many rows were folded
/// into the "other" row to keep every row about at least k clients.
public struct StatsTable: Sendable, Equatable {
    /// A column's name (as JSON and CSV write it) and how a terminal table treats it.
    public struct Column: Sendable, Equatable {
        /// Where a terminal table shows a column (JSON and CSV always have every column).
        public enum Placement: Sendable, Equatable {
            /// As a column.
            case column
            /// On an indented line under its row (long lists such as evidence).
            case below
            /// Not at all (it would not fit in 100 characters).
            case hidden
        }

        public var name: String
        /// Whether the values are added up in an "other" row.
        public var isAdditive: Bool
        /// Whether a terminal table may shorten it (never for pseudonyms).
        public var mayShorten: Bool
        public var placement: Placement

        public init(_ name: String, additive: Bool = false, mayShorten: Bool = false, placement: Placement = .column) {
            self.name = name
            self.isAdditive = additive
            self.mayShorten = mayShorten
            self.placement = placement
        }
    }

    /// The table's name: the JSON key and the CSV `table` value.
    public var name: String
    public var columns: [Column]
    public var rows: [[StatsValue]]
    /// Rows folded into "other" because they described fewer than k clients.
    public var foldedRows = 0
    /// A remark printed under a terminal table.
    public var note: String?

    public init(name: String, columns: [Column], rows: [[StatsValue]] = []) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }

    /// The index of the column named `name`.
    public func column(_ name: String) -> Int? { columns.firstIndex { $0.name == name } }
}

/// How query results are written.
public enum StatsFormat: String, CaseIterable, Sendable {
    /// Aligned columns for a terminal, at most 100 characters wide.
    case table
    /// One JSON object: `{"command", "range", "k", "tables": [{"name", "columns", "rows", "folded_rows"}]}`.
    case json
    /// RFC 4180 CSV; several tables are separated by an empty line, each with its own header,
    /// and every row starts with the table's name.
    case csv
}

/// Writes query results.
public enum StatsRendering {
    /// The width terminal tables fit in.
    public static let width = 100

    /// Renders the tables of one command.
    ///
    /// - Parameters:
    ///   - tables: The results.
    ///   - format: How to write them.
    ///   - command: The query's name (JSON `command`).
    ///   - since: The range's start, Unix seconds, if any.
    ///   - until: The range's end, if any.
    ///   - k: The k-anonymity threshold applied (nil where none applies).
    /// - Returns: The text, ending in a line feed.
    public static func render(_ tables: [StatsTable], format: StatsFormat, command: String, since: Int64?, until: Int64?, k: Int?) -> String {
        switch format {
        case .table: return tables.map(renderTable).joined(separator: "\n")
        case .csv: return renderCSV(tables)
        case .json:
            var members = [
                "\"command\":" + JSONValue.quoted(command),
                "\"range\":{\"since\":\(since.map(json(time:)) ?? "null"),\"until\":\(until.map(json(time:)) ?? "null")}",
            ]
            members.append("\"k\":" + (k.map(String.init) ?? "null"))
            members.append("\"tables\":[" + tables.map(renderJSON).joined(separator: ",") + "]")
            return "{" + members.joined(separator: ",") + "}\n"
        }
    }

    // MARK: - Terminal

    static func renderTable(_ table: StatsTable) -> String {
        var output = table.name.uppercased() + "\n"
        guard !table.rows.isEmpty else {
            output += "  (nothing in this range)\n"
            if let note = table.note { output += wrap(note) }
            return output
        }
        let shown = table.columns.indices.filter { table.columns[$0].placement == .column }
        var widths: [Int: Int] = [:]
        for column in shown {
            widths[column] = table.rows.reduce(table.columns[column].name.count) { max($0, text(forTerminal: $1[column]).count) }
        }
        // Shorten the columns that may be shortened, widest first, until the table fits.
        var total = shown.reduce(0) { $0 + widths[$1]! } + 2 * (shown.count - 1)
        while total > width {
            guard let widest = shown.filter({ table.columns[$0].mayShorten && widths[$0]! > 8 }).max(by: { widths[$0]! < widths[$1]! })
            else { break }
            let cut = min(total - width, widths[widest]! - 8)
            widths[widest]! -= cut
            total -= cut
        }
        // Still too wide (many series): several blocks, each led by the first column.
        var blocks: [[Int]] = []
        var block: [Int] = []
        var blockWidth = 0
        for column in shown {
            let added = widths[column]! + (block.isEmpty ? 0 : 2)
            if !block.isEmpty, blockWidth + added > width {
                blocks.append(block)
                block = [shown[0]]
                blockWidth = widths[shown[0]]!
            }
            block.append(column)
            blockWidth += widths[column]! + (block.count > 1 ? 2 : 0)
        }
        blocks.append(block)
        for (index, columns) in blocks.enumerated() {
            if index > 0 { output += "\n" }
            output += renderBlock(table, columns: columns, widths: widths, withBelow: index == blocks.count - 1)
        }
        if table.foldedRows > 0 {
            output += wrap("(\(table.foldedRows) row\(table.foldedRows == 1 ? "" : "s") describing fewer than k clients folded into \"other\")")
        }
        if let note = table.note { output += wrap(note) }
        return output
    }

    private static func renderBlock(_ table: StatsTable, columns: [Int], widths: [Int: Int], withBelow: Bool) -> String {
        let below = withBelow ? table.columns.indices.filter { table.columns[$0].placement == .below } : []
        let numeric = columns.map { index in
            table.rows.allSatisfy { row in
                switch row[index] {
                case .integer, .number, .null: true
                default: false
                }
            }
        }
        func line(_ values: [String]) -> String {
            var parts: [String] = []
            for (position, value) in values.enumerated() {
                let columnWidth = widths[columns[position]]!
                var cell = value
                if cell.count > columnWidth { cell = String(cell.prefix(columnWidth - 1)) + "…" }
                let padding = String(repeating: " ", count: columnWidth - cell.count)
                parts.append(numeric[position] ? padding + cell : cell + padding)
            }
            var joined = parts.joined(separator: "  ")
            while joined.hasSuffix(" ") { joined.removeLast() }
            return joined + "\n"
        }
        var output = line(columns.map { table.columns[$0].name })
        for row in table.rows {
            output += line(columns.map { text(forTerminal: row[$0]) })
            for column in below {
                let value: String
                if case .list(let items) = row[column] {
                    value = items.joined(separator: ", ")
                } else {
                    value = text(forTerminal: row[column])
                }
                guard value != "-", !value.isEmpty else { continue }
                var indented = "    " + value
                if indented.count > width { indented = String(indented.prefix(width - 1)) + "…" }
                output += indented + "\n"
            }
        }
        return output
    }

    /// `text` wrapped at the table width, at spaces.
    static func wrap(_ text: String) -> String {
        var output = ""
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if !line.isEmpty, line.count + 1 + word.count > width {
                output += line + "\n"
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return output + line + "\n"
    }

    static func text(forTerminal value: StatsValue) -> String {
        switch value {
        case .null: return "-"
        case .integer(let number): return String(number)
        case .number(let number): return format(number)
        case .text(let text): return text
        case .time(let seconds):
            // Minutes are enough at a terminal; JSON and CSV carry the seconds.
            let text = LogTimestamp.format(seconds)
            return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5))
        case .date(let seconds):
            return String(LogTimestamp.format(seconds).prefix(10))
        case .list(let items):
            guard let first = items.first else { return "-" }
            return items.count == 1 ? first : first + " (+\(items.count - 1))"
        }
    }

    /// A number with at most one decimal, without a trailing `.0`.
    static func format(_ number: Double) -> String {
        guard number.isFinite else { return "-" }
        let tenths = (number * 10).rounded()
        if tenths.truncatingRemainder(dividingBy: 10) == 0 { return String(Int64(tenths / 10)) }
        let whole = Int64((abs(tenths) / 10).rounded(.down))
        let fraction = Int64(abs(tenths)) % 10
        return (tenths < 0 ? "-" : "") + "\(whole).\(fraction)"
    }

    // MARK: - JSON

    static func json(time seconds: Int64) -> String { JSONValue.quoted(LogTimestamp.format(seconds)) }

    static func json(_ value: StatsValue) -> String {
        switch value {
        case .null: return "null"
        case .integer(let number): return String(number)
        case .number(let number): return number.isFinite ? format(number) : "null"
        case .text(let text): return JSONValue.quoted(text)
        case .time(let seconds), .date(let seconds): return json(time: seconds)
        case .list(let items): return "[" + items.map(JSONValue.quoted).joined(separator: ",") + "]"
        }
    }

    static func renderJSON(_ table: StatsTable) -> String {
        let columns = "[" + table.columns.map { JSONValue.quoted($0.name) }.joined(separator: ",") + "]"
        let rows = table.rows.map { row in
            "{" + zip(table.columns, row).map { JSONValue.quoted($0.name) + ":" + json($1) }.joined(separator: ",") + "}"
        }
        return "{\"name\":\(JSONValue.quoted(table.name)),\"columns\":\(columns),\"rows\":[\(rows.joined(separator: ","))],\"folded_rows\":\(table.foldedRows)}"
    }

    // MARK: - CSV

    static func renderCSV(_ tables: [StatsTable]) -> String {
        tables.map { table in
            var output = (["table"] + table.columns.map(\.name)).map(csvField).joined(separator: ",") + "\r\n"
            for row in table.rows {
                output += ([table.name] + row.map(csvText)).map(csvField).joined(separator: ",") + "\r\n"
            }
            return output
        }.joined(separator: "\r\n")
    }

    static func csvText(_ value: StatsValue) -> String {
        switch value {
        case .null: return ""
        case .integer(let number): return String(number)
        case .number(let number): return format(number)
        case .text(let text): return text
        case .time(let seconds), .date(let seconds): return LogTimestamp.format(seconds)
        case .list(let items): return items.joined(separator: " | ")
        }
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingQuotes() + "\""
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var result = ""
        for character in self {
            if character == "\"" { result += "\"\"" } else { result.append(character) }
        }
        return result
    }
}
