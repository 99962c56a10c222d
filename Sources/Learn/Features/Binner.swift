import CairnCore
import CairnSupport
import Tables

/// `bin: {columns, bins: 5, strategy: quantile | uniform}`
public struct BinConfig: FeatureStepConfig {
    public enum Strategy: String, ConfigEnum { case quantile, uniform }

    public var columns: ColumnSelection
    public var bins = 5
    public var strategy: Strategy = .quantile

    enum CodingKeys: String, CodingKey { case columns, bins, strategy }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        columns = try container.decode(ColumnSelection.self, forKey: .columns)
        bins = try container.decodeIfPresent(Int.self, forKey: .bins) ?? 5
        strategy = try container.decodeIfPresent(Strategy.self, forKey: .strategy) ?? .quantile
        guard bins >= 2 else { throw CairnError(.invalidValue, "bins must be at least 2, found \(bins)") }
    }

    /// Edges as scikit-learn's KBinsDiscretizer finds them: evenly spaced between the minimum and
    /// maximum, or at quantiles (linear interpolation); quantile edges that coincide are merged.
    public func fit(_ table: Table, target: String?) throws -> Binner {
        var edges: [String: [Double]] = [:]
        for name in try columns.resolve(in: table, target: target) {
            let values = try table.presentValues(name, for: "bin").sorted()
            let fractions = (0...bins).map { Double($0) / Double(bins) }
            switch strategy {
            case .uniform:
                edges[name] = fractions.map { values.first! + $0 * (values.last! - values.first!) }
            case .quantile:
                var distinct: [Double] = []
                for edge in fractions.map({ Quantile.ofSorted(values, $0) }) where distinct.last.map({ edge - $0 > 1e-8 }) ?? true {
                    distinct.append(edge)
                }
                edges[name] = distinct
            }
        }
        return Binner(edges: edges)
    }
}

/// Replaces each value by the index of its bin (0 to bins − 1); values outside the training range
/// go to the first or last bin.
public struct Binner: FittedFeatureStep {
    public var edges: [String: [Double]]

    public func apply(to table: consuming Table) throws -> Table {
        var result = copy table  // the step reads the input while it builds the output
        for name in edges.keys.sorted() {
            let column = try table.numericColumn(name, for: "bin")
            let inner = Array(edges[name]!.dropFirst().dropLast())
            let binned = column.doubles()!.map { value -> Double in
                guard !value.isNaN else { return 0 }
                // The number of inner edges at or below the value (searchsorted, side right).
                var low = 0, high = inner.count
                while low < high {
                    let middle = (low + high) / 2
                    if inner[middle] <= value { low = middle + 1 } else { high = middle }
                }
                return Double(low)
            }
            try result.replace(Column(name: name, values: .float64(binned), validity: column.validity))
        }
        return result
    }
}
