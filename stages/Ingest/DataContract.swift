import CairnCore
import CairnSupport
import Tables

/// What to do with rows that break a contract rule.
public enum ViolationAction: String, ConfigEnum {
    /// Stop the stage; its outputs are not written.
    case fail
    /// Remove the offending rows and go on.
    case drop
    /// Keep the rows and report them.
    case warn
}

/// The rules one column must satisfy on every run. Written either as a type name
/// (`body_mass_g: float`) or as a mapping of rules.
public struct ColumnContract: Decodable, Sendable {
    public var type: ColumnType?
    public var nullable = true
    public var categories: [String]?
    public var min: Double?
    public var max: Double?
    public var unique = false
    /// Overrides the contract's `on_violation` for this column.
    public var onViolation: ViolationAction?

    enum CodingKeys: String, CodingKey {
        case type, nullable, categories, min, max, unique
        case onViolation = "on_violation"
    }

    public init(from decoder: any Decoder) throws {
        if let name = try? decoder.singleValueContainer().decode(String.self) {
            type = try ColumnType(schemaName: name)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(String.self, forKey: .type).map(ColumnType.init(schemaName:))
        nullable = try container.decodeIfPresent(Bool.self, forKey: .nullable) ?? true
        categories = try container.decodeIfPresent([String].self, forKey: .categories)
        min = try container.decodeIfPresent(Double.self, forKey: .min)
        max = try container.decodeIfPresent(Double.self, forKey: .max)
        unique = try container.decodeIfPresent(Bool.self, forKey: .unique) ?? false
        onViolation = try container.decodeIfPresent(ViolationAction.self, forKey: .onViolation)
    }
}

/// Rows of a table that break one rule of one column.
public struct Violation: Sendable {
    public var rule: String
    public var column: String
    public var action: ViolationAction
    /// Row indices in the table, ascending.
    public var rows: [Int]
    /// The offending values, nil where missing.
    public var values: [String?]
}

extension ColumnContract {
    /// The rules in the order they are checked and reported.
    static let rules = ["nullable", "categories", "min", "max", "unique"]

    /// Every rule this column breaks in `column`, with the rows that break it, numbered from
    /// `firstRow` (the column is a piece of the table); `seen` holds the values of the pieces
    /// before, for `unique`. Types are enforced when the CSV is read (a value that does not
    /// parse is an error there).
    func violations(in column: Column, firstRow: Int, seen: inout Set<String>, defaultAction: ViolationAction) throws -> [Violation] {
        let action = onViolation ?? defaultAction
        var found: [Violation] = []
        func add(_ rule: String, _ rows: [Int]) {
            guard !rows.isEmpty else { return }
            found.append(Violation(rule: rule, column: column.name, action: action, rows: rows.map { $0 + firstRow },
                                   values: rows.map { column.text(at: $0) }))
        }
        let rows = 0..<column.count
        if !nullable { add("nullable", rows.filter { !column.isPresent($0) }) }
        if let categories {
            let allowed = Set(categories)
            add("categories", rows.filter { row in column.text(at: row).map { !allowed.contains($0) } ?? false })
        }
        if min != nil || max != nil {
            guard column.type.isNumeric else {
                throw CairnError(.invalidData, "column '\(column.name)' is \(column.type.rawValue); min and max need numbers")
            }
            if let min { add("min", rows.filter { row in column.number(at: row).map { $0 < min } ?? false }) }
            if let max { add("max", rows.filter { row in column.number(at: row).map { $0 > max } ?? false }) }
        }
        if unique {
            add("unique", rows.filter { row in column.text(at: row).map { !seen.insert($0).inserted } ?? false })
        }
        return found
    }
}
