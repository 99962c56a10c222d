import CairnSupport
import Tables

/// A data contract checked on a table that comes a piece at a time: each rule's offending rows,
/// numbered in the whole table, gathered as the pieces come, and the values a `unique` column
/// has shown so far (the one thing that grows with the table rather than with its violations).
struct ContractChecks {
    let schema: [String: ColumnContract]
    let defaultAction: ViolationAction
    /// Rows of the pieces checked so far.
    private(set) var rows = 0
    private(set) var rowsDropped = 0
    /// Per column, per rule: what broke it so far.
    private var found: [String: [String: Violation]] = [:]
    private var seen: [String: Set<String>] = [:]

    init(schema: [String: ColumnContract], defaultAction: ViolationAction) {
        self.schema = schema
        self.defaultAction = defaultAction
    }

    /// Checks the next piece of the table; gives its rows without those to drop.
    mutating func check(_ piece: Table) throws -> Table {
        var dropped = Set<Int>()
        for name in schema.keys.sorted() {
            let column = try piece.column(name)
            for violation in try schema[name]!.violations(in: column, firstRow: rows, seen: &seen[name, default: []], defaultAction: defaultAction) {
                if violation.action == .drop { dropped.formUnion(violation.rows.map { [rows] in $0 - rows }) }
                found[name, default: [:]][violation.rule, default: Violation(rule: violation.rule, column: name, action: violation.action, rows: [], values: [])]
                    .append(violation)
            }
        }
        rows += piece.rowCount
        rowsDropped += dropped.count
        return dropped.isEmpty ? piece : piece.filtering((0..<piece.rowCount).map { !dropped.contains($0) })
    }

    /// Every rule broken, by column name, then in the order the rules are checked.
    var violations: [Violation] {
        found.keys.sorted().flatMap { name in ColumnContract.rules.compactMap { found[name]![$0] } }
    }
}

extension Violation {
    mutating func append(_ more: Violation) {
        rows += more.rows
        values += more.values
    }
}
