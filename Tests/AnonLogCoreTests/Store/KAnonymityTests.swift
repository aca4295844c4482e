import Testing

@testable import AnonLogCore

/// Rows about fewer than k clients are folded into "other", and the output says how many.
struct KAnonymityTests {
    static func clients(_ count: Int, offset: UInt64 = 0) -> HyperLogLog {
        var sketch = HyperLogLog(precision: 10)
        var generator = SeededGenerator(seed: 77 &+ offset)
        for _ in 0..<count { sketch.insert(hash: generator.next()) }
        return sketch
    }

    static func table() -> StatsTable {
        StatsTable(name: "t", columns: [.init("label"), .init("hits", additive: true), .init("clients")])
    }

    static func row(_ label: String, hits: Int64, clients count: Int, offset: UInt64) -> KAnonymity.Row {
        KAnonymity.Row(values: [.text(label), .integer(hits), .null], clients: clients(count, offset: offset))
    }

    @Test func rowsBelowKAreFoldedIntoOneOtherRowThatAddsThemUp() {
        var table = Self.table()
        let rows = [
            Self.row("big", hits: 100, clients: 50, offset: 1),
            Self.row("small-a", hits: 7, clients: 6, offset: 2),
            Self.row("small-b", hits: 9, clients: 5, offset: 3),
        ]
        KAnonymity.fold(rows, into: &table, k: 10, label: 0, clientsColumn: 2)
        #expect(table.foldedRows == 2)
        #expect(table.rows.count == 2)
        var union = rows[1].clients!
        union.merge(rows[2].clients!)
        #expect(table.rows[0] == [.text("big"), .integer(100), .integer(KAnonymity.count(rows[0].clients))])
        #expect(table.rows[1] == [.text("other"), .integer(16), .integer(KAnonymity.count(union))])
    }

    @Test func anOtherRowStillAboutFewerThanKClientsShowsNoValues() {
        var table = Self.table()
        let rows = [Self.row("big", hits: 100, clients: 50, offset: 1), Self.row("lonely", hits: 3, clients: 1, offset: 2)]
        KAnonymity.fold(rows, into: &table, k: 10, label: 0, clientsColumn: 2)
        #expect(table.foldedRows == 1)
        #expect(table.rows[1] == [.text("other"), .null, .null])
    }

    @Test func aRowWithExactlyKClientsIsKeptAndOneFewerIsFolded() {
        for k in [2, 5, 10, 20] {
            var table = Self.table()
            KAnonymity.fold(
                [Self.row("at-k", hits: 1, clients: k, offset: 9), Self.row("below", hits: 1, clients: k - 1, offset: 10)],
                into: &table, k: k, label: 0, clientsColumn: 2)
            #expect(table.rows.first?[0] == .text("at-k"), "k = \(k)")
            #expect(table.foldedRows == 1, "k = \(k)")
        }
    }

    @Test func rowsWithoutAClientSketchAreFolded() {
        var table = Self.table()
        KAnonymity.fold([KAnonymity.Row(values: [.text("unknown"), .integer(5), .null], clients: nil)], into: &table, k: 2, label: 0, clientsColumn: 2)
        #expect(table.foldedRows == 1)
    }

    @Test func kOfOneFoldsNothing() {
        var table = Self.table()
        KAnonymity.fold([Self.row("one", hits: 1, clients: 1, offset: 4)], into: &table, k: 1, label: 0, clientsColumn: 2)
        #expect(table.foldedRows == 0 && table.rows.count == 1)
    }
}
