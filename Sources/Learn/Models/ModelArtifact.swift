import CairnSupport
import FoundationEssentials
import Tables

/// What the train stage writes and batch scoring reads: the estimator and its fitted state, the
/// feature transform it was trained behind, the target and its classes, the training data's
/// hash and metrics. One file holds everything needed to score new data as training saw it.
public struct ModelArtifact: Codable, Sendable, Equatable, VersionedArtifact {
    public struct Training: Codable, Sendable, Equatable {
        public var rows: Int
        /// SHA-256 of the training table file.
        public var dataHash: String
        public var metrics: [String: Double]
        /// Per metric, its mean and standard deviation over cross-validation folds, when run.
        public var crossValidation: [String: Spread]?

        enum CodingKeys: String, CodingKey {
            case rows, metrics
            case dataHash = "data_hash"
            case crossValidation = "cross_validation"
        }
    }

    public struct Spread: Codable, Sendable, Equatable {
        public var mean: Double
        public var std: Double
        public var folds: Int
    }

    public static let formatName = "cairn-model"
    public var format = ModelArtifact.formatName
    public var version = 1
    public var model: ModelSpec
    public var task: ModelTask
    public var target: String
    /// Class names in the order of the model's class indices (classification only).
    public var classes: [String]?
    /// The columns the model reads, in order, after the transform.
    public var features: [String]
    public var transform: FeatureTransform?
    public var fitted: FittedModel
    public var training: Training

