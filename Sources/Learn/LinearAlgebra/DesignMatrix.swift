import CairnSupport
import Tables

/// Features as a model reads them from a table: numeric columns dense, indicator (bool) columns
/// as the rows where they are true. One-hot output is mostly false — 3 true values a row among
/// 125 indicators in the benchmark table — so a linear model's products touch the numbers and
/// those few rows instead of a dense matrix eight times the size of the table it came from.
/// Models without a use for the structure fit on `materialized()`.
public struct DesignMatrix: Sendable {
    public let rows: Int
    /// The numeric columns, in feature order among themselves.
    public let dense: Matrix
    /// The feature index of each column of `dense`.
    public let denseFeatures: [Int]
    /// Each indicator column's true rows, ascending.
    public let indicators: [[Int]]
    /// The feature index of each of `indicators`.
    public let indicatorFeatures: [Int]

    public var columns: Int { denseFeatures.count + indicatorFeatures.count }

    /// A dense matrix as it is: every feature a dense column.
    public init(_ matrix: Matrix) {
        rows = matrix.rows
        dense = matrix
        denseFeatures = Array(0..<matrix.columns)
        indicators = []
        indicatorFeatures = []
    }

    /// The named numeric (or bool) columns of `table`; a missing value is an error naming its
    /// column and row, since estimators take complete data.
    public init(_ table: Table, columns names: [String]) throws {
        let columns = try names.map { name in
            let column = try table.column(name)
            guard column.type.isNumeric || column.type == .bool else {
                throw CairnError(.invalidData, "column '\(name)' is \(column.type.rawValue); models need numbers",
                                 hint: "encode it in the features stage (one_hot or ordinal)")
            }
            if let row = column.validity?.missingRows.first {
                throw CairnError(.invalidData, "column '\(name)' has no value", row: row,
                                 hint: "impute it in the features stage")
            }
            return column
        }
        rows = table.rowCount
        let numeric = columns.indices.filter { columns[$0].type != .bool }
        denseFeatures = numeric
        indicatorFeatures = columns.indices.filter { columns[$0].type == .bool }
        indicators = indicatorFeatures.map { feature in
            guard case .bool(let values) = columns[feature].values else { preconditionFailure("a bool column") }
            return values.indices.filter { values[$0] }
        }
        // Each column is written straight into the matrix's one buffer.
        let rows = rows
        let values = [Double](unsafeUninitializedCapacity: rows * numeric.count) { buffer, initialized in
            initialized = rows * numeric.count
            guard let base = buffer.baseAddress, rows > 0 else { return }
            for (index, feature) in numeric.enumerated() {
                let target = base + index * rows
                switch columns[feature].values {
                case .float64(let v): v.withUnsafeBufferPointer { target.initialize(from: $0.baseAddress!, count: rows) }
                case .int64(let v): for row in 0..<rows { target[row] = Double(v[row]) }
                case .bool, .categorical, .string: preconditionFailure("a numeric column")
                }
            }
        }
        dense = Matrix(rows: rows, columns: numeric.count, values: values)
    }

    /// Every feature as a dense column, indicators as 0 and 1.
    public func materialized() -> Matrix {
        if indicatorFeatures.isEmpty, denseFeatures == Array(0..<columns) { return dense }
        let rows = rows, count = rows * columns
        let values = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = count
            guard let base = buffer.baseAddress, rows > 0 else { return }
            dense.values.withUnsafeBufferPointer { source in
                for (index, feature) in denseFeatures.enumerated() {
                    (base + feature * rows).initialize(from: source.baseAddress! + index * rows, count: rows)
                }
            }
            for (trueRows, feature) in zip(indicators, indicatorFeatures) {
                let target = base + feature * rows
                target.initialize(repeating: 0, count: rows)
                for row in trueRows { target[row] = 1 }
            }
        }
        return Matrix(rows: rows, columns: columns, values: values)
    }

    /// self × coefficients (features × outputs): rows × outputs.
    public func multiplied(by coefficients: Matrix) -> Matrix {
        precondition(coefficients.rows == columns, "\(coefficients.rows) coefficients for \(columns) features")
        let outputs = coefficients.columns
        let denseCoefficients = (0..<outputs).flatMap { output in denseFeatures.map { coefficients[$0, output] } }
        var result = outputs == 1
            ? Matrix(rows: rows, columns: 1, values: dense.multiplied(by: denseCoefficients))
            : dense.multiplied(by: Matrix(rows: denseFeatures.count, columns: outputs, values: denseCoefficients))
        result.values.withUnsafeMutableBufferPointer { product in
            for (trueRows, feature) in zip(indicators, indicatorFeatures) {
                for output in 0..<outputs {
                    let weight = coefficients[feature, output], offset = output * rows
                    guard weight != 0 else { continue }
                    for row in trueRows { product[offset + row] += weight }
                }
            }
        }
        return result
    }

    /// selfᵀ × residuals (rows × outputs): features × outputs.
    public func transposedMultiplied(by residuals: Matrix) -> Matrix {
        precondition(residuals.rows == rows, "\(residuals.rows) residuals for \(rows) rows")
        let outputs = residuals.columns
        let denseProduct = outputs == 1 ? dense.multiplied(by: residuals.values, transposed: true)
            : dense.transposedMultiplied(by: residuals).values
        var result = Matrix(rows: columns, columns: outputs)
        for output in 0..<outputs {
            for (index, feature) in denseFeatures.enumerated() {
                result[feature, output] = denseProduct[output * denseFeatures.count + index]
            }
        }
        residuals.values.withUnsafeBufferPointer { residual in
            for (trueRows, feature) in zip(indicators, indicatorFeatures) {
                for output in 0..<outputs {
                    let offset = output * rows
                    var sum = 0.0
                    for row in trueRows { sum += residual[offset + row] }
                    result[feature, output] = sum
                }
            }
        }
        return result
    }
}
