import CairnSupport
import FoundationEssentials

/// A model named in a pipeline with its hyperparameters: written as `{"ridge": {"alpha": 1, …}}`,
/// the shape of the pipeline file.
public struct ModelSpec: Codable, Sendable, Equatable {
    public let kind: ModelKind
    private var estimator: any Estimator

    /// The model `name`, its hyperparameters read from `parameters` over its defaults.
    public init(name: String, parameters: (any Decoder)? = nil) throws {
        kind = try ModelCatalog.kind(named: name)
        estimator = try kind.estimator(parameters: parameters)
    }

    public var name: String { kind.name }
    public var task: ModelTask { kind.task }

    /// Every hyperparameter with its value, defaults included: what a search starts from.
    public var parameters: [String: ParameterValue] { estimator.parameters }

    /// The same model with `values` for some hyperparameters, checked as a pipeline's are.
    public func setting(_ values: [String: ParameterValue]) throws -> ModelSpec {
        var changed = self
        changed.estimator = try kind.estimator(estimator, setting: values)
        return changed
    }

    public func fit(_ x: DesignMatrix, _ y: [Double]) throws -> FittedModel { try estimator.fitted(x, y) }
    public func fit(_ x: Matrix, _ y: [Double]) throws -> FittedModel { try fit(DesignMatrix(x), y) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ParameterKey.self)
        guard let key = container.allKeys.first, container.allKeys.count == 1 else {
            throw CairnError(.invalidValue, "a model is a mapping with one key, its name")
        }
        try self.init(name: key.stringValue, parameters: container.superDecoder(forKey: key))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ParameterKey.self)
        try estimator.encodeParameters(to: container.superEncoder(forKey: ParameterKey(name)))
    }

    /// Same name and the same hyperparameters as written to a file.
    public static func == (a: ModelSpec, b: ModelSpec) -> Bool {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return a.name == b.name && (try? encoder.encode(a)) == (try? encoder.encode(b))
    }
}
