import CairnSupport

/// The value types a table column can hold.
public enum ColumnType: String, Sendable, Codable, CaseIterable {
    case float64, int64, bool, categorical, string

    /// Accepts the names people write in a schema (`float`, `int`, `category`, `str`, …).
    public init(schemaName: String) throws {
        switch schemaName.lowercased() {
        case "float64", "float", "double", "number": self = .float64
        case "int64", "int", "integer": self = .int64
        case "bool", "boolean": self = .bool
        case "categorical", "category": self = .categorical
        case "string", "str", "text": self = .string
        default:
            throw CairnError(.invalidValue, "unknown column type '\(schemaName)'",
                             hint: Suggestion.hint(for: schemaName, in: ColumnType.allCases.map(\.rawValue) + ["float", "int", "category"],
                                                   noun: "types"))
        }
    }

    public var isNumeric: Bool { self == .float64 || self == .int64 }
    public var isTextual: Bool { self == .categorical || self == .string }
}
