import CairnCore

/// The estimators a pipeline can name in `model:`, each with its hyperparameters.
public enum ModelSpec: Codable, Sendable, Equatable {
    case linearRegression(LinearRegression)
    case ridge(Ridge)
    case lasso(Lasso)
    case elasticNet(ElasticNet)
    case logisticRegression(LogisticRegression)

    public static let names = ["linear_regression", "ridge", "lasso", "elastic_net", "logistic_regression"]

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
        }
    }

    public var isClassifier: Bool {
        if case .logisticRegression = self { return true }
        return false
    }

    public func fit(_ x: Matrix, _ y: [Double]) throws -> FittedModel {
        switch self {
        case .linearRegression(let estimator): .linear(try estimator.fit(x, y))
        case .ridge(let estimator): .linear(try estimator.fit(x, y))
        case .lasso(let estimator): .linear(try estimator.fit(x, y))
        case .elasticNet(let estimator): .linear(try estimator.fit(x, y))
        case .logisticRegression(let estimator): .logistic(try estimator.fit(x, y))
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
        }
    }
}

/// A fitted model of any kind, written as {"linear": {…}} or {"logistic": {…}}.
public enum FittedModel: Codable, Sendable, Equatable {
    case linear(LinearModel)
    case logistic(LogisticModel)

    public func predict(_ x: Matrix) throws -> [Double] {
        switch self {
        case .linear(let model): try model.predict(x)
        case .logistic(let model): try model.predict(x)
        }
    }

    /// Class probabilities, for classifiers.
    public func probabilities(_ x: Matrix) throws -> Matrix? {
        guard case .logistic(let model) = self else { return nil }
        return try model.probabilities(x)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: FittedStep.Key.self)
        if container.contains(FittedStep.Key(stringValue: "linear")) {
            self = .linear(try container.decode(LinearModel.self, forKey: FittedStep.Key(stringValue: "linear")))
        } else {
            self = .logistic(try container.decode(LogisticModel.self, forKey: FittedStep.Key(stringValue: "logistic")))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FittedStep.Key.self)
        switch self {
        case .linear(let model): try container.encode(model, forKey: FittedStep.Key(stringValue: "linear"))
        case .logistic(let model): try container.encode(model, forKey: FittedStep.Key(stringValue: "logistic"))
        }
    }
}
