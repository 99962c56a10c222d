import CairnSupport

/// Every model the train stage offers, by the name pipelines use: one registration each. A new
/// model is its estimator's file (hyperparameters, `fit`, fitted state) and one line here.
public enum ModelCatalog {
    public static let kinds: [ModelKind] = [
        ModelKind("linear_regression", LinearRegression()),
        ModelKind("ridge", Ridge()),
        ModelKind("lasso", Lasso()),
        ModelKind("elastic_net", ElasticNet()),
        ModelKind("logistic_regression", LogisticRegression()),
        ModelKind("gaussian_nb", GaussianNaiveBayes()),
        ModelKind("knn_classifier", KNearestNeighbors()),
        ModelKind("knn_regressor", KNearestNeighbors(task: .regression)),
        ModelKind("decision_tree_classifier", DecisionTree()),
        ModelKind("decision_tree_regressor", DecisionTree(criterion: .squaredError)),
        ModelKind("random_forest_classifier", RandomForest()),
        ModelKind("random_forest_regressor", RandomForest(tree: DecisionTree(criterion: .squaredError))),
        ModelKind("hist_gradient_boosting_classifier", GradientBoosting()),
        ModelKind("hist_gradient_boosting_regressor", GradientBoosting(task: .regression)),
    ]

    public static var names: [String] { kinds.map(\.name) }

    public static func kind(named name: String) throws -> ModelKind {
        guard let kind = kinds.first(where: { $0.name == name }) else {
            throw CairnError(.invalidValue, "unknown model '\(name)'",
                             hint: Suggestion.hint(for: name, in: names, noun: "models") ?? "the models are: \(names.joined(separator: ", "))")
        }
        return kind
    }

    /// The fitted-state types, by the key a model file stores them under.
    static let fittedTypes: [String: any Predictor.Type] = Dictionary(
        kinds.map { ($0.defaults.fittedType.savedName, $0.defaults.fittedType) }, uniquingKeysWith: { first, _ in first })
}
