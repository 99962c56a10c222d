import Learn
import Tables

/// The tables the evaluate stage writes beside its metrics: the confusion matrix (true class by
/// row) and, per class against the rest, the ROC and precision-recall curve points. Regressors
/// get the same tables with no rows.
struct EvaluationCurves {
    var confusion: Table
    var roc: Table
    var precisionRecall: Table

    init(model: ModelArtifact, test: Table, predictions: Predictions) throws {
        guard case .classes(let classes, let predicted, let probabilities) = predictions else {
            confusion = try Table(columns: [Column(name: "class", values: .string([]))])
            roc = try Self.curveTable([], [], [], [], names: ["false_positive_rate", "true_positive_rate"])
            precisionRecall = try Self.curveTable([], [], [], [], names: ["precision", "recall"])
            return
        }
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let truth = try test.column(model.target).strings().map { index[$0 ?? ""] ?? -1 }
        let matrix = ClassificationMetrics.confusionMatrix(truth.map { max($0, 0) }, predicted, classes: classes.count)
        confusion = try Table(columns: [Column(name: "class", values: .string(classes))]
            + classes.enumerated().map { column, name in Column(name: name, values: .int64(matrix.map { Int64($0[column]) })) })
        // Binary: the curves of the second class only, as scikit-learn plots them.
        let curveClasses = classes.count == 2 ? [1] : Array(classes.indices)
        var rocParts: ([String], [Double], [Double], [Double]) = ([], [], [], [])
        var prParts: ([String], [Double], [Double], [Double]) = ([], [], [], [])
        for label in curveClasses {
            let positive = truth.map { $0 == label }
            let scores = Array(probabilities.column(label))
            let roc = ClassificationMetrics.rocCurve(positive, scores)
            rocParts.0 += roc.thresholds.map { _ in classes[label] }
            rocParts.1 += roc.thresholds
            rocParts.2 += roc.falsePositiveRate
            rocParts.3 += roc.truePositiveRate
            let pr = ClassificationMetrics.precisionRecallCurve(positive, scores)
            prParts.0 += pr.precision.map { _ in classes[label] }
            prParts.1 += pr.thresholds + [.infinity]
            prParts.2 += pr.precision
            prParts.3 += pr.recall
        }
        roc = try Self.curveTable(rocParts.0, rocParts.1, rocParts.2, rocParts.3, names: ["false_positive_rate", "true_positive_rate"])
        precisionRecall = try Self.curveTable(prParts.0, prParts.1, prParts.2, prParts.3, names: ["precision", "recall"])
    }

    private static func curveTable(_ classes: [String], _ thresholds: [Double], _ first: [Double], _ second: [Double],
                                   names: [String]) throws -> Table {
        try Table(columns: [Column(name: "class", values: .string(classes)), Column(name: "threshold", values: .float64(thresholds)),
                            Column(name: names[0], values: .float64(first)), Column(name: names[1], values: .float64(second))])
    }
}
