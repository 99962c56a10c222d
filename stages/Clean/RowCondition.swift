import CairnSupport
import Tables

/// One `filter:` condition of the clean stage: `col > 3`, `col == text`, `col in [a, b]`,
/// `col not in [a, b]`, `col is null`, `col is not null`. A missing value passes no comparison.
public struct RowCondition: Decodable, Sendable, CustomStringConvertible {
    public enum Test: Sendable, Equatable {
        case compare(String, Literal)
        case member([Literal], negated: Bool)
        case null(negated: Bool)
    }

    /// A value written in a condition: a number when it reads as one, otherwise text.
    public struct Literal: Sendable, Equatable {
        public var text: String
        public var number: Double? { Double(text) }
    }

    public var column: String
    public var test: Test
    public let description: String

    static let comparisons = ["==", "!=", "<=", ">=", "<", ">"]

    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public init(parsing text: String) throws {
        description = text
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        func invalid() -> CairnError {
            CairnError(.invalidValue, "cannot read the condition '\(text)'",
                       hint: "write `column > 3`, `column == value`, `column in [a, b]`, `column not in [a, b]`, `column is null` or `column is not null`")
        }
        if words.count >= 3, words[words.count - 2] == "is", words.last == "null" {
            column = words.dropLast(2).joined(separator: " ")
            test = .null(negated: false)
        } else if words.count >= 4, words.suffix(3) == ["is", "not", "null"] {
            column = words.dropLast(3).joined(separator: " ")
            test = .null(negated: true)
        } else if let range = text.firstRange(of: " not in [") ?? text.firstRange(of: " in [") {
            guard text.hasSuffix("]") else { throw invalid() }
            column = text[..<range.lowerBound].trimmingSpaces
            let list = text[range.upperBound..<text.index(before: text.endIndex)]
            let items = list.split(separator: ",").map { RowCondition.literal($0.trimmingSpaces) }
            test = .member(items, negated: text[range].hasPrefix(" not"))
        } else if let op = RowCondition.comparisons.first(where: { text.contains($0) }), let range = text.firstRange(of: op) {
            column = text[..<range.lowerBound].trimmingSpaces
            let value = text[range.upperBound...].trimmingSpaces
            guard !value.isEmpty else { throw invalid() }
            test = .compare(op, RowCondition.literal(value))
        } else {
            throw invalid()
        }
        guard !column.isEmpty else { throw invalid() }
    }

    private static func literal(_ raw: String) -> Literal {
        for quote in ["'", "\""] where raw.count >= 2 && raw.hasPrefix(quote) && raw.hasSuffix(quote) {
            return Literal(text: String(raw.dropFirst().dropLast()))
        }
        return Literal(text: raw)
    }

    /// Which rows of `table` satisfy the condition.
    public func mask(_ table: Table) throws -> [Bool] {
        let column = try table.column(self.column)
        let rows = 0..<table.rowCount
        switch test {
        case .null(let negated):
            return rows.map { column.isPresent($0) == negated }
        case .member(let items, let negated):
            let texts = Set(items.map(\.text))
            let numbers = Set(items.compactMap(\.number))
            return rows.map { row in
                guard column.isPresent(row) else { return false }
                let found = column.number(at: row).map(numbers.contains) ?? texts.contains(column.text(at: row)!)
                return found != negated
            }
        case .compare(let op, let literal):
            if column.type.isNumeric || column.type == .bool {
                guard let bound = literal.number ?? (column.type == .bool ? (literal.text == "true" ? 1 : literal.text == "false" ? 0 : nil) : nil) else {
                    throw CairnError(.invalidData, "condition '\(description)': column '\(self.column)' is \(column.type.rawValue) and '\(literal.text)' is not a number")
                }
                return rows.map { row in column.number(at: row).map { RowCondition.holds(op, $0, bound) } ?? false }
            }
            return rows.map { row in column.text(at: row).map { RowCondition.holds(op, $0, literal.text) } ?? false }
        }
    }

    private static func holds<T: Comparable>(_ op: String, _ value: T, _ bound: T) -> Bool {
        switch op {
        case "==": value == bound
        case "!=": value != bound
        case "<": value < bound
        case "<=": value <= bound
        case ">": value > bound
        default: value >= bound
        }
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