    /// Fits `spec` on `table` (the features stage's output): `target` is what to predict, every
    /// other column a feature. Classifiers learn the target's distinct values as classes.
    public static func train(_ spec: ModelSpec, on table: Table, target: String, transform: FeatureTransform?,
                             dataHash: String) throws -> ModelArtifact {
        let targetColumn = try table.column(target)
        if let row = targetColumn.validity?.missingRows.first {
            throw CairnError(.invalidData, "the target '\(target)' has no value in row \(row + 1)",
                             hint: "drop such rows in the clean stage (drop_missing)")
        }
        let features = table.columnNames.filter { $0 != target }
        let x = try DesignMatrix(table, columns: features)
        var classes: [String]?
        let y: [Double]
        if spec.task == .classification {
            let texts = (0..<table.rowCount).map { targetColumn.text(at: $0)! }
            let names = CategoryOrder.sorted(Array(Set(texts)), numeric: targetColumn.type.isNumeric)
            let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Double($0)) })
            y = texts.map { index[$0]! }
            classes = names
        } else {
            guard let numbers = targetColumn.doubles(), targetColumn.type != .bool else {
                throw CairnError(.invalidData, "the target '\(target)' is \(targetColumn.type.rawValue); \(spec.name) predicts numbers",
                                 hint: "use a classifier such as logistic_regression")
            }
            y = numbers
        }
        let fitted = try spec.fit(x, y)
        var artifact = ModelArtifact(model: spec, task: classes == nil ? .regression : .classification, target: target,
                                     classes: classes, features: features, transform: transform, fitted: fitted,
                                     training: Training(rows: table.rowCount, dataHash: dataHash, metrics: [:], crossValidation: nil))
        artifact.training.metrics = try artifact.metrics(truth: table, predictions: artifact.predict(features: table))
        return artifact
    }

    /// Cross-validates the same model on `raw` (the training rows before the feature steps): the
    /// transform's steps and the model fitted again inside each of `folds` folds, stratified for
    /// classifiers. The summary goes into `training.crossValidation`.
    public mutating func crossValidate(raw: Table, plan: FoldPlan) throws {
        guard let transform else {
            throw CairnError(.invalidData, "cross-validation needs the features stage's transform as the train stage's input")
        }
        let partition = try plan.folds(of: raw, target: target, stratified: classes != nil)
        let results = try CrossValidation.evaluate(model, steps: transform.specs, target: target, table: raw, folds: partition)
        training.crossValidation = CrossValidation.summary(results).mapValues { Spread(mean: $0.mean, std: $0.std, folds: partition.count) }
    }

    /// Predictions for rows that already went through the transform (the features stage's test table).
    public func predict(features table: Table) throws -> Predictions {
        let x = try DesignMatrix(table, columns: features)
        guard let classes else { return .numbers(try fitted.predict(x)) }
        guard let probabilities = try fitted.probabilities(x), probabilities.columns == classes.count else {
            throw CairnError(.invalidData, "the model gives no probability for each of its \(classes.count) classes")
        }
        return .classes(names: classes, labels: probabilities.rowMaxima(), probabilities: probabilities)
    }

    /// Rows scored at a time: a batch's transformed features stay small (about 75 MiB at 145
    /// features) however large the input, where the whole would take gigabytes.
    public static let batchRows = 65_536

    /// Predictions for new raw rows: the transform first, then the model — training's own path —
    /// a batch of rows at a time. A data error names its row in the whole input.
    public func score(_ raw: Table) throws -> Predictions {
        let batches = try stride(from: 0, to: max(raw.rowCount, 1), by: Self.batchRows).map { start in
            let batch = raw.rowCount <= Self.batchRows ? raw : raw.taking(Array(start..<min(raw.rowCount, start + Self.batchRows)))
            do {
                return try predict(features: transform?.apply(to: batch) ?? batch)
            } catch var error as CairnError {
                error.row = error.row.map { $0 + start }
                throw error
            }
        }
        return batches.count == 1 ? batches[0] : Predictions.concatenating(batches)
    }

    /// Flat metrics of `predictions` against the target column of `truth`. A metric the rows
    /// cannot define is left out rather than given a conventional 0 or 1: ROC AUC of one class,
    /// precision with nothing predicted positive, recall with no positive row, F1 with neither,
    /// R² of a constant target. No rows at all is an error.
    public func metrics(truth table: Table, predictions: Predictions) throws -> [String: Double] {
        guard table.rowCount > 0 else {
            throw CairnError(.invalidData, "no rows to score: the table is empty",
                             hint: "metrics need at least one row; check the split's test share and the filters before it")
        }
        return try everyMetric(truth: table, predictions: predictions).filter(\.value.isFinite)
    }

    private func everyMetric(truth table: Table, predictions: Predictions) throws -> [String: Double] {
        let targetColumn = try table.column(target)
        guard case .classes(let classes, let predicted, let probabilities) = predictions else {
            guard case .numbers(let predicted) = predictions, let truth = targetColumn.doubles() else {
                throw CairnError(.invalidData, "the target '\(target)' is \(targetColumn.type.rawValue); the model predicts numbers")
            }
            var metrics = ["rmse": RegressionMetrics.rootMeanSquaredError(truth, predicted),
                           "mae": RegressionMetrics.meanAbsoluteError(truth, predicted),
                           "mse": RegressionMetrics.meanSquaredError(truth, predicted)]
            if Set(truth).count > 1 { metrics["r2"] = RegressionMetrics.r2(truth, predicted) }
            return metrics
        }
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let truth = try (0..<table.rowCount).map { row -> Int in
            guard let text = targetColumn.text(at: row), let label = index[text] else {
                throw CairnError(.invalidData, "row \(row + 1): the target '\(targetColumn.text(at: row) ?? "missing")' is not a class the model knows")
            }
            return label
        }
        let rows = (0..<table.rowCount).map { row in classes.indices.map { probabilities[row, $0] } }
        var metrics: [String: Double] = [
            "accuracy": ClassificationMetrics.accuracy(truth, predicted),
            "balanced_accuracy": ClassificationMetrics.balancedAccuracy(truth, predicted),
            "log_loss": ClassificationMetrics.logLoss(truth, rows),
        ]
        if classes.count == 2 {
            let positive = truth.map { $0 == 1 }
            let positiveRows = positive.contains(true), positivePredictions = predicted.contains(1)
            if positivePredictions { metrics["precision"] = ClassificationMetrics.precision(truth, predicted, average: .binary(positive: 1)) }
            if positiveRows { metrics["recall"] = ClassificationMetrics.recall(truth, predicted, average: .binary(positive: 1)) }
            if positiveRows || positivePredictions {
                metrics["f1"] = ClassificationMetrics.f1(truth, predicted, average: .binary(positive: 1))
            }
            metrics["roc_auc"] = ClassificationMetrics.rocAUC(positive, Array(probabilities.column(1)))
        } else {
            metrics["precision_macro"] = ClassificationMetrics.precision(truth, predicted, average: .macro)
            metrics["recall_macro"] = ClassificationMetrics.recall(truth, predicted, average: .macro)
            metrics["f1_macro"] = ClassificationMetrics.f1(truth, predicted, average: .macro)
            metrics["roc_auc_ovr"] = ClassificationMetrics.rocAUCOneVsRest(truth, rows)
        }
        return metrics
    }

    // MARK: Files

    public func write(to path: String) throws { try JSONFile.write(self, to: path) }

    public static func read(_ path: String, displayName: String? = nil) throws -> ModelArtifact {
        let model = try JSONFile.read(ModelArtifact.self, from: path, displayName: displayName, what: "model")
        if let problem = model.problem() {
            throw CairnError(.invalidData, "\(displayName ?? path) is not a usable model: \(problem)",
                             hint: "the file was edited or damaged; train it again")
        }
        return model
    }
}
