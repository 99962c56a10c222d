import CairnSupport
import Tables

extension Matrix {
    /// The named numeric (or bool) columns of `table` as a design matrix; a missing value is an
    /// error naming its column and row, since estimators take complete data.
    public init(_ table: Table, columns names: [String]) throws {
        var values: [Double] = []
        values.reserveCapacity(table.rowCount * names.count)
        for name in names {
            let column = try table.column(name)
            guard let numbers = column.doubles() else {
                throw CairnError(.invalidData, "column '\(name)' is \(column.type.rawValue); models need numbers",
                                 hint: "encode it in the features stage (one_hot or ordinal)")
            }
            if let row = column.validity.flatMap({ $0.missingRows.first }) {
                throw CairnError(.invalidData, "column '\(name)' has no value", row: row,
                                 hint: "impute it in the features stage")
            }
            values += numbers
        }
        self.init(rows: table.rowCount, columns: names.count, values: values)
    }
}
