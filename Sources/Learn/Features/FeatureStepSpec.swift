import Tables

/// One entry of the features stage's `steps:` list, e.g. `- scale: {columns: numeric}`.
public struct FeatureStepSpec: Codable, Sendable, Equatable {
    public let name: String
    public let config: any FeatureStepConfig

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ParameterKey.self)
        let (kind, key) = try FeatureStepCatalog.kind(in: container, what: "step")
        name = kind.name
        config = try kind.decodeConfig(container, key)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ParameterKey.self)
        try container.encode(config, forKey: ParameterKey(name))
    }

    /// Learns the step's values from `table`.
    public func fit(_ table: Table, target: String?) throws -> FittedStep {
        FittedStep(name: name, step: try config.fit(table, target: target))
    }

    public static func == (a: FeatureStepSpec, b: FeatureStepSpec) -> Bool { a.name == b.name && a.config.isEqual(to: b.config) }
}

/// One fitted step of a transform, written in the transform file as `{"impute": {...}}`, the
/// same shape as the step in the pipeline file.
public struct FittedStep: Codable, Sendable {
    public let name: String
    public var step: any FittedFeatureStep

    public init(name: String, step: any FittedFeatureStep) {
        self.name = name
        self.step = step
    }

    public func apply(to table: consuming Table) throws -> Table { try step.apply(to: table) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ParameterKey.self)
        let (kind, key) = try FeatureStepCatalog.kind(in: container, what: "fitted step")
        name = kind.name
        step = try kind.decodeFitted(container, key)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ParameterKey.self)
        try container.encode(step, forKey: ParameterKey(name))
    }
}

extension FittedStep: Equatable {
    public static func == (a: FittedStep, b: FittedStep) -> Bool { a.name == b.name && a.step.isEqual(to: b.step) }
}

extension FeatureStepConfig {
    func isEqual(to other: any FeatureStepConfig) -> Bool { (other as? Self) == self }
}

extension FittedFeatureStep {
    func isEqual(to other: any FittedFeatureStep) -> Bool { (other as? Self) == self }
}
