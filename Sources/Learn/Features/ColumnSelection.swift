import CairnSupport
import Tables

/// Which columns a feature step works on: names, or a kind of column (`numeric`, `categorical`,
/// `text`, `bool`, `all`). A kind is resolved against the table the step is fitted on, and the
/// fitted step records the names, so that scoring applies it to exactly the same columns.
public enum ColumnSelection: Codable, Sendable, Equatable {
    case names([String])
    case kind(String)

    static let kinds = ["numeric", "categorical", "text", "bool", "all"]

    public init(from decoder: any Decoder) throws {
        if let names = try? decoder.singleValueContainer().decode([String].self) {
            self = .names(names)
            return
        }
        let word = try decoder.singleValueContainer().decode(String.self)
        self = ColumnSelection.kinds.contains(word) ? .kind(word) : .names([word])
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .names(let names): try container.encode(names)
        case .kind(let kind): try container.encode(kind)
        }
    }

    /// The selected columns of `table`, in table order for kinds; never the target.
    public func resolve(in table: Table, target: String?) throws -> [String] {
        switch self {
        case .names(let names):
            for name in names {
                _ = try table.column(name)
                if name == target {
                    throw CairnError(.invalidData, "'\(name)' is the target; feature steps leave it as it is")
                }
            }
            return names
        case .kind(let kind):
            return table.columns.filter { column in
                guard column.name != target else { return false }
                switch kind {
                case "numeric": return column.type.isNumeric
                case "categorical": return column.type == .categorical
                case "text": return column.type == .string
                case "bool": return column.type == .bool
                default: return true
                }
            }.map(\.name)
        }
    }
}
