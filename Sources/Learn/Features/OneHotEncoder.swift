import CairnCore
import CairnSupport
import Tables

/// `one_hot: {columns, unknown: ignore | error, min_frequency}`
public struct OneHotConfig: FeatureStepConfig {
    public var columns: ColumnSelection
    public var unknown: UnknownCategory = .ignore
    /// Categories seen fewer times than this (a count, or a fraction of rows when below 1) are
    /// grouped into one `other` column.
    public var minFrequency: Double?

    enum CodingKeys: String, CodingKey {
        case columns, unknown
        case minFrequency = "min_frequency"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        columns = try container.decode(ColumnSelection.self, forKey: .columns)
        unknown = try container.decodeIfPresent(UnknownCategory.self, forKey: .unknown) ?? .ignore
        minFrequency = try container.decodeIfPresent(Double.self, forKey: .minFrequency)
    }

    /// Categories sorted as scikit-learn's OneHotEncoder sorts them (numbers by value, text by code point).
    public func fit(_ table: Table, target: String?) throws -> OneHotEncoder {
        var encodings: [String: OneHotEncoder.Encoding] = [:]
        for name in try columns.resolve(in: table, target: target) {
            let column = try table.column(name)
            var counts: [String: Int] = [:]
            for row in 0..<table.rowCount { if let text = column.text(at: row) { counts[text, default: 0] += 1 } }
            let threshold = minFrequency.map { $0 < 1 ? $0 * Double(table.rowCount) : $0 } ?? 0
            let frequent = counts.filter { Double($0.value) >= threshold }.keys
            encodings[name] = OneHotEncoder.Encoding(
                categories: CategoryOrder.sorted(Array(frequent), numeric: column.type.isNumeric),
                other: frequent.count < counts.count)
        }
        return OneHotEncoder(encodings: encodings, unknown: unknown)
    }
}

/// What an encoder does with a category it did not see in training.
public enum UnknownCategory: String, ConfigEnum {
    /// All of the column's indicator columns are false (or its `other` column is true, when there is one).
    case ignore
    /// The step fails, naming the value and row.
    case error
}

/// Replaces each column by one bool indicator column per category, named `column=category`
/// (pandas' `get_dummies` gives bool too). A bool column is one bit a row in a table file, where
/// float64 zeros and ones were 64: the indicators of a 100-level column stay smaller than the
/// text they encode, and models read them as 0 and 1.
public struct OneHotEncoder: FittedFeatureStep {
    public var categoryLists: [String: [String]] { encodings.mapValues(\.categories) }
    public struct Encoding: Codable, Sendable, Equatable {
        public var categories: [String]
        /// Whether infrequent categories share a `column=other` indicator.
        public var other: Bool

        public init(categories: [String], other: Bool) {
            self.categories = categories
            self.other = other
        }
    }

    public var encodings: [String: Encoding]
    public var unknown: UnknownCategory

    public func apply(to table: consuming Table) throws -> Table {
        var result = copy table  // the step reads the input while it builds the output
        for name in encodings.keys.sorted() {
            let column = try table.column(name)
            let encoding = encodings[name]!
            let position = Dictionary(uniqueKeysWithValues: encoding.categories.enumerated().map { ($1, $0) })
            let width = encoding.categories.count + (encoding.other ? 1 : 0)
            // Each distinct value is looked up once: categorical columns by code, others by text.
            let unseen = -1
            func slot(of text: String) -> Int { position[text] ?? (encoding.other ? width - 1 : unseen) }
            var slots = [Int](repeating: -2, count: table.rowCount)
            if case .categorical(let codes, let categories) = column.values {
                let slotOfCode = categories.map(slot(of:))
                for row in 0..<table.rowCount where codes[row] >= 0 { slots[row] = slotOfCode[Int(codes[row])] }
            } else {
                for row in 0..<table.rowCount { if let text = column.text(at: row) { slots[row] = slot(of: text) } }
            }
            if unknown == .error, let row = slots.firstIndex(of: unseen) {
                throw CairnError(.invalidData, "'\(name)' has the category '\(column.text(at: row)!)', unseen in training", row: row,
                                 hint: "set unknown: ignore to encode it as all zeros")
            }
            var indicators = [[Bool]](repeating: [Bool](repeating: false, count: table.rowCount), count: width)
            for (row, slot) in slots.enumerated() where slot >= 0 { indicators[slot][row] = true }
            let names = encoding.categories.map { "\(name)=\($0)" } + (encoding.other ? ["\(name)=other"] : [])
            result = try result.replacing(name, with: zip(names, indicators).map { Column(name: $0, values: .bool($1)) })
        }
        return result
    }
}

/// The order scikit-learn gives categories: numeric values by value, text by code point.
enum CategoryOrder {
    static func sorted(_ categories: [String], numeric: Bool) -> [String] {
        if numeric { return categories.sorted { Double($0)! < Double($1)! } }
        return categories.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) { $0.value < $1.value } }
    }
}
