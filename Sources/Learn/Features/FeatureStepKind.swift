import CairnSupport

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

/// Every feature step, by name: one registration each. A new step is its file (a config that
/// fits, a fitted step that applies) and one line here.
public enum FeatureStepCatalog {
    public static let kinds: [FeatureStepKind] = [
        FeatureStepKind("impute", ImputeConfig.self),
        FeatureStepKind("scale", ScaleConfig.self),
        FeatureStepKind("one_hot", OneHotConfig.self),
        FeatureStepKind("ordinal", OrdinalConfig.self),
        FeatureStepKind("bin", BinConfig.self),
        FeatureStepKind("log1p", Log1pConfig.self),
        FeatureStepKind("polynomial", PolynomialConfig.self),
        FeatureStepKind("date_parts", DatePartsConfig.self),
    ]

    public static var names: [String] { kinds.map(\.name) }

    /// The kind of the one-key mapping `{NAME: …}` that `container` reads.
    static func kind(in container: KeyedDecodingContainer<ParameterKey>, what: String) throws -> (FeatureStepKind, ParameterKey) {
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw CairnError(.invalidValue, "a \(what) is a mapping with one key, one of: \(names.joined(separator: ", "))")
        }
        guard let kind = kinds.first(where: { $0.name == key.stringValue }) else {
            throw CairnError(.invalidValue, "unknown step '\(key.stringValue)'",
                             hint: Suggestion.hint(for: key.stringValue, in: names, noun: "steps"))
        }
        return (kind, key)
    }
}
