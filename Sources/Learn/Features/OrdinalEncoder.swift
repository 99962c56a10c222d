import CairnSupport
import Tables

/// `ordinal: {columns, unknown: error | use_value, unknown_value}`
public struct OrdinalConfig: FeatureStepConfig {
    public var columns: ColumnSelection
    /// The code for a category unseen in training; without it such a category is an error.
    public var unknownValue: Double?

    enum CodingKeys: String, CodingKey {
        case columns
        case unknownValue = "unknown_value"
    }

    public func fit(_ table: Table, target: String?) throws -> OrdinalEncoder {
        var categories: [String: [String]] = [:]
        for name in try columns.resolve(in: table, target: target) {
            let column = try table.column(name)
            let seen = Set((0..<table.rowCount).compactMap(column.text(at:)))
            categories[name] = CategoryOrder.sorted(Array(seen), numeric: column.type.isNumeric)
        }
        return OrdinalEncoder(categories: categories, unknownValue: unknownValue)
    }
}

/// Replaces each category by its position among the sorted training categories (0, 1, …).
public struct OrdinalEncoder: FittedFeatureStep {
    public var categoryLists: [String: [String]] { categories }
    public var categories: [String: [String]]
    public var unknownValue: Double?

    public func apply(to table: consuming Table) throws -> Table {
        var result = copy table  // the step reads the input while it builds the output
        for name in categories.keys.sorted() {
            let column = try table.column(name)
            let code = Dictionary(uniqueKeysWithValues: categories[name]!.enumerated().map { ($1, Double($0)) })
            let codes = try (0..<table.rowCount).map { row -> Double in
                guard let text = column.text(at: row) else { return 0 }
                if let value = code[text] ?? unknownValue { return value }
                throw CairnError(.invalidData, "'\(name)' has the category '\(text)', unseen in training", row: row,
                                 hint: "set unknown_value to give unseen categories a code")
            }
            try result.replace(Column(name: name, values: .float64(codes), validity: column.validity))
        }
        return result
    }
}
