/// One named, typed column. Missing rows are recorded in `validity` (nil when none is missing);
/// the value stored at a missing row is a placeholder (0, false, "" or category code -1).
public struct Column: Sendable, Equatable {
    public enum Values: Sendable, Equatable {
        case float64([Double])
        case int64([Int64])
        case bool([Bool])
        /// Dictionary-encoded text: each row is an index into `categories`.
        case categorical(codes: [Int32], categories: [String])
        case string([String])
    }

    public var name: String
    public var values: Values
    public var validity: Validity?

    /// Values at missing rows are replaced by the placeholder, so that equal tables have equal bytes.
    public init(name: String, values: Values, validity: Validity? = nil) {
        self.name = name
        self.values = values
        self.validity = validity.flatMap { $0.missingCount == 0 ? nil : $0 }
        if let present = self.validity { clearMissing(present) }
    }

    /// Changes the values of a float64 column in place (taken out of `values` first, so that
    /// storage nothing else holds is not copied).
    public mutating func updateFloat64(_ body: (inout [Double]) -> Void) {
        guard case .float64(var numbers) = values else { preconditionFailure("column '\(name)' is \(type.rawValue), not float64") }
        values = .bool([])
        body(&numbers)
        values = .float64(numbers)
    }

    private mutating func clearMissing(_ present: Validity) {
        let missing = present.missingRows
        // Each case takes the array out of `values` first, so that it is changed in place, not copied.
        switch values {
        case .float64(var v):
            values = .bool([])
            for row in missing { v[row] = 0 }
            values = .float64(v)
        case .int64(var v):
            values = .bool([])
            for row in missing { v[row] = 0 }
            values = .int64(v)
        case .bool(var v):
            values = .bool([])
            for row in missing { v[row] = false }
            values = .bool(v)
        case .categorical(var codes, let categories):
            values = .bool([])
            for row in missing { codes[row] = -1 }
            values = .categorical(codes: codes, categories: categories)
        case .string(var v):
            values = .bool([])
            for row in missing { v[row] = "" }
            values = .string(v)
        }
    }

    public var type: ColumnType {
        switch values {
        case .float64: return .float64
        case .int64: return .int64
        case .bool: return .bool
        case .categorical: return .categorical
        case .string: return .string
        }
    }

    public var count: Int {
        switch values {
        case .float64(let v): return v.count
        case .int64(let v): return v.count
        case .bool(let v): return v.count
        case .categorical(let codes, _): return codes.count
        case .string(let v): return v.count
        }
    }

    public var missingCount: Int { validity?.missingCount ?? 0 }

    /// What a step needs to decide how to change a column, without a reference to its values
    /// (which would make changing them in place copy them).
    public var typeAndValidity: (ColumnType, Validity?) { (type, validity) }

    public func isPresent(_ row: Int) -> Bool { validity?[row] ?? true }

    /// The value of a numeric or bool column as a Double; nil when missing or not numeric.
    public func number(at row: Int) -> Double? {
        guard isPresent(row) else { return nil }
        switch values {
        case .float64(let v): return v[row]
        case .int64(let v): return Double(v[row])
        case .bool(let v): return v[row] ? 1 : 0
        case .categorical, .string: return nil
        }
    }

    /// The value as text, as the CSV writer spells it; nil when missing.
    public func text(at row: Int) -> String? {
        guard isPresent(row) else { return nil }
        switch values {
        case .float64(let v): return Column.format(v[row])
        case .int64(let v): return String(v[row])
        case .bool(let v): return v[row] ? "true" : "false"
        case .categorical(let codes, let categories): return categories[Int(codes[row])]
        case .string(let v): return v[row]
        }
    }

    /// Shortest text that reads back as the same Double.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return value.description
    }

    /// Every present value as a Double (numeric and bool columns), with missing as NaN.
    public func doubles() -> [Double]? {
        let present = validity
        var result: [Double]
        switch values {
        case .float64(let v): result = v
        case .int64(let v): result = v.map(Double.init)
        case .bool(let v): result = v.map { $0 ? 1 : 0 }
        case .categorical, .string: return nil
        }
        if let present { for row in 0..<result.count where !present[row] { result[row] = .nan } }
        return result
    }

    /// The text of every row (categorical and string columns), nil where missing.
    public func strings() -> [String?] {
        (0..<count).map { text(at: $0) }
    }
}
