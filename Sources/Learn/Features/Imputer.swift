import CairnCore
import CairnSupport
import Tables

/// A value that fills a gap: a number for numeric columns, text for categorical ones.
public enum FillValue: Codable, Sendable, Equatable {
    case number(Double)
    case text(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) { self = .number(number) } else { self = .text(try container.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let number): try container.encode(number)
        case .text(let text): try container.encode(text)
        }
    }
}

/// `impute: {columns, strategy: mean | median | most_frequent | constant, fill_value}`
public struct ImputeConfig: FeatureStepConfig {
    public enum Strategy: String, ConfigEnum { case mean, median, mostFrequent = "most_frequent", constant }

    public var columns: ColumnSelection
    public var strategy: Strategy
    public var fillValue: FillValue?

    enum CodingKeys: String, CodingKey {
        case columns, strategy
        case fillValue = "fill_value"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        columns = try container.decode(ColumnSelection.self, forKey: .columns)
        strategy = try container.decodeIfPresent(Strategy.self, forKey: .strategy) ?? .mean
        fillValue = try container.decodeIfPresent(FillValue.self, forKey: .fillValue)
        if strategy == .constant, fillValue == nil {
            throw CairnError(.invalidValue, "impute with strategy constant needs fill_value")
        }
    }

    /// Mean and median as scikit-learn's SimpleImputer computes them; most_frequent takes the
    /// smallest of tied values, as it does.
    public func fit(_ table: Table, target: String?) throws -> Imputer {
        var values: [String: FillValue] = [:]
        for name in try columns.resolve(in: table, target: target) {
            let column = try table.column(name)
            switch strategy {
            case .mean:
                let present = try table.presentValues(name, for: "impute (mean)")
                values[name] = .number(present.reduce(0, +) / Double(present.count))
            case .median:
                var present = try table.presentValues(name, for: "impute (median)")
                values[name] = .number(Quantile.select(&present, [0.5])[0])
            case .mostFrequent:
                var counts: [String: Int] = [:]
                for row in 0..<table.rowCount { if let text = column.text(at: row) { counts[text, default: 0] += 1 } }
                guard let best = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && Imputer.orders($1.key, before: $0.key, numeric: column.type.isNumeric)) }) else {
                    throw CairnError(.invalidData, "impute (most_frequent): column '\(name)' has no values to learn from")
                }
                values[name] = column.type.isNumeric ? .number(Double(best.key)!) : .text(best.key)
            case .constant:
                values[name] = fillValue!
            }
        }
        return Imputer(values: values)
    }
}

/// Fills missing values of each column with the value learned for it.
public struct Imputer: FittedFeatureStep {
    public var values: [String: FillValue]

    static func orders(_ a: String, before b: String, numeric: Bool) -> Bool {
        numeric ? Double(a)! < Double(b)! : a < b
    }

    public func apply(to table: consuming Table) throws -> Table {
        var result = consume table
        for (name, fill) in values.sorted(by: { $0.key < $1.key }) {
            let (type, validity) = try result.column(name).typeAndValidity
            guard let present = validity else { continue }
            switch (fill, type) {
            case (.number(let value), .float64):
                try result.update(name) { column in
                    column.updateFloat64 { numbers in for row in present.missingRows { numbers[row] = value } }
                    column.validity = nil
                }
            case (.number(let value), _) where type.isNumeric || type == .bool:
                var numbers = try result.column(name).casting(to: .float64)
                if case .float64(var filled) = numbers.values {
                    for row in present.missingRows { filled[row] = value }
                    numbers = Column(name: name, values: .float64(filled))
                }
                try result.replace(numbers)
            case (.text(let value), .categorical), (.text(let value), .string):
                let column = try result.column(name)
                let texts = (0..<column.count).map { column.text(at: $0) ?? value }
                try result.replace(Column(name: name, values: .string(texts)).casting(to: column.type))
            default:
                throw CairnError(.invalidData, "impute: the value for '\(name)' does not fit its type \(type.rawValue)")
            }
        }
        return result
    }
}
