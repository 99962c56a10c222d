import CairnCore

/// The ingest stage's report: every rule broken, how often, and the first rows that broke it.
struct ViolationReport {
    var source: String
    /// Shards of a directory source with their row counts, in the order read.
    var files: [(name: String, rows: Int)]
    var rowsRead: Int
    var rowsDropped: Int
    var violations: [Violation]

    static let examples = 5

    var json: JSONValue {
        .object([
            ("source", .string(source)),
            ("rows_read", .integer(rowsRead)),
            ("rows_dropped", .integer(rowsDropped)),
            ("passed", .bool(violations.isEmpty)),
            ("violations", .array(violations.map { violation in
                .object([
                    ("rule", .string(violation.rule)), ("column", .string(violation.column)),
                    ("action", .string(violation.action.rawValue)), ("count", .integer(violation.rows.count)),
                    ("examples", .array(zip(violation.rows, violation.values).prefix(Self.examples).map { row, value in
                        let (file, line) = position(of: row)
                        return .object((file.map { [("file", JSONValue.string($0))] } ?? []) + [("row", .integer(line)), ("value", value.map(JSONValue.string) ?? .null)])
                    })),
                ])
            })),
        ])
    }

    /// `column 'sex' breaks nullable in 11 rows (rows 4, 9, 10, 11, 12, …)`, or for shards
    /// `(b.csv row 3, c.csv row 1)`.
    func describe(_ violation: Violation) -> String {
        let count = violation.rows.count
        let positions = violation.rows.prefix(Self.examples).map(position(of:))
        let labels = positions.map { file, row in file.map { "\($0) row \(row)" } ?? String(row) }
        let prefix = files.isEmpty ? (count == 1 ? "row " : "rows ") : ""
        let more = count > Self.examples ? ", …" : ""
        return "column '\(violation.column)' breaks \(violation.rule) in \(count) row\(count == 1 ? "" : "s") (\(prefix)\(labels.joined(separator: ", "))\(more))"
    }

    /// A row of the joined table as the user finds it: in which shard, and 1-based.
    private func position(of row: Int) -> (file: String?, row: Int) {
        var remaining = row
        for file in files {
            if remaining < file.rows { return (file.name, remaining + 1) }
            remaining -= file.rows
        }
        return (nil, row + 1)
    }
}
