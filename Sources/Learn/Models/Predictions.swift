import Tables

/// What a model says about a set of rows: a class (by index into the model's class names) with
/// every class's probability, or a number. Metrics, curves, drift and scoring share this; it
/// becomes a table only when it is written.
public enum Predictions: Sendable, Equatable {
    case classes(names: [String], labels: [Int], probabilities: Matrix)
    case numbers([Double])

    public var count: Int {
        switch self {
        case .classes(_, let labels, _): labels.count
        case .numbers(let values): values.count
        }
    }

    /// The predictions of `rows`, in that order.
    public func taking(_ rows: [Int]) -> Predictions {
        switch self {
        case .classes(let names, let labels, let probabilities):
            .classes(names: names, labels: rows.map { labels[$0] },
                     probabilities: Matrix(columns: names.indices.map { column in rows.map { probabilities[$0, column] } }))
        case .numbers(let values): .numbers(rows.map { values[$0] })
        }
    }

    /// Batches of the same model's predictions, one after another.
    static func concatenating(_ batches: [Predictions]) -> Predictions {
        guard case .classes(let names, _, _) = batches.first else {
            return .numbers(batches.flatMap { batch -> [Double] in if case .numbers(let values) = batch { values } else { [] } })
        }
        let parts = batches.compactMap { batch -> (labels: [Int], probabilities: Matrix)? in
            if case .classes(_, let labels, let probabilities) = batch { (labels, probabilities) } else { nil }
        }
        return .classes(names: names, labels: parts.flatMap(\.labels),
                        probabilities: Matrix(columns: names.indices.map { column in parts.flatMap { $0.probabilities.column(column) } }))
    }

    /// The `prediction` column: the class as a category, or the number.
    public var predictionColumn: Column {
        switch self {
        case .classes(let names, let labels, _):
            Column(name: "prediction", values: .categorical(codes: labels.map(Int32.init), categories: names))
        case .numbers(let values): Column(name: "prediction", values: .float64(values))
        }
    }

    /// As written: `prediction`, and for classifiers `probability=CLASS` per class.
    public func table() throws -> Table {
        guard case .classes(let names, _, let probabilities) = self else { return try Table(columns: [predictionColumn]) }
        return try Table(columns: [predictionColumn] + names.enumerated().map { label, name in
            Column(name: "probability=\(name)", values: .float64(Array(probabilities.column(label))))
        })
    }
}
