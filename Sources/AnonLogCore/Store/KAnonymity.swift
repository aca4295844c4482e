/// Folds the rows of a query that describe fewer than k distinct clients into one "other" row.
///
/// As Google's Ads Data Hub does with its filtered row summary: totals stay right (the other
/// row adds up the additive columns of what it folds) and the output says how many rows were
/// folded. When the folded rows together still describe fewer than k clients, the other row's
/// values are withheld too (they would describe those few clients), only the count remains.
/// Decisions use the sketches' guaranteed lower bound as well as their estimates, so an
/// estimate that rounds up never lets through a row about fewer than k clients.
enum KAnonymity {
    /// A row with the clients it describes.
    struct Row {
        var values: [StatsValue]
        /// A sketch of the clients; `nil` when unknown (such a row is folded).
        var clients: HyperLogLog?
    }

    /// The estimated number of clients of a sketch, rounded.
    static func count(_ sketch: HyperLogLog?) -> Int64 {
        guard let sketch else { return 0 }
        return Int64(sketch.estimate.rounded())
    }

    /// Whether a sketch surely describes at least `k` clients: its estimate and its guaranteed
    /// lower bound (registers set) both reach k, so rounding never shows a row for fewer.
    static func reaches(_ sketch: HyperLogLog?, _ k: Int) -> Bool {
        guard let sketch else { return false }
        return sketch.lowerBound >= k && count(sketch) >= Int64(k)
    }

    /// Keeps rows with at least `k` clients and folds the rest.
    ///
    /// - Parameters:
    ///   - rows: The rows, in the order they are shown.
    ///   - table: The table (columns; its rows and folded count are set).
    ///   - k: The threshold; 1 or less folds nothing.
    ///   - label: The column that names the row, which the other row sets to "other".
    ///   - clientsColumn: The column that shows the client count, filled in from the sketch.
    static func fold(_ rows: [Row], into table: inout StatsTable, k: Int, label: Int, clientsColumn: Int?) {
        var kept: [[StatsValue]] = []
        var folded: [Row] = []
        for row in rows {
            var values = row.values
            let clients = count(row.clients)
            if let clientsColumn { values[clientsColumn] = .integer(clients) }
            if k <= 1 || reaches(row.clients, k) {
                kept.append(values)
            } else {
                folded.append(row)
            }
        }
        table.rows = kept
        table.foldedRows = folded.count
        guard !folded.isEmpty else { return }
        var union: HyperLogLog?
        for row in folded {
            guard let sketch = row.clients else { continue }
            if var merged = union, merged.precision == sketch.precision {
                merged.merge(sketch)
                union = merged
            } else if union == nil {
                union = sketch
            }
        }
        var other = [StatsValue](repeating: .null, count: table.columns.count)
        other[label] = .text("other")
        let clients = count(union)
        if reaches(union, k) {
            for (index, column) in table.columns.enumerated() where column.isAdditive {
                var sum: Int64 = 0
                var real = 0.0
                var isReal = false
                for row in folded {
                    switch row.values[index] {
                    case .integer(let number): sum = sum.addingSaturated(number)
                    case .number(let number):
                        real += number
                        isReal = true
                    default: break
                    }
                }
                other[index] = isReal ? .number(real + Double(sum)) : .integer(sum)
            }
            if let clientsColumn { other[clientsColumn] = .integer(clients) }
        }
        table.rows.append(other)
    }
}
