import Tables

/// Cross-validation without leakage: in every fold the feature steps are fitted on that fold's
/// training rows only, the model is trained on them, and both are applied to the fold's test rows.
public enum CrossValidation {
    /// Each fold's metrics (the evaluate stage's keys), from the raw table before feature steps.
    public static func evaluate(_ model: ModelSpec, steps: [FeatureStepSpec], target: String, table: Table,
                                folds: [Fold]) throws -> [[String: Double]] {
        try folds.enumerated().map { number, fold in try FitProgress.within("fold \(number + 1)/\(folds.count)") {
            let train = table.taking(fold.train), test = table.taking(fold.test)
            let (transform, transformedTrain) = try FeatureTransform.fit(steps, on: consume train, target: target)
            let artifact = try ModelArtifact.train(model, on: transformedTrain, target: target, transform: transform, dataHash: "")
            let transformedTest = try transform.apply(to: consume test)
            return try artifact.metrics(truth: transformedTest, predictions: artifact.predict(features: transformedTest))
        } }
    }

    /// Mean and standard deviation of each metric over the folds; the deviation divides by the
    /// number of folds, as `numpy.std` does for scikit-learn's `cross_val_score` results.
    public static func summary(_ folds: [[String: Double]]) -> [String: (mean: Double, std: Double)] {
        // A metric some fold cannot define (ROC AUC of a one-class fold) is left out.
        guard let keys = folds.first?.keys.filter({ key in folds.allSatisfy { $0[key] != nil } }) else { return [:] }
        return Dictionary(uniqueKeysWithValues: keys.map { key in
            let values = folds.map { $0[key]! }
            return (key, (Moments.mean(values), Moments.standardDeviation(values, sample: false)))
        })
    }
}
