import CairnSupport
import Tables

/// A fitted feature step: values learned from the training table, applied the same way to any
/// table with those columns (test data, new data in batch scoring).
public protocol FittedFeatureStep: Codable, Sendable, Equatable {
    /// Consuming: a step may then change the columns in place when nothing else holds the table.
    func apply(to table: consuming Table) throws -> Table
    /// Per column, the categories the step learned: a transform file listing one twice is refused.
    var categoryLists: [String: [String]] { get }
}

extension FittedFeatureStep {
    public var categoryLists: [String: [String]] { [:] }
}

/// A feature step as the pipeline configures it; fitting it on the training table gives the
/// fitted step. Encodable too: the transform keeps the steps as written, so that
/// cross-validation can fit them again inside every fold.
public protocol FeatureStepConfig: Codable, Sendable, Equatable {
    associatedtype Fitted: FittedFeatureStep
    func fit(_ table: Table, target: String?) throws -> Fitted
}

extension Table {
    /// The column named `name`, with an error that names what the step needed it for.
    func numericColumn(_ name: String, for step: String) throws -> Column {
        let column = try self.column(name)
        guard column.type.isNumeric || column.type == .bool else {
            throw CairnError(.invalidData, "\(step) needs numeric columns; '\(name)' is \(column.type.rawValue)")
        }
        return column
    }

    /// The present values of a numeric column, in row order; an error when there are none to learn from.
    func presentValues(_ name: String, for step: String) throws -> [Double] {
        let column = try numericColumn(name, for: step)
        var values = column.doubles()!
        if column.validity != nil { values.removeAll { $0.isNaN } }
        guard !values.isEmpty else {
            throw CairnError(.invalidData, "\(step): column '\(name)' has no values to learn from")
        }
        return values
    }

    /// Replaces column `name` with `replacements` at its position.
    func replacing(_ name: String, with replacements: [Column]) throws -> Table {
        guard let position = index(of: name) else { throw unknownColumn(name) }
        var columns = self.columns
        columns.replaceSubrange(position...position, with: replacements)
        return try Table(columns: columns)
    }
}
