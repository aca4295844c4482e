import Foundation
import Testing

@testable import AnonLogCore

/// Query output: terminal tables fit 100 columns, JSON and CSV are well formed and complete.
struct StatsRenderingTests {
    static func everyQuery() throws -> [(String, [StatsTable])] {
        let store = try SQLiteStatsStoreTests.recordedStore()
        let query = StatsQuery(k: 1, limit: 100)
        return [
            ("summary", try store.summary(query)),
            ("alerts", try store.alerts(query)),
            ("alerts-by-subject", try store.alerts(query, grouping: .subject)),
            ("top-path", try store.top(by: .path, metric: .requests, query)),
            ("top-network", try store.top(by: .network, metric: .flagged, query)),
            ("top-status", try store.top(by: .status, metric: .requests, query)),
            ("bots", try store.bots(byClass: false, query)),
            ("spam", try store.spam(query, includeAll: true)),
            ("timeline", try store.timeline(SQLiteStatsStore.TimelineMetric.allCases, step: 3600, query)),
        ]
    }

    @Test func terminalTablesFitOneHundredColumns() throws {
        for (name, tables) in try Self.everyQuery() {
            let text = StatsRendering.render(tables, format: .table, command: name, since: nil, until: nil, k: 1)
            for line in text.split(separator: "\n") {
                #expect(line.count <= StatsRendering.width, "\(name): \(line.count) columns: \(line)")
            }
        }
    }

    @Test func jsonHasEveryColumnOfEveryRow() throws {
        for (name, tables) in try Self.everyQuery() {
            let text = StatsRendering.render(tables, format: .json, command: name, since: 0, until: nil, k: 10)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(object["command"] as? String == name)
            #expect(object["k"] as? Int == 10)
            let range = try #require(object["range"] as? [String: Any])
            #expect(range["since"] as? String == "1970-01-01T00:00:00Z")
            let renderedTables = try #require(object["tables"] as? [[String: Any]])
            #expect(renderedTables.count == tables.count)
            for (rendered, table) in zip(renderedTables, tables) {
                #expect(rendered["columns"] as? [String] == table.columns.map(\.name))
                let rows = try #require(rendered["rows"] as? [[String: Any]])
                #expect(rows.count == table.rows.count)
                #expect(rows.allSatisfy { Set($0.keys) == Set(table.columns.map(\.name)) })
                #expect(rendered["folded_rows"] as? Int == table.foldedRows)
            }
        }
    }

    @Test func csvRowsHaveTheTableNameAndOneFieldPerColumn() throws {
        let tables = try SQLiteStatsStoreTests.recordedStore().alerts(StatsQuery(limit: 20))
        let text = StatsRendering.render(tables, format: .csv, command: "alerts", since: nil, until: nil, k: nil)
        let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == "table," + tables[0].columns.map(\.name).joined(separator: ","))
        #expect(lines.count == tables[0].rows.count + 1)
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("alerts,") })
    }

    @Test func csvQuotesFieldsWithCommasAndQuotes() {
        #expect(StatsRendering.csvField("plain") == "plain")
        #expect(StatsRendering.csvField("a,b") == "\"a,b\"")
        #expect(StatsRendering.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }
}
