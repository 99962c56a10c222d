import ArgumentParser
import CairnCore
import CairnSupport
import Tables

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the schema, first rows and (with --describe) a summary of a table file or CSV."
    )

    @Argument(help: "A table artifact or a CSV file.")
    var path: String

    @Option(name: .long, help: "How many rows to print.")
    var rows = 10

    @Flag(help: "Count, missing, mean, std, quartiles and distinct values of every column.")
    var describe = false

    @Flag(help: "One JSON object per line.")
    var json = false

    func run() throws {
        guard FileSystem.exists(path) else { throw CairnError(.usage, "no file '\(path)'") }
        let table = try Table.load(path)
        let format = TableFile.isTableFile(path) ? "table file" : ParquetFile.isParquetFile(path) ? "Parquet" : "CSV"
        if json {
            Output.jsonLine([("event", .string("schema")), ("path", .string(path)), ("format", .string(format)),
                             ("rows", .integer(table.rowCount)),
                             ("columns", .array(table.columns.map { column in
                                 .object([("name", .string(column.name)), ("type", .string(column.type.rawValue)),
                                          ("missing", .integer(column.missingCount))])
                             }))])
            for row in 0..<min(rows, table.rowCount) {
                Output.jsonLine([("event", .string("row")), ("index", .integer(row)),
                                 ("values", .object(table.columns.map { ($0.name, Self.json($0, row)) }))])
            }
            if describe { for summary in table.describe() { Output.jsonLine(summaryPairs(summary)) } }
            return
        }
        Output.standardOutput("\(path): \(format), \(table.rowCount) rows × \(table.columns.count) columns")
        let nameWidth = (table.columnNames.map(\.count).max() ?? 0) + 2
        for column in table.columns {
            var line = "  " + column.name.padding(nameWidth) + column.type.rawValue.padding(13)
            if case .categorical(_, let categories) = column.values { line += "\(categories.count) categories  " }
            if column.missingCount > 0 { line += "\(column.missingCount) missing" }
            Output.standardOutput(line.trimmingTrailingSpaces)
        }
        let shown = min(rows, table.rowCount)
        if shown > 0 {
            Output.standardOutput("")
            printGrid(header: table.columnNames,
                      rows: (0..<shown).map { row in table.columns.map { $0.text(at: row) ?? "NA" } })
            if shown < table.rowCount { Output.standardOutput("… \(table.rowCount - shown) more rows") }
        }
        if describe {
            Output.standardOutput("")
            let summaries = table.describe()
            let statistics = ["count", "missing", "mean", "std", "min", "25%", "50%", "75%", "max", "distinct", "top"]
            printGrid(header: ["column"] + statistics, rows: summaries.map { summary in
                let pairs = Dictionary(uniqueKeysWithValues: summaryPairs(summary))
                return [summary.name] + statistics.map { key in
                    switch pairs[key] {
                    case .integer(let value)?: return String(value)
                    case .number(let value)?: return Output.short(value)
                    case .string(let value)?: return value
                    default: return ""
                    }
                }
            })
        }
    }

    /// A cell as JSON of its type: numbers as numbers, booleans as booleans, a missing value as null.
    private static func json(_ column: Column, _ row: Int) -> JSONValue {
        guard column.isPresent(row) else { return .null }
        switch column.values {
        case .float64(let values): return .number(values[row])
        case .int64(let values): return .integer(Int(values[row]))
        case .bool(let values): return .bool(values[row])
        case .categorical, .string: return column.text(at: row).map(JSONValue.string) ?? .null
        }
    }

    private func summaryPairs(_ summary: ColumnSummary) -> [(String, JSONValue)] {
        var pairs: [(String, JSONValue)] = [("event", .string("describe")), ("column", .string(summary.name)),
                                            ("type", .string(summary.type.rawValue)), ("count", .integer(summary.count)),
                                            ("missing", .integer(summary.missing)), ("distinct", .integer(summary.distinct))]
        let numbers: [(String, Double?)] = [("mean", summary.mean), ("std", summary.std), ("min", summary.min),
                                            ("25%", summary.q25), ("50%", summary.median), ("75%", summary.q75), ("max", summary.max)]
        pairs += numbers.compactMap { key, value in value.map { (key, .number($0)) } }
        if let top = summary.top { pairs += [("top", .string("\(top.value) (\(top.count))"))] }
        return pairs
    }

    private func printGrid(header: [String], rows: [[String]]) {
        let clipped = ([header] + rows).map { $0.map { $0.count > 24 ? String($0.prefix(23)) + "…" : $0 } }
        let widths = header.indices.map { column in clipped.map { $0[column].count }.max()! + 2 }
        for line in clipped {
            Output.standardOutput(zip(line, widths).map { $0.padding($1) }.joined().trimmingTrailingSpaces)
        }
    }
}
