import CairnSupport
import Tables

extension Matrix {
    /// The named numeric (or bool) columns of `table` as a design matrix; a missing value is an
    /// error naming its column and row, since estimators take complete data. Each column is
    /// written straight into the matrix's one buffer: no column is converted to a Double array
    /// of its own first.
    public init(_ table: Table, columns names: [String]) throws {
        let columns = try names.map { name in
            let column = try table.column(name)
            guard column.type.isNumeric || column.type == .bool else {
                throw CairnError(.invalidData, "column '\(name)' is \(column.type.rawValue); models need numbers",
                                 hint: "encode it in the features stage (one_hot or ordinal)")
            }
            if let row = column.validity.flatMap({ $0.missingRows.first }) {
                throw CairnError(.invalidData, "column '\(name)' has no value", row: row,
                                 hint: "impute it in the features stage")
            }
            return column
        }
        let rows = table.rowCount
        let values = [Double](unsafeUninitializedCapacity: rows * columns.count) { buffer, initialized in
            initialized = rows * columns.count
            guard let base = buffer.baseAddress, rows > 0 else { return }
            HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
            for (index, column) in columns.enumerated() {
                let target = base + index * rows
                switch column.values {
                case .float64(let v): v.withUnsafeBufferPointer { target.initialize(from: $0.baseAddress!, count: rows) }
                case .int64(let v): for row in 0..<rows { target[row] = Double(v[row]) }
                case .bool(let v): for row in 0..<rows { target[row] = v[row] ? 1 : 0 }
                case .categorical, .string: preconditionFailure("checked above")
                }
            }
        }
        self.init(rows: rows, columns: columns.count, values: values)
    }
}
