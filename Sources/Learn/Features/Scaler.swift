import CairnCore
import CairnSupport
import Tables

/// `scale: {columns, method: standard | minmax | robust}`
public struct ScaleConfig: FeatureStepConfig {
    public enum Method: String, ConfigEnum { case standard, minmax, robust }

    public var columns: ColumnSelection
    public var method: Method = .standard

    enum CodingKeys: String, CodingKey { case columns, method }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        columns = try container.decode(ColumnSelection.self, forKey: .columns)
        method = try container.decodeIfPresent(Method.self, forKey: .method) ?? .standard
    }

    /// As scikit-learn's StandardScaler (population standard deviation), MinMaxScaler (to [0, 1])
    /// and RobustScaler (median, interquartile range); a zero spread scales by 1. Missing values
    /// are left out of the fit and stay missing.
    public func fit(_ table: Table, target: String?) throws -> Scaler {
        var centers: [String: Double] = [:]
        var scales: [String: Double] = [:]
        for name in try columns.resolve(in: table, target: target) {
            var values = try table.presentValues(name, for: "scale")
            let center: Double
            let spread: Double
            switch method {
            case .standard:
                center = Moments.mean(values)
                spread = Moments.standardDeviation(values, sample: false)
            case .minmax:
                center = values.min()!
                spread = values.max()! - center
            case .robust:
                let quartiles = Quantile.select(&values, [0.25, 0.5, 0.75])
                center = quartiles[1]
                spread = quartiles[2] - quartiles[0]
            }
            centers[name] = center
            scales[name] = spread == 0 ? 1 : spread
        }
        return Scaler(centers: centers, scales: scales)
    }
}

/// (x - center) / scale for each column.
public struct Scaler: FittedFeatureStep {
    public var centers: [String: Double]
    public var scales: [String: Double]

    public func apply(to table: consuming Table) throws -> Table {
        var result = consume table
        for name in centers.keys.sorted() {
            let (type, validity) = try result.numericColumn(name, for: "scale").typeAndValidity
            guard let center = centers[name], let scale = scales[name] else {
                throw CairnError(.invalidData, "the scale step has a center but no scale for '\(name)'")
            }
            // Missing rows, and values that scale to NaN, become 0.
            func scaled(_ value: Double) -> Double {
                let result = (value - center) / scale
                return result.isNaN ? 0 : result
            }
            if type == .float64 {
                try result.update(name) { column in
                    column.updateFloat64 { numbers in
                        for row in numbers.indices { numbers[row] = scaled(numbers[row]) }
                        for row in validity?.missingRows ?? [] { numbers[row] = 0 }
                    }
                }
            } else {
                let column = try result.column(name)
                try result.replace(Column(name: name, values: .float64(column.doubles()!.map(scaled)), validity: validity))
            }
        }
        return result
    }
}
