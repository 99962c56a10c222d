import CairnCore
import CairnSupport

/// `cairn exp show`: one row per experiment — name, time, base commit, status, the params any
/// experiment changed and every metric — that can be filtered (`accuracy>0.9`), sorted by a
/// column and written as text, CSV or JSON. A column is named by its key or, when that is
/// unambiguous, by the part after the metrics file (`accuracy` for `out/metrics.json:accuracy`).
public struct ExperimentTable: Sendable {
    public enum Field: Sendable, Equatable {
        case name, created, commit, status
        case param(String)
        case metric(String)
    }

    public struct Column: Sendable, Equatable {
        public var field: Field
        /// The full key, as JSON and CSV name it.
        public var key: String
        /// What a person sees as the header.
        public var title: String
    }

    public let columns: [Column]
    public private(set) var rows: [Experiment]

    public init(_ experiments: [Experiment]) {
        rows = experiments
        var params: [String] = []
        for key in experiments.flatMap({ $0.params.map(\.key) }) where !params.contains(key) { params.append(key) }
        let metrics = Set(experiments.flatMap(\.metrics.keys)).sorted()
        let shortNames = metrics.map { $0.split(separator: ":").last.map(String.init) ?? $0 }
        columns = [Column(field: .name, key: "name", title: "experiment"), Column(field: .created, key: "created", title: "created"),
                   Column(field: .commit, key: "commit", title: "commit"), Column(field: .status, key: "status", title: "status")]
            + params.map { Column(field: .param($0), key: $0, title: $0) }
            + zip(metrics, shortNames).map { key, short in
                Column(field: .metric(key), key: key, title: shortNames.filter { $0 == short }.count == 1 ? short : key)
            }
    }

    /// The cell of `row` under `column`; nil when the experiment has no such value.
    public func value(_ row: Experiment, _ column: Column) -> String? {
        switch column.field {
        case .name: return row.name
        case .created: return String(row.created)
        case .commit: return row.base.map { String($0.prefix(8)) }
        case .status: return row.status.rawValue
        case .param(let key): return row.param(key)
        case .metric(let key): return row.metrics[key]
        }
    }

    /// The column a person means by `name`: its key, its title, or the one key ending in `:name`.
    public func column(named name: String) throws -> Column {
        if let exact = columns.first(where: { $0.key == name || $0.title == name }) { return exact }
        let matches = columns.filter { $0.key.hasSuffix(":" + name) }
        guard matches.count == 1 else {
            throw CairnError(.usage, matches.isEmpty ? "no column '\(name)'" : "'\(name)' could be any of " + matches.map(\.key).joined(separator: ", "),
                             hint: Suggestion.hint(for: name, in: columns.map(\.title), noun: "columns"))
        }
        return matches[0]
    }

    /// Keeps the rows for which `expression` (`KEY OP VALUE`, OP one of `<= >= != = < >`) holds;
    /// numbers compare as numbers, other text only by `=` and `!=`. A row without the value fails it.
    public mutating func filter(_ expression: String) throws {
        guard let op = ["<=", ">=", "!=", "=", "<", ">"].first(where: { expression.contains($0) }),
              let range = expression.firstRange(of: op) else {
            throw CairnError(.usage, "'\(expression)' is not KEY OP VALUE", hint: "for example --filter 'accuracy>=0.9' or --filter status=failed")
        }
        let column = try column(named: String(expression[..<range.lowerBound]))
        let wanted = String(expression[range.upperBound...])
        rows = rows.filter { row in
            guard let text = value(row, column) else { return false }
            if let number = Double(text), let bound = Double(wanted) {
                switch op {
                case "<=": return number <= bound
                case ">=": return number >= bound
                case "<": return number < bound
                case ">": return number > bound
                case "=": return number == bound
                default: return number != bound
                }
            }
            return op == "=" ? text == wanted : op == "!=" ? text != wanted : false
        }
    }

    /// Orders the rows by `name`'s column, numerically when its values are numbers; rows
    /// without a value go last either way.
    public mutating func sort(by name: String, descending: Bool) throws {
        let column = try column(named: name)
        rows = rows.enumerated().sorted { a, b in
            let (x, y) = (value(a.element, column), value(b.element, column))
            guard let x else { return y == nil && a.offset < b.offset }
            guard let y else { return true }
            if x == y { return a.offset < b.offset }
            let before = Double(x).flatMap { x in Double(y).map { x < $0 } } ?? (x < y)
            return descending ? !before : before
        }.map(\.element)
    }

    /// RFC 4180: a header of keys, then one line per row; fields with a comma, quote or line
    /// break are quoted.
    public var csv: String {
        func field(_ text: String) -> String {
            text.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + text.replacing("\"", with: "\"\"") + "\"" : text
        }
        return ([columns.map { field($0.key) }.joined(separator: ",")]
                + rows.map { row in columns.map { field(value(row, $0) ?? "") }.joined(separator: ",") })
            .joined(separator: "\n") + "\n"
    }

    /// One object per row; params and metrics under their own keys, numbers as numbers.
    public var json: JSONValue {
        func typed(_ text: String) -> JSONValue { Double(text).map(JSONValue.number) ?? .string(text) }
        return .array(rows.map { row in
            .object([("name", .string(row.name)), ("created", .integer(row.created)), ("base", row.base.map(JSONValue.string) ?? .null),
                     ("status", .string(row.status.rawValue)), ("error", row.error.map(JSONValue.string) ?? .null),
                     ("params", .object(row.params.map { ($0.key, typed($0.value)) })),
                     ("metrics", .object(row.metrics.sorted { $0.key < $1.key }.map { ($0.key, typed($0.value)) })),
                     ("stages", .object(row.stages.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) }))])
        })
    }
}
