import CairnSupport

/// A columnar table: named, typed columns of equal length. Value semantics; operations return
/// new tables and share unchanged column storage.
public struct Table: Sendable, Equatable {
    public internal(set) var columns: [Column]
    public internal(set) var rowCount: Int

    public init(columns: [Column]) throws {
        rowCount = columns.first?.count ?? 0
        var names: Set<String> = []
        for column in columns {
            guard names.insert(column.name).inserted else { throw CairnError(.invalidData, "column '\(column.name)' appears twice") }
            guard column.count == rowCount else {
                throw CairnError(.invalidData, "column '\(column.name)' has \(column.count) rows, the table has \(rowCount)")
            }
        }
        self.columns = columns
    }

    public init() {
        columns = []
        rowCount = 0
    }

    public var columnNames: [String] { columns.map(\.name) }
    public var schema: [(name: String, type: ColumnType)] { columns.map { ($0.name, $0.type) } }

    public func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// The column called `name`, or an error naming the closest column there is.
    public func column(_ name: String) throws -> Column {
        guard let index = index(of: name) else { throw unknownColumn(name) }
        return columns[index]
    }

    public func unknownColumn(_ name: String) -> CairnError {
        CairnError(.invalidData, "no column '\(name)'",
                   hint: Suggestion.hint(for: name, in: columnNames, noun: "columns")
                       ?? "the columns are: \(columnNames.joined(separator: ", "))")
    }

    public mutating func append(_ column: Column) throws {
        guard index(of: column.name) == nil else {
            throw CairnError(.invalidData, "column '\(column.name)' appears twice")
        }
        if columns.isEmpty { rowCount = column.count }
        guard column.count == rowCount else {
            throw CairnError(.invalidData, "column '\(column.name)' has \(column.count) rows, the table has \(rowCount)")
        }
        columns.append(column)
    }

    /// Replaces the column of the same name, keeping its position.
    public mutating func replace(_ column: Column) throws {
        guard let position = index(of: column.name) else { throw unknownColumn(column.name) }
        guard column.count == rowCount else {
            throw CairnError(.invalidData, "column '\(column.name)' has \(column.count) rows, the table has \(rowCount)")
        }
        columns[position] = column
    }

    /// Hands column `name` to `body` to change in place, its row count kept. The column is taken
    /// out of the table first, so that when the table holds the only reference to its storage
    /// `body` changes it without a copy.
    public mutating func update(_ name: String, _ body: (inout Column) -> Void) throws {
        guard let position = index(of: name) else { throw unknownColumn(name) }
        var column = columns[position]
        columns[position].values = .bool([])
        body(&column)
        precondition(column.count == rowCount, "an update changed the row count of column '\(name)'")
        columns[position] = column
    }

    public func selecting(_ names: [String]) throws -> Table {
        try Table(columns: names.map { try column($0) })
    }

    public func dropping(_ names: [String]) throws -> Table {
        for name in names where index(of: name) == nil { throw unknownColumn(name) }
        let dropped = Set(names)
        var table = self
        table.columns.removeAll { dropped.contains($0.name) }
        if table.columns.isEmpty { table.rowCount = 0 }
        return table
    }

    public func renaming(_ renames: [String: String]) throws -> Table {
        for name in renames.keys where index(of: name) == nil { throw unknownColumn(name) }
        return try Table(columns: columns.map { column in
            var renamed = column
            renamed.name = renames[column.name] ?? column.name
            return renamed
        })
    }
}
