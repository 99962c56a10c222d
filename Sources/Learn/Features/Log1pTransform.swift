import CairnSupport
import Glibc
import Tables

/// `log1p: {columns}`: log(1 + x), for long-tailed counts and amounts.
public struct Log1pConfig: FeatureStepConfig {
    public var columns: ColumnSelection

    public func fit(_ table: Table, target: String?) throws -> Log1pTransform {
        let names = try columns.resolve(in: table, target: target)
        for name in names { _ = try table.numericColumn(name, for: "log1p") }
        return Log1pTransform(columns: names)
    }
}

public struct Log1pTransform: FittedFeatureStep {
    public var columns: [String]

    public func apply(to table: consuming Table) throws -> Table {
        var result = copy table  // the step reads the input while it builds the output
        for name in columns {
            let column = try table.numericColumn(name, for: "log1p")
            let values = try column.doubles()!.enumerated().map { row, value -> Double in
                guard !value.isNaN else { return 0 }
                guard value > -1 else {
                    throw CairnError(.invalidData, "'\(name)' is \(value); log1p needs values above -1", row: row)
                }
                return log1p(value)
            }
            try result.replace(Column(name: name, values: .float64(values), validity: column.validity))
        }
        return result
    }
}
