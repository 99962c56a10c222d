/// One step the features stage offers: the name a pipeline and a transform file use, and how its
/// configuration and its fitted state are read. `FeatureStepCatalog` lists every one.
public struct FeatureStepKind: Sendable {
    public let name: String
    let decodeConfig: @Sendable (KeyedDecodingContainer<ParameterKey>, ParameterKey) throws -> any FeatureStepConfig
    let decodeFitted: @Sendable (KeyedDecodingContainer<ParameterKey>, ParameterKey) throws -> any FittedFeatureStep

    public init<Config: FeatureStepConfig>(_ name: String, _ config: Config.Type) {
        self.name = name
        decodeConfig = { container, key in try container.decode(Config.self, forKey: key) }
        decodeFitted = { container, key in try container.decode(Config.Fitted.self, forKey: key) }
    }
}
