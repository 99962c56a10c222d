import CairnCore

/// The estimators a pipeline can name in `model:`, each with its hyperparameters.
public enum ModelSpec: Codable, Sendable, Equatable {
    case linearRegression(LinearRegression)
    case ridge(Ridge)
    case lasso(Lasso)
    case elasticNet(ElasticNet)
    case logisticRegression(LogisticRegression)
    case gaussianNaiveBayes(GaussianNaiveBayes)
    case neighbors(KNearestNeighbors)
    case tree(DecisionTree)
    case forest(RandomForest)
    case boosting(GradientBoosting)

    public static let names = ["linear_regression", "ridge", "lasso", "elastic_net", "logistic_regression", "gaussian_nb",
                               "knn_classifier", "knn_regressor", "decision_tree_classifier", "decision_tree_regressor",
                               "random_forest_classifier", "random_forest_regressor",
                               "hist_gradient_boosting_classifier", "hist_gradient_boosting_regressor"]

    /// The estimator `name` with `params` decoded from `key` of `container` (defaults when absent).
    public init<Key: CodingKey>(name: String, params container: KeyedDecodingContainer<Key>, key: Key) throws {
        func params<E: Estimator & Decodable>(_ type: E.Type, default value: E) throws -> E {
            try container.decodeIfPresent(E.self, forKey: key) ?? value
        }
        switch name {
        case "linear_regression": self = .linearRegression(try params(LinearRegression.self, default: LinearRegression()))
        case "ridge": self = .ridge(try params(Ridge.self, default: Ridge()))
        case "lasso": self = .lasso(try params(Lasso.self, default: Lasso()))
        case "elastic_net": self = .elasticNet(try params(ElasticNet.self, default: ElasticNet()))
        case "logistic_regression": self = .logisticRegression(try params(LogisticRegression.self, default: LogisticRegression()))
        case "gaussian_nb": self = .gaussianNaiveBayes(try params(GaussianNaiveBayes.self, default: GaussianNaiveBayes()))
        case "knn_classifier": self = .neighbors(try params(KNearestNeighbors.self, default: KNearestNeighbors()))
        case "knn_regressor":
            var estimator = try params(KNearestNeighbors.self, default: KNearestNeighbors())
            estimator.classify = false
            self = .neighbors(estimator)
        case "decision_tree_classifier":
            let estimator = try params(DecisionTree.self, default: DecisionTree())
            guard estimator.classifies else {
                throw CairnError(.invalidValue, "a classification tree's criterion is gini or entropy", hint: "use decision_tree_regressor")
            }
            self = .tree(estimator)
        case "decision_tree_regressor":
            var estimator = try params(DecisionTree.self, default: DecisionTree(criterion: .squaredError))
            estimator.criterion = .squaredError
            self = .tree(estimator)
        case "random_forest_classifier":
            let estimator = try params(RandomForest.self, default: RandomForest())
            guard estimator.tree.classifies else {
                throw CairnError(.invalidValue, "a classification forest's criterion is gini or entropy", hint: "use random_forest_regressor")
            }
            self = .forest(estimator)
        case "hist_gradient_boosting_classifier": self = .boosting(try params(GradientBoosting.self, default: GradientBoosting()))
        case "hist_gradient_boosting_regressor":
            var estimator = try params(GradientBoosting.self, default: GradientBoosting())
            estimator.classify = false
            self = .boosting(estimator)
        case "random_forest_regressor":
            var estimator = try params(RandomForest.self, default: RandomForest(tree: DecisionTree(criterion: .squaredError)))
            estimator.tree.criterion = .squaredError
            self = .forest(estimator)
        default:
            throw CairnError(.invalidValue, "unknown model '\(name)'",
                             hint: Suggestion.hint(for: name, in: Self.names, noun: "models") ?? "the models are: \(Self.names.joined(separator: ", "))")
        }
    }

    public var name: String {
        switch self {
        case .linearRegression: "linear_regression"
        case .ridge: "ridge"
        case .lasso: "lasso"
        case .elasticNet: "elastic_net"
        case .logisticRegression: "logistic_regression"
        case .gaussianNaiveBayes: "gaussian_nb"
        case .neighbors(let estimator): estimator.classify ? "knn_classifier" : "knn_regressor"
        case .tree(let estimator): estimator.classifies ? "decision_tree_classifier" : "decision_tree_regressor"
        case .forest(let estimator): estimator.tree.classifies ? "random_forest_classifier" : "random_forest_regressor"
        case .boosting(let estimator): estimator.classify ? "hist_gradient_boosting_classifier" : "hist_gradient_boosting_regressor"
        }
    }

    public var isClassifier: Bool {
        switch self {
        case .logisticRegression, .gaussianNaiveBayes: true
        case .neighbors(let estimator): estimator.classify
        case .tree(let estimator): estimator.classifies
        case .forest(let estimator): estimator.tree.classifies
        case .boosting(let estimator): estimator.classify
        case .linearRegression, .ridge, .lasso, .elasticNet: false
        }
    }

