import CairnCore
import CairnSupport

/// One model a pipeline can name in `model:`: its name, what it predicts, and the estimator with
/// the defaults its `params:` are read on top of. `ModelCatalog` lists every one.
public struct ModelKind: Sendable {
    public let name: String
    public let task: ModelTask
    let defaults: any Estimator

    public init(_ name: String, _ defaults: some Estimator) {
        self.name = name
        self.task = defaults.task
        self.defaults = defaults
    }

    /// Every hyperparameter name the model has, in the estimator's order.
    public var hyperparameterNames: [String] { defaults.hyperparameterNames }

    /// The estimator with `decoder`'s hyperparameters over the defaults (nil: the defaults).
    func estimator(parameters decoder: (any Decoder)?) throws -> any Estimator {
        guard let decoder else { return defaults }
        return try ConfigDecoder.placingErrors(at: decoder) {
            let estimator = try defaults.decodingParameters(from: decoder)
            try check(estimator)
            return estimator
        }
    }

    /// The estimator with `values` set over `estimator`'s; a name the model lacks is an error.
    func estimator(_ estimator: any Estimator, setting values: [String: ParameterValue]) throws -> any Estimator {
        let changed = try estimator.setting(values, model: name)
        try check(changed)
        return changed
    }

    /// Valid hyperparameters that keep the model to its task (a regression criterion does not
    /// turn decision_tree_classifier into a regressor).
    private func check(_ estimator: any Estimator) throws {
        try estimator.validate()
        guard estimator.task == task else {
            let sibling = ModelCatalog.kinds.first { type(of: $0.defaults) == type(of: estimator) && $0.task == estimator.task }
            throw CairnError(.invalidValue, "these hyperparameters make \(name) a \(estimator.task.rawValue) model",
                             hint: sibling.map { "use \($0.name)" })
        }
    }
}

extension Estimator {
    var hyperparameterNames: [String] { Self.hyperparameters.map(\.name) }

    /// Every hyperparameter with a value a search can set, defaults included.
    var parameters: [String: ParameterValue] {
        Dictionary(uniqueKeysWithValues: Self.hyperparameters.compactMap { parameter in parameter.value(self).map { (parameter.name, $0) } })
    }

    func decodingParameters(from decoder: any Decoder) throws -> Self {
        let container = try decoder.container(keyedBy: ParameterKey.self)
        var estimator = self
        for parameter in Self.hyperparameters { try parameter.decode(&estimator, container) }
        return estimator
    }

    func encodeParameters(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ParameterKey.self)
        for parameter in Self.hyperparameters { try parameter.encode(self, &container) }
    }

    func setting(_ values: [String: ParameterValue], model: String) throws -> Self {
        var estimator = self
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let parameter = Self.hyperparameters.first(where: { $0.name == name }) else {
                throw CairnError(.invalidValue, "\(model) has no hyperparameter '\(name)'",
                                 hint: Suggestion.hint(for: name, in: hyperparameterNames, noun: "hyperparameters"))
            }
            try parameter.assign(&estimator, value)
        }
        return estimator
    }

    func fitted(_ x: DesignMatrix, _ y: [Double]) throws -> FittedModel { FittedModel(try fit(x, y)) }
    var fittedType: any Predictor.Type { Model.self }
}
