/// A JSON value written with keys in the order given: Cairn's own files (lock files) and
/// `--json` lines are deterministic and diff-friendly without a serializer's quirks.
/// Not `indirect`: the arrays already hold the nesting, and a box per value was a heap
/// allocation per string of a lock file.
public enum JSONValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// On one line.
    public var compact: String {
        switch self {
        case .string(let value): return ConfigNode.jsonQuoted(value)
        // Swift writes the shortest text that reads back to the same double; JSON has no NaN or ∞.
        case .number(let value): return value.isFinite ? String(value) : "null"
        case .integer(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .array(let items): return "[" + items.map(\.compact).joined(separator: ",") + "]"
        case .object(let pairs):
            return "{" + pairs.map { ConfigNode.jsonQuoted($0.0) + ":" + $0.1.compact }.joined(separator: ",") + "}"
        }
    }

    /// Indented by two spaces, one member per line; empty containers stay on one line.
    public func pretty(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .array(let items) where !items.isEmpty:
            return "[\n" + items.map { inner + $0.pretty(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let pairs) where !pairs.isEmpty:
            return "{\n" + pairs.map { inner + ConfigNode.jsonQuoted($0.0) + ": " + $0.1.pretty(indent: inner) }
                .joined(separator: ",\n") + "\n\(indent)}"
        default:
            return compact
        }
    }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.compact == rhs.compact }
}