    public func fit(_ x: Matrix, _ y: [Double]) throws -> FittedModel {
        switch self {
        case .linearRegression(let estimator): .linear(try estimator.fit(x, y))
        case .ridge(let estimator): .linear(try estimator.fit(x, y))
        case .lasso(let estimator): .linear(try estimator.fit(x, y))
        case .elasticNet(let estimator): .linear(try estimator.fit(x, y))
        case .logisticRegression(let estimator): .logistic(try estimator.fit(x, y))
        case .gaussianNaiveBayes(let estimator): .naiveBayes(try estimator.fit(x, y))
        case .neighbors(let estimator): .neighbors(try estimator.fit(x, y))
        case .tree(let estimator): .tree(try estimator.fit(x, y))
        case .forest(let estimator): .forest(try estimator.fit(x, y))
        case .boosting(let estimator): .boosting(try estimator.fit(x, y))
        }
    }

    // Written as {"ridge": {"alpha": 1, …}}, the shape of the pipeline file.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: FittedStep.Key.self)
        guard let key = container.allKeys.first, container.allKeys.count == 1 else {
            throw CairnError(.invalidValue, "a model is a mapping with one key, its name")
        }
        try self.init(name: key.stringValue, params: container, key: key)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FittedStep.Key.self)
        let key = FittedStep.Key(stringValue: name)
        switch self {
        case .linearRegression(let estimator): try container.encode(estimator, forKey: key)
        case .ridge(let estimator): try container.encode(estimator, forKey: key)
        case .lasso(let estimator): try container.encode(estimator, forKey: key)
        case .elasticNet(let estimator): try container.encode(estimator, forKey: key)
        case .logisticRegression(let estimator): try container.encode(estimator, forKey: key)
        case .gaussianNaiveBayes(let estimator): try container.encode(estimator, forKey: key)
        case .neighbors(let estimator): try container.encode(estimator, forKey: key)
        case .tree(let estimator): try container.encode(estimator, forKey: key)
        case .forest(let estimator): try container.encode(estimator, forKey: key)
        case .boosting(let estimator): try container.encode(estimator, forKey: key)
        }
    }
}

/// A fitted model of any kind, written as {"linear": {…}}, {"logistic": {…}}, ….
public enum FittedModel: Codable, Sendable, Equatable {
    case linear(LinearModel)
    case logistic(LogisticModel)
    case naiveBayes(GaussianNaiveBayesModel)
    case neighbors(KNearestNeighborsModel)
    case tree(DecisionTreeModel)
    case forest(RandomForestModel)
    case boosting(GradientBoostingModel)

    private var model: any Predictor {
        switch self {
        case .linear(let model): model
        case .logistic(let model): model
        case .naiveBayes(let model): model
        case .neighbors(let model): model
        case .tree(let model): model
        case .forest(let model): model
        case .boosting(let model): model
        }
    }

    private var key: String {
        switch self {
        case .linear: "linear"
        case .logistic: "logistic"
        case .naiveBayes: "gaussian_nb"
        case .neighbors: "neighbors"
        case .tree: "tree"
        case .forest: "forest"
        case .boosting: "boosting"
        }
    }

    public func predict(_ x: Matrix) throws -> [Double] { try model.predict(x) }

    /// Class probabilities, for classifiers.
    public func probabilities(_ x: Matrix) throws -> Matrix? {
        switch self {
        case .linear: return nil
        case .logistic(let model): return try model.probabilities(x)
        case .naiveBayes(let model): return try model.probabilities(x)
        case .neighbors(let model): return model.classes > 0 ? try model.probabilities(x) : nil
        case .tree(let model): return model.classes > 0 ? try model.probabilities(x) : nil
        case .forest(let model): return model.classes > 0 ? try model.probabilities(x) : nil
        case .boosting(let model): return model.classes > 0 ? try model.probabilities(x) : nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: FittedStep.Key.self)
        guard let key = container.allKeys.first else { throw CairnError(.invalidValue, "a fitted model is a mapping with one key") }
        switch key.stringValue {
        case "linear": self = .linear(try container.decode(LinearModel.self, forKey: key))
        case "logistic": self = .logistic(try container.decode(LogisticModel.self, forKey: key))
        case "gaussian_nb": self = .naiveBayes(try container.decode(GaussianNaiveBayesModel.self, forKey: key))
        case "neighbors": self = .neighbors(try container.decode(KNearestNeighborsModel.self, forKey: key))
        case "tree": self = .tree(try container.decode(DecisionTreeModel.self, forKey: key))
        case "forest": self = .forest(try container.decode(RandomForestModel.self, forKey: key))
        case "boosting": self = .boosting(try container.decode(GradientBoostingModel.self, forKey: key))
        default: throw CairnError(.invalidValue, "unknown fitted model '\(key.stringValue)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FittedStep.Key.self)
        try container.encode(model, forKey: FittedStep.Key(stringValue: key))
    }
}
